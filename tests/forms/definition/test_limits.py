"""Answers beyond any real answer's size are refused with a message naming the limit."""

from __future__ import annotations

import pytest

from forms.definition.limits import MAX_TEXT_ANSWER, answer_limit_problem
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
