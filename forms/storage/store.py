"""The Store: one Rapport database (a SQLite file, or PostgreSQL for a team) and its units of work.

Opening checks the file before anything is written: a file that is not a Rapport database,
a damaged one, or one written by a newer Rapport is reported and left untouched; an older
one is copied aside with SQLite's backup API and then migrated in one transaction.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, event, func, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlmodel import Session, col, select

from forms.definition.model import FormDefinition
from forms.files import (
    disk_full_message,
    is_disk_full,
    protect_database,
    readable_file,
    release_database,
)
from forms.settings import SETTING_KEYS, ManagerSettings
from forms.storage.lifecycle import SubmissionLifecycle
from forms.storage.migrations import (
    current_revision,
    is_known_revision,
    newest_revision,
    sqlite_schema_at,
    sqlite_schema_names,
    upgrade,
)
from forms.storage.planning import AssignmentPlanning
from forms.storage.records import FormVersionInfo, StoreError, StoreHealth
from forms.storage.sites import SiteManagement, site_time_zone
from forms.storage.sqlite import (
    RAPPORT_TABLES,
    asks_read_only,
    backup_name,
    backup_sqlite,
    create_store_engine,
    damaged_file,
    inspect_sqlite_file,
    is_sqlite,
    publish_new_file,
    read_only_connection,
    read_only_reason,
    read_only_url,
    remove_stale_builds,
    restore_sqlite,
    sqlite_path,
    whole_file_problems,
    writer,
)
from forms.storage.tables import (
    Agent,
    Attachment,
    Blob,
    FormVersion,
    Location,
    Person,
    Setting,
    Submission,
    metadata,
)
from forms.storage.urls import shown_url
from forms.storage.values import answerable_question, insert_for, table_of, utc_now
from forms.storage.wal import foreign_log_problem, store_closed, store_opened

PERSON_ROLES = ("shopper", "manager", "inspector")
MIGRATION_LOCK = 0x52617070  # PostgreSQL advisory lock held while migrating ("Rapp")


def _newer(where: str, revision: str) -> StoreError:
    return StoreError(
        f"{where} was written by a newer Rapport (schema {revision}; this Rapport knows up to "
        f"{newest_revision()}): update Rapport to open it. The database was not changed."
    )


def _migrate_sqlite(path: Path) -> None:
    # Foreign keys off: batch migrations rebuild tables, which must not cascade or fail.
    engine = create_store_engine(f"sqlite:///{path}", foreign_keys=False, single_use=True)
    try:
        with writer(engine).connect() as connection, connection.begin():
            upgrade(connection)
    finally:
        engine.dispose()


def _open_sqlite(url: str, create: bool) -> tuple[Engine, bool, str | None]:
    """The engine of a SQLite database, whether its whole file was checked at open, and why
    it can only be read (None when it can be written)."""
    path = sqlite_path(url)
    if path is None:
        engine = create_store_engine(url)
        with writer(engine).connect() as connection, connection.begin():
            upgrade(connection)
        return engine, True, None
    if path.exists():
        cannot_write = read_only_reason(path)
        if cannot_write is not None or asks_read_only(url):
            return _open_read_only(path, cannot_write or "it was opened read-only")
    if not path.exists():
        if not create:
            raise StoreError(
                f"there is no Rapport database at {path}: check the path (rapport demo, an "
                "import or the app makes a new one)"
            )
        # Built beside the target and linked into place, so a crash while creating never
        # leaves a half-made file that would later be refused as "not a Rapport database".
        built = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.new")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _migrate_sqlite(built)
            publish_new_file(built, path)
        except (OSError, OperationalError) as error:
            for suffix in ("", "-journal", "-wal", "-shm"):
                built.with_name(built.name + suffix).unlink(missing_ok=True)
            reason = error.strerror if isinstance(error, OSError) else error.orig
            raise StoreError(
                f"cannot create a database at {path}: {reason or error}. Choose a folder you "
                "may write in, on a disk with free space"
            ) from None
        remove_stale_builds(path)
    if problem := foreign_log_problem(path):
        log = f"{path.name}-wal"
        raise StoreError(
            f"{log} beside {path} was not written on this file ({problem}): replaying it "
            f"would lose data. If you copied a backup over {path.name}, put it back with "
            f"`rapport db restore BACKUP` instead (it sets the old log aside); otherwise move "
            f"{log} and {path.name}-shm to another folder and open {path.name} again. Rapport "
            "changed neither file."
        )
    inspected = inspect_sqlite_file(path)
    revision, checked = inspected.revision, inspected.fully_checked
    if not is_known_revision(revision):
        raise _newer(str(path), revision)
    if revision == newest_revision():
        _refuse_changed_tables(path)
    if revision != newest_revision():
        # Migrating writes: a large file gets its whole check first.
        if not checked and (problems := whole_file_problems(path)):
            raise damaged_file(path, problems)
        _refuse_a_false_revision(path, revision)
        backup_sqlite(path, backup_name(path, revision))
        _migrate_sqlite(path)
        checked = True
    return create_store_engine(f"sqlite:///{path}"), checked, None


def _refuse_a_false_revision(path: Path, revision: str) -> None:
    """StoreError when the file's tables are not those of the revision it records (someone
    rewrote the revision): migrating it would fail halfway or damage it."""
    connection = read_only_connection(path, immutable=True)
    try:
        found = sqlite_schema_names(connection)
    finally:
        connection.close()
    expected = sqlite_schema_at(revision)
    if found != expected:
        extra = sorted(name for _, name in found - expected)
        missing = sorted(name for _, name in expected - found)
        raise StoreError(
            f"{path} records schema revision {revision}, but its tables and indexes are not "
            f"those of that revision (not expected: {', '.join(extra[:5]) or 'none'}; "
            f"missing: {', '.join(missing[:5]) or 'none'}): it was changed outside Rapport. "
            "Rapport did not change it; restore it from a backup (rapport db restore)."
        )


def _refuse_changed_tables(path: Path) -> None:
    """StoreError when a column this Rapport reads is missing from a table (another program
    changed it): every command that reads that column would fail with "no such column"."""
    wal = path.with_name(path.name + "-wal")
    connection = read_only_connection(path, immutable=not wal.exists())
    try:
        missing = []
        for table in metadata.sorted_tables:
            found = {
                str(row[1]) for row in connection.execute(f"PRAGMA table_info('{table.name}')")
            }
            missing += [
                f"{table.name}.{column.name}"
                for column in table.columns
                if column.name not in found
            ]
    finally:
        connection.close()
    if missing:
        raise StoreError(
            f"{path} is a Rapport database whose tables were changed outside Rapport (missing: "
            f"{', '.join(missing[:5])}). Rapport did not change it; restore it from a backup "
            "(rapport db restore)."
        )


def _open_read_only(path: Path, reason: str) -> tuple[Engine, bool, str]:
    """A database that can be read, reported on and backed up, never written: on a read-only
    disk or folder, or asked for with `?mode=ro`."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # Opened immutable, SQLite would not read the log: the newest visits would be missing.
        raise StoreError(
            f"{path} can only be read ({reason}), and its newest changes are still in {wal}, "
            "which Rapport cannot merge into it there: copy both files to a folder you may "
            "write in and open the copy"
        )
    inspected = inspect_sqlite_file(path, immutable=True)
    if not is_known_revision(inspected.revision):
        raise _newer(str(path), inspected.revision)
    if inspected.revision != newest_revision():
        raise StoreError(
            f"{path} was made by an older Rapport and must be upgraded, which means writing "
            f"to it, but it can only be read ({reason}): copy it to a folder you may write "
            "in and open the copy"
        )
    engine = create_store_engine(read_only_url(path), read_only=True)
    return engine, inspected.fully_checked, f"{path}: {reason}"


