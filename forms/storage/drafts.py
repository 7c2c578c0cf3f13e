"""Rules about drafts that the Store and the read model share, so a screen says beforehand
what the Store will do: which draft an assignment's start resumes."""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, select

from forms.storage.tables import Submission
from forms.storage.values import table_of
from forms.vocabulary import EDITABLE_STATUSES


def open_draft_of(assignment_id: ColumnElement[int] | int) -> ScalarSelect[str]:
    """The id of the assignment's visit still open (a draft, or sent back), if any.

    Starting the assignment again resumes it: one assignment, one visit.
    """
    sub = table_of(Submission).c
    return (
        select(sub.id)
        .where(
            sub.assignment_id == assignment_id,
            sub.status.in_([status.value for status in EDITABLE_STATUSES]),
        )
        .order_by(sub.started_at.desc())
        .limit(1)
        .scalar_subquery()
    )
