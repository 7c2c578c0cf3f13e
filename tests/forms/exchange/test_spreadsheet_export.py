"""Spreadsheets of submissions: one row per submission, one column per question."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms.definition.model import Choice, FormDefinition, Question
from forms.exchange import ExchangeError
from forms.exchange.spreadsheet_export import FIXED_COLUMNS, export_csv, export_xlsx
from forms.period import Period
from forms.storage import Store
from tests.forms.exchange.work import finished_visit, shopper_work


def kiosk_form(version: str = "1", *, extra: bool = False) -> FormDefinition:
    questions = [
        Question(name="rating", type="select_one", list_name="stars", required=True),
        Question(name="liked", type="select_multiple", list_name="things"),
        Question(name="said", type="text"),
    ]
    if extra:
        questions.append(Question(name="return_visit", type="integer"))
    return FormDefinition(
        key="kiosk",
        version=version,
        title={"default": "Kiosk survey"},
        kind="customer_survey",
        children=tuple(questions),
        choice_lists={
            "stars": tuple(Choice(name=str(n), points=n) for n in range(1, 6)),
            "things": (Choice(name="clean"), Choice(name="friendly"), Choice(name="quick")),
        },
    )


def survey(store: Store, form_id: int, day: int, answers: dict[str, object]) -> str:
    return finished_visit(
        store,
        form_id,
        visit_at=datetime(2026, 5, day, 8, 15, tzinfo=UTC),
        answers=answers,
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_a_row_per_submission_and_a_column_per_question(
    store: Store, tmp_path: Path
) -> None:
    form_id = store.add_form(kiosk_form())
    first = survey(
        store, form_id, 3, {"rating": "5", "liked": ["clean", "quick"], "said": "Très bien ✓"}
    )
    second = survey(store, form_id, 4, {"rating": "2", "said": '=HYPERLINK("http://x")'})
    draft = store.start_submission(form_id)
    store.save_answer(draft, "rating", "4")

    out = tmp_path / "kiosk.csv"
    export_csv(store, out, form_key="kiosk")

    rows = read_csv(out)
    assert list(rows[0]) == [*FIXED_COLUMNS, "rating", "liked", "said"]
    assert [row["submission_id"] for row in rows] == [first, second]
    assert rows[0]["liked"] == "clean quick"
    assert rows[0]["said"] == "Très bien ✓"
    assert rows[0]["visit_time_utc"] == "2026-05-03 08:15:00"
    assert rows[0]["status"] == "final"
    assert rows[0]["respondent_kind"] == "customer"
    assert rows[1]["liked"] == ""
    assert rows[1]["said"] == '\'=HYPERLINK("http://x")', "a spreadsheet must not run answers"


def test_scores_and_comments_of_a_visit_are_in_its_row(store: Store, tmp_path: Path) -> None:
    work = shopper_work(store)
    out = tmp_path / "visits.csv"
    export_csv(store, out)

    rows = {row["submission_id"]: row for row in read_csv(out)}
    assert set(rows) == {work.with_photo, work.accepted}
    failed = rows[work.accepted]
    assert failed["status"] == "accepted"
    assert failed["critical_failure"] == "TRUE"
    assert float(failed["score"]) == 0
    assert float(failed["raw_score"]) == 50, "greeted (2 of 2) and not resolved (0 of 2)"
    assert failed["band"] == "Below"
    assert failed["notes_comment"] == "Nobody said sorry about the wait — très long"
    assert failed["wait_minutes"] == "40"
    good = rows[work.with_photo]
    assert (good["location_code"], good["agent_name"]) == ("LOBBY-1", "Maria Alvarez")
    assert good["photo"] == "spill.jpg"
    assert float(good["empathy_index"]) == pytest.approx(200 / 3), "greeted 2 of 2, smiled 0 of 1"


def test_csv_needs_a_form_when_several_have_data(store: Store, tmp_path: Path) -> None:
    shopper_work(store)
    survey(store, store.add_form(kiosk_form()), 3, {"rating": "5"})
    out = tmp_path / "all.csv"
    with pytest.raises(ExchangeError, match="--form KEY \\(kiosk, store_visit\\)"):
        export_csv(store, out)
    with pytest.raises(ExchangeError, match="no form with key 'kiosks'; stored forms: kiosk"):
        export_csv(store, out, form_key="kiosks")
    assert not out.exists()


def test_xlsx_has_a_sheet_per_form_with_typed_cells(store: Store, tmp_path: Path) -> None:
    work = shopper_work(store)
    survey(store, store.add_form(kiosk_form()), 3, {"rating": "5", "said": "@SUM(A1:A9)"})
    out = tmp_path / "all.xlsx"
    export_xlsx(store, out)

    workbook = load_workbook(out)
    assert workbook.sheetnames == ["kiosk", "store_visit"]
    visits = list(workbook["store_visit"].iter_rows(values_only=True))
    header = visits[0]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in visits[1:]}
    accepted = by_id[work.accepted]
    assert accepted["critical_failure"] is True
    assert accepted["visit_time_utc"] == datetime(2026, 3, 20, 9, 30)
    assert accepted["wait_minutes"] == 40
    assert accepted["raw_score"] == 50
    kiosk = workbook["kiosk"]
    said = kiosk.cell(row=2, column=list(next(kiosk.values)).index("said") + 1)
    assert (said.value, said.data_type) == ("@SUM(A1:A9)", "s")


def test_columns_cover_every_version_of_the_form(store: Store, tmp_path: Path) -> None:
    old = survey(store, store.add_form(kiosk_form("1")), 3, {"rating": "4"})
    new = survey(
        store, store.add_form(kiosk_form("2", extra=True)), 4, {"rating": "5", "return_visit": 3}
    )
    out = tmp_path / "kiosk.csv"
    export_csv(store, out, form_key="kiosk")

    rows = {row["submission_id"]: row for row in read_csv(out)}
    assert (rows[old]["form_version"], rows[old]["return_visit"]) == ("1", "")
    assert (rows[new]["form_version"], rows[new]["return_visit"]) == ("2", "3")


def test_a_period_keeps_the_visits_of_those_days(store: Store, tmp_path: Path) -> None:
    form_id = store.add_form(kiosk_form())
    ids = [survey(store, form_id, day, {"rating": "3"}) for day in (1, 2, 3)]
    out = tmp_path / "kiosk.csv"
    export_csv(store, out, period=Period(datetime(2026, 5, 2).date(), datetime(2026, 5, 3).date()))
    assert [row["submission_id"] for row in read_csv(out)] == ids[1:]


@pytest.mark.parametrize("accepted_only", [False, True])
def test_an_export_holds_the_visits_the_reports_count(
    store: Store, tmp_path: Path, accepted_only: bool
) -> None:
    form_id = store.add_form(kiosk_form())
    accepted, final, rejected = (survey(store, form_id, day, {"rating": "4"}) for day in (1, 2, 3))
    store.review(accepted, actor="manager", decision="accepted")
    store.review(rejected, actor="manager", decision="rejected")
    store.set_setting("count_accepted_only", "yes" if accepted_only else "no")
    out = tmp_path / "kiosk.csv"
    export_csv(store, out)
    exported = {row["submission_id"] for row in read_csv(out)}
    assert exported == ({accepted} if accepted_only else {accepted, final})
    assert rejected not in exported
