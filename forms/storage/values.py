"""Pure helpers of the Store: answer values, canonical JSON, content hashes, finalize checks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from forms.definition.limits import answer_limit_problem
from forms.definition.model import (
    ANSWERED_TYPES,
    FormDefinition,
    Group,
    Item,
    Question,
    language_code,
)
from forms.logic.checks import FormState, compiled_form
from forms.scoring.points import ItemScore, ScoreResult, score_submission
from forms.storage.records import StoreError, SubmissionIncomplete
from forms.vocabulary import SubmissionStatus


def utc_now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def dated_visit(visit_at: datetime | None, finished_at: datetime | None) -> datetime | None:
    """When a submission counts: its visit time, or, for one sent without a visit time (a
    kiosk survey, a pulse answer), the moment it was sent. Every dated figure, report and
    export selects on this one time."""
    return visit_at if visit_at is not None else finished_at


def canonical_json(value: object) -> str:
    """JSON with sorted keys and no whitespace: the same data always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def insert_for(session: Session, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that can say ON CONFLICT, in the dialect of the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def table_of(model: type[object]) -> Table:
    """The Table behind a SQLModel class."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):  # pragma: no cover - every model here is a table
        raise TypeError(f"{model} is not a table model")
    return table


def _plain_numbers(value: object) -> object:
    # 2.0 and 2 are the same answer; SQLite's JSON column may give back either.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_plain_numbers(item) for item in value]
    return value


def content_hash(
    form_sha256: str,
    answers: Mapping[str, object],
    comments: Mapping[str, str],
    attachment_sha256s: list[str],
) -> str:
    """sha256 of what a finalized submission says: form, answers, comments, attached files."""
    document = {
        "form": form_sha256,
        "answers": {name: _plain_numbers(value) for name, value in answers.items()},
        "comments": {name: text for name, text in comments.items() if text},
        "attachments": sorted(attachment_sha256s),
    }
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def item_names(items: tuple[Item, ...]) -> set[str]:
    """Names of every question and group, at any depth."""
    names: set[str] = set()
    for item in items:
        names.add(item.name)
        if isinstance(item, Group):
            names |= item_names(item.children)
    return names


def answerable_question(form: FormDefinition, question: str) -> Question:
    """The question called `question` if a respondent can answer it; StoreError otherwise."""
    try:
        found = form.question(question)
    except KeyError:
        raise StoreError(
            f"form '{form.key}' version {form.version} has no question '{question}': "
            "check the question name against the form"
        ) from None
    if found.type not in ANSWERED_TYPES:
        raise StoreError(
            f"question '{question}' of form '{form.key}' is a {found.type}: it takes no answer"
        )
    return found


def require_rows(session: Session, wanted: tuple[tuple[type[object], object, str], ...]) -> None:
    """StoreError naming the first (model, id, what) whose row does not exist (None ids are
    not checked): a write never refers to a site, agent or form that is not there."""
    for model, key, what in wanted:
        if key is not None and session.get(model, key) is None:
            raise StoreError(f"there is no {what} with id {key}: add it first")


def json_value(question: str, value: object) -> object:
    """`value` as XLSForm data stores it (dates as ISO text, lists), checked to be JSON."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        value = sorted(value) if not isinstance(value, tuple) else list(value)
    problem = answer_limit_problem(question, value)
    if problem is not None:
        raise StoreError(problem)
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise StoreError(
            f"the answer to '{question}' cannot be stored ({error}): give text, a number, "
            "a choice name or a list of choice names"
        ) from error
    return value


REQUIRED_MESSAGE = "This question needs an answer."
"""Said beside a required question left blank when the form gives no message of its own."""

_OWN_MESSAGES: dict[str, dict[str, str]] = {
    "en": {"required": REQUIRED_MESSAGE, "not_allowed": "This answer is not allowed."},
    "es": {
        "required": "Esta pregunta necesita una respuesta.",
        "not_allowed": "Esta respuesta no es válida.",
    },
}
"""Rapport's own messages for a form that gives none, by language code (English otherwise)."""


def _own_message(language: str | None, key: str) -> str:
    return _OWN_MESSAGES.get(language_code(language), _OWN_MESSAGES["en"])[key]


def required_message(form: FormDefinition, question: str, language: str | None) -> str:
    """What to say beside a required question left blank, in the respondent's language."""
    return form.text(form.question(question).required_message, language) or _own_message(
        language, "required"
    )


def constraint_message(
    form: FormDefinition, question: str, language: str | None, broken: str
) -> str:
    """What to say beside an answer that breaks its question's constraint, in the
    respondent's language; `broken` is the message the form's logic gave (its default
    language, or the constraint itself when the form has no message)."""
    text = form.text(form.question(question).constraint_message, language)
    if text:
        return text
    if language_code(language) == language_code(form.default_language):
        return broken
    return _own_message(language, "not_allowed")


def state_problems(
    form: FormDefinition, state: FormState, *, language: str | None
) -> list[tuple[str, str]]:
    """(question, message) for each missing required answer and broken constraint of an
    evaluated form, in form order: what stops finalizing, wherever it is checked."""
    found = [(name, required_message(form, name, language)) for name in state.missing_required]
    found.extend(
        (name, constraint_message(form, name, language, message))
        for name, message in state.constraint_errors.items()
    )
    order = {question.name: index for index, question in enumerate(form.questions())}
    return sorted(found, key=lambda problem: order.get(problem[0], len(order)))


def finalize_problems(
    form: FormDefinition,
    answers: Mapping[str, object],
    *,
    today: date | None,
    language: str | None,
) -> list[tuple[str, str]]:
    """(question, message) for each missing required answer and broken constraint, in form order."""
    return state_problems(
        form, compiled_form(form).evaluate(answers, today=today), language=language
    )


@dataclass(frozen=True)
class Finalized:
    """What finalizing decides for one submission: its score, the points of each answer and
    the content hash that seals it. The one rule for the app, the kiosk and bulk recording."""

    result: ScoreResult
    content_hash: str

    def submission_columns(self) -> dict[str, object]:
        """The submission's stored figures."""
        return {
            "status": SubmissionStatus.FINAL.value,
            "score": self.result.overall,
            "raw_score": self.result.raw_score,
            "empathy_index": self.result.empathy_index,
            "band": self.result.band,
            "critical_failure": self.result.critical_failure,
            "content_hash": self.content_hash,
        }

    def answer_columns(self, question: str) -> dict[str, object]:
        """The stored points of one answer (weighted; None where it is not counted)."""
        item = self._items().get(question)
        return {
            "points": item.earned if item else None,
            "possible": item.possible if item else None,
            "not_applicable": item is not None and item.status == "not_applicable",
        }

    def _items(self) -> dict[str, ItemScore]:
        return {item.name: item for item in self.result.items}


def finalize_answers(
    form: FormDefinition,
    form_sha256: str,
    answers: Mapping[str, object],
    comments: Mapping[str, str],
    files: list[str],
    *,
    today: date | None,
    language: str | None,
    submission_id: str,
) -> Finalized:
    """Check required answers and constraints, then score and seal the answers.

    Raises SubmissionIncomplete, naming each problem in form order, when something must be
    fixed first.
    """
    problems = finalize_problems(form, answers, today=today, language=language)
    if problems:
        raise SubmissionIncomplete(problems, submission_id=submission_id)
    result = score_submission(form, answers, today=today)
    return Finalized(result, content_hash(form_sha256, answers, comments, files))
