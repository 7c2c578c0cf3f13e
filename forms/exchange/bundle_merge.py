"""Merge a checked bundle into a Store in one transaction: all of it or nothing.

A merge keeps each submission exactly as it was finalized where it was made (status,
scores, content hash, timestamps, revision); nothing is scored again. Records are matched
by natural keys, so importing the same bundle twice changes nothing:
submissions by UUID, forms by sha256, locations and agents by code, people by name,
files by sha256, assignments by everything they say.

A submission already here is left alone unless the bundle's copy is later in its one-way
life: a later review decision or void (same content) moves the status on; a later revision
(reopened and finalized again elsewhere) replaces it, and the version it replaces is kept
as a SubmissionRevision. Two different contents for the same revision are refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Row, delete, insert, select, update
from sqlmodel import Session

from forms.anonymity import anonymous_respondent, day_of
from forms.exchange.bundle_check import check_bundle
from forms.exchange.bundle_model import Bundle, BundleSubmission
from forms.exchange.common import ExchangeError, rows_where
from forms.exchange.reference_merge import merge_reference_data
from forms.storage.tables import (
    Answer,
    Attachment,
    AuditEvent,
    Blob,
    Submission,
    SubmissionRevision,
)
from forms.storage.values import canonical_json, dated_visit, insert_for, table_of, utc_now
from forms.vocabulary import ANONYMOUS_ACTOR, EDITABLE_STATUSES, is_anonymous

if TYPE_CHECKING:
    from forms.storage import Store

STATUS_RANK = {"final": 0, "accepted": 1, "rejected": 1, "void": 2}
"""How far along its one-way life a finalized submission is."""

Decision = Literal["insert", "replace", "advance", "unchanged"]


@dataclass
class ImportReport:
    """What a merge added or changed."""

    submissions_added: int = 0
    submissions_updated: int = 0
    submissions_unchanged: int = 0
    files_added: int = 0
    forms_added: int = 0
    locations_added: int = 0
    locations_updated: int = 0
    agents_added: int = 0
    agents_updated: int = 0
    people_added: int = 0
    assignments_added: int = 0
    assignments_updated: int = 0

    @property
    def changed(self) -> bool:
        """True when the merge wrote anything."""
        return any(value for name, value in vars(self).items() if name != "submissions_unchanged")

    def summary(self) -> str:
        """One line for people: what was added and changed."""
        parts = [
            f"{self.submissions_added} submissions added",
            f"{self.submissions_updated} updated",
            f"{self.submissions_unchanged} already there",
        ]
        for label, added, updated in (
            ("forms", self.forms_added, 0),
            ("files", self.files_added, 0),
            ("locations", self.locations_added, self.locations_updated),
            ("agents", self.agents_added, self.agents_updated),
            ("people", self.people_added, 0),
            ("assignments", self.assignments_added, self.assignments_updated),
        ):
            if added or updated:
                parts.append(
                    f"{label}: {added} added" + (f", {updated} updated" if updated else "")
                )
        return "; ".join(parts)


def _decide(local: Row[Any] | None, incoming: BundleSubmission, source: str) -> Decision:
    if local is None:
        return "insert"
    what = f"{source}: submission {incoming.id}"
    if local.status == "void" or incoming.revision < local.revision:
        return "unchanged"
    if local.status in EDITABLE_STATUSES:
        raise ExchangeError(
            f"{what} is being changed here ({local.status}, revision {local.revision}) and "
            f"was finalized elsewhere as revision {incoming.revision}: finalize or void it "
            "here first, then import again"
        )
    if incoming.revision > local.revision:
        return "replace"
    if local.content_hash != incoming.content_hash:
        raise ExchangeError(
            f"{what} revision {incoming.revision} is stored here with different answers "
            f"(content hash {str(local.content_hash)[:12]}… here, {incoming.content_hash[:12]}… "
            "in the bundle): the same submission was finalized twice; void one of them"
        )
    if STATUS_RANK[incoming.status] > STATUS_RANK[local.status]:
        return "advance"
    return "unchanged"


def _anonymous_forms(bundle: Bundle) -> set[str]:
    """The sha256 of the bundle's forms answered anonymously (by their kind)."""
    return {form.sha256 for form in bundle.forms if is_anonymous(form.kind)}


