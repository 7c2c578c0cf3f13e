"""Date every sent submission: a kiosk survey finalized without a visit time counts when it
was sent.

Earlier versions stored customer surveys answered at the kiosk with no visit time, so no
dated figure, report or export ever counted them. From this revision finalize dates such a
submission at the moment it was sent (`forms.storage.values.dated_visit`); this gives the
ones already stored the same date.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """visit_at = finished_at where a finished submission has no visit time."""
    op.execute(
        "UPDATE submission SET visit_at = finished_at "
        "WHERE visit_at IS NULL AND finished_at IS NOT NULL"
    )


def downgrade() -> None:
    """Nothing to undo: revision 0004 reads a dated survey as it reads any visit."""
