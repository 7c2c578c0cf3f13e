"""The manager's screens as a manager meets them: Home's period and its dates, date fields in
the system's format, the visit header, voiding, empty tables, read-only data, and every
screen fitting a 1024 x 768 window."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QStyleOptionHeader
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.main_window import MainWindow
from desktop.models.locations import LocationTableModel
from desktop.views import submission_detail
from desktop.views.dates import DateField, date_text, parse_date
from desktop.views.home import HomeData, HomeView
from desktop.views.reports import ReportsView
from desktop.views.submission_detail import SubmissionDetailDialog, VoidDialog
from desktop.views.submissions import NO_MATCH
from forms.definition.limits import MAX_NOTE
from forms.period import NamedPeriod, Period, last_days
from forms.storage import Store
from forms.storage.recording import FinishedSubmission, record_finished_submissions
from forms.storage.tables import Location, Submission
from reports.queries.screens import location_overview
from reports.queries.submissions import (
    CRITICAL_BAND,
    SubmissionFilter,
    count_submissions,
    list_submissions,
)
from tests.conftest import SAMPLE_TODAY
from tests.desktop.test_home import shop_answers

SAMPLE_90_DAYS = last_days(90, SAMPLE_TODAY)


@pytest.fixture
def british_dates() -> Iterator[None]:
    """Dates written the British way (30/06/2026) while the test runs."""
    before = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    yield
    QLocale.setDefault(before)


def open_window(qtbot: QtBot, store: Store, size: tuple[int, int] = (1024, 768)) -> MainWindow:
    window = MainWindow(store, actor="manager")
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):
        window.home.set_period(SAMPLE_90_DAYS)
    return window


def figures(window: MainWindow) -> dict[str, tuple[int, float | None, float | None]]:
    return {row.code: (row.visits, row.score, row.nps) for row in window.home.model.rows()}


# -- Home's period ------------------------------------------------------------------------
@pytest.mark.usefixtures("british_dates")
def test_home_covers_the_last_90_days_up_to_today_and_shows_the_dates(qtbot: QtBot) -> None:
    home = HomeView(today=SAMPLE_TODAY)
    qtbot.addWidget(home)
    assert home.period() == SAMPLE_90_DAYS
    assert home.period_label.text() == "Figures cover 02/04/2026 to 30/06/2026 (90 days)."
    assert "compare with 02/01/2026 to 01/04/2026" in home.footnote.text()
    assert home.start_edit.line.text() == "02/04/2026"


def test_a_visit_at_one_site_leaves_every_other_sites_figures_alone(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = MainWindow(sample_store, actor="manager", today=SAMPLE_TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.home.model.rowCount() > 0, timeout=10_000)
    window.background.wait()
    assert window.home.period_box.currentText() == "Last 90 days"  # Home's own default
    assert window.home.period() == SAMPLE_90_DAYS
    before = figures(window)
    with sample_store.reading() as session:
        harbor = session.execute(select(Location.id).where(Location.code == "HPO")).scalar_one()
    shop = sample_store.latest_form_version("mystery_shop_empathy")
    assert shop is not None
    form = sample_store.form_definition(shop)
    # A visit recorded after the period: under the old rule ("90 days up to the newest
    # visit") it moved every site's window.
    later = FinishedSubmission(
        id=str(uuid.uuid4()),
        form_version_id=shop,
        answers=shop_answers(form, 2),
        visit_at=datetime(2026, 8, 20, 10, 0, tzinfo=UTC),
        location_id=harbor,
    )
    record_finished_submissions(sample_store, [later], actor="test")
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):
        window.refresh()
    assert figures(window) == before


@pytest.fixture
def clock_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Lets a test set the computer's time zone (TZ); the old one comes back after it."""
    yield
    monkeypatch.undo()
    time.tzset()


def set_time_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()


