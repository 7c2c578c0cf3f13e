"""A form at the size limit is checked whole: a wrong reference anywhere in it is named with
its suggestion, and logic chained through every question is followed to its end."""

from __future__ import annotations

import pytest

from forms.definition.limits import MAX_QUESTIONS
from forms.definition.model import FormDefinition, Question
from forms.errors import FormDefinitionError
from forms.logic.checks import compile_form


def _form(questions: list[Question]) -> FormDefinition:
    return FormDefinition(
        key="large", version="1", title={"default": "Large"}, children=tuple(questions)
    )


def test_an_unknown_reference_in_a_large_form_still_gets_its_suggestion() -> None:
    questions = [Question(name=f"visit_{i:05}", type="integer") for i in range(MAX_QUESTIONS - 1)]
    questions.append(Question(name="last", type="text", relevant="${vist_05000} > 2"))
    with pytest.raises(FormDefinitionError) as caught:
        compile_form(_form(questions))
    assert caught.value.question == "last"
    assert caught.value.message == (
        "relevant: unknown question '${vist_05000}' (did you mean '${visit_05000}'?)"
    )


def test_relevants_chained_through_a_whole_form_show_every_question_or_hide_the_rest() -> None:
    questions = [Question(name="q0", type="integer")]
    questions += [
        Question(name=f"q{i}", type="integer", relevant=f"${{q{i - 1}}} > 0")
        for i in range(1, MAX_QUESTIONS)
    ]
    compiled = compile_form(_form(questions))
    every_answer = {f"q{i}": 1 for i in range(MAX_QUESTIONS)}
    assert all(compiled.evaluate(every_answer).relevant.values())
    # A 0 half way hides every question after it.
    shown = compiled.evaluate({**every_answer, "q5000": 0}).relevant
    assert [shown[f"q{i}"] for i in (4999, 5000, 5001, MAX_QUESTIONS - 1)] == [
        True,
        True,
        False,
        False,
    ]
