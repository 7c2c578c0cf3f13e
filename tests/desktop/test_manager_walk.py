"""A manager's morning, end to end through the window: open Submissions, review a visit and
accept it, write the location report of its site, save it, and find a PDF where it was
saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from desktop.views import reports as reports_view
from forms.period import last_days
from forms.storage import Store
from tests.conftest import SAMPLE_TODAY

REPORT_TIMEOUT_MS = 90_000


def test_a_manager_reviews_a_visit_then_saves_its_sites_report(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(sample_store, actor="manager")
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()

    # Submissions, narrowed to finalized mystery shops waiting for a review.
    with qtbot.waitSignal(window.submissions.loaded, timeout=10_000):
        window.screen_actions["submissions"].trigger()
    assert window.current_view() is window.submissions
    view = window.submissions
    with qtbot.waitSignal(view.loaded):
        view.form_box.setCurrentIndex(view.form_box.findData("mystery_shop_empathy"))
    with qtbot.waitSignal(view.loaded):
        view.status_box.setCurrentIndex(view.status_box.findData("final"))
    waiting = view.model.rowCount()
    assert waiting > 0
    visit = view.model.row_at(0)

    # Open it, read where and when, accept it.
    view.table.selectRow(0)
    qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    detail = view.detail
    assert detail is not None
    assert f"Site: {visit.location}" in detail.where.text()
    with qtbot.waitSignal(view.loaded):
        qtbot.mouseClick(detail.accept_button, Qt.MouseButton.LeftButton)
    assert sample_store.draft(visit.id).status == "accepted"
    assert "status: <b>Accepted</b>" in detail.summary.text()
    assert not detail.accept_button.isEnabled()
    assert view.model.rowCount() == waiting - 1  # it left the list of visits to review
    detail.close()

    # Reports: the location report of that visit's site over the sample's last 90 days.
    window.screen_actions["reports"].trigger()
    reports = window.reports
    assert window.current_view() is reports
    assert not reports.save_button.isEnabled()
    reports.select("location")
    site = reports.subject_box.findText(visit.location)
    assert site >= 0
    reports.subject_box.setCurrentIndex(site)
    period = last_days(90, SAMPLE_TODAY)
    reports.set_period(period.start, period.end)
    with qtbot.waitSignal(reports.report_ready, timeout=REPORT_TIMEOUT_MS):
        qtbot.mouseClick(reports.generate_button, Qt.MouseButton.LeftButton)
    assert reports.status.text().startswith("Done:")

    # Save as… to a file of the manager's choosing.
    target = tmp_path / "out" / "site report.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(reports_view, "choose_save_path", lambda _parent, _name: target)
    qtbot.mouseClick(reports.save_button, Qt.MouseButton.LeftButton)
    assert reports.status.text() == f"Saved to {target}."
    assert target.read_bytes()[:5] == b"%PDF-"
    words = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert visit.location in words
