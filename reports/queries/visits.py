"""Single visits: the photos of a scope, and everything recorded for one submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from forms.anonymity import ANONYMITY_THRESHOLD, anonymous_respondent
from forms.definition.model import FormDefinition
from forms.scoring.points import ScoreResult, StoredPoints, stored_score
from reports.queries.common import (
    AGENTS,
    ANSWERS,
    ATTACHMENTS,
    BLOBS,
    FORM_VERSIONS,
    LOCATIONS,
    SUBMISSIONS,
    Scope,
)
from reports.render import ReportError

if TYPE_CHECKING:
    from forms.storage import Store

INSPECTING_KINDS = ("shopper", "inspector")
"""Respondents whose photos show deficiencies (customers' and employees' are not shown)."""

ANONYMOUS_VISIT_REFUSAL = (
    "this is an employee-pulse response, and pulse answers are anonymous: a report of one "
    "response would tell who answered it. Pulse figures are in the portfolio report, for "
    f"groups of at least {ANONYMITY_THRESHOLD} employees"
)
"""Why no report shows a single anonymous response: the command line and the app say it."""


def single_report_refusal(respondent_kind: str) -> str | None:
    """Why a submission answered by this kind of respondent has no report of its own (an
    anonymous pulse response), or None when it may have one."""
    return ANONYMOUS_VISIT_REFUSAL if anonymous_respondent(respondent_kind) else None


def refuse_single_anonymous(record: VisitRecord) -> None:
    """Raise ReportError for a submission no report may show on its own."""
    refusal = single_report_refusal(record.respondent_kind)
    if refusal is not None:
        raise ReportError(f"no visit report for {record.id}: {refusal}")


@dataclass(frozen=True)
class Photo:
    """An image attached to a submission."""

    submission_id: str
    visit_at: datetime | None
    form_version_id: int
    question: str | None
    filename: str
    media_type: str
    data: bytes
    agent: str


def photos(store: Store, scope: Scope, *, limit: int = 6) -> tuple[list[Photo], int]:
    """The newest image attachments of visits and inspections in the scope, and their count."""
    sub, attachment, blob, agent = SUBMISSIONS.c, ATTACHMENTS.c, BLOBS.c, AGENTS.c
    conditions = (*scope.where(INSPECTING_KINDS), attachment.media_type.like("image/%"))
    query = (
        select(
            sub.id,
            sub.visit_at,
            sub.form_version_id,
            attachment.question,
            attachment.filename,
            attachment.media_type,
            blob.data,
            agent.name,
        )
        .select_from(ATTACHMENTS)
        .join(SUBMISSIONS, sub.id == attachment.submission_id)
        .join(BLOBS, blob.sha256 == attachment.sha256)
        .outerjoin(AGENTS, agent.id == sub.agent_id)
        .where(*conditions)
        .order_by(sub.visit_at.desc(), attachment.id)
        .limit(limit)
    )
    counting = (
        select(func.count(attachment.id))
        .select_from(ATTACHMENTS)
        .join(SUBMISSIONS, sub.id == attachment.submission_id)
        .where(*conditions)
    )
    with store.reading() as session:
        total = int(session.execute(counting).scalar_one())
        rows = session.execute(query).all()
    return [
        Photo(
            submission_id=str(row[0]),
            visit_at=row[1],
            form_version_id=int(row[2]),
            question=row[3],
            filename=str(row[4]),
            media_type=str(row[5]),
            data=bytes(row[6]),
            agent=row[7] or "",
        )
        for row in rows
    ], total


@dataclass(frozen=True)
class AnswerRow:
    """One stored answer of a submission."""

    question: str
    value: object
    points: float | None
    possible: float | None
    not_applicable: bool
    comment: str


@dataclass(frozen=True)
class VisitRecord:
    """Everything stored about one submission, as plain values."""

    id: str
    status: str
    respondent_kind: str
    channel: str | None
    language: str | None
    visit_at: datetime | None
    finished_at: datetime | None
    score: float | None
    raw_score: float | None
    empathy_index: float | None
    band: str | None
    critical_failure: bool
    revision: int
    review_note: str
    form_version_id: int
    form_key: str
    form_version: str
    form_title: str
    location: str
    location_code: str
    agent: str
    answers: tuple[AnswerRow, ...]
    photos: tuple[Photo, ...]
    other_files: tuple[str, ...]
    """File names of attachments that are not images."""
    location_time_zone: str = ""
    """The site's time zone (IANA name); empty: the report setting's."""


def visit_record(store: Store, submission_id: str) -> VisitRecord:
    """One submission with its answers and attachments."""
    sub, loc, agent, form = SUBMISSIONS.c, LOCATIONS.c, AGENTS.c, FORM_VERSIONS.c
    answer, attachment, blob = ANSWERS.c, ATTACHMENTS.c, BLOBS.c
    header_query = (
        select(
            sub.id,
            sub.status,
            sub.respondent_kind,
            sub.channel,
            sub.language,
            sub.visit_at,
            sub.finished_at,
            sub.score,
            sub.raw_score,
            sub.empathy_index,
            sub.band,
            sub.critical_failure,
            sub.revision,
            sub.review_note,
            sub.form_version_id,
            form.key,
            form.version,
            form.title,
            loc.name,
            loc.code,
            agent.name,
            loc.time_zone,
        )
        .select_from(SUBMISSIONS)
        .join(FORM_VERSIONS, form.id == sub.form_version_id)
        .outerjoin(LOCATIONS, loc.id == sub.location_id)
        .outerjoin(AGENTS, agent.id == sub.agent_id)
        .where(sub.id == submission_id)
    )
    with store.reading() as session:
        header = session.execute(header_query).first()
        if header is None:
            raise ReportError(f"there is no visit {submission_id}")
        answers = session.execute(
            select(
                answer.question,
                answer.value,
                answer.points,
                answer.possible,
                answer.not_applicable,
                answer.comment,
            ).where(answer.submission_id == submission_id)
        ).all()
        files = session.execute(
            select(attachment.question, attachment.filename, attachment.media_type, blob.data)
            .join(BLOBS, blob.sha256 == attachment.sha256)
            .where(attachment.submission_id == submission_id)
            .order_by(attachment.filename, attachment.id)
        ).all()
    images = tuple(
        Photo(
            submission_id=submission_id,
            visit_at=header[5],
            form_version_id=int(header[14]),
            question=row[0],
            filename=str(row[1]),
            media_type=str(row[2]),
            data=bytes(row[3]),
            agent=header[20] or "",
        )
        for row in files
        if str(row[2]).startswith("image/")
    )
    return VisitRecord(
        id=str(header[0]),
        status=str(header[1]),
        respondent_kind=str(header[2]),
        channel=header[3],
        language=header[4],
        visit_at=header[5],
        finished_at=header[6],
        score=header[7],
        raw_score=header[8],
        empathy_index=header[9],
        band=header[10],
        critical_failure=bool(header[11]),
        revision=int(header[12]),
        review_note=str(header[13] or ""),
        form_version_id=int(header[14]),
        form_key=str(header[15]),
        form_version=str(header[16]),
        form_title=str(header[17]),
        location=header[18] or "",
        location_code=header[19] or "",
        agent=header[20] or "",
        answers=tuple(
            AnswerRow(str(row[0]), row[1], row[2], row[3], bool(row[4]), str(row[5] or ""))
            for row in answers
        ),
        photos=images,
        other_files=tuple(str(row[1]) for row in files if not str(row[2]).startswith("image/")),
        location_time_zone=str(header[21] or ""),
    )


def recorded_score(form: FormDefinition, record: VisitRecord) -> ScoreResult:
    """A finalized submission's score as stored: its figures and each answer's points as
    recorded when it was finalized (forms.scoring.points.stored_score), never a rescore."""
    return stored_score(
        form,
        {
            answer.question: StoredPoints(
                earned=answer.points,
                possible=answer.possible,
                not_applicable=answer.not_applicable,
                answered=answer.value is not None,
            )
            for answer in record.answers
        },
        overall=record.score,
        raw_score=record.raw_score,
        band=record.band,
        critical_failure=record.critical_failure,
        empathy_index=record.empathy_index,
    )