@pytest.mark.usefixtures("clock_zone")
def test_an_evening_visit_west_of_utc_counts_on_the_day_home_says_it_was_made(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_time_zone(monkeypatch, "America/New_York")
    with sample_store.reading() as session:
        site = session.execute(select(Location.id).where(Location.code == "HPO")).scalar_one()
    shop = sample_store.latest_form_version("mystery_shop_empathy")
    assert shop is not None
    evening = datetime(2026, 6, 30, 20, 30, tzinfo=ZoneInfo("America/New_York"))
    visit = str(uuid.uuid4())
    record_finished_submissions(
        sample_store,
        [
            FinishedSubmission(
                id=visit,
                form_version_id=shop,
                answers=shop_answers(sample_store.form_definition(shop), 2),
                visit_at=evening,
                location_id=site,
            )
        ],
        actor="test",
    )
    model = LocationTableModel()
    model.set_rows(location_overview(sample_store, period=SAMPLE_90_DAYS))
    row = next(r for r, found in enumerate(model.rows()) if found.id == site)
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "Last visit"
    )
    last_day = parse_date(str(model.data(model.index(row, column))))
    assert last_day is not None
    # Home's figures up to the day "Last visit" names hold that visit.
    home = HomeView(today=last_day)
    qtbot.addWidget(home)
    period = home.period()
    held = list_submissions(
        sample_store,
        SubmissionFilter(location_id=site, start=period.start, end=period.end),
        limit=1_000,
    )
    assert visit in {found.id for found in held}


@pytest.mark.usefixtures("clock_zone")
def test_homes_today_is_the_day_the_periods_count(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)
    # A zone whose calendar day differs from UTC's right now (behind before noon UTC, ahead
    # after it), so a "today" read from the computer's clock would show.
    set_time_zone(monkeypatch, "Etc/GMT+12" if now.hour < 12 else "Etc/GMT-14")
    assert date.today() != now.date()
    home = HomeView()
    qtbot.addWidget(home)
    assert home.period().end == datetime.now(UTC).date()
    assert "midnight to midnight UTC" in home.footnote.text()


