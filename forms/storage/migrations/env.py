"""Alembic's environment: migrates the connection Rapport hands over in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from forms.storage.tables import metadata


def run_migrations(connection: Connection) -> None:
    """Run the pending revisions on `connection`, in the transaction it is already in."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Entry point when Alembic runs this file."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "Rapport runs its migrations from code: use forms.storage.migrations.upgrade()"
        )
    run_migrations(connection)


# Alembic sets `context.config` only while it runs this file; a plain import is a no-op.
if hasattr(context, "config"):
    main()
