"""Keep earlier finalized versions of reopened submissions; index visits by site/agent and date.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

TEXT = sa.String()
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add submissionrevision; replace the one-column site/agent indexes by (column, visit_at)."""
    op.create_table(
        "submissionrevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", TEXT, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", TEXT, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("answers", TEXT, nullable=False),
        sa.Column("attachments", TEXT, nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("raw_score", sa.Float(), nullable=True),
        sa.Column("empathy_index", sa.Float(), nullable=True),
        sa.Column("band", TEXT, nullable=True),
        sa.Column("critical_failure", sa.Boolean(), nullable=False),
        sa.Column("content_hash", TEXT, nullable=True),
        sa.Column("reopened_at", WHEN, nullable=False),
        sa.Column("reopened_by", TEXT, nullable=False),
        sa.Column("note", TEXT, nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_submissionrevision_submission_id_submission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissionrevision")),
        sa.UniqueConstraint(
            "submission_id", "revision", name=op.f("uq_submissionrevision_submission_id")
        ),
    )
    op.create_index(
        op.f("ix_submissionrevision_submission_id"), "submissionrevision", ["submission_id"]
    )
    op.drop_index(op.f("ix_submission_location_id"), table_name="submission")
    op.drop_index(op.f("ix_submission_agent_id"), table_name="submission")
    op.create_index("ix_submission_location_visit", "submission", ["location_id", "visit_at"])
    op.create_index("ix_submission_agent_visit", "submission", ["agent_id", "visit_at"])


def downgrade() -> None:
    """Back to revision 0001 (the kept earlier versions are lost)."""
    op.drop_index("ix_submission_agent_visit", table_name="submission")
    op.drop_index("ix_submission_location_visit", table_name="submission")
    op.create_index(op.f("ix_submission_agent_id"), "submission", ["agent_id"])
    op.create_index(op.f("ix_submission_location_id"), "submission", ["location_id"])
    op.drop_table("submissionrevision")