def test_the_manager_changes_homes_period_and_the_figures_follow(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    home = window.home
    home.today = SAMPLE_TODAY
    with qtbot.waitSignal(home.loaded, timeout=10_000):
        home.period_box.setCurrentText("Last 12 months")
    year = NamedPeriod.LAST_12_MONTHS.period(SAMPLE_TODAY)
    assert home.period() == year
    assert date_text(year.start or SAMPLE_TODAY) in home.period_label.text()
    expected = {
        row.code: (row.visits, row.score, row.nps)
        for row in location_overview(sample_store, period=year)
    }
    assert figures(window) == expected
    assert figures(window) != {
        row.code: (row.visits, row.score, row.nps)
        for row in location_overview(sample_store, period=SAMPLE_90_DAYS)
    }


@pytest.mark.usefixtures("british_dates")
@pytest.mark.parametrize("today", [SAMPLE_TODAY, date(2024, 6, 30)])  # 2024: with a leap day
def test_last_12_months_are_the_same_days_on_home_and_on_the_reports_screen(
    qtbot: QtBot, sample_store: Store, today: date
) -> None:
    home = HomeView(today=today)
    qtbot.addWidget(home)
    home.period_box.setCurrentText("Last 12 months")
    reports = ReportsView(sample_store.url, today=today)
    qtbot.addWidget(reports)
    reports.preset_box.setCurrentText("Last 12 months")
    year = Period(date(today.year - 1, 7, 1), today)  # 1 July to 30 June, as on a calendar
    assert home.period() == year
    assert reports.period() == (year.start, year.end)
    assert reports.start_edit.line.text() == f"01/07/{today.year - 1}"  # the system's format


def test_no_label_of_the_reports_screen_is_cut_off(qtbot: QtBot, sample_store: Store) -> None:
    reports = ReportsView(sample_store.url, today=SAMPLE_TODAY)
    qtbot.addWidget(reports)
    reports.resize(1024, 700)
    reports.show()
    QApplication.processEvents()
    labels = {label.text(): label for label in reports.findChildren(QLabel) if label.buddy()}
    assert {"&From", "&To"} <= set(labels)
    for label in labels.values():
        drawn = sum(
            label.fontMetrics().horizontalAdvance(letter)
            for letter in label.text().replace("&", "")
        )
        assert label.width() >= drawn, label.text()  # "To" was cut to "Tc"


@pytest.mark.usefixtures("british_dates")
def test_typed_dates_choose_homes_period_and_a_backwards_one_is_refused(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    home = window.home
    home.end_edit.line.clear()
    with qtbot.waitSignal(home.loaded, timeout=10_000):
        qtbot.keyClicks(home.end_edit.line, "31/05/2026")
    assert home.period().end == date(2026, 5, 31)
    assert home.period_box.currentText() == "Chosen dates"
    kept = home.period()
    home.start_edit.line.selectAll()  # typed over: the old date goes as the new one comes
    qtbot.keyClicks(home.start_edit.line, "01/06/2026")
    assert "swap the two dates" in home.period_label.text()
    assert home.period() == kept


# -- date fields ----------------------------------------------------------------------------
@pytest.mark.usefixtures("british_dates")
def test_a_date_is_typed_over_an_empty_field_in_the_systems_format(qtbot: QtBot) -> None:
    field = DateField("From", empty_text="any day")
    qtbot.addWidget(field)
    assert field.date() is None
    assert field.line.text() == ""
    assert field.line.placeholderText() == "any day"
    qtbot.keyClicks(field.line, "01/11/2026")
    assert field.line.text() == "01/11/2026"
    assert field.date() == date(2026, 11, 1)
    field.line.clear()
    qtbot.keyClicks(field.line, "not a day")
    assert field.date() is None
    assert not field.valid()
    assert "Type a date like 30/06/2026" in field.line.toolTip()


@pytest.fixture
def american_dates() -> Iterator[None]:
    """Dates written the American way (6/30/26 for short, a two-digit year) while the test
    runs."""
    before = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(before)


@pytest.mark.usefixtures("american_dates")
def test_a_date_half_typed_is_no_day_until_its_year_is_whole(qtbot: QtBot) -> None:
    field = DateField("From")
    qtbot.addWidget(field)
    held: list[date | None] = []
    field.date_changed.connect(lambda: held.append(field.date()))
    qtbot.keyClicks(field.line, "3/4/2026")
    assert held == [date(2026, 3, 4)]  # never 4 March 2020 on the way
    held.clear()
    field.line.clear()
    qtbot.keyClicks(field.line, "12/31/99")
    assert held == [None]  # the clearing; "99" is no year while typing goes on
    qtbot.keyClick(field.line, Qt.Key.Key_Return)
    assert held == [None, date(1999, 12, 31)]  # the 99 nearest today, not 2099
    assert field.line.text() == "12/31/1999"


@pytest.mark.usefixtures("american_dates")
def test_typing_homes_last_day_never_reads_a_year_on_the_way(qtbot: QtBot) -> None:
    home = HomeView(today=SAMPLE_TODAY)
    qtbot.addWidget(home)
    periods: list[object] = []
    home.period_changed.connect(lambda: periods.append(home.period()))
    labels: list[str] = []
    home.end_edit.line.selectAll()
    for key in "6/15/2026":
        qtbot.keyClicks(home.end_edit.line, key)
        labels.append(home.period_label.text())
    assert periods == [Period(SAMPLE_90_DAYS.start, date(2026, 6, 15))]
    assert not any("swap the two dates" in label for label in labels)


def test_the_date_format_is_the_locales(qtbot: QtBot) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    try:
        field = DateField("Von")
        qtbot.addWidget(field)
        field.set_date(date(2026, 11, 1))
        assert field.line.text() == "01.11.2026"
        field.line.clear()
        qtbot.keyClicks(field.line, "2.3.26")
        qtbot.keyClick(field.line, Qt.Key.Key_Return)  # a short year counts once typed
        assert field.date() == date(2026, 3, 2)
    finally:
        QLocale.setDefault(before)


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")
def test_the_calendar_opens_at_today_or_at_the_date_held(qtbot: QtBot) -> None:
    field = DateField("From", empty_text="any day")
    qtbot.addWidget(field)
    field.show()
    field.open_calendar()
    today = date.today()
    assert (field.calendar.yearShown(), field.calendar.monthShown()) == (today.year, today.month)
    field.popup.hide()
    field.set_date(date(2024, 2, 10))
    field.open_calendar()
    assert (field.calendar.yearShown(), field.calendar.monthShown()) == (2024, 2)
    field.calendar.clicked.emit(field.calendar.selectedDate().addDays(3))
    assert field.date() == date(2024, 2, 13)
    assert not field.popup.isVisible()


@pytest.mark.usefixtures("british_dates")
def test_the_submissions_period_filter_is_typed_in_the_systems_format(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    with qtbot.waitSignal(window.submissions.loaded):
        window.show_submissions()
    view = window.submissions
    with qtbot.waitSignal(view.loaded):
        qtbot.keyClicks(view.start_edit.line, "01/03/2026")
    with qtbot.waitSignal(view.loaded):
        qtbot.keyClicks(view.end_edit.line, "31/03/2026")
    march = SubmissionFilter(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert view.current_filter() == march
    assert view.model.rowCount() == count_submissions(sample_store, march) > 0


# -- the visit in full ---------------------------------------------------------------------
def a_visit(store: Store, **wanted: object) -> str:
    rows = list_submissions(store, SubmissionFilter(**wanted), limit=1)  # type: ignore[arg-type]
    assert rows
    return rows[0].id


@pytest.mark.usefixtures("british_dates")
def test_the_visit_header_says_where_who_and_when(qtbot: QtBot, sample_store: Store) -> None:
    visit = a_visit(sample_store, respondent_kind="shopper", status="final")
    with sample_store.reading() as session:
        found = session.get(Submission, visit)
        assert found is not None
        assert found.visit_at is not None
        site = session.get(Location, found.location_id)
        assert site is not None
        visit_at = found.visit_at
    row = list_submissions(sample_store, SubmissionFilter(location_id=site.id), limit=500)
    agent = next(r.agent for r in row if r.id == visit)
    dialog = SubmissionDetailDialog(sample_store, visit, "manager")
    qtbot.addWidget(dialog)
    header = dialog.where.text()
    assert f"Site: {site.name}" in header
    assert f"Agent: {agent}" in header
    assert "Shopper: sample data" in header  # who recorded the sample company's visits
    assert date_text(visit_at.astimezone().date()) in header


def test_the_visit_header_and_void_reason_show_what_was_typed_not_markup(
    qtbot: QtBot, sample_store: Store
) -> None:
    visit = a_visit(sample_store, respondent_kind="shopper", status="final")
    with sample_store.reading() as session:
        found = session.get(Submission, visit)
        assert found is not None
        site = session.get(Location, found.location_id)
        assert site is not None
        code = site.code
    sample_store.upsert_location(code, "Smith & Sons")
    sample_store.void(visit, actor="manager", reason="dup <b>x</b>")
    dialog = SubmissionDetailDialog(sample_store, visit, "manager")
    qtbot.addWidget(dialog)
    assert "Site: Smith & Sons ·" in dialog.where.text()
    assert dialog.where.textFormat() == Qt.TextFormat.PlainText
    assert dialog.void_note is not None
    assert "Voided: dup <b>x</b>." in dialog.void_note.text()
    assert dialog.void_note.textFormat() == Qt.TextFormat.PlainText


def test_voiding_asks_first_says_it_cannot_be_undone_and_shows_the_reason(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit = a_visit(sample_store, respondent_kind="shopper", status="final")
    dialog = SubmissionDetailDialog(sample_store, visit, "manager")
    qtbot.addWidget(dialog)
    asking = VoidDialog(dialog)
    qtbot.addWidget(asking)
    assert "cannot be undone" in asking.findChild(type(dialog.where), "void_warning").text()
    assert not asking.void_button.isEnabled()  # no reason, no voiding
    qtbot.keyClicks(asking.reason, "Shopper knew the agent")
    assert asking.void_button.isEnabled()

    asking.reason.setText("x" * (MAX_NOTE + 50))
    assert len(asking.reason.text()) == MAX_NOTE  # the box stops where the store would
    reopening = submission_detail.note_dialog(dialog, "Reopen", "What should be changed?")
    qtbot.addWidget(reopening)
    reopening.setTextValue("y" * (MAX_NOTE + 50))
    assert len(reopening.textValue()) == MAX_NOTE

    monkeypatch.setattr(submission_detail, "ask_void_reason", lambda _parent: None)
    qtbot.mouseClick(dialog.void_button, Qt.MouseButton.LeftButton)
    assert sample_store.draft(visit).status == "final"  # changed their mind: nothing happens

    monkeypatch.setattr(
        submission_detail, "ask_void_reason", lambda _parent: "Shopper knew the agent"
    )
    qtbot.mouseClick(dialog.void_button, Qt.MouseButton.LeftButton)
    assert sample_store.draft(visit).status == "void"
    assert dialog.void_note is not None
    assert "Voided: Shopper knew the agent" in dialog.void_note.text()
    assert "status: <b>Void</b>" in dialog.summary.text()


def test_a_critical_failure_reads_the_same_in_the_list_and_the_visit(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    with qtbot.waitSignal(window.submissions.loaded):
        window.show_submissions()
    view = window.submissions
    with qtbot.waitSignal(view.loaded):
        view.band_box.setCurrentIndex(view.band_box.findText(CRITICAL_BAND))
    assert view.model.rowCount() > 0
    shown = {view.model.data(view.model.index(r, 7)) for r in range(view.model.rowCount())}
    assert shown == {"Critical failure"}
    bands = {view.band_box.itemText(i) for i in range(view.band_box.count())}
    assert "Critical failure" in bands
    assert "Meets" in bands
    dialog = SubmissionDetailDialog(sample_store, view.model.row_at(0).id, "manager")
    qtbot.addWidget(dialog)
    assert "(Critical failure)" in dialog.summary.text()


# -- empty screens --------------------------------------------------------------------------
def test_empty_home_tables_say_what_to_do_next(qtbot: QtBot, store: Store) -> None:
    window = MainWindow(store, actor="manager")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.home.empty_drafts.shown_text() != "", timeout=10_000)
    assert "No assignments for you" in window.home.empty_assignments.shown_text()
    assert "New evaluation" in window.home.empty_drafts.shown_text()
    assert "Add one in Administration" in window.home.empty_locations.shown_text()


def test_a_filter_with_no_results_says_so_and_offers_to_clear_it(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    with qtbot.waitSignal(window.submissions.loaded):
        window.show_submissions()
    view = window.submissions
    assert view.empty.shown_text() == ""
    with qtbot.waitSignal(view.loaded):
        view.start_edit.set_date(date(2030, 1, 1))
    assert view.model.rowCount() == 0
    assert view.empty.shown_text() == NO_MATCH
    assert view.empty.button is not None
    assert view.empty.button.isVisible()
    with qtbot.waitSignal(view.loaded):
        qtbot.mouseClick(view.empty.button, Qt.MouseButton.LeftButton)
    assert view.start_edit.date() is None
    assert view.model.rowCount() == count_submissions(sample_store, SubmissionFilter())
    assert view.empty.shown_text() == ""


# -- the window itself ----------------------------------------------------------------------
def test_the_visit_list_arrow_points_down_while_the_newest_come_first(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    with qtbot.waitSignal(window.submissions.loaded):
        window.show_submissions()
    view = window.submissions
    header = view.table.horizontalHeader()
    assert view.model.descending
    rows = [view.model.row_at(r).visit_at for r in range(5)]
    assert rows == sorted(rows, reverse=True)  # type: ignore[type-var]
    option = QStyleOptionHeader()
    header.initStyleOptionForIndex(option, 0)
    # Fusion draws "SortDown" as an arrow pointing down.
    assert option.sortIndicator == QStyleOptionHeader.SortIndicator.SortDown


def test_a_read_only_database_disables_recording_and_says_why(
    qtbot: QtBot, tmp_path: Path, sample_company_file: Path
) -> None:
    path = tmp_path / "stick" / "rapport.db"
    path.parent.mkdir()
    path.write_bytes(sample_company_file.read_bytes())
    with Store.open(f"sqlite:///{path}") as writable:  # work left open before it went read-only
        form = writable.latest_form_version("mystery_shop_empathy") or 0
        site = location_overview(writable, period=SAMPLE_90_DAYS)[0].id
        writable.add_assignment(location_id=site, form_version_id=form, shopper="manager")
        writable.start_submission(form, location_id=site, actor="manager")
    store = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true", create=False)
    try:
        window = MainWindow(store, actor="manager")
        qtbot.addWidget(window)
        window.show()
        for action in window.recording_actions:
            assert not action.isEnabled()
            assert "cannot be changed" in action.toolTip()
        home = window.home
        qtbot.waitUntil(lambda: home.draft_model.rowCount() > 0, timeout=10_000)
        assert home.assignment_model.rowCount() > 0
        for button in (
            home.new_button,
            home.start_assignment_button,
            home.resume_button,
            home.delete_button,
        ):
            assert not button.isEnabled(), button.text()
            assert "nothing new can be recorded" in button.toolTip()
        asked: list[object] = []
        for signal in (home.start_evaluation, home.start_assignment, home.resume_draft):
            signal.connect(lambda *args: asked.append(args))
        for table in (home.table, home.assignments, home.drafts):
            table.setFocus()
            table.setCurrentIndex(table.model().index(0, 0))
            qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter on a row starts nothing
        assert asked == []
        with qtbot.waitSignal(home.loaded, timeout=10_000):
            window.refresh()
        assert not home.start_assignment_button.isEnabled()  # a refresh keeps it so
        window.background.wait()
    finally:
        store.close()


def test_read_only_empty_tables_do_not_offer_new_evaluation(qtbot: QtBot) -> None:
    home = HomeView(today=SAMPLE_TODAY)
    qtbot.addWidget(home)
    home.set_read_only("Read-only: this data file cannot be changed: nothing new can be recorded.")
    home.show_data(HomeData([], [], []))
    for empty in (home.empty_assignments, home.empty_drafts):
        assert "New evaluation" not in empty.shown_text()
        assert "cannot be changed" in empty.shown_text()


def visible_sideways_scrollbars(root: object) -> list[str]:
    assert hasattr(root, "findChildren")
    return [
        view.objectName() or view.accessibleName() or type(view).__name__
        for view in root.findChildren(QAbstractItemView)
        if view.isVisible() and view.horizontalScrollBar().isVisible()
    ]


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
def test_every_manager_screen_fits_without_sideways_scrolling(
    qtbot: QtBot, sample_store: Store, size: tuple[int, int]
) -> None:
    visit = a_visit(sample_store, respondent_kind="shopper", status="final")
    sample_store.reopen(visit, actor="manager", note="Check the wait time")  # a long status
    form = sample_store.latest_form_version("mystery_shop_empathy") or 0
    sites = location_overview(sample_store, period=SAMPLE_90_DAYS)
    sample_store.add_assignment(
        location_id=sites[0].id,
        form_version_id=form,
        shopper="manager",
        due_date=date(2026, 7, 15),
        scenario="Ask for the cleaning schedule of the meeting rooms; act rushed.",
    )
    window = open_window(qtbot, sample_store, size)
    qtbot.waitUntil(lambda: window.home.draft_model.rowCount() > 0, timeout=10_000)
    QApplication.processEvents()
    assert visible_sideways_scrollbars(window) == []
    with qtbot.waitSignal(window.submissions.loaded):
        window.show_submissions()
    QApplication.processEvents()
    assert visible_sideways_scrollbars(window) == []
    window.submissions.table.selectRow(0)
    window.submissions.open_row(0)
    detail = window.submissions.detail
    assert detail is not None
    QApplication.processEvents()
    assert detail.isVisible()
    assert visible_sideways_scrollbars(detail) == []
    detail.close()
    window.show_reports()
    QApplication.processEvents()
    assert visible_sideways_scrollbars(window) == []
