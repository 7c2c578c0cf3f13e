"""`rapport forms validate|import|export|list` and `rapport score`, as a form author uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from forms.authoring.loader import builtin_form_paths, load_form
from forms.definition.limits import MAX_QUESTIONS
from forms.files import normal_file_mode
from forms.storage import Store
from tests.fixtures import XLSFORM_WORKBOOKS as FIXTURES
from tests.forms.authoring.large_forms import write_chain_workbook, write_chain_yaml


def test_validate_a_good_workbook_says_what_it_holds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "validate", str(FIXTURES / "group.xlsx")]) == 0
    assert "OK" in capsys.readouterr().out


def test_validate_a_broken_workbook_names_row_column_and_question(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["forms", "validate", str(FIXTURES / "bad_calc.xlsx")]) == 2
    message = capsys.readouterr().err
    assert "bad_calc.xlsx" in message
    assert "row 2" in message
    assert "badcalc" in message


@pytest.mark.parametrize("suffix", ["yaml", "xlsx"])
def test_validate_a_form_beyond_the_size_limit_exits_2_saying_to_split_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    write = write_chain_yaml if suffix == "yaml" else write_chain_workbook
    path = write(tmp_path / f"huge.{suffix}", MAX_QUESTIONS + 1)
    assert main(["forms", "validate", str(path)]) == 2
    message = capsys.readouterr().err
    assert f"huge.{suffix}" in message
    assert "10,001 questions, groups, notes and calculations" in message
    assert "a form may have at most 10,000: split it into several forms" in message


def test_import_of_a_broken_form_stores_nothing(db_url: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "settings: {form_id: broken, version: '1'}\n"
        "survey:\n  - {type: select_one missing_list, name: q1, label: Q1}\n",
        encoding="utf-8",
    )
    assert main(["forms", "import", str(broken), "--db", db_url]) == 2
    with Store.open(db_url) as store:
        assert [info.key for info in store.list_forms()] == []


def test_import_then_export_gives_the_same_form_back(db_url: str, tmp_path: Path) -> None:
    source = next(p for p in builtin_form_paths() if p.name == "customer_survey.yaml")
    assert main(["forms", "import", str(source), "--db", db_url]) == 0
    out = tmp_path / "survey.xlsx"
    assert main(["forms", "export", "customer_survey", "--db", db_url, "-o", str(out)]) == 0
    assert load_form(out) == load_form(source)
    assert out.stat().st_mode & 0o777 == normal_file_mode()


def test_score_prints_every_figure_needed_to_check_it_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = next(p for p in builtin_form_paths() if p.name == "customer_survey.yaml")
    answers = tmp_path / "answers.json"
    # The three empathy items score 1-5 with weight 1: (5 + 4 + 3) / (3 * 5) = 80 %.
    answers.write_text(
        json.dumps({"csat": "5", "felt_heard": "5", "felt_understood": "4", "felt_valued": "3"}),
        encoding="utf-8",
    )
    assert main(["score", str(source), str(answers)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"overall", "band", "critical_failure", "raw_score", "empathy_index", "sections"} <= set(
        result
    )
    assert result["overall"] == pytest.approx(80.0)
    assert result["empathy_index"] == pytest.approx(80.0)
    assert result["critical_failure"] is False
    section = result["sections"][0]
    assert {"name", "score", "counted", "excluded"} <= set(section)
    assert set(section["counted"]) == {"felt_heard", "felt_understood", "felt_valued"}


def test_score_with_answers_that_are_not_json_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = next(p for p in builtin_form_paths() if p.name == "customer_survey.yaml")
    answers = tmp_path / "answers.json"
    answers.write_text("{felt_heard: 5", encoding="utf-8")
    assert main(["score", str(source), str(answers)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_score_refuses_a_number_of_thousands_of_digits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = next(p for p in builtin_form_paths() if p.name == "customer_survey.yaml")
    answers = tmp_path / "answers.json"
    answers.write_text('{"csat": "5", "nps": ' + "9" * 5000 + "}", encoding="utf-8")
    assert main(["score", str(source), str(answers)]) == 2
    assert "no answer is that large" in capsys.readouterr().err
