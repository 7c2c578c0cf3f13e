"""Filling one submission: pages, live skip logic, autosave. No Qt, so it is tested headless.

The evaluation screen and the kiosk drive a `FormFilling`; every answer goes to the store
the moment it is given, so closing the window (or a power cut) loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from forms.definition import FormDefinition, Question, Section
from forms.logic import CompiledForm, FormState, compile_form
from forms.scoring import ScoreResult, score_submission

if TYPE_CHECKING:
    from forms.store import Store


@dataclass(frozen=True)
class Problem:
    """Something that stops a submission from being finalized, shown next to its question."""

    question: str
    message: str


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
        self.form: FormDefinition = store.form_definition(draft.form_version_id)
        self.compiled: CompiledForm = compile_form(self.form)
        self.answers: dict[str, object] = dict(draft.answers)
        self.comments: dict[str, str] = dict(draft.comments)
        self.current_question: str | None = draft.current_question
        self.language: str | None = draft.language or self.form.default_language
        self.state: FormState = self.compiled.evaluate(self.answers, today=today)

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

    def resume_page(self) -> int:
        """The page holding the question the respondent was last at (0 for a new one)."""
        if self.current_question is None:
            return 0
        for index, section in enumerate(self.visible_sections()):
            if any(q.name == self.current_question for q in section.questions):
                return index
        return 0

    # -- answering ---------------------------------------------------------------
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

    def set_comment(self, question: str, comment: str) -> None:
        """Record the respondent's comment on one question, saved at once."""
        self.comments[question] = comment
        self.store.save_answer(
            self.submission_id,
            question,
            self.answers.get(question),
            comment=comment,
            current_question=question,
        )

    def set_position(self, question: str) -> None:
        """Remember where the respondent is, so a draft resumes there."""
        self.current_question = question
        self.store.set_position(self.submission_id, question)

    def problem_for(self, question: str) -> str | None:
        """The message to show next to a question now (constraint broken), if any."""
        return self.state.constraint_errors.get(question)

    def problems(self) -> list[Problem]:
        """Everything that stops finalizing: required answers missing, constraints broken."""
        found = [
            Problem(name, "This question needs an answer.") for name in self.state.missing_required
        ]
        found += [Problem(name, msg) for name, msg in self.state.constraint_errors.items()]
        order = {q.name: i for i, q in enumerate(self.form.questions())}
        return sorted(found, key=lambda p: order.get(p.question, 0))

    def live_score(self) -> ScoreResult:
        """The score the submission would get if finalized now."""
        return score_submission(self.form, self.answers, today=self.today)

    def finalize(self, actor: str) -> ScoreResult:
        """Check, score and lock the submission; raises SubmissionIncomplete when it cannot."""
        return self.store.finalize(self.submission_id, actor=actor, today=self.today)

    def answered(self) -> Mapping[str, object]:
        """The answers given so far."""
        return dict(self.answers)
