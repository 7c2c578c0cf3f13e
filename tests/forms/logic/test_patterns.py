"""regex() runs in time linear in the answer (RE2): no pattern a form author writes and no
text a customer pastes can freeze the kiosk or a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.authoring.loader import builtin_form_paths, load_form
from forms.errors import ExpressionError, FormDefinitionError
from forms.logic.expressions import EvaluationContext, parse


def matches(pattern: str, answer: str) -> object:
    return parse(f"regex(., '{pattern}')").evaluate(EvaluationContext(values={}, current=answer))


@pytest.mark.timeout(10)
def test_nested_quantifiers_answer_at_once() -> None:
    # Python's own engine: 53 s for 28 characters, over 120 s for the second.
    assert matches("^(a+)+$", "a" * 28 + "b") is False
    assert matches("(x+x+)+y", "x" * 30) is False
    assert matches("^(a+)+$", "a" * 100_000) is True


@pytest.mark.timeout(10)
def test_the_built_in_survey_checks_a_pasted_page_of_text_at_once() -> None:
    survey = load_form(next(p for p in builtin_form_paths() if p.name == "customer_survey.yaml"))
    email = next(q for q in survey.questions() if q.constraint and "regex" in q.constraint)
    check = parse(email.constraint or "")
    pasted = "word " * 10_000  # 50,000 characters, no e-mail address
    assert check.evaluate(EvaluationContext(values={}, current=pasted)) is False
    good = EvaluationContext(values={}, current="maria@example.com")
    assert check.evaluate(good) is True


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("(a)\\1", "back-references such as \\1 are not supported"),
        ("(?=a)a", "look-arounds such as (?=...) and (?!...) are not supported"),
        ("x" * 1001, "keep it under 1,000"),
    ],
)
def test_a_pattern_that_needs_backtracking_is_refused_naming_why(pattern: str, says: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(f"regex(., '{pattern}')")
    assert says in caught.value.message


def test_a_form_with_such_a_pattern_is_refused_with_its_row(tmp_path: Path) -> None:
    form = tmp_path / "phone.yaml"
    form.write_text(
        "settings: {form_id: phone, version: '1'}\n"
        "survey:\n"
        "  - {type: text, name: phone, label: Phone,"
        " constraint: \"regex(., '(?=[0-9]{7})')\"}\n",
        encoding="utf-8",
    )
    with pytest.raises(FormDefinitionError) as caught:
        load_form(form)
    assert "look-arounds" in str(caught.value)
    assert "phone" in str(caught.value)
