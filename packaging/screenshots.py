"""Make the README's screenshots from the real app, on the sample data, offscreen.

Run with `make screenshots`: every screen (home, submissions, a submission's detail, an
evaluation and its review page, reports with a generated report, each administration tab,
the kiosk in English and in Spanish) at 1024x768 and at 1366x768, plus the home screen on a
dark desktop, land in packaging/screenshots/ as SCREEN-WIDTHxHEIGHT.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = Path(__file__).resolve().parent / "screenshots"
SIZES = ((1024, 768), (1366, 768))
SAMPLE_TODAY = date(2026, 6, 30)
REPORT_TIMEOUT_MS = 120_000


def _settle(app: object, ms: int = 150) -> None:
    """Let layouts, deferred deletes and paints finish."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _save(widget: object, name: str, size: tuple[int, int], over: object = None) -> None:
    """Grab `widget` (a dialog is drawn centred over the window `over`, as the user sees it)."""
    from PySide6.QtGui import QPainter

    path = OUT / f"{name}-{size[0]}x{size[1]}.png"
    picture = (over if over is not None else widget).grab()  # type: ignore[attr-defined]
    if over is not None:
        dialog = widget.grab()  # type: ignore[attr-defined]
        painter = QPainter(picture)
        painter.fillRect(picture.rect(), _shade())
        painter.drawPixmap(
            (picture.width() - dialog.width()) // 2,
            (picture.height() - dialog.height()) // 2,
            dialog,
        )
        painter.end()
    picture.save(str(path))
    print(f"Wrote {path}")


def _shade() -> object:
    from PySide6.QtGui import QColor

    return QColor(0, 0, 0, 60)


def _plan_visits(store: object) -> None:
    """Two assigned visits and a draft, so the home screen shows every list filled."""
    from forms.storage import Store
    from reports.queries.screens import agents, location_overview

    assert isinstance(store, Store)
    shop = store.latest_form_version("mystery_shop_empathy")
    assert shop is not None
    sites = {row.code: row.id for row in location_overview(store)}
    staff = agents(store)
    for code, days, brief in (
        ("GVM", 3, "Call about an overflowing bin by the food court; sound annoyed."),
        ("NTC", 8, "Report a wet floor near gate B12 in person and ask when it will be dried."),
    ):
        agent = next(a.id for a in staff if a.location_id == sites[code])
        store.add_assignment(
            location_id=sites[code],
            form_version_id=shop,
            agent_id=agent,
            shopper="shopper",
            due_date=date(2026, 7, days),
            scenario=brief,
        )
    draft = store.start_submission(shop, location_id=sites["LBD"], channel="chat")
    store.save_answer(draft, "channel", "chat", current_question="channel")


