"""Engines for Rapport databases, and the SQLite file checks that protect a user's data.

SQLite connections run in WAL mode with synchronous=FULL (an autosaved answer survives a
crash or power cut), foreign keys on and a 10 s busy timeout. Python 3.11's sqlite3
driver begins transactions on its own and mishandles SAVEPOINT, so it is told not to
(isolation_level=None) and every transaction is begun here, as SQLAlchemy documents.
"""

from __future__ import annotations

import os
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool, StaticPool

from forms.files import disk_full_message, is_disk_full
from forms.storage.records import StoreError

BUSY_TIMEOUT_SECONDS = 10.0
SQLITE_HEADER = b"SQLite format 3\x00"
BEGIN_OPTION = "rapport_sqlite_begin"
"""Execution option naming the BEGIN mode; writers use IMMEDIATE so they queue, not fail."""
RAPPORT_TABLES = frozenset({"formversion", "submission", "answer"})


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (also of the URI form `sqlite:///file:PATH?mode=ro&uri=true`);
    None for an in-memory database."""
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    if database.startswith("file:") and parsed.query.get("uri") == "true":
        database = urllib.parse.unquote(database.removeprefix("file:").split("?", 1)[0])
        database = database.removeprefix("//localhost").removeprefix("//")
    return Path(database).expanduser().resolve()


def asks_read_only(url: str) -> bool:
    """True for a SQLite URI that asks for the file read-only (`?mode=ro&uri=true`)."""
    parsed = make_url(url)
    return parsed.query.get("uri") == "true" and parsed.query.get("mode") in ("ro", ("ro",))


def read_only_reason(path: Path) -> str | None:
    """Why Rapport cannot write to the database file at `path` (a read-only disk or folder,
    or a file the user may not change); None when it can."""
    if not os.access(path, os.W_OK):
        return f"{path} cannot be changed (read-only disk or file)"
    if not os.access(path.parent, os.W_OK):
        # SQLite writes its -wal and -shm files beside the database.
        return f"the folder {path.parent} is read-only"
    return None


def read_only_url(path: Path) -> str:
    """The URL that reads a file nobody can change, without the -wal and -shm files SQLite
    would otherwise create beside it (`immutable`)."""
    return f"sqlite:///file:{urllib.parse.quote(str(path))}?mode=ro&immutable=1&uri=true"


def create_store_engine(
    url: str, *, foreign_keys: bool = True, single_use: bool = False, read_only: bool = False
) -> Engine:
    """An engine for `url`; SQLite connections get Rapport's pragmas and explicit BEGINs.

    `single_use` (SQLite) closes connections when returned, so the file is fully released.
    `read_only`: the file is only read (query_only), and its journal mode left as it is.
    """
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True)
    options: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_SECONDS}}
    in_memory = sqlite_path(url) is None
    if in_memory:
        options["poolclass"] = StaticPool
        options["connect_args"]["check_same_thread"] = False
    elif single_use:
        options["poolclass"] = NullPool
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # The driver must not open transactions itself: BEGIN is emitted below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        elif not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def writer(engine: Engine) -> Engine:
    """The engine for units of work that write: on SQLite they take the write lock at BEGIN.

    A deferred transaction that reads and then writes fails at once with "database is
    locked" when another process wrote in between; BEGIN IMMEDIATE waits its turn instead.
    """
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})


def read_only_connection(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A connection that only reads `path`. `immutable`: for a file nobody else has open or
    can change (a read-only disk): SQLite then makes no -wal and -shm files beside it."""
    options = "mode=ro&immutable=1" if immutable else "mode=ro"
    connection = sqlite3.connect(
        f"{path.as_uri()}?{options}", uri=True, timeout=BUSY_TIMEOUT_SECONDS
    )
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    return connection


FULL_CHECK_LIMIT_BYTES = 64 * 1024 * 1024
"""Files up to this size get SQLite's quick_check over the whole file at open (50 ms for
5 MB, 1.2 s for 1 GB); larger ones get the cheap checks of `inspect_sqlite_file` at open and
the whole check later (Store.finish_integrity_check), before anything is written."""
FULL_CHECK_LIMIT_VARIABLE = "RAPPORT_FULL_CHECK_LIMIT"
"""Environment variable that changes FULL_CHECK_LIMIT_BYTES (a number of bytes)."""
LARGE_TABLES = frozenset({"answer", "submission", "auditevent", "attachment", "blob"})
"""The tables that grow with the data; the cheap check at open leaves them to the full one."""


