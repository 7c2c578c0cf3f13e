"""Looking questions up by name in a form definition."""

from __future__ import annotations

import pytest

from forms.definition.model import FormDefinition, Group, Question


def _form(*names: str) -> FormDefinition:
    questions = tuple(Question(name=name, type="text") for name in names)
    return FormDefinition(
        key="lookup",
        version="1",
        title={"default": "Lookup"},
        children=(questions[0], Group(name="inside", children=questions[1:])),
    )


def test_a_question_is_found_by_name_at_any_depth_and_an_unknown_name_is_a_key_error() -> None:
    form = _form("first", "second", "third")
    assert form.question("third").name == "third"
    with pytest.raises(KeyError):
        form.question("inside")  # a group, not a question
    with pytest.raises(KeyError):
        form.question("fourth")


def test_a_copy_with_other_questions_finds_its_own_and_still_equals_a_fresh_form() -> None:
    form = _form("first", "second")
    form.question("first")  # the original has looked a name up already
    copy = form.model_copy(update={"children": _form("other", "second").children})
    assert copy.question("other").name == "other"
    with pytest.raises(KeyError):
        copy.question("first")
    assert form == _form("first", "second")
    assert form.canonical_json() == _form("first", "second").canonical_json()
