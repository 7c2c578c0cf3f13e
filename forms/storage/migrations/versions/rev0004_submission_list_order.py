"""Index the Submissions screen's order: newest visit first, ties broken by id.

The screen sorts every submission by (visit_at, id) and reads a page at a time. With
visit_at alone SQLite sorted each run of equal times in a temporary B-tree, and a page deep
in a 150,000-row list took about 340 ms; with (visit_at, id) rows come in order straight
from the index (about 90 ms as the screen queries it, 5 ms for the page's ids alone).
(visit_at, id) serves every visit_at range the one-column index served.

Revision ID: 0004
Revises: 0003
Create Date: 2025-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Replace the visit_at index by (visit_at, id)."""
    op.create_index("ix_submission_visit_id", "submission", ["visit_at", "id"])
    op.drop_index("ix_submission_visit_at", table_name="submission")


def downgrade() -> None:
    """Back to revision 0003's visit_at index."""
    op.create_index("ix_submission_visit_at", "submission", ["visit_at"])
    op.drop_index("ix_submission_visit_id", table_name="submission")
