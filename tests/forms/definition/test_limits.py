"""Forms and answers beyond any real one's size are refused with a message naming the limit."""

from __future__ import annotations

import json

import pytest

from forms.definition.limits import MAX_QUESTIONS, MAX_TEXT_ANSWER, answer_limit_problem
from forms.definition.model import FormDefinition
from forms.errors import FormDefinitionError
from forms.storage import Store, StoreError
from tests.forms.storage.sample_forms import visit_form


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("x" * (MAX_TEXT_ANSWER + 1), "10,001 characters long; an answer may have at most 10,000"),
        (10**4000, "no answer is that large"),
        (float("1e300"), "no answer is that large"),
        (["clean"] * 1001, "lists 1,001 choices"),
        (["x" * 201], "not a choice name"),
    ],
)
def test_a_value_no_one_answers_is_named(value: object, says: str) -> None:
    problem = answer_limit_problem("notes", value)
    assert problem is not None
    assert says in problem


def test_the_longest_answer_is_kept_and_one_more_character_is_refused(store: Store) -> None:
    submission = store.start_submission(store.add_form(visit_form()))
    store.save_answer(submission, "notes", "x" * MAX_TEXT_ANSWER)
    with pytest.raises(StoreError, match="may have at most 10,000"):
        store.save_answer(submission, "notes", "y" * (MAX_TEXT_ANSWER + 1))
    with pytest.raises(StoreError, match=r"notes \(comment\)"):
        store.save_answer(submission, "notes", None, comment="z" * (MAX_TEXT_ANSWER + 1))
    assert store.draft(submission).answers["notes"] == "x" * MAX_TEXT_ANSWER


def _stored_json(questions: int) -> str:
    """A stored definition (canonical JSON) of `questions` questions, half of them in a group."""
    half = questions // 2
    children: list[dict[str, object]] = [
        {"kind": "question", "name": f"q{i}", "type": "text"} for i in range(half)
    ]
    inner = [{"kind": "question", "name": f"g{i}", "type": "text"} for i in range(questions - half)]
    children.append({"kind": "group", "name": "more", "children": inner})
    return json.dumps({"key": "huge", "version": "1", "title": {}, "children": children})


def test_a_stored_definition_beyond_the_form_size_limit_is_refused_with_the_count() -> None:
    # The group counts as an item too: one question fewer than the limit, plus its group.
    assert len(FormDefinition.from_json(_stored_json(MAX_QUESTIONS - 1)).questions()) == 9_999
    with pytest.raises(FormDefinitionError) as caught:
        FormDefinition.from_json(_stored_json(MAX_QUESTIONS))
    assert str(caught.value) == (
        "form 'huge': the form has 10,001 questions, groups, notes and calculations; "
        "a form may have at most 10,000: split it into several forms"
    )