@dataclass(frozen=True)
class InspectedFile:
    """What opening found out about an existing Rapport SQLite file."""

    revision: str
    fully_checked: bool
    """The whole file passed quick_check; False for a large file given only the cheap checks."""


def full_check_limit() -> int:
    """The size up to which a file is checked in full at open (FULL_CHECK_LIMIT_VARIABLE)."""
    value = os.environ.get(FULL_CHECK_LIMIT_VARIABLE, "").strip()
    if not value:
        return FULL_CHECK_LIMIT_BYTES
    try:
        return max(0, int(value))
    except ValueError:
        raise StoreError(
            f"{FULL_CHECK_LIMIT_VARIABLE}={value!r} is not a number of bytes: give a whole "
            "number such as 67108864, or unset it"
        ) from None


def _cut_short(path: Path, header: bytes) -> bool:
    """True when the file is shorter than the page count its header records."""
    for journal in ("-wal", "-journal"):
        side = path.with_name(path.name + journal)
        # An interrupted checkpoint or transaction may have written the header first;
        # SQLite completes it from the journal, so the file's size proves nothing yet.
        if side.exists() and side.stat().st_size > 0:
            return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    # The page count is valid only when the change counter matches "version valid for".
    if header[24:28] != header[92:96]:
        return False
    pages = int.from_bytes(header[28:32], "big")
    return path.stat().st_size < pages * page_size


def quick_check_problems(connection: sqlite3.Connection, table: str | None = None) -> list[str]:
    """What SQLite's quick_check finds wrong in the file (or in one table); empty when sound."""
    pragma = f'PRAGMA quick_check("{table}")' if table is not None else "PRAGMA quick_check(5)"
    found = [str(row[0]) for row in connection.execute(pragma)]
    return [] if found == ["ok"] else found


def damaged_file(path: Path, problems: list[str], *, table: str | None = None) -> StoreError:
    """The error for a file that SQLite's quick_check (of one table) found damaged."""
    checked = f"quick_check of {table}" if table is not None else "quick_check"
    # SQLite's rows hold line breaks ("*** in database main ***\nOn tree page ..."): one line.
    shown = [" ".join(problem.split()) for problem in problems]
    return StoreError(
        f"{path} is damaged (SQLite {checked}: {'; '.join(shown[:5])}). Rapport did not "
        "change it; open another file or restore it from a backup."
    )