def _wait(signal: object, timeout_ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def _draft(store: object) -> str:
    """The one evaluation the screenshots fill, at Harbor Point Offices (the same at every size)."""
    from forms.filling import FormFilling
    from forms.storage import Store
    from reports.queries.screens import location_overview

    assert isinstance(store, Store)
    site = next(row.id for row in location_overview(store) if row.code == "HPO")
    shop = store.latest_form_version("mystery_shop_empathy")
    assert shop is not None
    submission = store.start_submission(shop, location_id=site, channel="phone", actor="shopper")
    filling = FormFilling(store, submission)
    for name, value in (("channel", "phone"), ("wait_minutes", 3), ("acted_upset", "yes")):
        filling.set_answer(name, value)
    return submission


def _window_screens(app: object, store: object, size: tuple[int, int], draft: str) -> None:
    """Every screen of the main window, and the submission detail over it, at `size`."""
    from desktop.main_window import MainWindow
    from forms.storage import Store

    assert isinstance(store, Store)
    window = MainWindow(store, actor="shopper", today=SAMPLE_TODAY)
    window.resize(*size)
    window.show()
    _wait(window.home.loaded, 10_000)
    window.home.select_location(window.home.model.row_at(2).id)
    _settle(app)
    _save(window, "home", size)

    window.show_submissions()
    _wait(window.submissions.loaded, 10_000)
    window.submissions.table.selectRow(1)
    _settle(app)
    _save(window, "submissions", size)
    window.submissions.open_row(1)
    detail = window.submissions.detail
    assert detail is not None
    detail.resize(min(detail.width(), size[0] - 80), min(detail.height(), size[1] - 80))
    _settle(app)
    _save(detail, "detail", size, over=window)
    detail.close()

    window.open_evaluation(draft)
    evaluation = window.evaluation
    assert evaluation is not None
    evaluation.show_page(1)
    evaluation.question_widgets["greeting_rating"].editor.buttons["4"].click()  # type: ignore[attr-defined]
    _settle(app)
    window.statusBar().clearMessage()
    _save(window, "evaluation", size)
    evaluation.show_page(evaluation.page_count() - 1)
    _settle(app)
    _save(window, "review", size)

    window.show_reports()
    window.reports.select("location", "HPO")
    window.reports.set_period(date(2025, 7, 1), SAMPLE_TODAY)
    window.reports.generate()
    _wait(window.reports.report_ready, REPORT_TIMEOUT_MS)
    _settle(app, 400)
    _save(window, "reports", size)

    window.show_admin()
    admin = window.admin
    assert admin is not None
    for index in range(admin.tabs.count()):
        admin.tabs.setCurrentIndex(index)
        _settle(app)
        tab = admin.tabs.tabText(index).replace("&", "").split()[0].lower()
        _save(window, f"admin-{tab}", size)
    window.close()
    window.deleteLater()
    _settle(app)


def _kiosk_screens(app: object, store: object, size: tuple[int, int]) -> None:
    """The customer survey at the kiosk, in English and in Spanish."""
    from desktop.kiosk_flow import KioskSession, KioskSetup
    from desktop.views.kiosk import KioskWindow
    from forms.storage import Store
    from forms.storage.kiosk_pin import check_kiosk_pin
    from reports.queries.screens import site_list

    assert isinstance(store, Store)
    forms = {info.key: info.id for info in store.list_forms()}
    site = site_list(store)[2]
    session = KioskSession(store, KioskSetup(forms["customer_survey"], site.id))
    kiosk = KioskWindow(session, lambda pin: check_kiosk_pin(store, pin))
    kiosk.resize(*size)
    kiosk.show()
    session.filling.set_answer("csat", "5")
    session.forward()
    kiosk.show_question()
    _settle(app)
    _save(kiosk, "kiosk-en", size)
    spanish = next(name for name in kiosk.language_buttons if "(es)" in name)
    kiosk.switch(spanish)
    _settle(app)
    _save(kiosk, "kiosk-es", size)
    kiosk.leave()
    kiosk.deleteLater()
    _settle(app)


def _dark_home(app: object, store: object, size: tuple[int, int]) -> None:
    """The home screen as a computer with a dark desktop shows it."""
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from desktop.theme import apply_theme, dark_desktop_palette
    from forms.storage import Store

    assert isinstance(app, QApplication)
    assert isinstance(store, Store)
    light = app.palette()
    apply_theme(app, dark_desktop_palette())  # type: ignore[arg-type]
    window = MainWindow(store, actor="shopper", today=SAMPLE_TODAY)
    window.resize(*size)
    window.show()
    _wait(window.home.loaded, 10_000)
    window.home.select_location(window.home.model.row_at(2).id)
    _settle(app)
    _save(window, "home-dark", size)
    window.close()
    window.deleteLater()
    _settle(app)
    apply_theme(app, light)


def main() -> int:
    """Write every screenshot; returns the exit code."""
    from PySide6.QtCore import QLocale, QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.theme import apply_theme
    from forms.sample.company import load_sample_data
    from forms.storage import Store
    from forms.storage.kiosk_pin import set_kiosk_pin

    OUT.mkdir(exist_ok=True)
    # Dates as a US manager sees them, whatever the machine making the screenshots uses.
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setOrganizationName("Rapport-screenshots")
    QSettings().clear()
    apply_theme(app)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'screenshots.db'}")
        load_sample_data(store, today=SAMPLE_TODAY)
        _plan_visits(store)
        set_kiosk_pin(store, "0000")
        draft = _draft(store)
        for size in SIZES:
            _window_screens(app, store, size, draft)
            _kiosk_screens(app, store, size)
        _dark_home(app, store, SIZES[-1])
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
