"""The reports screen: a report is written in a child process while the window keeps
responding, and its first page shows in the preview."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from desktop.views import reports as reports_view
from forms.storage import Store

REPORT_TIMEOUT_MS = 90_000


def open_reports(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(store, actor="manager")
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    window.show_reports()
    return window


@pytest.mark.alone
def test_report_is_generated_while_the_event_loop_keeps_turning_and_previewed(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    view.select("location", "HPO")
    view.set_period(None, None)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(tick)
    heartbeat.start()
    pages_seen: list[int] = []
    view.job = None
    with qtbot.waitSignal(view.report_ready, timeout=REPORT_TIMEOUT_MS):
        view.generate()
        assert view.job is not None
        view.job.progress.connect(lambda done, _total: pages_seen.append(done))
    heartbeat.stop()

    assert len(gaps) > 20
    print(f"longest pause of the event loop: {max(gaps) * 1000:.0f} ms")
    assert max(gaps) < 0.25, f"the window froze for {max(gaps) * 1000:.0f} ms"
    assert pages_seen, "no page progress reached the progress bar"
    assert view.status.text().startswith("Done:")
    assert view.document.status() == QPdfDocument.Status.Ready
    assert view.document.pageCount() == len(PdfReader(view.pdf_path).pages)
    assert view.preview.pageNavigator().currentPage() == 0
    first = view.document.render(0, QSize(400, 560))
    assert not first.isNull()
    assert _ink(first) > 0.01, "the first page of the preview is blank"
    words = PdfReader(view.pdf_path).pages[0].extract_text()
    assert "Harbor Point Offices" in words

    saved = tmp_path / "harbor.pdf"
    monkeypatch.setattr(reports_view, "choose_save_path", lambda parent, suggested: saved)
    view.save()
    assert saved.read_bytes() == Path(view.pdf_path).read_bytes()


def _ink(image: QImage) -> float:
    """The share of sampled pixels that are not white."""
    dark = total = 0
    for y in range(0, image.height(), 8):
        for x in range(0, image.width(), 8):
            total += 1
            if image.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark / total


def test_a_report_can_be_cancelled(qtbot: QtBot, sample_store: Store) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    view.select("portfolio")
    view.generate()
    job = view.job
    assert job is not None
    assert view.cancel_button.isEnabled()
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        view.cancel()
    assert view.status.text() == "Cancelled."
    assert view.generate_button.isEnabled()
    assert not job.running()
    # Nothing is kept: not the PDF, not the child's temporary file.
    folder = Path(view.folder.path())
    qtbot.waitUntil(lambda: not list(folder.iterdir()), timeout=5000)


def test_an_unknown_subject_is_a_message_not_a_crash(qtbot: QtBot, sample_store: Store) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    view.select("location")
    view.subject_box.setItemData(view.subject_box.currentIndex(), "NOPE")
    view.generate()
    assert view.job is not None
    qtbot.waitUntil(lambda: view.job is None, timeout=REPORT_TIMEOUT_MS)
    assert "no location called 'NOPE'" in view.status.text()
    assert not view.save_button.isEnabled()


def test_a_visit_report_is_written_from_the_submissions_screen(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_reports(qtbot, sample_store)
    with qtbot.waitSignal(window.submissions.loaded):
        window.show_submissions()
    view = window.submissions
    with qtbot.waitSignal(view.loaded):
        view.form_box.setCurrentIndex(view.form_box.findData("mystery_shop_empathy"))
    visit = view.model.row_at(0)
    view.table.selectRow(0)
    view.open_row(0)
    assert view.detail is not None
    with qtbot.waitSignal(window.reports.report_ready, timeout=REPORT_TIMEOUT_MS):
        qtbot.mouseClick(view.detail.pdf_button, Qt.MouseButton.LeftButton)
    assert window.current_view() is window.reports
    assert window.reports.kind_box.currentData() == "visit"
    words = " ".join(page.extract_text() for page in PdfReader(window.reports.pdf_path).pages)
    assert visit.location in words


def finish_a_report(qtbot: QtBot, window: MainWindow, kind: str, subject: str | None) -> None:
    view = window.reports
    view.select(kind, subject)
    with qtbot.waitSignal(view.report_ready, timeout=REPORT_TIMEOUT_MS):
        view.generate()


def test_a_cancelled_run_leaves_no_old_report_to_save_under_the_new_name(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    finish_a_report(qtbot, window, "location", "HPO")
    assert view.save_button.isEnabled()
    view.select("portfolio")
    view.generate()
    job = view.job
    assert job is not None
    # The moment a new run starts, the old preview and its Save are gone.
    assert not view.save_button.isEnabled()
    assert not view.open_button.isEnabled()
    assert view.document.pageCount() == 0
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        view.cancel()
    assert not view.save_button.isEnabled()
    assert view.document.pageCount() == 0
    assert view.preview_pages.currentWidget() is view.no_report


def test_a_failed_run_leaves_nothing_to_save(qtbot: QtBot, sample_store: Store) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    finish_a_report(qtbot, window, "location", "HPO")
    view.select("location")
    view.subject_box.setItemData(view.subject_box.currentIndex(), "NOPE")
    view.generate()
    qtbot.waitUntil(lambda: view.job is None, timeout=REPORT_TIMEOUT_MS)
    assert "no location called 'NOPE'" in view.status.text()
    assert not view.save_button.isEnabled()
    assert not view.open_button.isEnabled()
    assert view.document.pageCount() == 0


def test_the_saved_file_is_named_after_the_run_that_made_it(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    finish_a_report(qtbot, window, "location", "HPO")
    view.select("portfolio")  # chosen, not generated: the preview is still Harbor Point's
    suggested: list[str] = []

    def choose(_parent: object, name: str) -> Path:
        suggested.append(name)
        return tmp_path / name

    monkeypatch.setattr(reports_view, "choose_save_path", choose)
    view.save()
    assert suggested == ["location-HPO.pdf"]
    assert (tmp_path / "location-HPO.pdf").read_bytes()[:5] == b"%PDF-"


def test_no_pdf_viewer_is_said_and_save_as_is_offered(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    finish_a_report(qtbot, window, "location", "HPO")
    monkeypatch.setattr(reports_view.QDesktopServices, "openUrl", lambda _url: False)
    offered: list[bool] = []

    def offer(_parent: object) -> bool:
        offered.append(True)
        return True

    monkeypatch.setattr(reports_view, "offer_save_instead", offer)
    monkeypatch.setattr(reports_view, "choose_save_path", lambda _p, name: tmp_path / name)
    qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    assert offered == [True]
    assert (tmp_path / "location-HPO.pdf").exists()
    assert "Saved to" in view.status.text()


def test_no_pdf_viewer_without_saving_says_what_happened(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    finish_a_report(qtbot, window, "location", "HPO")
    monkeypatch.setattr(reports_view.QDesktopServices, "openUrl", lambda _url: False)
    monkeypatch.setattr(reports_view, "offer_save_instead", lambda _parent: False)
    view.open_externally()
    assert "No PDF viewer" in view.status.text()
    assert "Save as" in view.status.text()


def test_before_any_report_the_preview_says_what_to_do(qtbot: QtBot, sample_store: Store) -> None:
    window = open_reports(qtbot, sample_store)
    view = window.reports
    assert view.preview_pages.currentWidget() is view.no_report
    assert view.no_report.isVisible()
    assert "Generate" in view.no_report.text()
