"""Alembic migrations of the Rapport database, run from code (no alembic.ini).

Every schema change is a revision in `versions/`; a test compares the migrated schema
with the tables so that a table change cannot forget its migration.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_FOLDER = Path(__file__).resolve().parent

_REVISION_LINE = re.compile(r'^(down_revision|revision)\b[^=]*=\s*(?:"([^"]*)"|None)', re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for Rapport's migrations, bound to `connection` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    """The revisions this version of Rapport knows, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@cache
def revision_chain() -> dict[str, str | None]:
    """Each known revision and the one before it, read from the files in versions/.

    Opening a database that is already up to date needs only this, so Alembic (a tenth of
    a second to import) is loaded only when a migration has to run.
    """
    chain: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_FOLDER / "versions").glob("rev*.py")):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(path.read_text("utf-8"))}
        revision = found.get("revision")
        if revision:
            chain[revision] = found.get("down_revision")
    return chain


def newest_revision() -> str:
    """The revision of the schema this version of Rapport writes."""
    chain = revision_chain()
    heads = set(chain) - {before for before in chain.values() if before}
    if len(heads) != 1:  # pragma: no cover - the package always ships one line of revisions
        raise RuntimeError(f"expected one newest migration in {MIGRATIONS_FOLDER}, found {heads}")
    return heads.pop()


def is_known_revision(revision: str) -> bool:
    """True when this version of Rapport knows `revision` (older or current schema)."""
    return revision in revision_chain()


def current_revision(connection: Connection) -> str | None:
    """The schema revision recorded in the database, None without Alembic's table."""
    from sqlalchemy import inspect

    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(rows[0]) if len(rows) == 1 else None


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database on `connection` to `revision` inside the caller's transaction.

    On SQLite the connection must have foreign keys off (a rebuilt table would otherwise
    cascade or fail); the foreign keys are checked before the caller commits.
    """
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows with broken references: {broken[:5]}")


def sqlite_schema_names(connection: Any) -> frozenset[tuple[str, str]]:
    """(kind, name) of every table and index in a SQLite database (a DB-API connection)."""
    rows = connection.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index')"
    ).fetchall()
    return frozenset((str(kind), str(name)) for kind, name in rows)


@cache
def sqlite_schema_at(revision: str) -> frozenset[tuple[str, str]]:
    """The tables and indexes a SQLite database has at `revision` (built once, in memory)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.connect() as connection, connection.begin():
            upgrade(connection, revision)
            raw = connection.connection.driver_connection
            return sqlite_schema_names(raw)
    finally:
        engine.dispose()