def _kept_anonymous(record: BundleSubmission) -> BundleSubmission:
    """An anonymous submission as Rapport stores one, whatever the bundle says: no agent,
    channel or person, and every time its respondent left to the day (`forms.anonymity`).
    Bundles from older versions carry the minute."""
    return record.model_copy(
        update={
            "agent": None,
            "channel": None,
            "respondent": None,
            "started_at": day_of(record.started_at),
            "finished_at": None if record.finished_at is None else day_of(record.finished_at),
            "visit_at": None if record.visit_at is None else day_of(record.visit_at),
            "answers": tuple(
                answer.model_copy(update={"updated_at": day_of(answer.updated_at)})
                for answer in record.answers
            ),
            "revisions": tuple(
                revision.model_copy(
                    update={
                        "finished_at": None
                        if revision.finished_at is None
                        else day_of(revision.finished_at)
                    }
                )
                for revision in record.revisions
            ),
            "audit": tuple(
                event.model_copy(update={"at": day_of(event.at)})
                if event.actor == ANONYMOUS_ACTOR
                else event
                for event in record.audit
            ),
        }
    )


def _submission_values(
    record: BundleSubmission, ids: dict[str, dict[str, int]], form_ids: dict[str, int]
) -> dict[str, object]:
    return {
        "id": record.id,
        "form_version_id": form_ids[record.form],
        "location_id": ids["locations"].get(record.location or ""),
        "agent_id": ids["agents"].get(record.agent or ""),
        "assignment_id": ids["assignments"].get(str(record.assignment)),
        "respondent_kind": record.respondent_kind,
        "respondent_id": ids["people"].get(record.respondent or ""),
        "status": record.status,
        "channel": record.channel,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        # Bundles from before every sent submission was dated carry none for kiosk surveys.
        "visit_at": dated_visit(record.visit_at, record.finished_at),
        "device_id": record.device_id,
        "language": record.language,
        "current_question": record.current_question,
        "score": record.score,
        "raw_score": record.raw_score,
        "empathy_index": record.empathy_index,
        "band": record.band,
        "critical_failure": record.critical_failure,
        "content_hash": record.content_hash,
        "review_note": record.review_note,
        "revision": record.revision,
    }


class _Merge:
    """One merge, inside one session."""

    def __init__(self, session: Session, bundle: Bundle, actor: str, origin: str) -> None:
        self.session = session
        self.bundle = bundle
        self.actor = actor
        self.origin = origin
        self.answers: list[dict[str, object]] = []
        self.attachments: list[dict[str, object]] = []
        self.revisions: list[dict[str, object]] = []
        self.audit: list[dict[str, object]] = []

    def add_contents(self, record: BundleSubmission) -> None:
        for answer in record.answers:
            self.answers.append({"submission_id": record.id, **answer.model_dump()})
        for attachment in record.attachments:
            self.attachments.append({"submission_id": record.id, **attachment.model_dump()})

    def add_history(self, record: BundleSubmission, *, new: bool, decision: str) -> None:
        kept_revisions: set[int] = set()
        kept_events: set[tuple[object, str, str]] = set()
        if not new:
            revisions = table_of(SubmissionRevision)
            kept_revisions = set(
                self.session.execute(
                    select(revisions.c.revision).where(revisions.c.submission_id == record.id)
                ).scalars()
            )
            events = table_of(AuditEvent)
            kept_events = {
                (row.at, row.actor, row.action)
                for row in self.session.execute(
                    select(events.c.at, events.c.actor, events.c.action).where(
                        events.c.submission_id == record.id
                    )
                )
            }
        for revision in record.revisions:
            if revision.revision not in kept_revisions:
                kept_revisions.add(revision.revision)
                self.revisions.append({"submission_id": record.id, **revision.model_dump()})
        for event in record.audit:
            if (event.at, event.actor, event.action) not in kept_events:
                self.audit.append({"submission_id": record.id, **event.model_dump()})
        self.audit.append(
            {
                "submission_id": record.id,
                "at": utc_now(),
                "actor": self.actor,
                "action": "imported",
                "detail": canonical_json(
                    {
                        "bundle": self.bundle.bundle_id,
                        "from": self.origin,
                        "merge": decision,
                        "revision": record.revision,
                        "status": record.status,
                        "content_hash": record.content_hash,
                    }
                ),
            }
        )
        if not new:
            self._keep_replaced(record, kept_revisions)

    def _keep_replaced(self, record: BundleSubmission, kept_revisions: set[int]) -> None:
        """Before a later revision replaces ours, keep ours as an earlier version."""
        local = self.session.get(Submission, record.id)
        if local is None or local.revision == record.revision or local.revision in kept_revisions:
            return
        answers = rows_where(self.session, table_of(Answer), "submission_id", [record.id])
        files = rows_where(self.session, table_of(Attachment), "submission_id", [record.id])
        self.revisions.append(
            {
                "submission_id": record.id,
                "revision": local.revision,
                "status": local.status,
                "finished_at": local.finished_at,
                "answers": canonical_json(
                    {
                        row.question: {
                            "value": row.value,
                            "comment": row.comment,
                            "points": row.points,
                            "possible": row.possible,
                            "not_applicable": row.not_applicable,
                        }
                        for row in answers
                    }
                ),
                "attachments": canonical_json(sorted(row.sha256 for row in files)),
                "score": local.score,
                "raw_score": local.raw_score,
                "empathy_index": local.empathy_index,
                "band": local.band,
                "critical_failure": local.critical_failure,
                "content_hash": local.content_hash,
                "reopened_at": utc_now(),
                "reopened_by": self.actor,
                "note": f"replaced by revision {record.revision} from {self.origin}",
            }
        )

    def add_blobs(self, wanted: set[str]) -> int:
        blobs = table_of(Blob)
        present = {row.sha256 for row in rows_where(self.session, blobs, "sha256", wanted)}
        missing = sorted(wanted - present)
        for sha256 in missing:
            data = self.bundle.blobs[sha256]
            statement = insert_for(self.session, blobs).values(
                sha256=sha256, data=data, size=len(data)
            )
            self.session.execute(statement.on_conflict_do_nothing(index_elements=["sha256"]))
        return len(missing)

    def flush(self) -> None:
        for model, rows in (
            (SubmissionRevision, self.revisions),
            (Answer, self.answers),
            (Attachment, self.attachments),
            (AuditEvent, self.audit),
        ):
            if rows:
                self.session.execute(insert(table_of(model)), rows)


