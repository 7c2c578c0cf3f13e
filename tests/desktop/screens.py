"""Every screen and dialog of the app, opened on the sample data, for tests of the whole look.

`every_screen` walks a window through its screens and yields each top-level widget as the
user sees it; the tests then read what is drawn (colours, sizes) from the widgets.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.kiosk_flow import KioskSession, KioskSetup, PinLockout, kiosk_forms
from desktop.main_window import MainWindow
from desktop.views.first_start import FirstStartDialog
from desktop.views.help import AboutDialog, ShortcutsDialog
from desktop.views.kiosk import KioskWindow
from desktop.views.kiosk_start import KioskStartDialog
from desktop.views.pin_dialog import PinDialog, SetPinDialog
from desktop.views.start_dialog import StartEvaluationDialog
from forms.storage import Store
from forms.storage.kiosk_pin import check_kiosk_pin, set_kiosk_pin
from reports.queries.screens import agents, site_list


def settle(qtbot: QtBot) -> None:
    """Let layouts and deferred deletes finish."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    qtbot.wait(20)


def _shown(widget: QWidget, qtbot: QtBot, size: tuple[int, int] | None) -> QWidget:
    if size is not None:
        widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot)
    return widget


def every_screen(
    qtbot: QtBot, store: Store, size: tuple[int, int]
) -> Iterator[tuple[str, QWidget]]:
    """(name, widget) of every screen at `size` and every dialog at its own size."""
    window = MainWindow(store, actor="shopper")
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitUntil(lambda: window.home.model.rowCount() == 8, timeout=10_000)
    window.home.table.selectRow(0)
    settle(qtbot)
    yield "home", window

    window.show_submissions()
    qtbot.waitUntil(lambda: window.submissions.model.rowCount() > 0, timeout=10_000)
    settle(qtbot)
    yield "submissions", window
    window.submissions.table.selectRow(0)
    window.submissions.open_row(0)
    detail = window.submissions.detail
    assert detail is not None
    yield "detail", _shown(detail, qtbot, None)
    detail.close()

    forms = {info.key: info.id for info in store.list_forms()}
    location = window.home.model.row_at(0)
    shop = store.start_submission(
        forms["mystery_shop_empathy"], location_id=location.id, channel="phone", actor="shopper"
    )
    window.open_evaluation(shop)
    evaluation = window.evaluation
    assert evaluation is not None
    evaluation.filling.set_answer("channel", "phone")
    evaluation.show_page(0)
    settle(qtbot)
    window.statusBar().clearMessage()
    yield "evaluation", window
    evaluation.show_page(evaluation.page_count() - 1)
    settle(qtbot)
    yield "review", window

    window.show_reports()
    settle(qtbot)
    yield "reports", window

    window.show_admin()
    admin = window.admin
    assert admin is not None
    for index in range(admin.tabs.count()):
        admin.tabs.setCurrentIndex(index)
        settle(qtbot)
        yield f"admin-{admin.tabs.tabText(index).replace('&', '').split()[0].lower()}", window
    admin.tabs.setCurrentIndex(0)

    admin.sites.add_location()
    record = admin.sites.dialog
    assert record is not None
    qtbot.waitExposed(record)
    existing = site_list(store)[0]
    for key, value in (("code", existing.code), ("name", existing.name), ("city", "Anywhere")):
        record.edits[key].setText(value)
    record.try_save()
    settle(qtbot)
    yield "site-dialog-error", record
    record.close()

    for name, dialog in (
        (
            "start-dialog",
            StartEvaluationDialog(
                [(info.id, f"{info.title} (v{info.version})") for info in store.list_forms()],
                site_list(store, include_inactive=False),
                agents(store),
                window,
            ),
        ),
        ("kiosk-start", KioskStartDialog(kiosk_forms(store), site_list(store), window)),
        ("set-pin", SetPinDialog(window)),
        ("pin", PinDialog(lambda _pin: False, PinLockout(), window)),
        ("shortcuts", ShortcutsDialog(window.menuBar(), window)),
        ("about", AboutDialog(store.shown_url, window)),
        ("first-start", FirstStartDialog(store, window.background, window)),
    ):
        qtbot.addWidget(dialog)
        yield name, _shown(dialog, qtbot, None)
        dialog.close()

    set_kiosk_pin(store, "0000")
    session = KioskSession(store, KioskSetup(forms["customer_survey"], location.id))
    kiosk = KioskWindow(session, lambda pin: check_kiosk_pin(store, pin))
    qtbot.addWidget(kiosk)
    _shown(kiosk, qtbot, size)
    yield "kiosk-en", kiosk
    spanish = next(name for name in kiosk.language_buttons if "(es)" in name)
    kiosk.switch(spanish)
    assert kiosk.session.filling.language == spanish
    settle(qtbot)
    yield "kiosk-es", kiosk
    kiosk.leave()
