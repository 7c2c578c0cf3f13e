"""A submission's life: draft (autosaved) -> final -> accepted / revision_requested / rejected;
void at any time. Every change of status is an AuditEvent; final versions are never altered.
"""

from __future__ import annotations

import json
import uuid
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import delete, null, update
from sqlmodel import Session, col, select

from forms.anonymity import form_time, recorded_time
from forms.definition.limits import MAX_NOTE, answer_limit_problem
from forms.definition.model import FormDefinition
from forms.scoring.points import ScoreResult
from forms.storage.drafts import (
    STARTED,
    deletion_refusal,
    draft_contents,
    open_draft_of,
    started_by_of,
)
from forms.storage.records import (
    AuditEntry,
    DraftState,
    SentBack,
    StoreError,
)
from forms.storage.tables import (
    Agent,
    Answer,
    Assignment,
    Attachment,
    AuditEvent,
    Blob,
    FormVersion,
    Location,
    Setting,
    Submission,
    SubmissionRevision,
)
from forms.storage.values import (
    answerable_question,
    canonical_json,
    dated_visit,
    finalize_answers,
    insert_for,
    item_names,
    json_value,
    require_rows,
    table_of,
    utc_now,
)
from forms.vocabulary import (
    ANONYMOUS_ACTOR,
    EDITABLE_STATUSES,
    Channel,
    SubmissionStatus,
    is_anonymous,
    respondent_for,
)

ReviewDecision = Literal["accepted", "revision_requested", "rejected"]

KIOSK_ALIVE_PREFIX = "kiosk_alive:"
"""Settings key prefix of a running kiosk session's heartbeat (the device id follows)."""

SCENARIO_QUESTION = "scenario"
"""The question of a mystery-shop form that records the scenario the shopper played."""


def _takes_scenario(form: FormDefinition, scenario: str) -> bool:
    """Whether the form has a text question `scenario` that can hold this brief."""
    try:
        question = form.question(SCENARIO_QUESTION)
    except KeyError:
        return False
    return question.type == "text" and answer_limit_problem(SCENARIO_QUESTION, scenario) is None


def _blank(text: str, what: str) -> None:
    if not text.strip():
        raise StoreError(f"{what} is required: give one")


def _note(text: str, what: str, *, required: bool = True) -> str:
    """A manager's note or reason as kept: stripped, given when required, within MAX_NOTE."""
    text = text.strip()
    if required:
        _blank(text, what)
    if len(text) > MAX_NOTE:
        raise StoreError(
            f"{what} is {len(text):,} characters long; it may have at most {MAX_NOTE:,}: shorten it"
        )
    return text


