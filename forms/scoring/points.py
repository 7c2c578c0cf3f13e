"""Score a submission against its form: items, sections, overall score, band, Empathy Index.

The rules (docs/ARCHITECTURE.md, "How a score is computed", says the same in words):
- A scored question earns `weight * points` out of `weight * possible`, where possible is
  its highest-valued answer (no bonus above it, and no item below 0).
- N/A answers, questions skipped by logic (relevance) and unanswered questions are left out
  of both numerator and denominator.
- `flat` forms score sum(earned) / sum(possible) * 100 over every counted item; `sections`
  forms take the mean of section scores weighted by section weight, leaving out sections
  where nothing was counted.
- A critical question answered with 0 points makes the visit a critical failure scored 0;
  the raw score is kept.
NPS, CSAT and CES over many submissions live in forms.scoring.metrics and are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from forms.definition.memo import FormMemo
from forms.definition.model import ANSWERED_TYPES, Choice, FormDefinition, Question
from forms.errors import FormDefinitionError, RapportError
from forms.logic.checks import CompiledForm, compiled_form
from forms.scoring.metrics import LOW_SAMPLE_THRESHOLD, MetricResult, ces, csat, nps

__all__ = [
    "EMPATHY_TAG",
    "LOW_SAMPLE_THRESHOLD",
    "ItemScore",
    "ItemStatus",
    "MetricResult",
    "ScoreResult",
    "ScoringError",
    "SectionScore",
    "StoredPoints",
    "ces",
    "csat",
    "nps",
    "score_submission",
    "stored_score",
    "tag_score",
]

EMPATHY_TAG = "empathy"
"""Questions with this tag make up the Empathy Index."""

ItemStatus = Literal["counted", "not_applicable", "not_relevant", "unanswered", "not_scored"]
"""Why an item is or is not in the score; also the `reason` of a section's excluded items."""


class ScoringError(RapportError):
    """An answer cannot be scored with this form (e.g. a choice the question does not offer)."""


@dataclass(frozen=True)
class ItemScore:
    """One question of a submission and what it contributes to the score."""

    name: str
    section: str
    weight: float
    earned: float | None
    """weight * points (capped to 0..possible); None unless counted."""
    possible: float | None
    """weight * the question's highest points; None unless counted."""
    points: float | None
    """Unweighted points of the answer as given; None when the answer carries none."""
    status: ItemStatus
    critical: bool
    tags: tuple[str, ...]


@dataclass(frozen=True)
class SectionScore:
    """One section (top-level group) of a submission."""

    name: str
    weight: float
    score: float | None
    """0..100, or None when nothing in the section was counted."""
    earned: float
    possible: float
    counted: tuple[str, ...]
    excluded: tuple[tuple[str, str], ...]
    """(question, reason) for scored questions left out; reason is an ItemStatus."""


