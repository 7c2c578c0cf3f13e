"""A form may have MAX_QUESTIONS questions, groups, notes and calculations: a form at the
limit validates, one beyond it is refused at once with a message saying what to do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import forms.definition.limits
from forms.authoring.loader import load_form
from forms.definition.limits import MAX_QUESTIONS
from forms.errors import FormDefinitionError
from forms.logic.checks import compile_form
from tests.forms.authoring.large_forms import write_chain_workbook, write_chain_yaml

WRITERS: dict[str, Callable[[Path, int], Path]] = {
    "yaml": write_chain_yaml,
    "xlsx": write_chain_workbook,
}


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_form_at_the_limit_with_chained_calculations_validates(
    tmp_path: Path, suffix: str
) -> None:
    form = load_form(WRITERS[suffix](tmp_path / f"chain.{suffix}", MAX_QUESTIONS))
    assert len(form.questions()) == MAX_QUESTIONS
    # Each calculation adds 1 to the one before: the last is the start plus 9,999.
    values = compile_form(form).evaluate({"c0": 1}).values
    assert values[f"c{MAX_QUESTIONS - 1}"] == MAX_QUESTIONS


@pytest.mark.parametrize(("suffix", "where"), [("yaml", "survey"), ("xlsx", "survey row 10003")])
def test_one_more_is_refused_naming_the_count_the_limit_and_what_to_do(
    tmp_path: Path, suffix: str, where: str
) -> None:
    with pytest.raises(FormDefinitionError) as caught:
        load_form(WRITERS[suffix](tmp_path / f"chain.{suffix}", MAX_QUESTIONS + 1))
    message = caught.value.message
    assert "10,001 questions, groups, notes and calculations" in message
    assert "a form may have at most 10,000: split it into several forms" in message
    # A workbook is read no further than the first row beyond the limit (row 1 names the
    # columns, row 2 is metadata).
    assert caught.value.where == where


def test_groups_notes_and_calculations_count_but_not_end_of_group_or_metadata_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forms.definition.limits, "MAX_QUESTIONS", 4)
    path = tmp_path / "small.yaml"
    rows = [
        "{type: start, name: start}",
        "{type: begin_group, name: visit}",
        "{type: note, name: hello, label: Hello}",
        "{type: text, name: greeting}",
        "{type: calculate, name: two, calculation: '1 + 1'}",
        "{type: end_group}",
    ]
    path.write_text("survey:\n" + "".join(f"  - {row}\n" for row in rows), encoding="utf-8")
    assert [q.name for q in load_form(path).questions()] == ["hello", "greeting", "two"]
    path.write_text(path.read_text() + "  - {type: text, name: one_more}\n", encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="the form has 5 questions, groups, notes"):
        load_form(path)