class SubmissionLifecycle(ABC):
    """Submission state changes; mixed into Store, which provides the two methods below."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Session]:
        """A short read-only session (provided by Store)."""

    @abstractmethod
    def writing(self) -> AbstractContextManager[Session]:
        """A short session committed on exit (provided by Store)."""

    @abstractmethod
    def form_definition(self, form_version_id: int) -> FormDefinition:
        """A stored form version (provided by Store)."""

    # -- helpers -------------------------------------------------------------------
    @staticmethod
    def _submission(session: Session, submission_id: str) -> Submission:
        # FOR UPDATE serializes state changes on PostgreSQL; SQLite's writers already queue.
        found = session.get(Submission, submission_id, with_for_update=True)
        if found is None:
            raise StoreError(f"there is no submission {submission_id}: it may have been deleted")
        return found

    def _editable(self, session: Session, submission_id: str, doing: str) -> Submission:
        found = self._submission(session, submission_id)
        if found.status not in EDITABLE_STATUSES:
            raise StoreError(
                f"cannot {doing} submission {submission_id}: it is {found.status} and read-only. "
                "A manager can reopen it to send it back for changes."
            )
        return found

    @staticmethod
    def _audit(
        session: Session, submission_id: str | None, actor: str, action: str, **detail: object
    ) -> None:
        # What the anonymous respondent did is dated to the day, as their answers are.
        session.add(
            AuditEvent(
                at=recorded_time(utc_now(), anonymous=actor == ANONYMOUS_ACTOR),
                actor=actor,
                action=action,
                submission_id=submission_id,
                detail=canonical_json(detail),
            )
        )

    @staticmethod
    def _answer_rows(session: Session, submission_id: str) -> list[Answer]:
        query = select(Answer).where(col(Answer.submission_id) == submission_id)
        return list(session.scalars(query.order_by(col(Answer.id))))

    @staticmethod
    def _attachment_rows(session: Session, submission_id: str) -> list[Attachment]:
        query = select(Attachment).where(col(Attachment.submission_id) == submission_id)
        return list(session.scalars(query.order_by(col(Attachment.id))))

    # -- starting and filling --------------------------------------------------------
    def start_submission(
        self,
        form_version_id: int,
        *,
        location_id: int | None = None,
        agent_id: int | None = None,
        channel: str | None = None,
        visit_at: datetime | None = None,
        device_id: str = "",
        assignment_id: int | None = None,
        language: str | None = None,
        submission_id: str | None = None,
        actor: str = "",
        replacing: str | None = None,
    ) -> str:
        """Start a draft of the form version; returns its UUID.

        Who answers follows from the form's kind (a customer survey is a customer's, even
        when an employee pulse is started at the kiosk), and an anonymous form stores no
        agent, channel or user name, not even in the audit trail, and keeps its times to the
        day (`forms.anonymity`). Without `visit_at` the visit time is the moment the
        submission is finalized (a kiosk survey: when sent).
        `replacing`: the kiosk survey before this one at `device_id`, discarded in the
        same unit of work if it was left unfinished (see `discard_kiosk_draft`).
        """
        with self.writing() as session:
            return self._start(
                session,
                form_version_id,
                location_id=location_id,
                agent_id=agent_id,
                channel=channel,
                visit_at=visit_at,
                device_id=device_id,
                assignment_id=assignment_id,
                language=language,
                submission_id=submission_id,
                actor=actor,
                replacing=replacing,
            )

    def start_assignment(
        self,
        assignment_id: int,
        *,
        form_version_id: int | None = None,
        location_id: int | None = None,
        agent_id: int | Literal["assigned"] | None = "assigned",
        channel: str | None = None,
        visit_at: datetime | None = None,
        device_id: str = "",
        actor: str = "",
    ) -> str:
        """Start the visit an assignment asks for; returns the draft's UUID.

        Form, location and agent are the assignment's unless the shopper corrected them. The
        visit is now unless `visit_at` says otherwise: the due date is a deadline, not when
        the visit happened. The assignment's scenario brief answers the form's `scenario`
        question, so the visit keeps the scenario the shopper played. An assignment whose
        visit is still open (a draft, or sent back) returns that visit, unchanged.
        """
        with self.writing() as session:
            assignment = session.get(Assignment, assignment_id)
            if assignment is None:
                raise StoreError(
                    f"there is no assignment {assignment_id}: it may have been deleted"
                )
            open_draft = session.execute(select(open_draft_of(assignment_id))).scalar()
            if open_draft is not None:
                return str(open_draft)
            if assignment.done:
                raise StoreError(
                    f"assignment {assignment_id} is done: its visit was finalized already"
                )
            version = form_version_id or assignment.form_version_id
            submission_id = self._start(
                session,
                version,
                location_id=location_id or assignment.location_id,
                agent_id=assignment.agent_id if agent_id == "assigned" else agent_id,
                channel=channel,
                visit_at=visit_at or utc_now(),
                device_id=device_id,
                assignment_id=assignment_id,
                language=None,
                submission_id=None,
                actor=actor,
            )
            scenario = assignment.scenario.strip()
            if scenario and _takes_scenario(self.form_definition(version), scenario):
                now = form_time(utc_now(), self.form_definition(version).kind)
                self._write_answer(session, submission_id, SCENARIO_QUESTION, scenario, None, now)
            return submission_id

    def _start(
        self,
        session: Session,
        form_version_id: int,
        *,
        location_id: int | None,
        agent_id: int | None,
        channel: str | None,
        visit_at: datetime | None,
        device_id: str,
        assignment_id: int | None,
        language: str | None,
        submission_id: str | None,
        actor: str,
        replacing: str | None = None,
    ) -> str:
        form = self.form_definition(form_version_id)
        respondent = respondent_for(form.kind)
        if is_anonymous(form.kind):
            agent_id, channel, actor = None, None, ANONYMOUS_ACTOR
        if channel is not None and channel not in set(Channel):
            raise StoreError(
                f"channel '{channel}' is unknown: use one of " + ", ".join(c.value for c in Channel)
            )
        if visit_at is not None and visit_at.tzinfo is None:
            raise StoreError("the visit time has no timezone: give a timezone-aware datetime")
        if submission_id is None:
            submission_id = str(uuid.uuid4())
        else:
            try:
                submission_id = str(uuid.UUID(submission_id))
            except ValueError:
                raise StoreError(
                    f"'{submission_id}' is not a UUID: submission ids are UUIDs"
                ) from None
        require_rows(
            session,
            (
                (Location, location_id, "location"),
                (Agent, agent_id, "agent"),
                (Assignment, assignment_id, "assignment"),
            ),
        )
        if session.get(Submission, submission_id) is not None:
            raise StoreError(f"submission {submission_id} already exists")
        previous = None if replacing is None else session.get(Submission, replacing)
        if previous is not None and _abandoned_at(previous, device_id):
            self._remove_draft(session, previous)
        session.add(
            Submission(
                id=submission_id,
                form_version_id=form_version_id,
                location_id=location_id,
                agent_id=agent_id,
                assignment_id=assignment_id,
                respondent_kind=respondent.value,
                channel=channel,
                started_at=form_time(utc_now(), form.kind),
                visit_at=None if visit_at is None else form_time(visit_at, form.kind),
                device_id=device_id,
                language=language,
            )
        )
        session.flush()
        self._audit(session, submission_id, actor, STARTED, form_version_id=form_version_id)
        return submission_id

    def save_answer(
        self,
        submission_id: str,
        question: str,
        value: object,
        *,
        comment: str | None = None,
        current_question: str | None = None,
    ) -> None:
        """Autosave one answer: committed (durable) when this returns. None removes the value.

        `comment` None keeps the comment already saved; "" removes it.
        """
        value = json_value(question, value)
        if comment is not None:
            problem = answer_limit_problem(f"{question} (comment)", comment)
            if problem is not None:
                raise StoreError(problem)
        with self.writing() as session:
            found = self._editable(session, submission_id, "change answers of")
            form = self.form_definition(found.form_version_id)
            answerable_question(form, question)
            if current_question is not None:
                self._check_position(form, current_question)
                found.current_question = current_question
            now = form_time(utc_now(), form.kind)
            self._write_answer(session, submission_id, question, value, comment, now)

    @staticmethod
    def _write_answer(
        session: Session,
        submission_id: str,
        question: str,
        value: object,
        comment: str | None,
        now: datetime,
    ) -> None:
        answers = table_of(Answer)
        key = (answers.c.submission_id == submission_id) & (answers.c.question == question)
        if value is None:
            existing = session.execute(select(answers.c.comment).where(key)).scalar_one_or_none()
            kept = existing if comment is None else comment
            if not kept:
                session.execute(delete(answers).where(key))
                return
            if existing is not None:
                session.execute(
                    update(answers).where(key).values(value=null(), comment=kept, updated_at=now)
                )
                return
        values: dict[str, object] = {
            "submission_id": submission_id,
            "question": question,
            "value": null() if value is None else value,
            "comment": comment or "",
            "not_applicable": False,
            "updated_at": now,
        }
        statement = insert_for(session, answers).values(**values)
        changes: dict[str, object] = {"value": statement.excluded.value, "updated_at": now}
        if comment is not None:
            changes["comment"] = statement.excluded.comment
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["submission_id", "question"], set_=changes
            )
        )

    @staticmethod
    def _check_position(form: FormDefinition, current_question: str) -> None:
        if current_question not in item_names(form.children):
            raise StoreError(
                f"form '{form.key}' has no question or group '{current_question}' to resume at"
            )

    def set_position(self, submission_id: str, current_question: str) -> None:
        """Remember the question the respondent is at, so the draft resumes there."""
        with self.writing() as session:
            found = self._editable(session, submission_id, "move in")
            self._check_position(self.form_definition(found.form_version_id), current_question)
            found.current_question = current_question

    def draft(self, submission_id: str) -> DraftState:
        """Everything saved for a submission, to show it again where it was left."""
        with self.reading() as session:
            found = session.get(Submission, submission_id)
            if found is None:
                raise StoreError(f"there is no submission {submission_id}")
            rows = self._answer_rows(session, submission_id)
            assignment = (
                session.get(Assignment, found.assignment_id)
                if found.assignment_id is not None
                else None
            )
            return DraftState(
                submission_id=found.id,
                form_version_id=found.form_version_id,
                status=found.status,
                answers={row.question: row.value for row in rows if row.value is not None},
                comments={row.question: row.comment for row in rows if row.comment},
                current_question=found.current_question,
                location_id=found.location_id,
                agent_id=found.agent_id,
                assignment_id=found.assignment_id,
                respondent_kind=found.respondent_kind,
                channel=found.channel,
                language=found.language,
                device_id=found.device_id,
                started_at=found.started_at,
                visit_at=found.visit_at,
                finished_at=found.finished_at,
                revision=found.revision,
                review_note=found.review_note,
                score=found.score,
                content_hash=found.content_hash,
                sent_back=self._sent_back(session, found),
                scenario=assignment.scenario if assignment is not None else "",
            )

    @staticmethod
    def _sent_back(session: Session, found: Submission) -> SentBack | None:
        """Who sent a visit back for revision, when and why (None unless it is sent back)."""
        if found.status != SubmissionStatus.REVISION_REQUESTED:
            return None
        latest = session.scalars(
            select(SubmissionRevision)
            .where(col(SubmissionRevision.submission_id) == found.id)
            .order_by(col(SubmissionRevision.revision).desc())
        ).first()
        if latest is None:
            return None
        return SentBack(by=latest.reopened_by, at=latest.reopened_at, note=latest.note)

    # -- finalizing -----------------------------------------------------------------
    def finalize(self, submission_id: str, *, actor: str, today: date | None = None) -> ScoreResult:
        """Check required answers and constraints, score, hash and lock the submission.

        Raises SubmissionIncomplete (and changes nothing) when something must be fixed first.
        """
        with self.writing() as session:
            found = self._editable(session, submission_id, "finalize")
            form = self.form_definition(found.form_version_id)
            rows = self._answer_rows(session, submission_id)
            answers = {row.question: row.value for row in rows if row.value is not None}
            comments = {row.question: row.comment for row in rows if row.comment}
            version = session.get(FormVersion, found.form_version_id)
            files = [a.sha256 for a in self._attachment_rows(session, submission_id)]
            sealed = finalize_answers(
                form,
                version.sha256 if version else form.sha256(),
                answers,
                comments,
                files,
                today=today,
                language=found.language,
                submission_id=submission_id,
            )
            result = sealed.result
            for row in rows:
                for column, value in sealed.answer_columns(row.question).items():
                    setattr(row, column, value)
            for column, value in sealed.submission_columns().items():
                setattr(found, column, value)
            found.finished_at = form_time(utc_now(), form.kind)
            found.visit_at = dated_visit(found.visit_at, found.finished_at)
            if found.visit_at is not None:
                # A pulse started by an older version may still hold its minute.
                found.visit_at = form_time(found.visit_at, form.kind)
            if is_anonymous(form.kind):
                actor = ANONYMOUS_ACTOR
            if found.assignment_id is not None:
                # In the same transaction: a crash can never leave a done visit's assignment open.
                assignment = session.get(Assignment, found.assignment_id)
                if assignment is not None:
                    assignment.done = True
            self._audit(
                session,
                submission_id,
                actor,
                "finalized",
                revision=found.revision,
                score=result.overall,
                content_hash=found.content_hash,
            )
        return result

    # -- status changes --------------------------------------------------------------
    def _send_back(
        self, session: Session, found: Submission, *, actor: str, note: str, action: str
    ) -> None:
        """Keep the finalized version, then make the submission editable again."""
        rows = self._answer_rows(session, found.id)
        files = self._attachment_rows(session, found.id)
        session.add(
            SubmissionRevision(
                submission_id=found.id,
                revision=found.revision,
                status=found.status,
                finished_at=found.finished_at,
                answers=canonical_json(
                    {
                        row.question: {
                            "value": row.value,
                            "comment": row.comment,
                            "points": row.points,
                            "possible": row.possible,
                            "not_applicable": row.not_applicable,
                        }
                        for row in rows
                    }
                ),
                attachments=canonical_json(sorted(a.sha256 for a in files)),
                score=found.score,
                raw_score=found.raw_score,
                empathy_index=found.empathy_index,
                band=found.band,
                critical_failure=found.critical_failure,
                content_hash=found.content_hash,
                reopened_at=utc_now(),
                reopened_by=actor,
                note=note,
            )
        )
        self._audit(
            session,
            found.id,
            actor,
            action,
            previous_status=found.status,
            revision=found.revision,
            content_hash=found.content_hash,
            note=note,
        )
        found.status = "revision_requested"
        found.review_note = note
        found.revision += 1
        found.finished_at = None
        found.content_hash = None
        found.score = found.raw_score = found.empathy_index = None
        found.band = None
        found.critical_failure = False

    def review(
        self, submission_id: str, *, actor: str, decision: ReviewDecision, note: str = ""
    ) -> None:
        """A manager's decision on a final submission; sending it back needs a note."""
        _blank(actor, "the reviewer's name")
        sent_back = decision == "revision_requested"
        note = _note(
            note,
            "a note saying what to change" if sent_back else "the review note",
            required=sent_back,
        )
        if decision not in ("accepted", "revision_requested", "rejected"):
            raise StoreError(
                f"review decision '{decision}' is unknown: use accepted, revision_requested "
                "or rejected"
            )
        with self.writing() as session:
            found = self._submission(session, submission_id)
            if not SubmissionStatus(found.status).can_become(SubmissionStatus(decision)):
                raise StoreError(
                    f"submission {submission_id} is {found.status}: only final submissions are "
                    "reviewed"
                )
            if decision == "revision_requested":
                self._send_back(session, found, actor=actor, note=note, action=decision)
                return
            self._audit(session, submission_id, actor, decision, note=note)
            found.status = decision
            found.review_note = note

    def reopen(self, submission_id: str, *, actor: str, note: str) -> None:
        """Send a finalized submission back for changes, keeping the finalized version."""
        _blank(actor, "the name of the manager reopening it")
        note = _note(note, "a note saying why it is reopened")
        with self.writing() as session:
            found = self._submission(session, submission_id)
            if not SubmissionStatus(found.status).can_become(SubmissionStatus.REVISION_REQUESTED):
                raise StoreError(
                    f"submission {submission_id} is {found.status}: only final, accepted or "
                    "rejected submissions can be reopened"
                )
            self._send_back(session, found, actor=actor, note=note, action="reopened")

    def void(self, submission_id: str, *, actor: str, reason: str) -> None:
        """Take a submission out of every figure, at any time; the reason is audited."""
        _blank(actor, "the name of who voids it")
        reason = _note(reason, "a reason for voiding")
        with self.writing() as session:
            found = self._submission(session, submission_id)
            if not SubmissionStatus(found.status).can_become(SubmissionStatus.VOID):
                raise StoreError(f"submission {submission_id} is already void")
            self._audit(
                session, submission_id, actor, "voided", previous_status=found.status, reason=reason
            )
            found.status = SubmissionStatus.VOID.value

    def delete_draft(self, submission_id: str, *, actor: str) -> None:
        """Delete a draft for good: its answers, photos and trail, leaving one audit line.

        Who may delete which is `forms.storage.drafts.deletion_refusal`'s rule.
        """
        with self.writing() as session:
            found = self._submission(session, submission_id)
            events = table_of(AuditEvent)
            mine = events.c.submission_id == submission_id
            started_by = session.execute(select(started_by_of(submission_id))).scalar()
            refusal = deletion_refusal(found.status, started_by, actor)
            if refusal:
                raise StoreError(f"cannot delete this draft: {refusal}")
            attachments = table_of(Attachment)
            photos = set(
                session.scalars(
                    select(attachments.c.sha256).where(attachments.c.submission_id == submission_id)
                )
            )
            assignment = (
                session.get(Assignment, found.assignment_id)
                if found.assignment_id is not None
                else None
            )
            contents = draft_contents(
                (
                    (row.question, row.value, row.comment)
                    for row in self._answer_rows(session, submission_id)
                ),
                len(self._attachment_rows(session, submission_id)),
                channel=found.channel,
                scenario=assignment.scenario if assignment is not None else "",
            )
            session.execute(
                delete(table_of(Answer)).where(table_of(Answer).c.submission_id == submission_id)
            )
            session.execute(delete(attachments).where(attachments.c.submission_id == submission_id))
            session.execute(delete(events).where(mine))
            if photos:
                # Bytes are stored once per photo: keep those another submission still uses.
                still_used = select(attachments.c.sha256).where(attachments.c.sha256.in_(photos))
                blobs = table_of(Blob)
                session.execute(
                    delete(blobs).where(
                        blobs.c.sha256.in_(photos), blobs.c.sha256.not_in(still_used)
                    )
                )
            session.delete(found)
            where: dict[str, object] = {
                "location_id": found.location_id,
                "assignment_id": found.assignment_id,
            }
            if is_anonymous(self.form_definition(found.form_version_id).kind):
                # As when it was started: an anonymous form's trail names no one, nor where
                # they work.
                actor, where = ANONYMOUS_ACTOR, {}
            self._audit(
                session,
                None,
                actor,
                "draft_deleted",
                deleted_submission=submission_id,
                form_version_id=found.form_version_id,
                answers=contents.answers,
                comments=contents.comments,
                photos=contents.photos,
                **where,
            )

    # -- abandoned kiosk surveys ------------------------------------------------------
    def discard_kiosk_draft(self, submission_id: str, *, device_id: str) -> bool:
        """Remove a survey a customer left unfinished at the kiosk `device_id`, in one unit
        of work: its answers, files and audit events go, and one audit event says it was
        discarded. Anything else (sent, reviewed, another device's, a shopper's) is kept;
        returns whether it was removed."""
        with self.writing() as session:
            found = session.get(Submission, submission_id, with_for_update=True)
            if found is None or not _abandoned_at(found, device_id):
                return False
            self._remove_draft(session, found)
        return True

    def submission_exists(self, submission_id: str) -> bool:
        """Whether a submission is stored (a kiosk's survey may have been discarded)."""
        with self.reading() as session:
            return session.get(Submission, submission_id) is not None

    def kiosk_alive(self, device_id: str) -> None:
        """Note that the kiosk session `device_id` is running now: its heartbeat, renewed
        every minute while it runs, so no other kiosk starting takes its survey for one
        left behind."""
        table = table_of(Setting)
        with self.writing() as session:
            statement = insert_for(session, table).values(
                key=KIOSK_ALIVE_PREFIX + device_id, value=utc_now().isoformat()
            )
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["key"], set_={"value": statement.excluded.value}
                )
            )

    def kiosk_ended(self, device_id: str) -> None:
        """Forget the heartbeat of the kiosk session `device_id` (kiosk mode was left)."""
        table = table_of(Setting)
        with self.writing() as session:
            session.execute(table.delete().where(table.c.key == KIOSK_ALIVE_PREFIX + device_id))

    def discard_abandoned_kiosk_drafts(self, *, device_prefix: str, idle: timedelta) -> int:
        """Remove the unfinished surveys of kiosk sessions (device ids starting with
        `device_prefix`) that are gone, in one unit of work; returns how many.

        A session is gone when its heartbeat (`kiosk_alive`) is `idle` old or older: the
        laptop was switched off or crashed mid-survey. A survey of a session without a
        heartbeat goes only when it was untouched for `idle`, compared on its kept times:
        an anonymous form keeps only the day, so only one from an earlier day goes.
        """
        before = utc_now() - idle
        settings = table_of(Setting)
        with self.writing() as session:
            beats = {
                str(key)[len(KIOSK_ALIVE_PREFIX) :]: _stored_time(str(value))
                for key, value in session.execute(
                    select(settings.c.key, settings.c.value).where(
                        settings.c.key.startswith(KIOSK_ALIVE_PREFIX, autoescape=True)
                    )
                )
            }
            query = select(Submission).where(
                col(Submission.device_id).startswith(device_prefix, autoescape=True),
                col(Submission.status) == SubmissionStatus.DRAFT.value,
            )
            removed = 0
            for found in list(session.scalars(query)):
                if not _abandoned_at(found, found.device_id):
                    continue
                beat = beats.get(found.device_id)
                if beat is not None:
                    gone = beat < before
                else:
                    gone = self._untouched_since(session, found, before)
                if gone:
                    self._remove_draft(session, found)
                    removed += 1
            stale = [device for device, beat in beats.items() if beat is None or beat < before]
            if stale:
                session.execute(
                    settings.delete().where(
                        settings.c.key.in_([KIOSK_ALIVE_PREFIX + device for device in stale])
                    )
                )
        return removed

    def _untouched_since(self, session: Session, found: Submission, before: datetime) -> bool:
        """Whether a draft was neither started nor answered since `before`, as far as its
        kept times tell (to the day for an anonymous form)."""
        cutoff = form_time(before, self.form_definition(found.form_version_id).kind)
        latest = session.scalar(
            select(Answer.updated_at)
            .where(col(Answer.submission_id) == found.id)
            .order_by(col(Answer.updated_at).desc())
            .limit(1)
        )
        return found.started_at < cutoff and (latest is None or latest < cutoff)

    def _remove_draft(self, session: Session, found: Submission) -> None:
        files = self._attachment_rows(session, found.id)
        answered = len(
            [row for row in self._answer_rows(session, found.id) if row.value is not None]
        )
        for table in (Answer, Attachment, AuditEvent):
            session.execute(delete(table).where(col(table.submission_id) == found.id))
        session.delete(found)
        session.flush()
        for sha256 in {file.sha256 for file in files}:
            if (
                session.scalar(select(Attachment.id).where(col(Attachment.sha256) == sha256))
                is None
            ):
                session.execute(delete(Blob).where(col(Blob.sha256) == sha256))
        # As when it was started: an anonymous form's trail names no device and keeps the
        # day only, so no line tells when someone stood at the kiosk.
        anonymous = is_anonymous(self.form_definition(found.form_version_id).kind)
        self._audit(
            session,
            None,
            ANONYMOUS_ACTOR if anonymous else found.device_id,
            "discarded",
            submission=found.id,
            answers=answered,
            reason="left unfinished",
        )

    def audit_trail(self, submission_id: str) -> list[AuditEntry]:
        """Everything done to a submission, oldest first."""
        with self.reading() as session:
            query = (
                select(AuditEvent)
                .where(col(AuditEvent.submission_id) == submission_id)
                .order_by(col(AuditEvent.at), col(AuditEvent.id))
            )
            entries = []
            for event in session.scalars(query):
                try:
                    detail = json.loads(event.detail) if event.detail else {}
                except json.JSONDecodeError:
                    detail = {"text": event.detail}
                entries.append(
                    AuditEntry(
                        at=event.at,
                        actor=event.actor,
                        action=event.action,
                        submission_id=event.submission_id,
                        detail=detail if isinstance(detail, dict) else {"text": event.detail},
                    )
                )
            return entries


def _stored_time(value: str) -> datetime | None:
    """A heartbeat's time; None when the row holds no readable time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _abandoned_at(found: Submission, device_id: str) -> bool:
    """Whether a submission is a kiosk survey of `device_id` never sent: a draft that was
    never finalized (not one a manager sent back)."""
    return (
        bool(device_id)
        and found.device_id == device_id
        and found.status == SubmissionStatus.DRAFT.value
        and found.revision == 0
        and found.finished_at is None
    )