@dataclass(frozen=True)
class ScoreResult:
    """The score of one submission."""

    overall: float | None
    """0..100 after the critical rule (0 on a critical failure); None if nothing counted."""
    raw_score: float | None
    """0..100 before the critical rule."""
    band: str | None
    critical_failure: bool
    critical_items: tuple[str, ...]
    """Critical questions answered with 0 points."""
    empathy_index: float | None
    sections: tuple[SectionScore, ...]
    items: tuple[ItemScore, ...]

    def to_json_dict(self) -> dict[str, object]:
        """Plain JSON-able values; scores and points rounded to 2 decimals for display."""
        return {
            "overall": _round(self.overall),
            "band": self.band,
            "critical_failure": self.critical_failure,
            "critical_items": list(self.critical_items),
            "raw_score": _round(self.raw_score),
            "empathy_index": _round(self.empathy_index),
            "sections": [
                {
                    "name": section.name,
                    "score": _round(section.score),
                    "counted": list(section.counted),
                    "excluded": [
                        {"question": question, "reason": reason}
                        for question, reason in section.excluded
                    ],
                    "earned": _round(section.earned),
                    "possible": _round(section.possible),
                    "weight": section.weight,
                }
                for section in self.sections
            ],
            "items": [
                {
                    "name": item.name,
                    "section": item.section,
                    "weight": item.weight,
                    "earned": _round(item.earned),
                    "possible": _round(item.possible),
                    "points": _round(item.points),
                    "status": item.status,
                    "critical": item.critical,
                    "tags": list(item.tags),
                }
                for item in self.items
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- What scoring needs to know about a form, worked out once per form ---------------------


@dataclass(frozen=True)
class _PlannedQuestion:
    question: Question
    section: str
    choices: Mapping[str, Choice]
    max_points: float | None
    """Unweighted possible points; None when the question is not scored."""


@dataclass(frozen=True)
class _FormPlan:
    compiled: CompiledForm
    questions: tuple[_PlannedQuestion, ...]
    sections: tuple[tuple[str, float], ...]


def _max_points(form: FormDefinition, question: Question) -> float | None:
    if question.type == "range" and question.scored_value:
        if "end" not in question.parameters:
            raise FormDefinitionError(
                "a range scored by its value (`points: value`) needs `end` in its parameters, "
                "e.g. `parameters: start=1 end=7 step=1`",
                source=form.key,
                question=question.name,
            )
        return max(0.0, question.parameters["end"])
    if question.type not in ("select_one", "select_multiple"):
        return None
    scored = [
        c.points for c in form.choices(question) if c.points is not None and not c.not_applicable
    ]
    if not scored:
        return None
    if question.type == "select_multiple":
        return math.fsum(p for p in scored if p > 0)
    return max(0.0, max(scored))


def _check_weight(form: FormDefinition, weight: float, what: str, name: str) -> None:
    if not (math.isfinite(weight) and weight >= 0):
        raise FormDefinitionError(
            f"{what} weight must be a number of 0 or more, got {weight}",
            source=form.key,
            question=name if what == "question" else "",
            where="" if what == "question" else f"group '{name}'",
        )


def _build_plan(form: FormDefinition) -> _FormPlan:
    compiled = compiled_form(form)
    planned: list[_PlannedQuestion] = []
    sections: list[tuple[str, float]] = []
    for section in form.sections():
        _check_weight(form, section.weight, "section", section.name)
        sections.append((section.name, section.weight))
        for question in section.questions:
            if question.type not in ANSWERED_TYPES:
                continue
            _check_weight(form, question.weight, "question", question.name)
            planned.append(
                _PlannedQuestion(
                    question=question,
                    section=section.name,
                    choices={choice.name: choice for choice in form.choices(question)},
                    max_points=_max_points(form, question),
                )
            )
    return _FormPlan(compiled, tuple(planned), tuple(sections))


_plans: FormMemo[_FormPlan] = FormMemo(_build_plan)


def _plan_for(form: FormDefinition) -> _FormPlan:
    return _plans.get(form)


# --- Scoring one submission ------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return all(_is_blank(element) for element in value)
    return False


def _choice_name(value: object) -> str:
    # Choice names are text; numeric answers ("5" stored as 5 or 5.0) are matched by their digits.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _chosen(planned: _PlannedQuestion, value: object) -> list[Choice]:
    question = planned.question
    if question.type == "select_multiple" and isinstance(value, str):
        names = value.split()
    elif question.type == "select_multiple" and isinstance(value, list | tuple | set | frozenset):
        names = [_choice_name(v) for v in value]
    else:
        names = [_choice_name(value)]
    names = list(dict.fromkeys(names))  # choosing the same option twice counts once
    unknown = [name for name in names if name not in planned.choices]
    if unknown:
        choices = list(planned.choices)
        offered = ", ".join(choices[:20]) or "none"
        if len(choices) > 20:
            offered += f", and {len(choices) - 20:,} more"
        shown = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise ScoringError(
            f"question '{question.name}': answer {shown} is not a choice "
            f"of list '{question.list_name}' (choices: {offered}); correct the answer, or score "
            "the submission with the form version it was filled with"
        )
    return [planned.choices[name] for name in names]


def _range_value(planned: _PlannedQuestion, value: object) -> float:
    number = math.nan
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
    if not math.isfinite(number):
        raise ScoringError(
            f"question '{planned.question.name}': answer {value!r} is not a number; "
            "a range question scored by its value needs a numeric answer"
        )
    return number


def _answer_points(planned: _PlannedQuestion, value: object) -> tuple[ItemStatus, float | None]:
    if planned.question.type == "range":
        return "counted", _range_value(planned, value)
    chosen = _chosen(planned, value)
    # An N/A option is a statement that the question does not apply, whatever else is ticked.
    if any(choice.not_applicable for choice in chosen):
        return "not_applicable", None
    points = [choice.points for choice in chosen if choice.points is not None]
    if not points:
        return "not_scored", None
    return "counted", math.fsum(points)


def _score_item(planned: _PlannedQuestion, value: object, relevant: bool) -> ItemScore:
    question = planned.question
    status: ItemStatus
    points: float | None = None
    earned: float | None = None
    possible: float | None = None
    if planned.max_points is None:
        status = "not_scored"
    elif not relevant:
        status = "not_relevant"
    elif _is_blank(value):
        status = "unanswered"
    else:
        status, points = _answer_points(planned, value)
        if status == "counted" and points is not None:
            capped = min(max(points, 0.0), planned.max_points)
            earned = question.weight * capped
            possible = question.weight * planned.max_points
    return ItemScore(
        name=question.name,
        section=planned.section,
        weight=question.weight,
        earned=earned,
        possible=possible,
        points=points,
        status=status,
        critical=question.critical,
        tags=question.tags,
    )


def _percent(earned: float, possible: float) -> float | None:
    if possible <= 0:
        return None
    return min(100.0, max(0.0, earned / possible * 100.0))


def _flat_score(items: list[ItemScore]) -> float | None:
    counted = [item for item in items if item.status == "counted"]
    return _percent(
        math.fsum(item.earned or 0.0 for item in counted),
        math.fsum(item.possible or 0.0 for item in counted),
    )


def _section_score(
    name: str, weight: float, scored: list[tuple[_PlannedQuestion, ItemScore]]
) -> SectionScore:
    items = [item for planned, item in scored if planned.max_points is not None]
    counted = [item for item in items if item.status == "counted"]
    earned = math.fsum(item.earned or 0.0 for item in counted)
    possible = math.fsum(item.possible or 0.0 for item in counted)
    return SectionScore(
        name=name,
        weight=weight,
        score=_percent(earned, possible),
        earned=earned,
        possible=possible,
        counted=tuple(item.name for item in counted),
        excluded=tuple((item.name, item.status) for item in items if item.status != "counted"),
    )


def _section_scores(
    plan: _FormPlan, scored: list[tuple[_PlannedQuestion, ItemScore]]
) -> tuple[SectionScore, ...]:
    # Sorted into sections in one pass: picking each section's items out of all of them
    # made a form of many sections quadratic.
    by_section: dict[str, list[tuple[_PlannedQuestion, ItemScore]]] = {}
    for pair in scored:
        by_section.setdefault(pair[1].section, []).append(pair)
    return tuple(
        _section_score(name, weight, by_section.get(name, [])) for name, weight in plan.sections
    )


def _sections_score(sections: tuple[SectionScore, ...]) -> float | None:
    scored = [section for section in sections if section.score is not None]
    total_weight = math.fsum(section.weight for section in scored)
    if total_weight <= 0:
        return None
    mean = math.fsum(section.weight * (section.score or 0.0) for section in scored) / total_weight
    return min(100.0, max(0.0, mean))


def _is_critical_failure(planned: _PlannedQuestion, item: ItemScore) -> bool:
    return (
        item.critical
        and item.status == "counted"
        and item.points is not None
        and item.points <= 0
        and (planned.max_points or 0.0) > 0
    )


def score_submission(
    form: FormDefinition, answers: Mapping[str, object], *, today: date | None = None
) -> ScoreResult:
    """Score one submission's answers (question name -> raw value) against its form.

    Relevance is evaluated with forms.logic.checks as of `today` (default: the current date).
    Raises ScoringError for an answer the form cannot score (e.g. an unknown choice).
    """
    plan = _plan_for(form)
    relevance = plan.compiled.evaluate(answers, today=today).relevant
    scored: list[tuple[_PlannedQuestion, ItemScore]] = []
    for planned in plan.questions:
        # forms.logic.checks already hides the questions of a hidden group.
        relevant = relevance.get(planned.question.name, True)
        value = answers.get(planned.question.name)
        scored.append((planned, _score_item(planned, value, relevant)))
    items = tuple(item for _, item in scored)
    sections = _section_scores(plan, scored)
    raw_score = (
        _sections_score(sections) if form.scoring == "sections" else _flat_score(list(items))
    )
    critical_items = tuple(
        item.name for planned, item in scored if _is_critical_failure(planned, item)
    )
    overall = 0.0 if critical_items else raw_score
    return ScoreResult(
        overall=overall,
        raw_score=raw_score,
        # Rounded far below display precision so that float noise (74.99999999999999 for a
        # true 75) cannot drop a score into the band below.
        band=None if overall is None else form.band_for(round(overall, 9)),
        critical_failure=bool(critical_items),
        critical_items=critical_items,
        empathy_index=_flat_score([item for item in items if EMPATHY_TAG in item.tags]),
        sections=sections,
        items=items,
    )


@dataclass(frozen=True)
class StoredPoints:
    """What finalizing stored for one answer: its weighted points, or why it has none."""

    earned: float | None
    """weight × points as stored; None unless it was counted."""
    possible: float | None
    not_applicable: bool
    answered: bool


def stored_score(
    form: FormDefinition,
    stored: Mapping[str, StoredPoints],
    *,
    overall: float | None,
    raw_score: float | None,
    band: str | None,
    critical_failure: bool,
    empathy_index: float | None,
) -> ScoreResult:
    """A finalized submission's score as it was stored, never recomputed from its answers.

    The overall figures are the stored ones and each item's points are those recorded when
    it was finalized; only the section totals are added up again from those points. A later
    change to the form's scoring or to this code therefore never changes a stored visit.
    """
    plan = _plan_for(form)
    scored: list[tuple[_PlannedQuestion, ItemScore]] = []
    for planned in plan.questions:
        question = planned.question
        row = stored.get(question.name)
        status: ItemStatus
        if planned.max_points is None:
            status = "not_scored"
        elif row is None or not row.answered:
            status = "unanswered"
        elif row.not_applicable:
            status = "not_applicable"
        elif row.earned is None or row.possible is None:
            status = "not_relevant"
        else:
            status = "counted"
        counted = status == "counted" and row is not None
        earned = row.earned if counted and row is not None else None
        points = earned / question.weight if earned is not None and question.weight else None
        item = ItemScore(
            name=question.name,
            section=planned.section,
            weight=question.weight,
            earned=earned,
            possible=row.possible if counted and row is not None else None,
            points=points,
            status=status,
            critical=question.critical,
            tags=question.tags,
        )
        scored.append((planned, item))
    sections = _section_scores(plan, scored)
    return ScoreResult(
        overall=overall,
        raw_score=raw_score,
        band=band,
        critical_failure=critical_failure,
        critical_items=tuple(
            item.name for planned, item in scored if _is_critical_failure(planned, item)
        ),
        empathy_index=empathy_index,
        sections=sections,
        items=tuple(item for _, item in scored),
    )


def tag_score(
    form: FormDefinition, answers: Mapping[str, object], tag: str, *, today: date | None = None
) -> float | None:
    """Flat score (0..100, weights applied) over the counted questions tagged `tag`."""
    items = score_submission(form, answers, today=today).items
    return _flat_score([item for item in items if tag in item.tags])
