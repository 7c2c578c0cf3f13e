"""Date every employee-pulse answer to its day: with a site and a minute, a manager could
tell who answered an anonymous survey.

Earlier versions stored a pulse answer's start, finish, visit time, answer times and the
respondent's audit entries to the second. From this revision forms/ keeps them to the day
(`forms.anonymity`); this leaves the ones already stored at the start (00:00 UTC) of their
UTC day, the day every report counts them on. Manager's entries (reviews) keep their time.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

EMPLOYEE = "employee"
"""The respondent of the employee pulse, the one anonymous form kind."""
ANONYMOUS_ACTOR = "anonymous"
"""Who the audit trail names for an anonymous respondent."""

# The tables as this revision knows them, not as the models may look later.
_Stamp = sa.DateTime(timezone=True)
SUBMISSION = sa.table(
    "submission",
    sa.column("id", sa.String),
    sa.column("respondent_kind", sa.String),
    sa.column("started_at", _Stamp),
    sa.column("finished_at", _Stamp),
    sa.column("visit_at", _Stamp),
)
ANSWER = sa.table(
    "answer",
    sa.column("id", sa.Integer),
    sa.column("submission_id", sa.String),
    sa.column("updated_at", _Stamp),
)
AUDIT = sa.table(
    "auditevent",
    sa.column("id", sa.Integer),
    sa.column("submission_id", sa.String),
    sa.column("actor", sa.String),
    sa.column("at", _Stamp),
)
REVISION = sa.table(
    "submissionrevision",
    sa.column("id", sa.Integer),
    sa.column("submission_id", sa.String),
    sa.column("finished_at", _Stamp),
)


def _day(value: datetime | None) -> datetime | None:
    """The start of the UTC day of a stored time (SQLite gives it back without an offset)."""
    if value is None:
        return None
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    day = datetime.combine(aware.date(), time.min, UTC)
    return day if value.tzinfo is not None else day.replace(tzinfo=None)


def _truncate(table: sa.TableClause, key: str, columns: tuple[str, ...], *where: object) -> None:
    bind = op.get_bind()
    key_column = table.c[key]
    rows = bind.execute(
        sa.select(key_column, *(table.c[name] for name in columns)).where(*where)  # type: ignore[arg-type]
    ).all()
    for row in rows:
        values = {name: _day(row[index + 1]) for index, name in enumerate(columns)}
        if any(values[name] != row[index + 1] for index, name in enumerate(columns)):
            bind.execute(sa.update(table).where(key_column == row[0]).values(**values))


def upgrade() -> None:
    """Every time a pulse respondent left, set to the start of its UTC day."""
    pulses = sa.select(SUBMISSION.c.id).where(SUBMISSION.c.respondent_kind == EMPLOYEE)
    _truncate(
        SUBMISSION,
        "id",
        ("started_at", "finished_at", "visit_at"),
        SUBMISSION.c.respondent_kind == EMPLOYEE,
    )
    _truncate(ANSWER, "id", ("updated_at",), ANSWER.c.submission_id.in_(pulses))
    _truncate(
        AUDIT,
        "id",
        ("at",),
        AUDIT.c.submission_id.in_(pulses),
        AUDIT.c.actor == ANONYMOUS_ACTOR,
    )
    _truncate(REVISION, "id", ("finished_at",), REVISION.c.submission_id.in_(pulses))


def downgrade() -> None:
    """Nothing to undo: revision 0005 reads a time at the start of a day as any other; the
    minutes are gone for good, as they should be."""
