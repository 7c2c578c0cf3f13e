"""Scoring of one submission, checked against examples worked out by hand in the comments."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

import pytest

import forms.logic.checks
from forms.definition.model import Band, Choice, FormDefinition, Group, Item, Question
from forms.errors import FormDefinitionError
from forms.logic.checks import CompiledForm, compile_form
from forms.scoring.points import ScoringError, score_submission, tag_score

# A 0-5 scale whose choice names are its points, plus an N/A option and an unscored option.
SCALE = (
    *(Choice(name=str(points), points=float(points)) for points in range(6)),
    Choice(name="na", not_applicable=True),
    Choice(name="dont_know"),
)
YES_NO_NA = (
    Choice(name="yes", points=1.0),
    Choice(name="no", points=0.0),
    Choice(name="na", not_applicable=True),
)
BANDS = (Band(name="Exceeds", lower=90), Band(name="Meets", lower=75), Band(name="Below", lower=0))


def q(name: str, list_name: str = "scale", **fields: object) -> Question:
    return Question.model_validate(
        {"name": name, "type": "select_one", "list_name": list_name, **fields}
    )


def group(name: str, *children: Item, weight: float = 1.0, relevant: str | None = None) -> Group:
    return Group(name=name, weight=weight, relevant=relevant, children=children)


def make_form(
    *children: Item,
    scoring: str = "flat",
    bands: Sequence[Band] = BANDS,
    lists: dict[str, tuple[Choice, ...]] | None = None,
) -> FormDefinition:
    return FormDefinition.model_validate(
        {
            "key": "visit",
            "version": "1",
            "title": {"default": "Visit"},
            "scoring": scoring,
            "bands": tuple(bands),
            "children": children,
            "choice_lists": lists
            if lists is not None
            else {"scale": SCALE, "yes_no_na": YES_NO_NA},
        }
    )


def test_flat_score_weights_points_and_leaves_na_out_of_both_sides() -> None:
    # greeting (weight 2) 4/5, listening (weight 1) 3/5, follow_up (weight 1) N/A:
    # (2*4 + 1*3) / (2*5 + 1*5) = 11 / 15 = 73.33 %, in band Below (< 75).
    form = make_form(q("greeting", weight=2), q("listening"), q("follow_up"))
    result = score_submission(form, {"greeting": "4", "listening": "3", "follow_up": "na"})

    assert result.overall == pytest.approx(100 * 11 / 15)
    assert result.raw_score == result.overall
    assert result.band == "Below"
    greeting, listening, follow_up = result.items
    assert (greeting.earned, greeting.possible, greeting.points) == (8.0, 10.0, 4.0)
    assert (listening.earned, listening.possible) == (3.0, 5.0)
    assert follow_up.status == "not_applicable"
    assert (follow_up.earned, follow_up.possible) == (None, None)
    (section,) = result.sections
    assert section.counted == ("greeting", "listening")
    assert section.excluded == (("follow_up", "not_applicable"),)
    assert (section.earned, section.possible) == (11.0, 15.0)


def test_sections_score_is_the_weighted_mean_of_section_scores() -> None:
    # listening (weight 1): 5/5 and 3/5 -> 8/10 = 80 %
    # resolution (weight 3): 1/5 -> 20 %
    # follow_through (weight 5): only N/A -> nothing counted, left out of the mean
    # overall = (1*80 + 3*20) / (1 + 3) = 140 / 4 = 35.0
    # (flat over the same answers would be 9/15 = 60 %, so the mode matters)
    children = (
        group("listening", q("paraphrase"), q("let_finish")),
        group("resolution", q("solved"), weight=3),
        group("follow_through", q("called_back"), weight=5),
    )
    answers = {"paraphrase": "5", "let_finish": "3", "solved": "1", "called_back": "na"}

    result = score_submission(make_form(*children, scoring="sections"), answers)
    assert result.overall == pytest.approx(35.0)
    assert [s.score for s in result.sections] == [pytest.approx(80.0), pytest.approx(20.0), None]
    assert result.sections[2].counted == ()
    assert result.sections[2].excluded == (("called_back", "not_applicable"),)

    flat = score_submission(make_form(*children, scoring="flat"), answers)
    assert flat.overall == pytest.approx(60.0)


def test_loose_questions_form_their_own_section() -> None:
    # intro 2/5 (loose, section "general", weight 1) -> 40 %; manner group (weight 1) 4/5 -> 80 %
    # sections mode: (40 + 80) / 2 = 60
    form = make_form(q("intro"), group("manner", q("tone")), scoring="sections")
    result = score_submission(form, {"intro": "2", "tone": "4"})
    assert [s.name for s in result.sections] == ["general", "manner"]
    assert result.items[0].section == "general"
    assert result.overall == pytest.approx(60.0)


def test_critical_failure_scores_zero_and_keeps_the_raw_score() -> None:
    # courtesy 5/5, safety_briefing (critical, yes=1 / no=0) answered "no":
    # raw = (5 + 0) / (5 + 1) = 83.33 %, but the visit is a critical failure -> 0, band Below.
    form = make_form(q("courtesy"), q("safety_briefing", list_name="yes_no_na", critical=True))
    result = score_submission(form, {"courtesy": "5", "safety_briefing": "no"})
    assert result.critical_failure
    assert result.critical_items == ("safety_briefing",)
    assert result.overall == 0.0
    assert result.raw_score == pytest.approx(100 * 5 / 6)
    assert result.band == "Below"

    passed = score_submission(form, {"courtesy": "5", "safety_briefing": "yes"})
    assert not passed.critical_failure
    assert passed.overall == pytest.approx(100.0)


def test_critical_question_answered_na_or_skipped_is_not_a_failure() -> None:
    form = make_form(
        q("courtesy"),
        q("safety_briefing", list_name="yes_no_na", critical=True, relevant="${courtesy} > 0"),
    )
    na = score_submission(form, {"courtesy": "4", "safety_briefing": "na"})
    assert not na.critical_failure
    assert na.overall == pytest.approx(80.0)
    skipped = score_submission(form, {"courtesy": "0", "safety_briefing": "no"})
    assert not skipped.critical_failure
    assert skipped.items[1].status == "not_relevant"
    assert skipped.overall == 0.0


@pytest.mark.parametrize(
    ("value", "band"),
    [(74.99, "Below"), (75, "Meets"), (89.99, "Meets"), (90, "Exceeds"), (0, "Below"),
     (100, "Exceeds")],
)  # fmt: skip
def test_band_lower_bounds_are_inclusive(value: float, band: str) -> None:
    # A 0..100 range whose value is its points: the score is the value itself.
    rating = Question(
        name="rating", type="range", parameters={"start": 0, "end": 100}, scored_value=True
    )
    result = score_submission(make_form(rating), {"rating": value})
    assert result.overall == pytest.approx(value)
    assert result.band == band


def test_a_true_75_is_not_pushed_below_the_band_by_float_rounding() -> None:
    # Weights 0.1 each, points 1, 4, 4 of 4: (0.1 + 0.4 + 0.4) / 1.2 = 0.75 -> 75, Meets.
    # In floating point 0.9 / 1.2 * 100 is 74.99999999999999.
    four = {"scale4": tuple(Choice(name=str(p), points=float(p)) for p in range(5))}
    form = make_form(
        *(q(name, list_name="scale4", weight=0.1) for name in ("a", "b", "c")), lists=four
    )
    result = score_submission(form, {"a": "1", "b": "4", "c": "4"})
    assert result.overall == pytest.approx(75.0)
    assert result.band == "Meets"


def test_skipped_and_unanswered_questions_are_left_out() -> None:
    # channel 4/5; callback_offered skipped by logic (stale answer "0" kept in the draft);
    # empathy_phrase optional and unanswered; closing required but still blank in the draft.
    # Only channel counts: 4/5 = 80 %.
    form = make_form(
        q("visited", list_name="yes_no_na"),
        q("channel"),
        q("callback_offered", relevant="${visited} = 'yes'"),
        q("empathy_phrase"),
        q("closing", required=True),
    )
    answers = {"visited": "na", "channel": "4", "callback_offered": "0", "closing": ""}
    result = score_submission(form, answers)
    assert result.overall == pytest.approx(80.0)
    statuses = {item.name: item.status for item in result.items}
    assert statuses == {
        "visited": "not_applicable",
        "channel": "counted",
        "callback_offered": "not_relevant",
        "empathy_phrase": "unanswered",
        "closing": "unanswered",
    }


def test_questions_in_a_skipped_group_are_not_relevant() -> None:
    # The phone group is skipped for an in-person visit: only greeting counts, 3/5 = 60 %.
    channel = (Choice(name="phone"), Choice(name="in_person"))
    form = make_form(
        q("channel", list_name="channel"),
        q("greeting"),
        group("phone", q("hold_time"), relevant="${channel} = 'phone'"),
        scoring="sections",
        lists={"scale": SCALE, "channel": channel},
    )
    result = score_submission(form, {"channel": "in_person", "greeting": "3", "hold_time": "0"})
    assert result.overall == pytest.approx(60.0)
    assert result.sections[1].excluded == (("hold_time", "not_relevant"),)
    assert result.sections[1].score is None
    # channel has no points: it is not a scored item, so it is not listed as excluded.
    assert result.items[0].status == "not_scored"
    assert result.sections[0].excluded == ()


def test_an_answer_without_points_is_not_scored() -> None:
    # "Don't know" carries no points: left out like N/A. Only tone counts: 2/5 = 40 %.
    form = make_form(q("tone"), q("resolved"))
    result = score_submission(form, {"tone": "2", "resolved": "dont_know"})
    assert result.overall == pytest.approx(40.0)
    assert result.sections[0].excluded == (("resolved", "not_scored"),)


def test_select_multiple_sums_choices_without_bonus_or_debt() -> None:
    # Behaviours seen: named_customer 2, summarised 3, blamed_policy -2, other (no points).
    # possible = 2 + 3 = 5 (positive points only).
    behaviours = (
        Choice(name="named_customer", points=2.0),
        Choice(name="summarised", points=3.0),
        Choice(name="blamed_policy", points=-2.0),
        Choice(name="other"),
        Choice(name="na", not_applicable=True),
    )
    form = make_form(
        Question(name="seen", type="select_multiple", list_name="behaviours"),
        lists={"behaviours": behaviours},
    )

    def score(value: object) -> float | None:
        return score_submission(form, {"seen": value}).overall

    assert score(["named_customer", "summarised"]) == pytest.approx(100.0)  # 5/5
    assert score("named_customer summarised") == pytest.approx(100.0)  # XLSForm's spelling
    assert score(["summarised", "blamed_policy", "other"]) == pytest.approx(20.0)  # 1/5
    assert score(["blamed_policy"]) == pytest.approx(0.0)  # -2 counts as 0, not below
    assert score_submission(form, {"seen": ["blamed_policy"]}).items[0].earned == 0.0
    assert score(["summarised", "summarised"]) == pytest.approx(60.0)  # once only: 3/5
    assert score(["na"]) is None
    assert score([]) is None
    assert score([""]) is None
    assert score_submission(form, {"seen": ["other"]}).items[0].status == "not_scored"


def test_range_scored_by_value_is_out_of_its_end() -> None:
    # effort 1..7, answered 6 -> 6/7 = 85.71 %; 9 is beyond the scale and capped at 7/7.
    effort = Question(
        name="effort",
        type="range",
        parameters={"start": 1, "end": 7, "step": 1},
        scored_value=True,
    )
    form = make_form(effort)
    assert score_submission(form, {"effort": 6}).overall == pytest.approx(100 * 6 / 7)
    assert score_submission(form, {"effort": "6"}).overall == pytest.approx(100 * 6 / 7)
    capped = score_submission(form, {"effort": 9})
    assert capped.overall == pytest.approx(100.0)
    assert (capped.items[0].points, capped.items[0].earned) == (9.0, 7.0)
    plain = Question(name="plain", type="range", parameters={"start": 1, "end": 7})
    assert score_submission(make_form(plain), {"plain": 6}).overall is None


def test_weight_zero_question_changes_nothing() -> None:
    # a 4/5 weight 1; b 0/5 weight 0 -> 4/5 = 80 % with or without b.
    form = make_form(q("a"), q("b", weight=0))
    result = score_submission(form, {"a": "4", "b": "0"})
    assert result.overall == pytest.approx(80.0)
    assert (result.items[1].earned, result.items[1].possible) == (0.0, 0.0)


def test_empathy_index_covers_empathy_tagged_items_only() -> None:
    # acknowledged (empathy, weight 2) 5/5, reflected (empathy listening) 2/5, fixed 0/5:
    # Empathy Index = (10 + 2) / (10 + 5) = 80 %; overall = 12 / 20 = 60 %;
    # listening alone = 2/5 = 40 %.
    form = make_form(
        q("acknowledged", weight=2, tags=("empathy",)),
        q("reflected", tags=("empathy", "listening")),
        q("fixed"),
    )
    answers = {"acknowledged": "5", "reflected": "2", "fixed": "0"}
    result = score_submission(form, answers)
    assert result.empathy_index == pytest.approx(80.0)
    assert result.overall == pytest.approx(60.0)
    assert tag_score(form, answers, "empathy") == pytest.approx(80.0)
    assert tag_score(form, answers, "listening") == pytest.approx(40.0)
    assert tag_score(form, answers, "resolution") is None


def test_empathy_index_is_kept_on_a_critical_failure() -> None:
    form = make_form(
        q("acknowledged", tags=("empathy",)), q("safe", list_name="yes_no_na", critical=True)
    )
    result = score_submission(form, {"acknowledged": "4", "safe": "no"})
    assert result.overall == 0.0
    assert result.empathy_index == pytest.approx(80.0)


def test_nothing_counted_gives_no_score_and_no_band() -> None:
    form = make_form(q("a"), q("b"))
    result = score_submission(form, {"a": "na"})
    assert (result.overall, result.raw_score, result.band) == (None, None, None)
    assert result.empathy_index is None
    assert not result.critical_failure


def test_numeric_answers_match_choice_names() -> None:
    # Answers stored as numbers (4, 4.0) are the choices "4": 8/10 = 80 %.
    form = make_form(q("a"), q("b"))
    assert score_submission(form, {"a": 4, "b": 4.0}).overall == pytest.approx(80.0)


def test_unknown_choice_is_reported_with_the_question_and_the_choices() -> None:
    form = make_form(q("greeting", list_name="yes_no_na"))
    with pytest.raises(ScoringError, match=r"greeting.*'maybe'.*yes, no, na"):
        score_submission(form, {"greeting": "maybe"})


def test_non_numeric_answer_to_a_scored_range_is_reported() -> None:
    effort = Question(name="effort", type="range", parameters={"end": 7}, scored_value=True)
    with pytest.raises(ScoringError, match=r"effort.*'easy' is not a number"):
        score_submission(make_form(effort), {"effort": "easy"})


def test_scored_range_without_end_is_a_definition_error() -> None:
    effort = Question(name="effort", type="range", parameters={"start": 1}, scored_value=True)
    with pytest.raises(FormDefinitionError, match=r"effort.*end=7"):
        score_submission(make_form(effort), {"effort": 3})


def test_json_dict_rounds_for_display_and_names_exclusions() -> None:
    form = make_form(
        group("visit", q("greeting", weight=2), q("listening"), q("follow_up")),
        scoring="sections",
    )
    result = score_submission(form, {"greeting": "4", "listening": "3", "follow_up": "na"})
    data = json.loads(json.dumps(result.to_json_dict()))
    assert data["overall"] == 73.33  # 11/15, shown with 2 decimals
    assert data["raw_score"] == 73.33
    assert data["band"] == "Below"
    assert data["critical_failure"] is False
    assert data["sections"] == [
        {
            "name": "visit",
            "score": 73.33,
            "counted": ["greeting", "listening"],
            "excluded": [{"question": "follow_up", "reason": "not_applicable"}],
            "earned": 11.0,
            "possible": 15.0,
            "weight": 1.0,
        }
    ]
    assert data["items"][0]["earned"] == 8.0
    assert data["items"][2]["status"] == "not_applicable"
    # The result itself keeps full precision.
    assert result.overall == pytest.approx(100 * 11 / 15, abs=1e-12)


def test_a_form_is_compiled_once_for_many_submissions(monkeypatch: pytest.MonkeyPatch) -> None:
    # Reports score thousands of submissions; a form loaded again from its stored JSON is
    # the same form and must not be compiled again.
    calls: list[str] = []

    def counting_compile(form: FormDefinition, *, source: str = "") -> CompiledForm:
        calls.append(form.key)
        return compile_form(form, source=source)

    # Scoring and finalizing share the compiled forms of forms.logic.checks.compiled_form.
    monkeypatch.setattr(forms.logic.checks, "compile_form", counting_compile)
    form = make_form(q("a"), q("b", relevant="${a} > 0"), q("c", weight=3))
    key = f"compile_once_{uuid.uuid4().hex}"  # not scored by any earlier test
    form = form.model_copy(update={"key": key})
    for points in range(6):
        score_submission(form, {"a": str(points), "b": "1"})
    reloaded = FormDefinition.from_json(form.canonical_json())
    assert score_submission(reloaded, {"a": "0", "b": "5"}).overall == 0.0
    assert calls == [key]


def test_negative_weight_is_a_definition_error() -> None:
    form = make_form(q("greeting", weight=-1))
    with pytest.raises(
        FormDefinitionError, match=r"greeting.*weight must be a number of 0 or more"
    ):
        score_submission(form, {"greeting": "3"})
