"""Live form logic: relevance through groups, calculations, constraints, required, choices."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.definition.model import Choice, FormDefinition, Group, Item, Question
from forms.errors import FormDefinitionError
from forms.logic.checks import compile_form

YES_NO = (Choice(name="yes", label={"default": "Yes"}), Choice(name="no", label={"default": "No"}))
COUNTIES = (
    Choice(name="king", extra={"state": "wa", "cf": "wa"}),
    Choice(name="pierce", extra={"state": "wa", "cf": "wa"}),
    Choice(name="multnomah", extra={"state": "or", "cf": "or"}),
    Choice(name="other", extra={"state": "", "cf": ""}),
)


def q(name: str, type_: str = "text", **fields: object) -> Question:
    if type_ in ("select_one", "select_multiple") and "list_name" not in fields:
        fields["list_name"] = "yes_no"
    return Question.model_validate({"name": name, "type": type_, **fields})


def group(name: str, *children: Item, relevant: str | None = None) -> Group:
    return Group(name=name, relevant=relevant, children=children)


def make_form(*children: Item, default_language: str | None = None) -> FormDefinition:
    return FormDefinition(
        key="visit",
        version="1",
        title={"default": "Visit"},
        children=children,
        choice_lists={"yes_no": YES_NO, "counties": COUNTIES},
        default_language=default_language,
    )


# --- relevance ---------------------------------------------------------------------------------

GROUPED = make_form(
    q("visited", "select_one"),
    group(
        "visit",
        q("greeting", "select_one"),
        group(
            "complaint",
            q("complaint_details"),
            relevant="${had_complaint} = 'yes'",
        ),
        q("had_complaint", "select_one"),
        relevant="${visited} = 'yes'",
    ),
    q("comment"),
)


def test_a_question_inside_a_hidden_group_is_hidden_and_its_answer_dropped() -> None:
    answers = {"visited": "no", "greeting": "yes", "had_complaint": "yes", "comment": "ok"}
    state = compile_form(GROUPED).evaluate(answers)
    assert state.relevant == {
        "visited": True,
        "visit": False,
        "greeting": False,
        "complaint": False,
        "complaint_details": False,
        "had_complaint": False,
        "comment": True,
    }
    assert state.values == {"visited": "no", "comment": "ok"}


def test_relevance_follows_answers_through_nested_groups() -> None:
    compiled = compile_form(GROUPED)
    state = compiled.evaluate({"visited": "yes", "had_complaint": "yes", "complaint_details": "x"})
    assert state.relevant["visit"]
    assert state.relevant["complaint"]
    assert state.relevant["complaint_details"]
    assert state.values["complaint_details"] == "x"
    state = compiled.evaluate({"visited": "yes", "had_complaint": "no", "complaint_details": "x"})
    assert state.relevant["greeting"] is True
    assert state.relevant["complaint_details"] is False
    assert "complaint_details" not in state.values


def test_a_blank_answer_hides_what_depends_on_it_being_high() -> None:
    form = make_form(q("age", "integer"), q("why_young", relevant="${age} < 18"))
    compiled = compile_form(form)
    assert compiled.evaluate({}).relevant["why_young"] is False  # NaN < 18 is false
    assert compiled.evaluate({"age": 15}).relevant["why_young"] is True
    assert compiled.evaluate({"age": 40}).relevant["why_young"] is False


def test_relevant_uses_the_today_given() -> None:
    form = make_form(q("visit_date", "date"), q("late", relevant="${visit_date} < today()"))
    compiled = compile_form(form)
    answers = {"visit_date": "2024-05-30"}
    assert compiled.evaluate(answers, today=dt.date(2024, 5, 31)).relevant["late"] is True
    assert compiled.evaluate(answers, today=dt.date(2024, 5, 30)).relevant["late"] is False


# --- calculations ------------------------------------------------------------------------------


def test_calculations_run_in_dependency_order_and_feed_relevance() -> None:
    form = make_form(
        q("doubled", "calculate", calculation="${total} * 2"),
        q("total", "calculate", calculation="${a} + ${b}"),
        q("a", "integer"),
        q("b", "integer"),
        q("praise", relevant="${doubled} >= 10"),
    )
    compiled = compile_form(form)
    state = compiled.evaluate({"a": 2, "b": 3, "praise": "great"})
    assert state.values == {"a": 2, "b": 3, "total": 5, "doubled": 10, "praise": "great"}
    assert list(state.values).index("total") < list(state.values).index("doubled")
    assert state.relevant["praise"] is True
    assert compiled.evaluate({"a": 1, "b": 1}).relevant["praise"] is False


def test_a_calculation_in_a_hidden_group_is_not_computed() -> None:
    form = make_form(
        q("shown", "select_one"),
        group("details", q("c", "calculate", calculation="1 + 1"), relevant="${shown} = 'yes'"),
    )
    compiled = compile_form(form)
    assert "c" not in compiled.evaluate({"shown": "no"}).values
    assert compiled.evaluate({"shown": "yes"}).values["c"] == 2


def test_once_keeps_the_value_a_calculation_already_has() -> None:
    form = make_form(q("name"), q("first_name", "calculate", calculation="once(${name})"))
    compiled = compile_form(form)
    assert compiled.evaluate({"name": "Ana"}).values["first_name"] == "Ana"
    kept = compiled.evaluate({"name": "Bea", "first_name": "Ana"})
    assert kept.values["first_name"] == "Ana"


def test_a_long_chain_of_calculations_compiles_and_evaluates() -> None:
    chain = [q("c0", "integer")]
    chain += [q(f"c{i}", "calculate", calculation=f"${{c{i - 1}}} + 1") for i in range(1, 1500)]
    state = compile_form(make_form(*reversed(chain))).evaluate({"c0": 0})
    assert state.values["c1499"] == 1499


@pytest.mark.parametrize(
    ("children", "fragments", "question"),
    [
        (
            (q("a", "calculate", calculation="${b} + 1"), q("b", "calculate", calculation="${a}")),
            ["calculation: circular logic ${a} -> ${b} -> ${a}", "the calculation of '${b}'"],
            "a",
        ),
        (
            (q("a", "calculate", calculation="${a} + 1"),),
            ["calculation: circular logic ${a} -> ${a}"],
            "a",
        ),
        (
            (q("x", relevant="${y} = 'go'"), q("y", relevant="${x} = 'go'")),
            ["relevant: circular logic ${x} -> ${y} -> ${x}"],
            "x",
        ),
        (
            (group("g", q("inner"), relevant="${inner} != ''"),),
            ["circular logic ${g} -> ${inner} -> ${g}", "'${inner}' is inside the group"],
            "g",
        ),
    ],
)
def test_circular_logic_is_refused_and_the_cycle_named(
    children: tuple[Item, ...], fragments: list[str], question: str
) -> None:
    with pytest.raises(FormDefinitionError) as caught:
        compile_form(make_form(*children), source="visit.yaml")
    for fragment in fragments:
        assert fragment in caught.value.message
    assert caught.value.question == question
    assert caught.value.source == "visit.yaml"


# --- definition errors at compile time -------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (q("x", relevant="${q9} = 'yes'"), "relevant: unknown question '${q9}'"),
        (q("x", relevant="${q11} = 'yes'"), "did you mean '${q1}'?"),
        (q("x", constraint=". > ${limit}"), "constraint: unknown question '${limit}'"),
        (q("x", "calculate", calculation="sume(${q1})"), "calculation: unknown function 'sume'"),
        (q("x", relevant="selected(${q1}, 'yes'"), "relevant: missing closing parenthesis"),
        (q("x", relevant="${section} = 'x'"), "'${section}' is a group"),
        (q("x", "select_one", list_name="counties", choice_filter="county = 'x'"), "no column"),
        (q("x", "select_one", choice_filter="q1 = 'x'"), "write ${q1} for the answer"),
        (q("q1"), "the name 'q1' is used twice"),
    ],
)
def test_definition_errors_name_the_question_and_the_column(item: Question, message: str) -> None:
    form = make_form(q("q1", "select_one"), group("section", q("inside")), item)
    with pytest.raises(FormDefinitionError) as caught:
        compile_form(form, source="visit.yaml")
    assert message in caught.value.message
    assert caught.value.question in {"x", "q1"}
    assert str(caught.value).startswith("visit.yaml, question")


def test_a_valid_form_compiles_and_blank_expressions_are_ignored() -> None:
    form = make_form(q("q1", "select_one", relevant="  ", constraint=""), q("q2"))
    state = compile_form(form).evaluate({"q1": "yes"})
    assert state.relevant == {"q1": True, "q2": True}


# --- required and constraints ------------------------------------------------------------------

CHECKED = make_form(
    q("visited", "select_one", required=True),
    q("wait_minutes", "integer", required=True, relevant="${visited} = 'yes'"),
    q(
        "staff_count",
        "integer",
        constraint=". >= 1 and . <= ${max_staff}",
        constraint_message={"English": "Between 1 and the team size", "Français": "Entre 1 et"},
    ),
    q("max_staff", "integer"),
    q("email", constraint="regex(., '@')"),
    q("tasks", "select_multiple", required=True),
    default_language="English",
)


def test_missing_required_lists_relevant_unanswered_questions_in_form_order() -> None:
    compiled = compile_form(CHECKED)
    assert compiled.evaluate({}).missing_required == ["visited", "tasks"]
    state = compiled.evaluate({"visited": "yes", "wait_minutes": None, "tasks": []})
    assert state.missing_required == ["wait_minutes", "tasks"]
    state = compiled.evaluate({"visited": "yes", "wait_minutes": 0, "tasks": ["mop"]})
    assert state.missing_required == []


def test_constraint_errors_use_the_message_in_the_default_language() -> None:
    state = compile_form(CHECKED).evaluate({"staff_count": 9, "max_staff": 4, "email": "nope"})
    assert state.constraint_errors == {
        "staff_count": "Between 1 and the team size",
        "email": "This answer is not allowed: regex(., '@')",
    }
    fine = compile_form(CHECKED).evaluate({"staff_count": 3, "max_staff": 4, "email": "a@b.c"})
    assert fine.constraint_errors == {}


def test_constraints_are_not_checked_for_blank_or_hidden_answers() -> None:
    form = make_form(
        q("visited", "select_one"),
        q("rating", "integer", relevant="${visited} = 'yes'", constraint=". <= 5"),
        q("note", constraint="string-length(.) > 3"),
    )
    state = compile_form(form).evaluate({"visited": "no", "rating": 99, "note": ""})
    assert state.constraint_errors == {}
    state = compile_form(form).evaluate({"visited": "yes", "rating": 99})
    assert list(state.constraint_errors) == ["rating"]


def test_constraint_error_checks_one_answer_as_it_is_typed() -> None:
    compiled = compile_form(CHECKED)
    assert compiled.constraint_error("staff_count", 9, {"max_staff": 4}) == (
        "Between 1 and the team size"
    )
    assert compiled.constraint_error("staff_count", 3, {"max_staff": 4}) is None
    assert compiled.constraint_error("staff_count", None, {}) is None
    assert compiled.constraint_error("visited", "yes", {}) is None  # no constraint
    with pytest.raises(KeyError, match="no question named 'nope'"):
        compiled.constraint_error("nope", 1, {})


# --- choice filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "choice_filter",
    ["state = ${state}", "${state} = cf", "cf = ${state} and name != 'other'"],
)
def test_choice_filter_shows_the_choices_matching_earlier_answers(choice_filter: str) -> None:
    form = make_form(
        q("state"), q("county", "select_one", list_name="counties", choice_filter=choice_filter)
    )
    state = compile_form(form).evaluate({"state": "wa"})
    assert [choice.name for choice in state.visible_choices("county")] == ["king", "pierce"]
    state = compile_form(form).evaluate({"state": "or"})
    assert [choice.name for choice in state.visible_choices("county")] == ["multnomah"]


def test_choice_filter_on_the_choice_name_and_label() -> None:
    form = make_form(
        q("first", "select_one"),
        q("second", "select_one", choice_filter="name != ${first} and label != 'Maybe'"),
    )
    state = compile_form(form).evaluate({"first": "yes"})
    assert [choice.name for choice in state.visible_choices("second")] == ["no"]


def test_without_a_filter_every_choice_is_visible() -> None:
    state = compile_form(make_form(q("county", "select_one", list_name="counties"))).evaluate({})
    assert state.visible_choices("county") == COUNTIES
    assert compile_form(make_form(q("free"))).evaluate({}).visible_choices("free") == ()
    with pytest.raises(KeyError):
        state.visible_choices("missing")
