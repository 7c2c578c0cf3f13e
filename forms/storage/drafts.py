"""Rules about drafts that the Store and the read model share, so a screen says beforehand
what the Store will do: which draft an assignment's start resumes, who may delete a draft and
what deleting it loses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, select

from forms.storage.tables import AuditEvent, Submission
from forms.storage.values import table_of
from forms.vocabulary import ANONYMOUS_ACTOR, EDITABLE_STATUSES, SubmissionStatus

STARTED = "started"
"""The audit action that records who started a submission."""


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


@dataclass(frozen=True)
class DraftContents:
    """What the respondent put into a draft: what deleting it loses."""

    answers: int
    """Answers they gave; not those the visit's own details filled in (see below)."""
    comments: int
    photos: int


def visit_detail_answers(channel: str | None, scenario: str) -> dict[str, object]:
    """The answers a visit's details give before anyone answers: the `channel` question takes
    the channel chosen at the start, an assignment's brief answers `scenario`."""
    return {"channel": channel, "scenario": scenario.strip()}


def draft_contents(
    answers: Iterable[tuple[str, object, str]],
    photos: int,
    *,
    channel: str | None,
    scenario: str,
) -> DraftContents:
    """Count a draft's (question, value, comment) rows and photos as the respondent's work.

    An answer that still holds what the visit's details gave is no work of theirs: starting
    the visit again gives it back.
    """
    filled_in = visit_detail_answers(channel, scenario)
    given = comments = 0
    for question, value, comment in answers:
        if value is not None and (question not in filled_in or filled_in[question] != value):
            given += 1
        if comment:
            comments += 1
    return DraftContents(answers=given, comments=comments, photos=photos)


def started_by_of(submission_id: ColumnElement[str] | str) -> ScalarSelect[str]:
    """Who started a submission, as its audit trail says (anonymous forms name no one)."""
    events = table_of(AuditEvent).c
    return (
        select(events.actor)
        .where(events.submission_id == submission_id, events.action == STARTED)
        .limit(1)
        .scalar_subquery()
    )


def deletion_refusal(status: str, started_by: str | None, actor: str) -> str:
    """Why `actor` may not delete this submission ("" when they may).

    Only a draft never finalized can go (finalized work stays on record: a manager voids
    it), and only by whoever started it, unless no one was named.
    """
    if status != SubmissionStatus.DRAFT:
        label = SubmissionStatus(status).label.lower()
        return (
            f"it is {label}, and only a draft that was never finalized can be deleted. "
            "A manager can void it on the Submissions screen instead."
        )
    if started_by and started_by not in (actor, ANONYMOUS_ACTOR):
        return f"{started_by} started it, and only they can delete it."
    return ""