def _local_submissions(session: Session, ids: Iterable[str]) -> dict[str, Row[Any]]:
    return {row.id: row for row in rows_where(session, table_of(Submission), "id", set(ids))}


def import_bundle(
    store: Store,
    bundle: Bundle,
    *,
    actor: str,
    source: str,
    update_reference_data: bool = False,
) -> ImportReport:
    """Check `bundle`, then merge it into `store` in one transaction; returns what changed.

    Raises ExchangeError (naming `source`) and writes nothing when anything is wrong.
    With `update_reference_data` the bundle's names of locations, agents and assignments
    win over ours (a team server's); otherwise only missing ones are added.
    """
    check_bundle(bundle, source)
    report = ImportReport()
    with store.writing() as session:
        ids = merge_reference_data(
            session, bundle, report, source=source, update_existing=update_reference_data
        )
        form_ids = ids.pop("forms")
        merge = _Merge(session, bundle, actor, source)
        local = _local_submissions(session, (s.id for s in bundle.submissions))
        anonymous_forms = _anonymous_forms(bundle)
        records = [
            _kept_anonymous(record)
            # Its respondent's kind too, should a bundle made elsewhere say otherwise.
            if record.form in anonymous_forms or anonymous_respondent(record.respondent_kind)
            else record
            for record in bundle.submissions
        ]
        decided = [(record, _decide(local.get(record.id), record, source)) for record in records]
        changing = [(record, decision) for record, decision in decided if decision != "unchanged"]
        report.submissions_unchanged = len(decided) - len(changing)
        wanted = {
            a.sha256
            for record, decision in changing
            if decision != "advance"
            for a in record.attachments
        }
        report.files_added = merge.add_blobs(wanted)
        submissions = table_of(Submission)
        new_rows: list[dict[str, object]] = []
        for record, decision in changing:
            values = _submission_values(record, ids, form_ids)
            if decision == "insert":
                new_rows.append(values)
                merge.add_contents(record)
                merge.add_history(record, new=True, decision=decision)
                report.submissions_added += 1
                continue
            merge.add_history(record, new=False, decision=decision)
            where = submissions.c.id == record.id
            if decision == "replace":
                for model in (Answer, Attachment):
                    table = table_of(model)
                    session.execute(delete(table).where(table.c.submission_id == record.id))
                session.execute(update(submissions).where(where).values(**values))
                merge.add_contents(record)
            else:
                session.execute(
                    update(submissions)
                    .where(where)
                    .values(status=record.status, review_note=record.review_note)
                )
            report.submissions_updated += 1
        if new_rows:
            session.execute(insert(submissions), new_rows)
        merge.flush()
    return report