def _open_server(url: str, create: bool) -> Engine:
    shown = make_url(url).render_as_string(hide_password=True)
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = current_revision(connection)
        if not tables and not create:
            raise StoreError(f"the database {shown} is empty: it holds no Rapport data")
        if tables and (revision is None or not tables >= RAPPORT_TABLES):
            raise StoreError(
                f"the database {shown} is not a Rapport database (its tables: "
                f"{', '.join(sorted(tables))}): give an empty database or a Rapport one"
            )
        if revision is not None and not is_known_revision(revision):
            raise _newer(shown, revision)
        if revision != newest_revision():
            with engine.connect() as connection, connection.begin():
                if connection.dialect.name == "postgresql":
                    # Two Rapports starting together: the second waits, then finds it done.
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                    )
                upgrade(connection)
    except OperationalError as error:
        engine.dispose()
        raise StoreError(f"cannot use the database {shown}: {error.orig}") from error
    except BaseException:
        engine.dispose()
        raise
    return engine


class Store(SubmissionLifecycle, AssignmentPlanning, SiteManagement):
    """A Rapport database: forms, sites, people, submissions, attachments and their audit."""

    def __init__(self, url: str, engine: Engine, *, integrity_pending: bool = False) -> None:
        self.url = url
        self._engine = engine
        self._writer = writer(engine)
        self._forms: dict[int, FormDefinition] = {}
        self._forms_lock = threading.Lock()
        self._integrity_pending = integrity_pending
        self._integrity_lock = threading.Lock()
        self._refusal: str | None = None
        # No file Rapport writes may land on this database or its -wal and -shm files.
        self._protected = sqlite_path(url) if is_sqlite(url) else None
        if self._protected is not None:
            protect_database(self._protected)
            store_opened(self._protected)

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Store:
        """Open (or create) the database at `url`, migrating an older schema after a backup.

        A large SQLite file gets only cheap checks here (see inspect_sqlite_file); its whole
        check runs before the first write, or earlier through finish_integrity_check().
        """
        checked, read_only = True, None
        try:
            if is_sqlite(url):
                engine, checked, read_only = _open_sqlite(url, create)
            else:
                engine = _open_server(url, create)
        except OSError as error:
            raise StoreError(
                f"cannot use the database {shown_url(url)}: {error.strerror or error}; check "
                "the path"
            ) from None
        except ArgumentError as error:
            raise StoreError(
                f"'{shown_url(url)}' is not a database URL Rapport can use ({error}); give a "
                "file path, or write a team server as postgresql+psycopg://user@host/database"
            ) from None
        # A relative SQLite path is made absolute, so the Store does not depend on the cwd.
        store = cls(
            engine.url.render_as_string(hide_password=False),
            engine,
            integrity_pending=not checked,
        )
        if read_only is not None:
            # Never a check to finish: nothing can be written, so nothing waits for it.
            store._integrity_pending = False
            store._refusal = (
                f"{read_only}. Rapport can show, report and back it up, but not change it: "
                "to work in it, copy it to a folder you may write in and open the copy"
            )
        return store

    @property
    def read_only(self) -> str | None:
        """Why nothing can be written to this database (read-only disk, damage); None when
        it can be."""
        return self._refusal

    @property
    def shown_url(self) -> str:
        """Where the data is, fit to show on screen or print: never with its password."""
        return shown_url(self.url)

    @property
    def integrity_pending(self) -> bool:
        """The file was too large to check in full at open, and has not been checked since."""
        return self._integrity_pending

    def finish_integrity_check(self) -> None:
        """Run the whole-file check that opening a large file left for later (once).

        Raises StoreError when the file is damaged; from then on every write is refused with
        that message, so a damaged file is never written to. Reading goes on working.
        """
        with self._integrity_lock:
            path = sqlite_path(self.url)
            if self._integrity_pending and path is not None:
                problems = whole_file_problems(path)
                if problems:
                    self._refuse_writes(path, problems)
                self._integrity_pending = False
        if self._refusal is not None:
            raise StoreError(self._refusal)

    def _refuse_writes(self, path: Path, problems: list[str]) -> None:
        self._refusal = (
            f"{path} is damaged (SQLite quick_check: {'; '.join(problems[:5])}). Rapport "
            "will not write to it: nothing more is saved. Copy out what you need, then "
            "restore the file from a backup."
        )

        @event.listens_for(self._engine, "connect")
        def read_only(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA query_only = ON")

        # Connections opened before now are replaced by read-only ones.
        self._engine.dispose()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for the tests' and benchmarks' low-level checks; Rapport's
        own code reads through reading() and writes through writing()."""
        return self._engine

    @property
    def dialect_name(self) -> str:
        """The database's SQL dialect ("sqlite" or "postgresql"), for dialect-specific SQL."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Release every connection (a SQLite file is then checkpointed and complete)."""
        self._engine.dispose()
        if self._protected is not None:
            release_database(self._protected)
            store_closed(self._protected)
            self._protected = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only session, for the read model (reports.queries) and checks.

        It cannot write: a flush raises, so a query can never change what it reads.
        """
        session = Session(self._engine, expire_on_commit=False, autoflush=False)
        event.listen(session, "before_flush", _refuse_to_write)
        try:
            yield session
        finally:
            # close() ends the transaction and detaches what was read, still loaded (a
            # rollback would expire it).
            session.close()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A short writing session, for forms/ only (the store's services, the form filling
        and the exchange of bundles and locations): committed when the block ends, rolled
        back if it raises.

        It takes SQLite's write lock at once and waits up to 10 s for it.
        """
        if self._integrity_pending or self._refusal is not None:
            self.finish_integrity_check()
        session = Session(self._writer, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except OperationalError as error:
            session.rollback()
            if is_disk_full(error):
                where = sqlite_path(self.url)
                raise StoreError(
                    disk_full_message(
                        "saving to the database", where.parent if where else Path.cwd()
                    ).replace("Nothing was written", "Nothing was changed")
                ) from error
            if "locked" in str(error.orig) or "busy" in str(error.orig):
                raise StoreError(
                    "the database stayed busy for more than 10 seconds (another Rapport is "
                    "writing to it); try again"
                ) from error
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    # -- forms --------------------------------------------------------------------------
    def add_form(self, form: FormDefinition) -> int:
        """Store a form version (once per content); returns its id."""
        sha256 = form.sha256()
        # Most calls find the form stored already (every start stores the built-in ones):
        # looking first needs no write lock, nor a large file's whole-file check.
        with self.reading() as session:
            stored = session.scalars(
                select(col(FormVersion.id)).where(col(FormVersion.sha256) == sha256)
            ).first()
        if stored is not None:
            return stored
        for attempt in range(2):
            try:
                with self.writing() as session:
                    same = session.scalars(
                        select(col(FormVersion.id)).where(col(FormVersion.sha256) == sha256)
                    ).first()
                    if same is not None:
                        return same
                    clash = session.scalars(
                        select(col(FormVersion.sha256)).where(
                            col(FormVersion.key) == form.key,
                            col(FormVersion.version) == form.version,
                        )
                    ).first()
                    if clash is not None:
                        raise StoreError(
                            f"form '{form.key}' version {form.version} is already stored with "
                            "different content, and a form version never changes: bump version "
                            "(the `version` setting) to store the changed form"
                        )
                    row = FormVersion(
                        key=form.key,
                        version=form.version,
                        title=form.text(form.title),
                        kind=form.kind,
                        definition=form.canonical_json(),
                        sha256=sha256,
                        created_at=utc_now(),
                    )
                    session.add(row)
                    session.flush()
                    assert row.id is not None
                    return row.id
            except IntegrityError:
                # Another process stored the same form at the same moment: look again.
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def form_definition(self, form_version_id: int) -> FormDefinition:
        """The definition of a stored form version (immutable, so cached)."""
        with self._forms_lock:
            cached = self._forms.get(form_version_id)
        if cached is not None:
            return cached
        with self.reading() as session:
            row = session.get(FormVersion, form_version_id)
            if row is None:
                raise StoreError(f"there is no form version with id {form_version_id}")
            definition = FormDefinition.from_json(row.definition)
        with self._forms_lock:
            self._forms[form_version_id] = definition
        return definition

    def latest_form_version(self, key: str) -> int | None:
        """The id of the most recently stored version of the form `key`, if any."""
        with self.reading() as session:
            query = (
                select(col(FormVersion.id))
                .where(col(FormVersion.key) == key)
                .order_by(col(FormVersion.created_at).desc(), col(FormVersion.id).desc())
            )
            return session.scalars(query).first()

    def list_forms(self) -> list[FormVersionInfo]:
        """Every stored form version, by key then age."""
        with self.reading() as session:
            rows = session.scalars(
                select(FormVersion).order_by(col(FormVersion.key), col(FormVersion.id))
            )
            return [
                FormVersionInfo(
                    id=row.id or 0,
                    key=row.key,
                    version=row.version,
                    title=row.title,
                    kind=row.kind,
                    sha256=row.sha256,
                )
                for row in rows
            ]

    # -- sites and people -------------------------------------------------------------------
    def _upsert(self, model: type[object], key: str, values: dict[str, object]) -> int:
        table = table_of(model)
        with self.writing() as session:
            statement = insert_for(session, table).values(**values)
            changes = {name: statement.excluded[name] for name in values if name != key}
            found = session.execute(
                statement.on_conflict_do_update(index_elements=[key], set_=changes).returning(
                    table.c.id
                )
            ).scalar_one()
            return int(found)

    def upsert_location(
        self, code: str, name: str, city: str = "", time_zone: str | None = None
    ) -> int:
        """Add a site or update its name, city and (unless None: kept) time zone; returns
        its id. An unknown time zone is refused (StoreError)."""
        if not code.strip() or not name.strip():
            raise StoreError("a location needs a code and a name")
        values: dict[str, object] = {"code": code, "name": name, "city": city}
        if time_zone is not None:
            values["time_zone"] = site_time_zone(time_zone)
        return self._upsert(Location, "code", values)

    def upsert_agent(self, code: str, name: str, location_code: str) -> int:
        """Add a customer-facing employee or update them; returns their id."""
        if not code.strip() or not name.strip():
            raise StoreError("an agent needs a code and a name")
        with self.reading() as session:
            location_id = session.scalars(
                select(col(Location.id)).where(col(Location.code) == location_code)
            ).first()
        if location_id is None:
            raise StoreError(
                f"agent {code}: there is no location with code '{location_code}': add the "
                "location first"
            )
        return self._upsert(Agent, "code", {"code": code, "name": name, "location_id": location_id})

    def upsert_person(self, name: str, role: str = "shopper") -> int:
        """Add a shopper or manager, or change their role; returns their id."""
        if not name.strip():
            raise StoreError("a person needs a name")
        if role not in PERSON_ROLES:
            raise StoreError(f"role '{role}' is unknown: use one of {', '.join(PERSON_ROLES)}")
        return self._upsert(Person, "name", {"name": name, "role": role})

    # -- settings -------------------------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        """A manager's setting stored with the data (`default` when it was never set)."""
        table = table_of(Setting)
        with self.reading() as session:
            found = session.execute(select(table.c.value).where(table.c.key == key)).scalar()
        return default if found is None else str(found)

    def counted_statuses(self) -> tuple[str, ...]:
        """The statuses figures and exports count, as the manager's settings say."""
        return self.manager_settings().counted_statuses

    def set_setting(self, key: str, value: str | None) -> None:
        """Store a setting; None or an empty value removes it."""
        table = table_of(Setting)
        with self.writing() as session:
            if not value:
                session.execute(table.delete().where(table.c.key == key))
                return
            statement = insert_for(session, table).values(key=key, value=value)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["key"], set_={"value": statement.excluded.value}
                )
            )

    def manager_settings(self) -> ManagerSettings:
        """The manager's settings (Administration -> Settings), typed and checked."""
        table = table_of(Setting)
        with self.reading() as session:
            rows = session.execute(
                select(table.c.key, table.c.value).where(table.c.key.in_(SETTING_KEYS))
            ).all()
        return ManagerSettings.from_stored({str(key): str(value) for key, value in rows})

    def save_manager_settings(self, settings: ManagerSettings) -> None:
        """Save every manager setting in one transaction: all of them or none."""
        table = table_of(Setting)
        with self.writing() as session:
            for key, value in settings.stored_values().items():
                session.execute(table.delete().where(table.c.key == key))
                if value:
                    session.execute(table.insert().values(key=key, value=value))

    # -- attachments ----------------------------------------------------------------------------
    def attach(
        self,
        submission_id: str,
        data: bytes,
        *,
        filename: str,
        media_type: str,
        question: str | None = None,
    ) -> str:
        """Attach a photo or file to a draft; the bytes are stored once per sha256."""
        if not data:
            raise StoreError(f"{filename or 'the file'} is empty: nothing to attach")
        if not filename.strip() or "/" not in media_type:
            raise StoreError("an attachment needs a file name and a media type such as image/jpeg")
        sha256 = hashlib.sha256(data).hexdigest()
        with self.writing() as session:
            found = self._editable(session, submission_id, "attach files to")
            if question is not None:
                answerable_question(self.form_definition(found.form_version_id), question)
            statement = insert_for(session, table_of(Blob)).values(
                sha256=sha256, data=data, size=len(data)
            )
            session.execute(statement.on_conflict_do_nothing(index_elements=["sha256"]))
            attachment = Attachment(
                submission_id=submission_id,
                question=question,
                filename=filename,
                media_type=media_type,
                sha256=sha256,
            )
            session.add(attachment)
            return attachment.id

    def attachment_bytes(self, attachment_id: str) -> bytes:
        """The bytes of an attachment."""
        with self.reading() as session:
            data = session.scalars(
                select(col(Blob.data))
                .join(Attachment, col(Attachment.sha256) == col(Blob.sha256))
                .where(col(Attachment.id) == attachment_id)
            ).first()
        if data is None:
            raise StoreError(f"there is no attachment {attachment_id}")
        return bytes(data)

    # -- maintenance --------------------------------------------------------------------------
    def backup(self, target: Path) -> None:
        """Copy the SQLite database to `target` (safe while Rapport runs)."""
        path = sqlite_path(self.url) if is_sqlite(self.url) else None
        if path is None:
            raise StoreError(
                "only a SQLite database file can be backed up from Rapport; back a server "
                "database up with its own tools (pg_dump)"
            )
        backup_sqlite(path, Path(target))

    def check(self, *, full: bool = False) -> StoreHealth:
        """Integrity (quick_check, or integrity_check when `full`), schema revision, row counts."""
        problems: list[str] = []
        with self._engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                pragma = "integrity_check" if full else "quick_check"
                found = [str(row[0]) for row in connection.exec_driver_sql(f"PRAGMA {pragma}")]
                problems += [line for line in found if line != "ok"]
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                problems += [
                    f"{row[0]} row {row[1]} refers to a missing {row[2]}" for row in broken
                ]
            problems += _impossible_figures(connection)
            revision = current_revision(connection)
            counts = {
                table.name: int(
                    connection.execute(select(func.count()).select_from(table)).scalar_one()
                )
                for table in metadata.sorted_tables
            }
        return StoreHealth(
            problems=tuple(problems),
            revision=revision,
            newest_revision=newest_revision(),
            counts=counts,
        )


