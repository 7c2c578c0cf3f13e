"""Properties of scoring that hold for any form and any answers (hypothesis)."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.definition.model import Band, Choice, FormDefinition, Group, Question
from forms.scoring.points import ScoreResult, score_submission

NA = Choice(name="na", not_applicable=True)
LISTS: dict[str, tuple[Choice, ...]] = {
    "scale": (*(Choice(name=str(p), points=float(p)) for p in range(6)), NA, Choice(name="dk")),
    "yes_no_na": (Choice(name="yes", points=1.0), Choice(name="no", points=0.0), NA),
    "penalty": (Choice(name="great", points=3.0), Choice(name="rude", points=-1.0), NA),
    "behaviours": (
        Choice(name="named", points=2.0),
        Choice(name="summarised", points=3.0),
        Choice(name="blamed", points=-2.0),
        Choice(name="other"),
        NA,
    ),
    "unscored": (Choice(name="phone"), Choice(name="email")),
}
KINDS = (*LISTS, "effort_range")
BANDS = (Band(name="Exceeds", lower=90), Band(name="Meets", lower=75), Band(name="Below", lower=0))
WEIGHTS = st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]) | st.floats(0, 10)
settings_ = settings(deadline=None, max_examples=150)


@dataclass(frozen=True)
class Case:
    form: FormDefinition
    answers: dict[str, object]


def _question(name: str, kind: str, weight: float, critical: bool, tags: list[str]) -> Question:
    if kind == "effort_range":
        return Question(
            name=name,
            type="range",
            parameters={"start": 1, "end": 7},
            scored_value=True,
            weight=weight,
            critical=critical,
            tags=tuple(tags),
        )
    return Question(
        name=name,
        type="select_multiple" if kind == "behaviours" else "select_one",
        list_name=kind,
        weight=weight,
        critical=critical,
        tags=tuple(tags),
    )


def _answer(kind: str) -> st.SearchStrategy[object]:
    if kind == "effort_range":
        return st.none() | st.integers(0, 9)
    names = [choice.name for choice in LISTS[kind]]
    if kind == "behaviours":
        return st.none() | st.lists(st.sampled_from(names), max_size=3)
    return st.none() | st.sampled_from(names)


@st.composite
def questions(draw: st.DrawFn, name: str, weight: float | None = None) -> tuple[Question, object]:
    kind = draw(st.sampled_from(KINDS))
    question = _question(
        name,
        kind,
        draw(WEIGHTS) if weight is None else weight,
        draw(st.booleans()) if weight is None else False,
        draw(st.lists(st.sampled_from(["empathy", "listening"]), unique=True)),
    )
    return question, draw(_answer(kind))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    groups: list[Group] = []
    answers: dict[str, object] = {}
    for g in range(draw(st.integers(1, 4))):
        children: list[Question] = []
        for i in range(draw(st.integers(1, 4))):
            question, answer = draw(questions(f"q{g}_{i}"))
            children.append(question)
            if answer is not None:
                answers[question.name] = answer
        groups.append(Group(name=f"g{g}", weight=draw(WEIGHTS), children=tuple(children)))
    return Case(_form(groups, draw(st.sampled_from(["flat", "sections"]))), answers)


def _form(groups: list[Group], scoring: str) -> FormDefinition:
    return FormDefinition.model_validate(
        {
            "key": "prop",
            "version": "1",
            "title": {"default": "Property"},
            "scoring": scoring,
            "bands": BANDS,
            "children": tuple(groups),
            "choice_lists": LISTS,
        }
    )


def _groups(form: FormDefinition) -> list[Group]:
    return [child for child in form.children if isinstance(child, Group)]


def _summary(result: ScoreResult) -> dict[str, object]:
    """What a manager sees of a score, independent of the order of the form."""
    return {
        "overall": result.overall,
        "raw": result.raw_score,
        "band": result.band,
        "critical": (result.critical_failure, sorted(result.critical_items)),
        "empathy": result.empathy_index,
        "sections": {s.name: s.score for s in result.sections},
    }


@settings_
@given(cases())
def test_scores_stay_within_0_and_100(case: Case) -> None:
    result = score_submission(case.form, case.answers)
    figures = [result.overall, result.raw_score, result.empathy_index]
    figures += [section.score for section in result.sections]
    assert all(figure is None or 0.0 <= figure <= 100.0 for figure in figures)
    assert (result.band is None) == (result.overall is None)
    if result.critical_failure:
        assert result.overall == 0.0
    for item in result.items:
        if item.status == "counted":
            assert item.earned is not None
            assert item.possible is not None
            assert 0.0 <= item.earned <= item.possible
        else:
            assert (item.earned, item.possible) == (None, None)


@settings_
@given(cases(), st.data())
def test_na_leaves_the_other_items_and_equals_no_answer(case: Case, data: st.DataObject) -> None:
    with_na = [
        q for q in case.form.questions() if any(c.not_applicable for c in case.form.choices(q))
    ]
    if not with_na:
        return
    target = data.draw(st.sampled_from(with_na))
    answered_na = {**case.answers, target.name: "na"}
    removed = {k: v for k, v in case.answers.items() if k != target.name}

    original = score_submission(case.form, case.answers)
    as_na = score_submission(case.form, answered_na)
    as_missing = score_submission(case.form, removed)

    assert _summary(as_na) == _summary(as_missing)
    others = [item for item in original.items if item.name != target.name]
    assert [item for item in as_na.items if item.name != target.name] == others
    # The section loses exactly the target's own contribution, nothing of the others'.
    before = next(item for item in original.items if item.name == target.name)
    section_before = next(s for s in original.sections if s.name == before.section)
    section_na = next(s for s in as_na.sections if s.name == before.section)
    expected = section_before.possible - (before.possible or 0.0)
    assert section_na.possible == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert section_na.counted == tuple(n for n in section_before.counted if n != target.name)


@settings_
@given(cases(), st.data())
def test_adding_a_weight_zero_question_changes_nothing(case: Case, data: st.DataObject) -> None:
    extra, answer = data.draw(questions("extra", weight=0.0))
    groups = _groups(case.form)
    if data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(groups) - 1))
        children = list(groups[index].children)
        children.insert(data.draw(st.integers(0, len(children))), extra)
        groups[index] = groups[index].model_copy(update={"children": tuple(children)})
    else:
        groups.insert(
            data.draw(st.integers(0, len(groups))), Group(name="extra_g", children=(extra,))
        )
    answers = case.answers if answer is None else {**case.answers, "extra": answer}

    before = _summary(score_submission(case.form, case.answers))
    after = _summary(score_submission(_form(groups, case.form.scoring), answers))
    assert isinstance(after["sections"], dict)
    after["sections"].pop("extra_g", None)
    assert after == before


@settings_
@given(cases(), st.randoms(use_true_random=False))
def test_reordering_questions_changes_nothing(case: Case, random: Random) -> None:
    groups = _groups(case.form)
    shuffled = [
        group.model_copy(
            update={"children": tuple(random.sample(group.children, len(group.children)))}
        )
        for group in random.sample(groups, len(groups))
    ]
    before = score_submission(case.form, case.answers)
    after = score_submission(_form(shuffled, case.form.scoring), case.answers)
    assert _summary(after) == _summary(before)
    assert sorted(after.items, key=lambda i: i.name) == sorted(before.items, key=lambda i: i.name)
