"""Indexes for reports on large databases: counted visits by status, kind and date.

Measured on a 150,000-submission database (tests/bench):
- ix_submission_status (status) made SQLite read nearly every submission through the index
  for the "status IN (final, accepted)" filter of every all-locations figure; the
  composite (status, respondent_kind, visit_at) seeks exactly the counted visits of a
  kind in a period (the home screen's figures went from about 520 ms to 90 ms), and still
  serves lists filtered by status alone.
- ix_submission_form_version_id had four distinct values; SQLite took it for selective
  and read every submission of a form once per question of a tag (seconds per report).
- ix_answer_submission_id repeated the first column of the unique (submission_id,
  question) index: the same lookups, 150 MB more, one more index to write per autosave.

Revision ID: 0003
Revises: 0002
Create Date: 2025-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Replace the one-column status index; drop the misleading and the duplicate index."""
    op.create_index(
        "ix_submission_status_kind_visit", "submission", ["status", "respondent_kind", "visit_at"]
    )
    op.drop_index("ix_submission_status", table_name="submission")
    op.drop_index("ix_submission_form_version_id", table_name="submission")
    op.drop_index("ix_answer_submission_id", table_name="answer")


def downgrade() -> None:
    """Back to revision 0002's indexes."""
    op.create_index("ix_answer_submission_id", "answer", ["submission_id"])
    op.create_index("ix_submission_form_version_id", "submission", ["form_version_id"])
    op.create_index("ix_submission_status", "submission", ["status"])
    op.drop_index("ix_submission_status_kind_visit", table_name="submission")
