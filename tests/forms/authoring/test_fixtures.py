"""Real XLSForm workbooks written by others (pyxform's test suite): each one either loads,
or fails with one error naming the row and the feature Rapport does not support."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from forms.authoring.loader import load_form
from forms.authoring.xlsform import read_workbook, write_workbook
from forms.definition.model import FormDefinition, Group
from forms.errors import FormDefinitionError
from tests.fixtures import XLSFORM_WORKBOOKS as FIXTURES


def names(form: FormDefinition) -> list[str]:
    return [q.name for q in form.questions()]


def check_odk_validate_warnings(form: FormDefinition) -> None:
    # "phone number" is pyxform's old spelling of a text question; label:English one colon.
    assert names(form) == ["family_name", "phone_number", "age"]
    assert form.question("phone_number").type == "text"
    assert form.question("age").label == {"English": "asdf"}
    assert (form.key, form.version) == ("ODKValidateWarnings", "1")


def check_choice_filter(form: FormDefinition) -> None:
    # allow_choice_duplicates lets "king" appear twice in counties, once per state.
    assert names(form) == ["state", "county", "city"]
    assert form.question("county").choice_filter == "${state}=cf"
    counties = form.choice_lists["counties"]
    assert [c.name for c in counties].count("king") == 2
    assert counties[0].extra == {"cf": "washington"}
    assert form.settings_extra == {"allow_choice_duplicates": "yes"}


def check_extra_columns(form: FormDefinition) -> None:
    assert names(form) == ["a"]
    assert form.question("a").label == {"default": "A"}


def check_field_list(form: FormDefinition) -> None:
    group = form.children[0]
    assert isinstance(group, Group)
    assert (group.name, names(form)) == ("name", ["table_list_question"])
    assert form.question("table_list_question").hint == {"default": "hint"}
    yes = form.choice_lists["yes_no"][0]
    assert yes.label == {"default": "Yes", "chinese": "是"}
    assert yes.extra == {}  # its empty image cell is not kept


def check_group(form: FormDefinition) -> None:
    assert [(s.name, [q.name for q in s.questions]) for s in form.sections()] == [
        ("general", ["family_name"]),
        ("father", ["phone_number", "age"]),
    ]
    assert form.languages == ("English (en)",)


def check_text_and_integer(form: FormDefinition) -> None:
    assert [(q.name, q.type) for q in form.questions()] == [
        ("your_name", "text"),
        ("your_age", "integer"),
    ]


def check_yes_or_no(form: FormDefinition) -> None:
    question = form.question("good_day")
    assert (question.type, question.list_name) == ("select_one", "yes_or_no")
    assert [c.name for c in form.choices(question)] == ["yes", "no"]


LOADS: dict[str, Callable[[FormDefinition], None]] = {
    "ODKValidateWarnings.xlsx": check_odk_validate_warnings,
    "choice_filter_test.xlsx": check_choice_filter,
    "extra_columns.xlsx": check_extra_columns,
    "field-list.xlsx": check_field_list,
    "group.xlsx": check_group,
    "text_and_integer.xlsx": check_text_and_integer,
    "yes_or_no_question.xlsx": check_yes_or_no,
}
# file -> (where, question, what the message must say)
FAILS: dict[str, tuple[str, str, str]] = {
    "UCL_Biomass_Plot_Form.xlsx": (
        "survey row 16, column A (type)",
        "region_id",
        "type 'select_one_from_file UCL_regions.csv': choices from an external file",
    ),
    "bad_calc.xlsx": (
        "survey row 2, column D (calculation)",
        "badcalc",
        "calculation: the text starting with ' is never closed",
    ),
    "case_insensitivity.xlsx": (
        "SURVEY row 3, column A (TYPE)",
        "q2",
        "type 'select_one_external c1': choices from an external file",
    ),
    "duplicate_columns.xlsx": (
        "survey row 1",
        "",
        "column D (label) and column E (label) are the same column 'label'",
    ),
    "flat_xlsform_test.xlsx": (
        "survey row 30, column A (type)",
        "acknowledge_test",
        "type 'acknowledge': acknowledge questions are not supported",
    ),
    "loop.xlsx": (
        "survey row 2, column A (type)",
        "available_toilet_types",
        "'or specify other' is not supported",
    ),
    "specify_other.xlsx": (
        "survey row 2, column A (type)",
        "sex",
        "'or specify other' is not supported",
    ),
    "xlsform_spec_test.xlsx": (
        "survey row 15, column A (type)",
        "repeat_test",
        "type 'begin repeat': repeat groups are not supported yet",
    ),
}


def test_every_fixture_has_an_expected_outcome() -> None:
    found = {path.name for path in FIXTURES.glob("*.xlsx")}
    assert found == set(LOADS) | set(FAILS)


@pytest.mark.parametrize("name", sorted(LOADS))
def test_fixture_loads(name: str, tmp_path: Path) -> None:
    form = load_form(FIXTURES / name)
    LOADS[name](form)
    # What Rapport writes, it reads back unchanged.
    copy = tmp_path / name
    write_workbook(form, copy)
    assert load_form(copy) == form


@pytest.mark.parametrize("name", sorted(FAILS))
def test_fixture_fails_naming_row_and_feature(name: str) -> None:
    where, question, says = FAILS[name]
    with pytest.raises(FormDefinitionError) as caught:
        load_form(FIXTURES / name)
    error = caught.value
    assert (error.where, error.question) == (where, question)
    assert says in error.message
    assert error.source == str(FIXTURES / name)


def test_reading_a_fixture_keeps_where_each_row_came_from() -> None:
    rows = read_workbook(FIXTURES / "UCL_Biomass_Plot_Form.xlsx")
    # Blank spreadsheet rows are skipped without shifting the row numbers.
    assert [row.where for row in rows.survey[3:6]] == [
        "survey row 5",
        "survey row 7",
        "survey row 8",
    ]
    assert rows.choices[0].cells["name"] == "yes"  # the header was "name " with a space
