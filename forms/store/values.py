"""Pure helpers of the Store: answer values, canonical JSON, content hashes, finalize checks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from forms.definition import ANSWERED_TYPES, FormDefinition, Group, Item, Question
from forms.logic import compile_form
from forms.store.records import StoreError


def utc_now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


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


def json_value(question: str, value: object) -> object:
    """`value` as XLSForm data stores it (dates as ISO text, lists), checked to be JSON."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        value = sorted(value) if not isinstance(value, tuple) else list(value)
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise StoreError(
            f"the answer to '{question}' cannot be stored ({error}): give text, a number, "
            "a choice name or a list of choice names"
        ) from error
    return value


def finalize_problems(
    form: FormDefinition,
    answers: Mapping[str, object],
    *,
    today: date | None,
    language: str | None,
) -> list[tuple[str, str]]:
    """(question, message) for each missing required answer and broken constraint, in form order."""
    state = compile_form(form).evaluate(answers, today=today)
    found: list[tuple[str, str]] = []
    for name in state.missing_required:
        message = form.text(form.question(name).required_message, language)
        found.append((name, message or "This question needs an answer."))
    found.extend((name, message) for name, message in state.constraint_errors.items())
    order = {question.name: index for index, question in enumerate(form.questions())}
    return sorted(found, key=lambda problem: order.get(problem[0], len(order)))