def whole_file_problems(path: Path) -> list[str]:
    """SQLite's quick_check of the whole file, read-only; empty when the file is sound."""
    try:
        connection = read_only_connection(path)
        try:
            return quick_check_problems(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [str(error)]


def inspect_sqlite_file(
    path: Path, *, full_check_limit_bytes: int | None = None, immutable: bool = False
) -> InspectedFile:
    """The schema revision of an existing Rapport SQLite file, checked without writing to it.

    Raises StoreError naming the file when it is not a SQLite file, not a Rapport database,
    or damaged. Files up to `full_check_limit_bytes` (default: full_check_limit()) pass
    PRAGMA quick_check over the whole file; larger ones are checked cheaply: the header's
    page count against the file's size, the schema, and quick_check of every table but
    LARGE_TABLES.
    """
    keep = "Rapport did not change it; open another file or restore it from a backup."
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a Rapport database file: give the file's path")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}") from error
    if not header:
        raise StoreError(f"{path} is an empty file, not a Rapport database. {keep}")
    if not header.startswith(SQLITE_HEADER):
        raise StoreError(f"{path} is not a Rapport database (it is not a SQLite file). {keep}")
    limit = full_check_limit() if full_check_limit_bytes is None else full_check_limit_bytes
    in_full = size <= limit
    if len(header) == 100 and _cut_short(path, header):
        raise StoreError(f"{path} is damaged (it is shorter than SQLite recorded). {keep}")
    try:
        # Without a -wal file no connection has it open and the file holds everything:
        # read as immutable, SQLite leaves no -wal and -shm behind (a refusal writes nothing).
        immutable = immutable or not path.with_name(path.name + "-wal").exists()
        connection = read_only_connection(path, immutable=immutable)
        try:
            if in_full:
                problems = quick_check_problems(connection)
                if problems:
                    raise damaged_file(path, problems)
            tables = {
                str(row[0])
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables or not tables >= RAPPORT_TABLES:
                shown = ", ".join(sorted(tables)) or "none"
                raise StoreError(
                    f"{path} is a SQLite database but not a Rapport one (its tables: {shown}). "
                    f"{keep}"
                )
            if not in_full:
                for table in sorted(tables - LARGE_TABLES):
                    problems = quick_check_problems(connection, table)
                    if problems:
                        raise damaged_file(path, problems, table=table)
            versions = [str(row[0]) for row in connection.execute("SELECT * FROM alembic_version")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"{path} cannot be read as a Rapport database ({error}). {keep}"
        ) from error
    if len(versions) != 1:
        raise StoreError(f"{path} records {len(versions)} schema revisions, expected one. {keep}")
    return InspectedFile(versions[0], fully_checked=in_full)


def backup_name(path: Path, revision: str) -> Path:
    """A free file name beside `path` for a copy made before migrating from `revision`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}.backup-{revision}-{stamp}.db")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.backup-{revision}-{stamp}-{number}.db")
        number += 1
    return candidate


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some platforms cannot fsync a folder
        pass
    finally:
        os.close(descriptor)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite file with the online backup API; `target` is complete or absent."""
    if target.resolve() == source.resolve():
        raise StoreError(f"cannot back {source} up onto itself: choose another file")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        origin = read_only_connection(source, immutable=read_only_reason(source) is not None)
        try:
            copy = sqlite3.connect(partial)
            try:
                origin.backup(copy)
            finally:
                copy.close()
        finally:
            origin.close()
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    except sqlite3.Error as error:
        if is_disk_full(error):
            raise StoreError(
                disk_full_message(
                    f"backing up {source.name}", target.parent, needs=source.stat().st_size
                )
            ) from error
        raise StoreError(f"backing {source} up to {target} failed: {error}") from error
    finally:
        for suffix in ("", "-journal"):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)


def restore_sqlite(backup: Path, target: Path) -> Path | None:
    """Put the data of the Rapport database `backup` into `target`, all or nothing.

    The data goes through SQLite's backup API into `target` itself, so the write-ahead log
    beside `target` is taken into account and then emptied: copying the file over `target`
    instead would let that old log replay itself into the restored data. The data being
    replaced is first kept as a backup beside `target`; returns its path (None when there
    was no `target`).
    """
    from datetime import UTC, datetime

    from forms.storage.migrations import is_known_revision

    if target.exists() and target.resolve() == backup.resolve():
        raise StoreError(f"{backup} is the database itself: give the backup file to restore")
    inspected = inspect_sqlite_file(backup, full_check_limit_bytes=backup.stat().st_size + 1)
    if not is_known_revision(inspected.revision):
        raise _newer_file(backup, inspected.revision)
    kept = None
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        kept = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        backup_sqlite(target, kept)
    try:
        origin = read_only_connection(backup)
        try:
            destination = sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS)
            try:
                origin.backup(destination)
                destination.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                destination.close()
        finally:
            origin.close()
        _fsync(target)
    except sqlite3.Error as error:
        raise StoreError(
            f"restoring {target} from {backup} failed ({error}); the data it held is kept in {kept}"
            if kept
            else f"restoring {target} from {backup} failed ({error})"
        ) from error
    return kept


def _newer_file(path: Path, revision: str | None) -> StoreError:
    return StoreError(
        f"{path} was written by a newer Rapport (database schema {revision}): update Rapport "
        "to restore it"
    )


def publish_new_file(built: Path, path: Path) -> bool:
    """Move a freshly built database to `path` unless another process created it first.

    Returns False (and removes `built`) when `path` already existed: that file is used.
    """
    _fsync(built)
    try:
        # A hard link never replaces an existing file, so two processes creating the same
        # database at once cannot overwrite each other's answers.
        os.link(built, path)
        published = True
    except FileExistsError:
        published = False
    except OSError:
        # Some file systems (FAT on a USB stick) have no hard links.
        published = not path.exists()
        if published:
            os.replace(built, path)
    for leftover in (
        built,
        built.with_name(built.name + "-wal"),
        built.with_name(built.name + "-shm"),
    ):
        leftover.unlink(missing_ok=True)
    _fsync(path.parent)
    return published


def remove_stale_builds(path: Path, *, older_than: float = 600.0) -> None:
    """Delete files left by creations of `path` that were killed (creating takes a second)."""
    limit = time.time() - older_than
    for leftover in path.parent.glob(f".{path.name}.*.new*"):
        try:
            if leftover.stat().st_mtime < limit:
                leftover.unlink()
        except OSError:
            pass  # another Rapport removed it first, or it is not ours to remove
