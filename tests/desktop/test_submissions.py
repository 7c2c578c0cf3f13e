"""The submissions screen as a manager uses it: filters, lazy loading, review actions."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.main_window import MainWindow
from desktop.models.submissions import KEEP_PAGES, LOADING, PAGE
from desktop.views import submission_detail
from desktop.views.dates import date_text, datetime_text
from desktop.views.submission_detail import SubmissionDetailDialog
from forms.storage import Store
from forms.storage.tables import Location, Submission
from reports.queries.submissions import SubmissionFilter, count_submissions, list_submissions


def open_submissions(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(store, actor="manager")
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.submissions.loaded):
        window.show_submissions()
    return window


def stored_count(store: Store, *conditions: object) -> int:
    with store.reading() as session:
        query = select(func.count()).select_from(Submission).where(*conditions)  # type: ignore[arg-type]
        return int(session.execute(query).scalar_one())


def test_rows_are_read_a_page_at_a_time_as_the_table_scrolls(
    qtbot: QtBot, sample_store: Store, qtmodeltester: ModelTester
) -> None:
    window = open_submissions(qtbot, sample_store)
    view = window.submissions
    total = stored_count(sample_store)
    assert total > 2 * PAGE
    assert view.count.text() == f"{total:,} submissions"
    assert view.model.rowCount() == total  # the scroll bar covers every visit at once
    assert view.model.pages_held() == 1
    view.table.scrollToBottom()
    last = view.model.index(total - 1, 1)
    qtbot.waitUntil(lambda: view.model.data(last) != LOADING)  # read in the background
    assert view.model.pages_held() == 2  # the first page and the last, nothing between
    ids = [view.model.row_at(r).id for r in range(total)]
    assert len(set(ids)) == total  # pages never overlap
    assert view.model.pages_held() <= KEEP_PAGES  # old pages are let go
    qtmodeltester.check(view.model)


def test_filters_narrow_the_table_to_what_the_database_holds(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_submissions(qtbot, sample_store)
    view = window.submissions
    with sample_store.reading() as session:
        harbor = session.execute(select(Location.id).where(Location.code == "HPO")).scalar_one()
    with qtbot.waitSignal(view.loaded):
        view.location_box.setCurrentIndex(view.location_box.findData(harbor))
        view.form_box.setCurrentIndex(view.form_box.findData("mystery_shop_empathy"))
        view.band_box.setCurrentIndex(view.band_box.findText("Exceeds"))
    expected = stored_count(
        sample_store,
        Submission.location_id == harbor,
        Submission.respondent_kind == "shopper",
        Submission.band == "Exceeds",
    )
    assert expected > 0
    assert view.model.rowCount() == expected
    assert {view.model.row_at(r).location for r in range(expected)} == {"Harbor Point Offices"}
    with qtbot.waitSignal(view.loaded):
        view.clear_filters()
    assert view.model.rowCount() == stored_count(sample_store)


def test_sorting_by_score_asks_the_database(qtbot: QtBot, sample_store: Store) -> None:
    window = open_submissions(qtbot, sample_store)
    view = window.submissions
    view.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    with sample_store.reading() as session:
        best = session.execute(select(func.max(Submission.score))).scalar_one()
    assert view.model.row_at(0).score == best


def test_period_filter_includes_both_days(sample_store: Store) -> None:
    wanted = SubmissionFilter(start=date(2026, 3, 1), end=date(2026, 3, 31))
    rows = list_submissions(sample_store, wanted, limit=10_000)
    assert len(rows) == count_submissions(sample_store, wanted) > 0
    assert all(r.visit_at is not None and r.visit_at.month == 3 for r in rows)


def png_bytes() -> bytes:
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#c33"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


@pytest.fixture
def visit_with_photo(store: Store) -> str:
    from forms.authoring.builtin import install_builtin_forms

    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    location = store.upsert_location("DEP", "Depot")
    submission_id = store.start_submission(ids["customer_survey"], location_id=location)
    store.save_answer(submission_id, "csat", "2", comment="Floor still wet")
    store.save_answer(submission_id, "felt_heard", "4")
    store.attach(submission_id, png_bytes(), filename="floor.png", media_type="image/png")
    store.finalize(submission_id, actor="customer")
    return submission_id


def test_a_submission_opens_read_only_with_photos_and_score(
    qtbot: QtBot, store: Store, visit_with_photo: str
) -> None:
    dialog = SubmissionDetailDialog(store, visit_with_photo, "manager")
    qtbot.addWidget(dialog)
    answers = dialog.answers
    shown = {
        answers.item(r, 1).text(): answers.item(r, 2).text() for r in range(answers.rowCount())
    }
    assert shown["How satisfied are you with today's service?"] == "Dissatisfied"
    assert shown["The staff listened to what I had to say."] == "Agree"
    comments = [answers.item(r, 4).text() for r in range(answers.rowCount())]
    assert "Floor still wet" in comments
    assert len(dialog.photo_labels) == 1
    assert not dialog.photo_labels[0].pixmap().isNull()
    assert "80.0" in dialog.summary.text()  # felt_heard 4 of 5
    assert dialog.accept_button.isEnabled()


def test_the_header_gives_the_visit_time_on_the_sites_clock_and_names_its_zone(
    qtbot: QtBot, store: Store
) -> None:
    from forms.authoring.builtin import install_builtin_forms

    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    site = store.upsert_location("HPO", "Harbor Point Offices", "Baltimore", "America/New_York")
    visit_at = datetime(2026, 11, 4, 11, 30, tzinfo=UTC)
    submission_id = store.start_submission(
        ids["customer_survey"], location_id=site, visit_at=visit_at
    )
    store.save_answer(submission_id, "csat", "4")
    store.finalize(submission_id, actor="customer")

    dialog = SubmissionDetailDialog(store, submission_id, "manager")
    qtbot.addWidget(dialog)

    # 11:30 UTC is 6:30 in Baltimore in November (EST).
    assert f"Visit: {date_text(date(2026, 11, 4))} 06:30 (America/New_York)" in dialog.where.text()


def test_manager_reopens_with_a_note_then_voids_and_both_are_audited(
    qtbot: QtBot, store: Store, visit_with_photo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = SubmissionDetailDialog(store, visit_with_photo, "manager")
    qtbot.addWidget(dialog)
    monkeypatch.setattr(submission_detail, "ask_text", lambda *args: "Check the CSAT answer")
    qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)
    assert store.draft(visit_with_photo).status == "revision_requested"
    assert not dialog.reopen_button.isEnabled()
    dialog.void("Duplicate of another survey")
    assert store.draft(visit_with_photo).status == "void"
    actions = [(e.action, e.actor) for e in store.audit_trail(visit_with_photo)]
    assert ("reopened", "manager") in actions
    assert ("voided", "manager") in actions
    history = [dialog.history.item(r).text() for r in range(dialog.history.count())]
    assert any("reopened by manager: Check the CSAT answer" in line for line in history)
    assert not dialog.void_button.isEnabled()


def test_an_action_the_store_refuses_is_shown_as_a_message(
    qtbot: QtBot, store: Store, visit_with_photo: str
) -> None:
    dialog = SubmissionDetailDialog(store, visit_with_photo, "manager")
    qtbot.addWidget(dialog)
    dialog.void("   ")
    assert not dialog.error.isHidden()
    assert "reason" in dialog.error.text()
    assert store.draft(visit_with_photo).status == "final"


def test_counted_in_reports_shows_what_the_reports_count_under_the_settings(
    qtbot: QtBot, sample_store: Store
) -> None:
    with sample_store.reading() as session:
        finals = list(session.scalars(select(Submission.id).where(Submission.status == "final")))
    for submission_id in finals[::5]:
        sample_store.review(submission_id, actor="manager", decision="accepted")
    sample_store.set_setting("count_accepted_only", "yes")
    window = open_submissions(qtbot, sample_store)
    view = window.submissions
    with qtbot.waitSignal(view.loaded):
        view.status_box.setCurrentIndex(view.status_box.findText("Counted in reports"))
    accepted = stored_count(sample_store, Submission.status == "accepted")
    assert view.count.text() == f"{accepted:,} submissions counted in reports"
    with qtbot.waitSignal(view.loaded):
        view.respondent_box.setCurrentIndex(view.respondent_box.findText("Shopper"))
    shoppers = stored_count(
        sample_store, Submission.status == "accepted", Submission.respondent_kind == "shopper"
    )
    assert view.count.text() == f"{shoppers:,} submissions counted in reports"
    assert 0 < shoppers < accepted


def test_a_pulse_response_shows_its_day_only_and_has_no_visit_report(
    qtbot: QtBot, sample_store: Store, tmp_path: Path
) -> None:
    window = open_submissions(qtbot, sample_store)
    view = window.submissions
    with qtbot.waitSignal(view.loaded):
        view.form_box.setCurrentIndex(view.form_box.findData("employee_pulse"))
    assert view.model.rowCount() > 0
    pulse = view.model.row_at(0)
    shown = view.model.data(view.model.index(0, 0))
    # The day it was answered, with no time of day (none is kept).
    assert shown == date_text(pulse.visit_at.date())
    assert ":" not in shown
    dialog = SubmissionDetailDialog(sample_store, pulse.id, "manager")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.pdf_button.isEnabled()
    assert "anonymous" in dialog.refusal.text()
    assert dialog.refusal.isVisible()
    history = [dialog.history.item(r).text() for r in range(dialog.history.count())]
    assert any("by anonymous" in line for line in history)
    # The header too gives the day it was answered, never a time.
    assert f"Visit: {date_text(pulse.visit_at.date())}" in dialog.where.text()
    assert not re.search(r"\d:\d\d", dialog.where.text())
    for line in history:
        if "by anonymous" in line:
            # The day only: no "hh:mm" beside it.
            assert not re.search(r"\d:\d\d", line), line
    for width in (1024, 1366):
        dialog.resize(width, 768)
        dialog.grab().save(str(tmp_path / f"pulse-detail-{width}.png"))
    # A mystery-shop visit keeps its time and its report.
    with qtbot.waitSignal(view.loaded):
        view.form_box.setCurrentIndex(view.form_box.findData("mystery_shop_empathy"))
    visit = view.model.row_at(0)
    assert view.model.data(view.model.index(0, 0)) == datetime_text(visit.visit_at)
    assert visit.visit_at.astimezone().strftime("%H:%M") in datetime_text(visit.visit_at)
    shop = SubmissionDetailDialog(sample_store, visit.id, "manager")
    qtbot.addWidget(shop)
    assert shop.pdf_button.isEnabled()
    assert shop.refusal.isHidden()
