"""XLSForm workbooks: the spellings other tools write, round trips, and files that are not forms."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from forms.authoring.builder import build_form
from forms.authoring.loader import MAX_FORM_BYTES, load_form, save_form
from forms.authoring.xlsform import read_workbook, write_workbook
from forms.definition.model import DEFAULT_LANGUAGE, Group
from forms.errors import FormDefinitionError

DATA = Path(__file__).parent / "data"
Row = list[object]


def make_workbook(path: Path, sheets: dict[str, list[Row]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def load_error(path: Path) -> FormDefinitionError:
    with pytest.raises(FormDefinitionError) as caught:
        load_form(path)
    assert caught.value.source == str(path)
    return caught.value


def test_workbook_round_trip_gives_the_same_form(tmp_path: Path) -> None:
    form = load_form(DATA / "full_form.yaml")
    path = tmp_path / "visit.xlsx"
    write_workbook(form, path)
    assert build_form(read_workbook(path), source=str(path)) == form
    save_form(form, tmp_path / "saved.xlsx")
    assert load_form(tmp_path / "saved.xlsx") == form


def test_the_written_workbook_is_plain_xlsform(tmp_path: Path) -> None:
    path = tmp_path / "visit.xlsx"
    write_workbook(load_form(DATA / "full_form.yaml"), path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    header = [cell.value for cell in workbook["survey"][1]]
    # An untranslated text ("Resolution") goes in `label`, translations in `label::<language>`.
    assert header[:5] == ["type", "name", "label", "label::English (en)", "label::Español (es)"]
    assert {"weight", "critical", "tags", "coaching::English (en)", "points"} <= set(header)
    types = [row[0] for row in workbook["survey"].iter_rows(min_row=2, values_only=True)]
    assert types[:2] == ["begin_group", "select_one greeting_scale"]
    # The presets the form uses are written out, so other tools can read the workbook.
    lists = {row[0] for row in workbook["choices"].iter_rows(min_row=2, values_only=True)}
    assert lists == {"greeting_scale", "channels", "yes_no_na", "nps_0_10"}
    settings = dict(zip(*workbook["settings"].iter_rows(values_only=True), strict=True))
    assert settings["bands"] == "Exceeds:90 Meets:75 Below:0"
    assert settings["style"] == "pages"


def test_texts_that_look_like_formulas_stay_texts(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "in.xlsx",
        {"survey": [["type", "name", "label"], ["note", "n", "Hello"]]},
    )
    form = load_form(source)
    label = "=1+1 is what the agent wrote"
    form = form.model_copy(update={"title": {DEFAULT_LANGUAGE: '=HYPERLINK("x")'}})
    note = form.questions()[0].model_copy(update={"label": {DEFAULT_LANGUAGE: label}})
    form = form.model_copy(update={"children": (note,)})
    path = tmp_path / "out.xlsx"
    write_workbook(form, path)
    cells = [c for row in openpyxl.load_workbook(path)["survey"].iter_rows() for c in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert load_form(path) == form


def test_the_spellings_of_other_xlsform_tools_are_understood(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "kobo.xlsx",
        {
            "Survey": [
                ["TYPE", "Name", "Label::English (en)", "label::Español (es)", "Required", "image"],
                ["start", "start"],
                ["begin group", "desk", "Desk", "Mostrador"],
                ["select one yn", "clean", "Clean?", "¿Limpio?", "TRUE", "clean.jpg"],
                ["select_multiple  yn", "asked", "Asked?", "¿Preguntó?", "true()"],
                ["end group"],
                ["Integer", "age", "Age", "Edad", True],
                ["phone number", "phone", "Phone", "Teléfono", "no"],
                ["dateTime", "seen", "Seen", "Visto"],
            ],
            "CHOICES": [
                ["List Name", "name", "label::English (en)", "label::Español (es)", "Points"],
                ["yn", "yes", "Yes", "Sí", 1],
                ["yn", "no", "No", "No", 0],
            ],
            "settings": [["Form_ID", "version", "form_title"], ["kobo", 202611, "Kobo form"]],
        },
    )
    form = load_form(path)
    assert [(q.name, q.type, q.required) for q in form.questions()] == [
        ("clean", "select_one", True),
        ("asked", "select_multiple", True),
        ("age", "integer", True),
        ("phone", "text", False),
        ("seen", "datetime", False),
    ]
    desk = form.children[0]
    assert isinstance(desk, Group)
    assert desk.label == {"English (en)": "Desk", "Español (es)": "Mostrador"}
    assert form.languages == ("English (en)", "Español (es)")
    assert [c.points for c in form.choice_lists["yn"]] == [1.0, 0.0]
    assert (form.key, form.version, form.title) == ("kobo", "202611", {"default": "Kobo form"})


def test_old_single_colon_language_columns_are_understood(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "old.xlsx",
        {"survey": [["type", "name", "label:English", "hint:English"], ["text", "q", "Q?", "H"]]},
    )
    question = load_form(path).question("q")
    assert (question.label, question.hint) == ({"English": "Q?"}, {"English": "H"})


def test_two_headers_for_one_column_are_refused(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "twice.xlsx",
        {"survey": [["type", "name", "label", "Label"], ["text", "q", "A", "B"]]},
    )
    error = load_error(path)
    assert error.where == "survey row 1"
    assert "column C (label) and column D (Label) are the same column 'label'" in error.message


def test_errors_name_the_sheet_row_and_column(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "weights.xlsx",
        {"survey": [["type", "name", "weight"], ["text", "a"], ["text", "b", "-2"]]},
    )
    error = load_error(path)
    assert (error.where, error.question) == ("survey row 3, column C (weight)", "b")
    assert str(error).startswith(f"{path}, survey row 3, column C (weight), question 'b': ")


def test_a_workbook_without_survey_sheet_or_type_column_is_explained(tmp_path: Path) -> None:
    no_survey = make_workbook(tmp_path / "a.xlsx", {"questions": [["type", "name"]]})
    assert "no sheet named 'survey' (its sheets: 'questions')" in load_error(no_survey).message
    no_type = make_workbook(tmp_path / "b.xlsx", {"survey": [["kind", "name"], ["text", "q"]]})
    assert "has no 'type' column" in load_error(no_type).message


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.xlsx", b"", "this file is empty"),
        ("empty.yaml", b"", "this file is empty"),
        ("table.xlsx", b"type,name,label\ntext,q,Q?\n", "may be a CSV or text file renamed"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "damaged"),
        ("legacy.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "(.xls)"),
        ("legacy.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "(.xls)"),
        ("form.csv", b"type,name\n", "not '.csv' files"),
        ("form.json", b"{}", "not '.json' files"),
        (
            "latin1.yaml",
            "survey: [{type: text, name: q, label: Caf\xe9}]".encode("latin-1"),
            "UTF-8",
        ),
    ],
)
def test_files_that_are_not_forms_get_one_clear_error(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    error = load_error(path)
    assert says in error.message
    assert str(path) in str(error)


def test_a_truncated_workbook_is_reported_as_damaged(tmp_path: Path) -> None:
    whole = tmp_path / "whole.xlsx"
    write_workbook(load_form(DATA / "full_form.yaml"), whole)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "damaged" in load_error(cut).message


def test_a_workbook_that_is_a_zip_of_something_else_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a workbook")
    assert "damaged" in load_error(path).message


def test_a_file_over_ten_megabytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as file:
        file.truncate(MAX_FORM_BYTES + 1)
    error = load_error(path)
    assert "10.0 MB" in error.message
    assert "10 MB" in error.message


def test_missing_file_and_unknown_save_format(tmp_path: Path) -> None:
    assert "does not exist" in load_error(tmp_path / "nowhere.yaml").message
    form = load_form(DATA / "full_form.yaml")
    with pytest.raises(FormDefinitionError, match=r"\.yaml or \.xlsx"):
        save_form(form, tmp_path / "form.pdf")


def test_importing_forms_loads_neither_openpyxl_nor_yaml() -> None:
    code = (
        "import sys\n"
        "import forms.authoring.builder, forms.authoring.loader\n"
        "import forms.authoring.xlsform, forms.authoring.yamlform\n"
        "print(sorted(m for m in ('openpyxl', 'yaml') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_workbook_without_questions_is_refused(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "only_meta.xlsx",
        {"survey": [["type", "name"], ["start", "start"], ["end", "end"]]},
    )
    error = load_error(path)
    assert (error.where, error.message) == (
        "survey",
        "the form has no questions; add rows to the survey",
    )