def restore_backup(url: str, backup: Path) -> Path | None:
    """Replace the data of the SQLite database at `url` with the Rapport backup `backup`
    (see restore_sqlite); returns where the replaced data was kept."""
    target = sqlite_path(url) if is_sqlite(url) else None
    if target is None:
        raise StoreError(
            "only a SQLite database file can be restored by Rapport; restore a team server "
            "with its own tools (pg_restore)"
        )
    readable_file(backup)
    return restore_sqlite(Path(backup), target)


def _refuse_to_write(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only unit of work was asked to write: use Store.writing()")


def _impossible_figures(connection: Connection) -> list[str]:
    """Stored scores no form can produce (outside 0 to 100): only a change made outside
    Rapport stores them, and every report that counts them would refuse to print."""
    table = table_of(Submission)
    found: list[str] = []
    for column in (table.c.score, table.c.raw_score, table.c.empathy_index):
        rows = connection.execute(
            select(table.c.id, column).where((column < 0) | (column > 100)).limit(5)
        ).all()
        found += [
            f"submission {row[0]} has a {column.name} of {_shown_value(row[1])}, outside 0 to 100"
            for row in rows
        ]
    return found


def _shown_value(value: object) -> str:
    """A stored value as a message shows it: numbers short, anything else quoted."""
    if isinstance(value, int | float):
        return f"{value:.3g}"
    return repr(value)[:40]
