"""Gather a bundle's contents from a Store: finalized submissions and what they refer to."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, select
from sqlmodel import Session

from forms.exchange.bundle_model import (
    Bundle,
    BundleAgent,
    BundleAnswer,
    BundleAssignment,
    BundleAttachment,
    BundleAuditEvent,
    BundleForm,
    BundleLocation,
    BundlePerson,
    BundleRevision,
    BundleSubmission,
)
from forms.exchange.common import FINISHED_STATUSES, in_period, rows_where
from forms.period import Period
from forms.storage.migrations import newest_revision
from forms.storage.tables import (
    Agent,
    Answer,
    Assignment,
    Attachment,
    AuditEvent,
    Blob,
    FormVersion,
    Location,
    Person,
    Submission,
    SubmissionRevision,
)
from forms.storage.values import table_of

if TYPE_CHECKING:
    from forms.storage import Store


def _by(rows: Iterable[Row[Any]], column: str) -> dict[Any, list[Row[Any]]]:
    grouped: dict[Any, list[Row[Any]]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, column), []).append(row)
    return grouped


class _References:
    """Ids of the records a bundle refers to, turned into natural keys once loaded."""

    def __init__(self) -> None:
        self.forms: set[int] = set()
        self.locations: set[int] = set()
        self.agents: set[int] = set()
        self.people: set[int] = set()
        self.assignments: set[int] = set()
        self.form_sha: dict[int, str] = {}
        self.location_code: dict[int, str] = {}
        self.agent_code: dict[int, str] = {}
        self.person_name: dict[int, str] = {}

    def load(self, session: Session, bundle: Bundle) -> None:
        """Add the referenced records to `bundle`, following assignments and agents first."""
        assignments = rows_where(session, table_of(Assignment), "id", self.assignments)
        for row in assignments:
            self.locations.add(row.location_id)
            self.forms.add(row.form_version_id)
            if row.agent_id is not None:
                self.agents.add(row.agent_id)
            if row.shopper_id is not None:
                self.people.add(row.shopper_id)
        agents = rows_where(session, table_of(Agent), "id", self.agents)
        self.locations.update(row.location_id for row in agents)
        for row in rows_where(session, table_of(FormVersion), "id", self.forms):
            self.form_sha[row.id] = row.sha256
            bundle.forms.append(
                BundleForm(
                    key=row.key,
                    version=row.version,
                    title=row.title,
                    kind=row.kind,
                    sha256=row.sha256,
                    created_at=row.created_at,
                    definition=row.definition,
                )
            )
        for row in rows_where(session, table_of(Location), "id", self.locations):
            self.location_code[row.id] = row.code
            bundle.locations.append(
                BundleLocation(
                    code=row.code,
                    name=row.name,
                    city=row.city,
                    active=row.active,
                    time_zone=row.time_zone,
                )
            )
        for row in agents:
            self.agent_code[row.id] = row.code
            bundle.agents.append(
                BundleAgent(
                    code=row.code,
                    name=row.name,
                    location=self.location_code[row.location_id],
                    active=row.active,
                )
            )
        for row in rows_where(session, table_of(Person), "id", self.people):
            self.person_name[row.id] = row.name
            bundle.people.append(BundlePerson(name=row.name, role=row.role))
        for row in assignments:
            bundle.assignments.append(
                BundleAssignment(
                    ref=row.id,
                    location=self.location_code[row.location_id],
                    agent=self.agent_code.get(row.agent_id) if row.agent_id else None,
                    form=self.form_sha[row.form_version_id],
                    shopper=self.person_name.get(row.shopper_id) if row.shopper_id else None,
                    due_date=row.due_date,
                    scenario=row.scenario,
                    done=row.done,
                )
            )


def _new_bundle(selection: dict[str, str | None]) -> Bundle:
    return Bundle(
        bundle_id=str(uuid.uuid4()), schema_revision=newest_revision(), selection=selection
    )


def _chosen_submissions(session: Session, since: datetime | None, period: Period) -> list[Row[Any]]:
    table = table_of(Submission)
    query = select(table).where(
        table.c.status.in_(FINISHED_STATUSES),
        table.c.content_hash.is_not(None),
        *in_period(period),
    )
    if since is not None:
        # Anything done to a submission (finalized, reviewed, voided, imported) is audited.
        audit = table_of(AuditEvent).c
        touched = select(audit.submission_id).where(audit.at >= since)
        query = query.where((table.c.finished_at >= since) | table.c.id.in_(touched))
    return list(session.execute(query.order_by(table.c.visit_at, table.c.id)))


def collect_submissions(
    store: Store, *, since: datetime | None = None, period: Period | None = None
) -> Bundle:
    """A bundle of the finalized submissions touched since `since` and visited in `period`,
    with their answers, files, earlier versions and audit trail, and everything they refer to.
    """
    period = period or Period()
    bundle = _new_bundle(
        {
            "since": since.isoformat() if since else None,
            "from": period.start.isoformat() if period.start else None,
            "to": period.end.isoformat() if period.end else None,
        }
    )
    references = _References()
    with store.reading() as session:
        chosen = _chosen_submissions(session, since, period)
        ids = [row.id for row in chosen]
        answers = _by(rows_where(session, table_of(Answer), "submission_id", ids), "submission_id")
        files = _by(
            rows_where(session, table_of(Attachment), "submission_id", ids), "submission_id"
        )
        revisions = _by(
            rows_where(session, table_of(SubmissionRevision), "submission_id", ids), "submission_id"
        )
        audit = _by(
            rows_where(session, table_of(AuditEvent), "submission_id", ids), "submission_id"
        )
        for row in chosen:
            references.forms.add(row.form_version_id)
            for value, found in (
                (row.location_id, references.locations),
                (row.agent_id, references.agents),
                (row.respondent_id, references.people),
                (row.assignment_id, references.assignments),
            ):
                if value is not None:
                    found.add(value)
        references.load(session, bundle)
        wanted = {a.sha256 for rows in files.values() for a in rows}
        for blob in rows_where(session, table_of(Blob), "sha256", wanted):
            bundle.blobs[blob.sha256] = bytes(blob.data)
        for row in chosen:
            bundle.submissions.append(
                _submission(
                    row,
                    references,
                    answers.get(row.id, []),
                    files.get(row.id, []),
                    revisions.get(row.id, []),
                    sorted(audit.get(row.id, []), key=lambda event: (event.at, event.id)),
                )
            )
    return bundle


def _submission(
    row: Row[Any],
    references: _References,
    answers: list[Row[Any]],
    files: list[Row[Any]],
    revisions: list[Row[Any]],
    audit: list[Row[Any]],
) -> BundleSubmission:
    return BundleSubmission(
        id=row.id,
        form=references.form_sha[row.form_version_id],
        location=references.location_code.get(row.location_id) if row.location_id else None,
        agent=references.agent_code.get(row.agent_id) if row.agent_id else None,
        assignment=row.assignment_id,
        respondent_kind=row.respondent_kind,
        respondent=references.person_name.get(row.respondent_id) if row.respondent_id else None,
        status=row.status,
        channel=row.channel,
        started_at=row.started_at,
        finished_at=row.finished_at,
        visit_at=row.visit_at,
        device_id=row.device_id,
        language=row.language,
        current_question=row.current_question,
        score=row.score,
        raw_score=row.raw_score,
        empathy_index=row.empathy_index,
        band=row.band,
        critical_failure=row.critical_failure,
        content_hash=row.content_hash,
        review_note=row.review_note,
        revision=row.revision,
        answers=tuple(
            BundleAnswer(
                question=a.question,
                value=a.value,
                points=a.points,
                possible=a.possible,
                not_applicable=a.not_applicable,
                comment=a.comment,
                updated_at=a.updated_at,
            )
            for a in answers
        ),
        attachments=tuple(
            BundleAttachment(
                id=a.id,
                question=a.question,
                filename=a.filename,
                media_type=a.media_type,
                sha256=a.sha256,
            )
            for a in files
        ),
        revisions=tuple(
            BundleRevision(
                revision=r.revision,
                status=r.status,
                finished_at=r.finished_at,
                answers=r.answers,
                attachments=r.attachments,
                score=r.score,
                raw_score=r.raw_score,
                empathy_index=r.empathy_index,
                band=r.band,
                critical_failure=r.critical_failure,
                content_hash=r.content_hash,
                reopened_at=r.reopened_at,
                reopened_by=r.reopened_by,
                note=r.note,
            )
            for r in revisions
        ),
        audit=tuple(
            BundleAuditEvent(at=e.at, actor=e.actor, action=e.action, detail=e.detail)
            for e in audit
        ),
    )


def collect_reference_data(store: Store) -> Bundle:
    """A bundle without submissions: every form version, location, agent and assignment,
    and the people assignments name. A team server hands this to each laptop.
    """
    bundle = _new_bundle({"reference_data": "all"})
    references = _References()
    with store.reading() as session:
        for model, found in (
            (FormVersion, references.forms),
            (Location, references.locations),
            (Agent, references.agents),
            (Assignment, references.assignments),
        ):
            found.update(session.execute(select(table_of(model).c.id)).scalars())
        references.load(session, bundle)
    return bundle
