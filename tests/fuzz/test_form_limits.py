"""Regressions found by the fuzz suite in what a form file may hold (forms/authoring/loader.py):
forms that validated but could not be exported and read back, or stored at all, and
refusals too long to read."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.authoring.loader import MAX_CELL, load_form
from forms.errors import FormDefinitionError
from tests.fuzz.corpus import FORM_CASES


def refusal(tmp_path: Path, text: str) -> FormDefinitionError:
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_form(path)
    return caught.value


def test_a_text_longer_than_a_workbook_cell_is_refused_naming_the_cell(tmp_path: Path) -> None:
    # It validated, then its XLSForm export came back cut at 32,767 characters.
    error = refusal(
        tmp_path, f"survey:\n  - {{type: text, name: q, label: {'x' * (MAX_CELL + 1)}}}\n"
    )
    assert error.where == "survey[0].label"
    assert "label is 32,768 characters long; a cell holds at most 32,767" in error.message


@pytest.mark.parametrize(
    ("escape", "code"), [("\\0", "U+0000"), ("\\a", "U+0007"), ("\\e", "U+001B")]
)
def test_a_control_character_is_refused_naming_it(tmp_path: Path, escape: str, code: str) -> None:
    # It validated, then `forms export -o F.xlsx` failed: openpyxl cannot write it (exit 1).
    error = refusal(tmp_path, f'survey:\n  - {{type: text, name: q, label: "a{escape}b"}}\n')
    assert error.where == "survey[0].label"
    assert f"holds the control character {code}" in error.message


@pytest.mark.parametrize("case", ["yaml-alias-bomb", "xlsx-shared-string-bomb"])
def test_a_small_file_repeating_a_long_text_is_refused(tmp_path: Path, case: str) -> None:
    # One 30,000-character label shared by thousands of questions: validated, then
    # `forms import` ran out of memory writing the form out (exit 1).
    path = FORM_CASES[case].write(tmp_path)
    assert path.stat().st_size < 1_100_000
    with pytest.raises(FormDefinitionError, match="the texts of this form add up to"):
        load_form(path)


def test_a_refusal_quoting_a_huge_value_is_shortened(tmp_path: Path) -> None:
    error = refusal(tmp_path, f"survey:\n  - {{type: select_one {'x' * 30_000}, name: q}}\n")
    assert len(error.message) < 300
    assert "characters left out]" in error.message
    assert error.message.endswith("or use a preset list (yes_no_na, nps_0_10)")


def test_a_refusal_shows_control_characters_as_escapes(tmp_path: Path) -> None:
    error = refusal(tmp_path, 'survey:\n  - {type: text, "name\\e[31m": q}\n')
    assert "\x1b" not in str(error)
    assert "\\x1b[31m" in str(error)
