"""The first Rapport schema: sites, people, forms, assignments, submissions, answers, files, audit.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

TEXT = sa.String()
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "blob",
        sa.Column("sha256", TEXT, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blob")),
    )
    op.create_table(
        "formversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", TEXT, nullable=False),
        sa.Column("version", TEXT, nullable=False),
        sa.Column("title", TEXT, nullable=False),
        sa.Column("kind", TEXT, nullable=True),
        sa.Column("definition", TEXT, nullable=False),
        sa.Column("sha256", TEXT, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_formversion")),
        sa.UniqueConstraint("key", "version", name=op.f("uq_formversion_key")),
    )
    op.create_index(op.f("ix_formversion_key"), "formversion", ["key"])
    op.create_index(op.f("ix_formversion_sha256"), "formversion", ["sha256"])
    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", TEXT, nullable=False),
        sa.Column("name", TEXT, nullable=False),
        sa.Column("city", TEXT, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
    )
    op.create_index(op.f("ix_location_code"), "location", ["code"], unique=True)
    op.create_index(op.f("ix_location_name"), "location", ["name"])
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", TEXT, nullable=False),
        sa.Column("role", TEXT, nullable=False),
        sa.Column("pin_hash", TEXT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("name", name=op.f("uq_person_name")),
    )
    op.create_table(
        "setting",
        sa.Column("key", TEXT, nullable=False),
        sa.Column("value", TEXT, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "agent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", TEXT, nullable=False),
        sa.Column("name", TEXT, nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_agent_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent")),
    )
    op.create_index(op.f("ix_agent_code"), "agent", ["code"], unique=True)
    op.create_index(op.f("ix_agent_location_id"), "agent", ["location_id"])
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("form_version_id", sa.Integer(), nullable=False),
        sa.Column("shopper_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("scenario", TEXT, nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.id"], name=op.f("fk_assignment_agent_id_agent")
        ),
        sa.ForeignKeyConstraint(
            ["form_version_id"],
            ["formversion.id"],
            name=op.f("fk_assignment_form_version_id_formversion"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_assignment_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["shopper_id"], ["person.id"], name=op.f("fk_assignment_shopper_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    op.create_index(op.f("ix_assignment_location_id"), "assignment", ["location_id"])
    op.create_table(
        "submission",
        sa.Column("id", TEXT, nullable=False),
        sa.Column("form_version_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("assignment_id", sa.Integer(), nullable=True),
        sa.Column("respondent_kind", TEXT, nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("status", TEXT, nullable=False),
        sa.Column("channel", TEXT, nullable=True),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("visit_at", WHEN, nullable=True),
        sa.Column("device_id", TEXT, nullable=False),
        sa.Column("language", TEXT, nullable=True),
        sa.Column("current_question", TEXT, nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("raw_score", sa.Float(), nullable=True),
        sa.Column("empathy_index", sa.Float(), nullable=True),
        sa.Column("band", TEXT, nullable=True),
        sa.Column("critical_failure", sa.Boolean(), nullable=False),
        sa.Column("content_hash", TEXT, nullable=True),
        sa.Column("review_note", TEXT, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.id"], name=op.f("fk_submission_agent_id_agent")
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_submission_assignment_id_assignment"),
        ),
        sa.ForeignKeyConstraint(
            ["form_version_id"],
            ["formversion.id"],
            name=op.f("fk_submission_form_version_id_formversion"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_submission_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["person.id"], name=op.f("fk_submission_respondent_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
    )
    op.create_index(op.f("ix_submission_form_version_id"), "submission", ["form_version_id"])
    op.create_index(op.f("ix_submission_location_id"), "submission", ["location_id"])
    op.create_index(op.f("ix_submission_agent_id"), "submission", ["agent_id"])
    op.create_index(op.f("ix_submission_status"), "submission", ["status"])
    op.create_index(op.f("ix_submission_visit_at"), "submission", ["visit_at"])
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", TEXT, nullable=False),
        sa.Column("question", TEXT, nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("possible", sa.Float(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("comment", TEXT, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submission.id"], name=op.f("fk_answer_submission_id_submission")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer")),
        sa.UniqueConstraint("submission_id", "question", name=op.f("uq_answer_submission_id")),
    )
    op.create_index(op.f("ix_answer_submission_id"), "answer", ["submission_id"])
    op.create_table(
        "attachment",
        sa.Column("id", TEXT, nullable=False),
        sa.Column("submission_id", TEXT, nullable=False),
        sa.Column("question", TEXT, nullable=True),
        sa.Column("filename", TEXT, nullable=False),
        sa.Column("media_type", TEXT, nullable=False),
        sa.Column("sha256", TEXT, nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blob.sha256"], name=op.f("fk_attachment_sha256_blob")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_attachment_submission_id_submission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_sha256"), "attachment", ["sha256"])
    op.create_index(op.f("ix_attachment_submission_id"), "attachment", ["submission_id"])
    op.create_table(
        "auditevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", TEXT, nullable=False),
        sa.Column("action", TEXT, nullable=False),
        sa.Column("submission_id", TEXT, nullable=True),
        sa.Column("detail", TEXT, nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_auditevent_submission_id_submission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auditevent")),
    )
    op.create_index(op.f("ix_auditevent_at"), "auditevent", ["at"])
    op.create_index(op.f("ix_auditevent_submission_id"), "auditevent", ["submission_id"])


def downgrade() -> None:
    """Drop every table (an empty database remains)."""
    for table in (
        "auditevent",
        "attachment",
        "answer",
        "submission",
        "assignment",
        "agent",
        "setting",
        "person",
        "location",
        "formversion",
        "blob",
    ):
        op.drop_table(table)
