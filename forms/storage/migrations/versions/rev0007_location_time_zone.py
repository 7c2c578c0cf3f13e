"""Give each site its own time zone, so a visit report prints a visit's time as the site's
clock showed it.

Sites stored before this revision get none (an empty name): their reports keep using the
time zone of the report settings, as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add location.time_zone, empty for every site already stored."""
    # A file marked with an older revision may already have the column (a copy made back
    # to an older version); it is kept as it is.
    if "time_zone" in {
        column["name"] for column in sa.inspect(op.get_bind()).get_columns("location")
    }:
        return
    with op.batch_alter_table("location") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    """Back to revision 0006 (the sites' time zones are lost)."""
    with op.batch_alter_table("location") as batch:
        batch.drop_column("time_zone")
