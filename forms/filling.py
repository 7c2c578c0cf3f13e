"""Filling one submission: pages, live skip logic, autosave. No Qt, so it is tested headless.

The evaluation screen and the kiosk drive a `FormFilling`; every answer goes to the store
the moment it is given, so closing the window (or a power cut) loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import col, select

from forms.definition.model import ANSWERED_TYPES, FormDefinition, Question, Section
from forms.logic.checks import CompiledForm, FormState, compiled_form
from forms.scoring.points import ScoreResult, score_submission
from forms.storage.records import StoreError
from forms.storage.tables import Attachment, Submission
from forms.storage.values import constraint_message, required_message, state_problems
from forms.vocabulary import EDITABLE_STATUSES

if TYPE_CHECKING:
    from forms.storage import DraftState, Store


@dataclass(frozen=True)
class Problem:
    """Something that stops a submission from being finalized, shown next to its question."""

    question: str
    message: str


@dataclass(frozen=True)
class Flag:
    """An answer worth a second look before finalizing (it does not block finalizing)."""

    question: str
    reason: str


@dataclass(frozen=True)
class PhotoRef:
    """A photo or file attached to the submission."""

    id: str
    filename: str
    media_type: str
    question: str | None


class FormFilling:
    """The state of one submission being filled, saved as it changes."""

    def __init__(
        self,
        store: Store,
        submission_id: str,
        *,
        today: date | None = None,
    ) -> None:
        self.store = store
        self.submission_id = submission_id
        self.today = today
        draft = store.draft(submission_id)
        self.details: DraftState = draft
        self.form: FormDefinition = store.form_definition(draft.form_version_id)
        self.compiled: CompiledForm = compiled_form(self.form)
        self.answers: dict[str, object] = dict(draft.answers)
        self.comments: dict[str, str] = dict(draft.comments)
        self.current_question: str | None = draft.current_question
        self.language: str | None = draft.language or self.form.default_language
        self.status: str = draft.status
        self.state: FormState = self.compiled.evaluate(self.answers, today=today)

    @property
    def editable(self) -> bool:
        """Whether answers may still change (a draft, or sent back for revision)."""
        return self.status in EDITABLE_STATUSES

    def text(self, value: Mapping[str, str]) -> str:
        """A text of the form in the respondent's language."""
        return self.form.text(dict(value), self.language)

    # -- pages -----------------------------------------------------------------
    def sections(self) -> list[Section]:
        """Every section of the form, relevant or not."""
        return self.form.sections()

    def visible_sections(self) -> list[Section]:
        """The pages a respondent sees now: sections that are relevant and ask something."""
        return [
            s
            for s in self.form.sections()
            if (s.group is None or self.state.relevant.get(s.group.name, True))
            and any(self.is_visible(q) for q in s.questions)
        ]

    def is_visible(self, question: Question) -> bool:
        """A question is shown when relevant; calculations are never shown."""
        return question.type != "calculate" and self.state.relevant.get(question.name, True)

    def visible_questions(self) -> list[Question]:
        """Every question shown now, in form order: the kiosk's one-question screens."""
        return [q for s in self.visible_sections() for q in s.questions if self.is_visible(q)]

    def page_of(self, question: str) -> int | None:
        """The page (index into visible_sections) holding a question, if it is shown."""
        for index, section in enumerate(self.visible_sections()):
            if any(q.name == question for q in section.questions):
                return index
        return None

    def resume_page(self) -> int:
        """The page holding the question the respondent was last at (0 for a new one)."""
        if self.current_question is None:
            return 0
        return self.page_of(self.current_question) or 0

    def set_answer(self, question: str, value: object) -> None:
        """Record an answer (None clears it), save it at once and re-apply skip logic."""
        if value == "" or value == []:
            value = None
        if value is None:
            self.answers.pop(question, None)
        else:
            self.answers[question] = value
        self.current_question = question
        self.store.save_answer(self.submission_id, question, value, current_question=question)
        self.state = self.compiled.evaluate(self.answers, today=self.today)

    def prefill(self, values: Mapping[str, object]) -> list[str]:
        """Answer questions the visit details already tell (e.g. `channel`), unless answered.

        Values a question cannot take (a choice it does not offer) are skipped; returns the
        names of the questions answered.
        """
        filled: list[str] = []
        for name, value in values.items():
            try:
                question = self.form.question(name)
            except KeyError:
                continue
            if question.type not in ANSWERED_TYPES or name in self.answers or value is None:
                continue
            if question.list_name is not None and value not in {
                c.name for c in self.form.choices(question)
            }:
                continue
            self.store.save_answer(self.submission_id, name, value)
            self.answers[name] = value
            filled.append(name)
        self.state = self.compiled.evaluate(self.answers, today=self.today)
        return filled

    def set_comment(self, question: str, comment: str) -> None:
        """Record the respondent's comment on one question, saved at once."""
        comment = comment.strip()
        if comment:
            self.comments[question] = comment
        else:
            self.comments.pop(question, None)
        self.current_question = question
        self.store.save_answer(
            self.submission_id,
            question,
            self.answers.get(question),
            comment=comment,
            current_question=question,
        )

    def set_position(self, question: str) -> None:
        """Remember where the respondent is, so a draft resumes there."""
        if question == self.current_question or not self.editable:
            return
        self.current_question = question
        self.store.set_position(self.submission_id, question)

    def set_language(self, language: str) -> None:
        """Show the form in another of its languages from now on, and remember it."""
        if language not in self.form.languages:
            raise StoreError(
                f"form '{self.form.key}' has no language '{language}': use one of "
                + ", ".join(self.form.languages)
            )
        self.language = language
        with self.store.writing() as session:
            found = session.get(Submission, self.submission_id)
            if found is not None and found.status in EDITABLE_STATUSES:
                found.language = language

    # -- photos ----------------------------------------------------------------
    def attach_photo(self, question: str, data: bytes, filename: str, media_type: str) -> str:
        """Attach a photo to a question and answer it with the file name; the attachment id."""
        attachment_id = self.store.attach(
            self.submission_id, data, filename=filename, media_type=media_type, question=question
        )
        self.set_answer(question, filename)
        return attachment_id

    def photos(self, question: str | None = None) -> list[PhotoRef]:
        """The files attached to the submission (to one question when given), oldest first."""
        query = select(Attachment).where(col(Attachment.submission_id) == self.submission_id)
        if question is not None:
            query = query.where(col(Attachment.question) == question)
        with self.store.reading() as session:
            return [
                PhotoRef(row.id, row.filename, row.media_type, row.question)
                for row in session.scalars(query.order_by(col(Attachment.id)))
            ]

    def current_photo(self, question: str) -> PhotoRef | None:
        """The attachment that answers a photo question now, if it is answered."""
        answer = self.answers.get(question)
        if answer is None:
            return None
        matching = [p for p in self.photos(question) if p.filename == answer]
        return matching[-1] if matching else None

    # -- checking ----------------------------------------------------------------
    def required_message(self, question: str) -> str:
        """What to say next to a required question left blank, in the respondent's language."""
        return required_message(self.form, question, self.language)

    def problem_for(self, question: str, *, required: bool = False) -> str | None:
        """The message to show next to a question now: a broken constraint, or (when
        `required`) a missing required answer."""
        broken = self.state.constraint_errors.get(question)
        if broken:
            return constraint_message(self.form, question, self.language, broken)
        if required and self.state.is_missing(question):
            return self.required_message(question)
        return None

    def problems(self) -> list[Problem]:
        """Everything that stops finalizing: required answers missing, constraints broken."""
        return [
            Problem(name, message)
            for name, message in state_problems(self.form, self.state, language=self.language)
        ]

    def flagged(self) -> list[Flag]:
        """Answers to look at again: critical failures and answers at the bottom of a scale."""
        flags: list[Flag] = []
        for item in self.live_score().items:
            if item.status != "counted" or item.points is None:
                continue
            question = self.form.question(item.name)
            lowest = min(
                (c.points for c in self.form.choices(question) if c.points is not None),
                default=None,
            )
            if item.critical and item.points <= 0:
                flags.append(Flag(item.name, "Critical: this answer makes the visit score 0."))
            elif lowest is not None and item.points <= lowest and len(self._scale(question)) > 2:
                flags.append(Flag(item.name, "The lowest level of the scale."))
        return flags

    def _scale(self, question: Question) -> list[float]:
        return [c.points for c in self.form.choices(question) if c.points is not None]

    def unanswered(self) -> list[str]:
        """Shown questions without an answer (required or not), in form order."""
        return [
            q.name
            for q in self.visible_questions()
            if q.type in ANSWERED_TYPES and q.name not in self.state.values
        ]

    def live_score(self) -> ScoreResult:
        """The score the submission would get if finalized now."""
        return score_submission(self.form, self.answers, today=self.today)

    def finalize(self, actor: str) -> ScoreResult:
        """Check, score and lock the submission; raises SubmissionIncomplete when it cannot."""
        result = self.store.finalize(self.submission_id, actor=actor, today=self.today)
        self.status = "final"
        return result

    def answered(self) -> Mapping[str, object]:
        """The answers given so far."""
        return dict(self.answers)
