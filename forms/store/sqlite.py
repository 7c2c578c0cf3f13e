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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool, StaticPool

from forms.store.records import StoreError

BUSY_TIMEOUT_SECONDS = 10.0
SQLITE_HEADER = b"SQLite format 3\x00"
BEGIN_OPTION = "rapport_sqlite_begin"
"""Execution option naming the BEGIN mode; writers use IMMEDIATE so they queue, not fail."""
RAPPORT_TABLES = frozenset({"formversion", "submission", "answer"})


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database).expanduser().resolve()


def create_store_engine(url: str, *, foreign_keys: bool = True, single_use: bool = False) -> Engine:
    """An engine for `url`; SQLite connections get Rapport's pragmas and explicit BEGINs.

    `single_use` (SQLite) closes connections when returned, so the file is fully released.
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
        if not in_memory:
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


def _read_only(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    return connection


def inspect_sqlite_file(path: Path) -> str:
    """The schema revision of an existing Rapport SQLite file, checked without writing to it.

    Raises StoreError naming the file when it is not a SQLite file, not a Rapport database,
    or damaged (PRAGMA quick_check).
    """
    keep = "Rapport did not change it; open another file or restore it from a backup."
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a Rapport database file: give the file's path")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}") from error
    if not header:
        raise StoreError(f"{path} is an empty file, not a Rapport database. {keep}")
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a Rapport database (it is not a SQLite file). {keep}")
    try:
        connection = _read_only(path)
        try:
            checked = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
            if checked != ["ok"]:
                found = "; ".join(str(line) for line in checked)
                raise StoreError(f"{path} is damaged (SQLite quick_check: {found}). {keep}")
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
            versions = [str(row[0]) for row in connection.execute("SELECT * FROM alembic_version")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"{path} cannot be read as a Rapport database ({error}). {keep}"
        ) from error
    if len(versions) != 1:
        raise StoreError(f"{path} records {len(versions)} schema revisions, expected one. {keep}")
    return versions[0]


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
        origin = _read_only(source)
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
        raise StoreError(f"backing {source} up to {target} failed: {error}") from error
    finally:
        partial.unlink(missing_ok=True)


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
