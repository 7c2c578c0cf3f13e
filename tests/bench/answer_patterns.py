"""Scored answer patterns of the built-in forms, reused across a synthetic database.

Scoring 150,000 submissions one by one would dominate the generator's time, so each form
gets a few hundred patterns: the answers that carry points or steer the form's logic,
drawn at a range of service quality levels, and scored once with
forms.scoring.points.score_submission.
A submission then takes the pattern of its quality and adds what does not change the score
(free text, photos, waiting time, notes on answers). Every pattern is checked against
the form's required answers and constraints (what finalizing checks) before it is used.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date

from forms.definition.model import FormDefinition, Question
from forms.logic.checks import CompiledForm, compile_form
from forms.scoring.points import score_submission

QUALITY_BUCKETS = 20
"""Service quality 0..1 is cut into this many levels; each level has its own patterns."""
VARIANTS = 8
"""Patterns drawn per (form, channel, quality level)."""
CHANNELS = ("phone", "in_person", "email", "chat")

# Answers that steer a form's logic but carry no points: (question, share answering "yes").
YES_SHARES = {"acted_upset": 0.4, "contact_consent": 0.25, "request_observed": 0.6}
HOLD_CHOICES = (("none", 0.55), ("hold", 0.25), ("transfer", 0.12), ("both", 0.08))
FREE_TYPES = frozenset({"text", "image", "integer"})
"""Question types filled per submission: they change no score and steer no logic here."""
PLACEHOLDERS: dict[str, object] = {"text": "x", "image": "photo.jpg", "integer": 5}


@dataclass(frozen=True)
class AnswerRow:
    """An answer as the answer table stores it, without submission, comment and time."""

    question: str
    value_json: str | None
    points: float | None
    possible: float | None
    not_applicable: bool


@dataclass(frozen=True)
class Pattern:
    """The scored part of a submission, with its score as finalizing would store it."""

    answers: dict[str, object]
    rows: dict[str, AnswerRow]
    scored_questions: tuple[str, ...]
    """Answers that earned points (where a shopper may add a note)."""
    free_questions: tuple[str, ...]
    """Relevant text, image and integer questions, filled per submission."""
    score: float | None
    raw_score: float | None
    empathy_index: float | None
    band: str | None
    critical_failure: bool


def quality_bucket(quality: float) -> int:
    """The quality level (0..QUALITY_BUCKETS-1) of a quality between 0 and 1."""
    return min(QUALITY_BUCKETS - 1, max(0, int(quality * QUALITY_BUCKETS)))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _scale_answer(names: list[str], quality: float, rng: random.Random) -> str:
    spread = len(names) - 1
    position = round(rng.gauss(quality * spread * 1.05, spread / 6))
    return names[_clamp(position, 0, spread)]


def _choice_answer(
    form: FormDefinition, question: Question, quality: float, channel: str, rng: random.Random
) -> object | None:
    choices = form.choices(question)
    names = [c.name for c in choices]
    if "channel" in question.name and channel in names:
        return channel
    if question.name in YES_SHARES:
        return "yes" if rng.random() < YES_SHARES[question.name] else "no"
    if question.name == "hold_or_transfer":
        return rng.choices([n for n, _ in HOLD_CHOICES], [w for _, w in HOLD_CHOICES])[0]
    scored = sorted(
        (c for c in choices if c.points is not None and not c.not_applicable),
        key=lambda c: c.points or 0.0,
    )
    if not scored:
        numeric = sorted((n for n in names if n.isdigit()), key=int)
        if numeric:
            return _scale_answer(numeric, quality, rng)
        return rng.choice(names) if names else None
    not_applicable = [c.name for c in choices if c.not_applicable]
    if not_applicable and rng.random() < 0.07:
        return not_applicable[0]
    if question.critical:
        # Critical failures are rare, and happen where service is weakest.
        failed = rng.random() < 0.05 * (1.15 - quality) ** 2
        return scored[0].name if failed else scored[-1].name
    if len(scored) == 2:
        return scored[-1].name if rng.random() < 0.55 + 0.43 * quality else scored[0].name
    return _scale_answer([c.name for c in scored], quality, rng)


def _draw(
    form: FormDefinition,
    compiled: CompiledForm,
    quality: float,
    channel: str,
    rng: random.Random,
    today: date,
) -> Pattern:
    answers: dict[str, object] = {}
    for question in form.questions():
        if question.type in ("select_one", "select_multiple"):
            value = _choice_answer(form, question, quality, channel, rng)
            if value is not None:
                answers[question.name] = [value] if question.type == "select_multiple" else value
        elif question.type == "range":
            low = int(question.parameters.get("start", 1.0))
            high = int(question.parameters.get("end", 5.0))
            answers[question.name] = _scale_answer(
                [str(v) for v in range(low, high + 1)], quality, rng
            )
    relevant = compiled.evaluate(answers, today=today).relevant
    answers = {name: value for name, value in answers.items() if relevant.get(name, True)}
    free = tuple(
        q.name for q in form.questions() if q.type in FREE_TYPES and relevant.get(q.name, True)
    )
    placeholders = {name: PLACEHOLDERS[form.question(name).type] for name in free}
    if "contact_email" in placeholders:
        placeholders["contact_email"] = "someone@example.com"
    # What finalize_problems checks, on the form compiled once rather than per pattern.
    state = compiled.evaluate(answers | placeholders, today=today)
    problems = [*state.missing_required, *state.constraint_errors.items()]
    if problems:
        raise AssertionError(f"{form.key}: a generated pattern would not finalize: {problems}")
    result = score_submission(form, answers, today=today)
    items = {item.name: item for item in result.items}
    rows: dict[str, AnswerRow] = {}
    for name, value in answers.items():
        item = items.get(name)
        rows[name] = AnswerRow(
            question=name,
            value_json=json.dumps(value),
            points=item.earned if item else None,
            possible=item.possible if item else None,
            not_applicable=item is not None and item.status == "not_applicable",
        )
    return Pattern(
        answers=answers,
        rows=rows,
        scored_questions=tuple(name for name, row in rows.items() if row.possible),
        free_questions=free,
        score=result.overall,
        raw_score=result.raw_score,
        empathy_index=result.empathy_index,
        band=result.band,
        critical_failure=result.critical_failure,
    )


class PatternBook:
    """Every pattern of every form, by (form key, channel, quality level)."""

    def __init__(self, forms: dict[str, FormDefinition], *, seed: int, today: date) -> None:
        self.patterns: dict[tuple[str, str | None, int], list[Pattern]] = {}
        for key, form in sorted(forms.items()):
            rng = random.Random(f"{seed}:patterns:{key}")
            compiled = compile_form(form)
            channels: tuple[str | None, ...] = CHANNELS if form.kind == "mystery_shop" else (None,)
            for channel in channels:
                for bucket in range(QUALITY_BUCKETS):
                    self.patterns[(key, channel, bucket)] = [
                        _draw(
                            form,
                            compiled,
                            (bucket + rng.random()) / QUALITY_BUCKETS,
                            channel or "in_person",
                            rng,
                            today,
                        )
                        for _ in range(VARIANTS)
                    ]

    def __len__(self) -> int:
        return sum(len(found) for found in self.patterns.values())

    def pick(
        self, form_key: str, channel: str | None, quality: float, rng: random.Random
    ) -> Pattern:
        """A pattern of the form at this quality (and channel, for mystery shops)."""
        return rng.choice(self.patterns[(form_key, channel, quality_bucket(quality))])
