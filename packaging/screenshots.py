"""Make the README's screenshots from the real app, on the sample data, offscreen.

Run with `make screenshots`; home.png, evaluation.png, kiosk.png and report.png land in
packaging/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = Path(__file__).resolve().parent / "screenshots"
SIZE = (1200, 760)
SAMPLE_TODAY = date(2026, 6, 30)
REPORT_TIMEOUT_MS = 120_000


def _settle(app: object, ms: int = 150) -> None:
    """Let layouts, deferred deletes and paints finish."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _save(widget: object, name: str) -> None:
    path = OUT / name
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    print(f"Wrote {path}")


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


def main() -> int:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.kiosk_flow import KioskSession, KioskSetup
    from desktop.main_window import MainWindow
    from desktop.views.kiosk import KioskWindow
    from forms.sample.company import load_sample_data
    from forms.storage import Store
    from forms.storage.kiosk_pin import check_kiosk_pin, set_kiosk_pin

    OUT.mkdir(exist_ok=True)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setOrganizationName("Rapport-screenshots")
    QSettings().clear()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'screenshots.db'}")
        load_sample_data(store, today=SAMPLE_TODAY)
        _plan_visits(store)
        window = MainWindow(store, actor="shopper")
        window.resize(*SIZE)
        window.show()
        loaded = QEventLoop()
        window.home.loaded.connect(loaded.quit)
        QTimer.singleShot(10_000, loaded.quit)
        loaded.exec()
        window.home.select_location(window.home.model.row_at(2).id)
        _settle(app)
        _save(window, "home.png")

        forms = {info.key: info.id for info in store.list_forms()}
        first = window.home.model.row_at(2)
        submission = store.start_submission(
            forms["mystery_shop_empathy"], location_id=first.id, channel="phone", actor="shopper"
        )
        window.open_evaluation(submission)
        evaluation = window.evaluation
        assert evaluation is not None
        for name, value in (("channel", "phone"), ("wait_minutes", 3), ("acted_upset", "yes")):
            evaluation.filling.set_answer(name, value)
        evaluation.go_next()
        evaluation.question_widgets["greeting_rating"].editor.buttons["4"].click()  # type: ignore[attr-defined]
        _settle(app)
        _save(window, "evaluation.png")

        window.show_reports()
        window.reports.select("location", first.code)
        window.reports.set_period(date(2025, 7, 1), SAMPLE_TODAY)
        done = QEventLoop()
        window.reports.report_ready.connect(done.quit)
        QTimer.singleShot(REPORT_TIMEOUT_MS, done.quit)
        window.reports.generate()
        done.exec()
        _settle(app, 400)
        _save(window, "report.png")
        window.close()

        set_kiosk_pin(store, "0000")
        session = KioskSession(store, KioskSetup(forms["customer_survey"], first.id))
        kiosk = KioskWindow(session, lambda pin: check_kiosk_pin(store, pin))
        kiosk.resize(*SIZE)
        kiosk.show()
        session.filling.set_answer("csat", "5")
        session.forward()
        kiosk.show_question()
        _settle(app)
        _save(kiosk, "kiosk.png")
        kiosk.leave()
        # Qt objects go before the interpreter tears Python objects down in any order.
        for widget in (kiosk, window):
            widget.deleteLater()
        _settle(app)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
