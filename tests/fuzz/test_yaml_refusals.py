"""Regressions found by the fuzz suite in reading YAML forms (forms/authoring/yamlform.py):
each was a crash (exit 1, "see the log") and is now a refusal naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.authoring.loader import load_form
from forms.errors import FormDefinitionError

FORM = "settings: {form_id: f, version: '1'}\nsurvey:\n  - {type: text, name: q, label: Q}\n"


def refusal(tmp_path: Path, row: str) -> FormDefinitionError:
    path = tmp_path / "form.yaml"
    path.write_text(FORM + row + "\n", encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_form(path)
    return caught.value


@pytest.mark.parametrize(
    ("label", "says"),
    [
        pytest.param(
            "2026-02-30", "'2026-02-30' looks like a date or time but is not one", id="date"
        ),
        pytest.param("2026-01-01 25:61:61", "looks like a date or time but is not one", id="time"),
        pytest.param("!!timestamp 2026-13-45", "(month must be in 1..12)", id="timestamp-tag"),
        pytest.param("!!timestamp soon", "'soon' looks like a date or time", id="not-a-date"),
        pytest.param("!!bool maybe", "'maybe' cannot be read as bool", id="bool-tag"),
        pytest.param("!!int twelve", "'twelve' cannot be read as int", id="int-tag"),
    ],
)
def test_a_value_yaml_cannot_build_is_refused_naming_its_line(
    tmp_path: Path, label: str, says: str
) -> None:
    error = refusal(tmp_path, f"  - {{type: text, name: r, label: {label}}}")
    assert error.where == "line 4, column 34"
    assert says in error.message
    assert "put it in quotes to keep it as text" in error.message


def test_an_integer_of_thousands_of_digits_is_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, "  - {type: integer, name: r, label: R, weight: " + "9" * 5000 + "}")
    assert "has 5,000 digits, more than any form needs" in error.message


def test_a_hexadecimal_integer_of_thousands_of_digits_is_refused(tmp_path: Path) -> None:
    # Python reads 0x... of any length, then cannot write it as decimal text.
    error = refusal(
        tmp_path, "  - {type: integer, name: r, label: R, weight: 0x" + "f" * 5000 + "}"
    )
    assert error.where == "survey[1].weight"
    assert "a number of thousands of digits" in error.message


@pytest.mark.parametrize("key", ["[a, b]", "{a: b}"], ids=["list", "mapping"])
def test_a_key_that_is_a_list_or_a_mapping_is_refused(tmp_path: Path, key: str) -> None:
    error = refusal(tmp_path, f"  - type: text\n    name: r\n    ? {key}\n    : c")
    assert error.where == "line 6, column 7"
    assert "a key here is a list or a mapping" in error.message


def test_a_set_tag_where_a_mapping_is_expected_is_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, "  - !!set [a]")
    assert "this is not valid YAML" in error.message


def test_yaml_nested_past_the_parsers_limit_is_refused_as_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text("survey: " + "{a: " * 1500 + "1" + "}" * 1500 + "\n", encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="nests lists or mappings thousands deep"):
        load_form(path)


def test_yes_and_no_stay_text_with_the_faster_parser(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(
        "survey:\n  - {type: select_one yn, name: q, label: Q, required: yes}\n"
        "choices:\n  yn:\n    - {name: yes, label: Yes}\n    - {name: no, label: No}\n",
        encoding="utf-8",
    )
    form = load_form(path)
    assert [choice.name for choice in form.choice_lists["yn"]] == ["yes", "no"]
    assert form.question("q").required
