"""Alembic migrations of the Rapport database, run from code (no alembic.ini).

Every schema change is a revision in `versions/`; a test compares the migrated schema
with the tables so that a table change cannot forget its migration.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

MIGRATIONS_FOLDER = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for Rapport's migrations, bound to `connection` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    """The revisions this version of Rapport knows."""
    return ScriptDirectory.from_config(alembic_config())


def newest_revision() -> str:
    """The revision of the schema this version of Rapport writes."""
    head = script_directory().get_current_head()
    if head is None:  # pragma: no cover - the package always ships its revisions
        raise RuntimeError(f"no migrations found in {MIGRATIONS_FOLDER}")
    return head


def is_known_revision(revision: str) -> bool:
    """True when this version of Rapport knows `revision` (older or current schema)."""
    return revision in {script.revision for script in script_directory().walk_revisions()}


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
    command.upgrade(alembic_config(connection), revision)
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows with broken references: {broken[:5]}")
