"""`rapport kiosk --location CODE`: a kiosk laptop starts straight into the survey after a
restart; wrong codes are refused with what there is, and the PIN is still needed to leave."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import desktop.app
from desktop.cli import main
from desktop.kiosk_flow import KioskSession, KioskSetup
from desktop.main_window import MainWindow
from desktop.views.kiosk import KioskWindow
from desktop.views.kiosk_unavailable import UNAVAILABLE_TEXT, KioskUnavailableWindow
from forms.authoring.builtin import install_builtin_forms
from forms.storage import Store, StoreError
from forms.storage.kiosk_pin import set_kiosk_pin


@pytest.fixture
def kiosk_db(store: Store, db_url: str) -> str:
    """A database with the built-in forms, one site (HPO) and a manager PIN."""
    install_builtin_forms(store)
    store.upsert_location("HPO", "Harbor Point Offices")
    set_kiosk_pin(store, "4821")
    return db_url


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[KioskSetup]:
    """The kiosks `rapport kiosk` would start (the app itself is not run)."""
    setups: list[KioskSetup] = []
    monkeypatch.setattr(
        desktop.app, "run_kiosk_app", lambda store, setup: setups.append(setup) or 0
    )
    return setups


def test_kiosk_starts_the_customer_survey_at_the_site(
    kiosk_db: str, store: Store, started: list[KioskSetup]
) -> None:
    assert main(["kiosk", "--db", kiosk_db, "--location", "HPO"]) == 0
    (setup,) = started
    assert store.form_definition(setup.form_version_id).key == "customer_survey"
    assert setup.location_id == store.upsert_location("HPO", "Harbor Point Offices")
    assert main(["kiosk", "--db", kiosk_db, "--location", "HPO", "--form", "employee_pulse"]) == 0
    assert store.form_definition(started[1].form_version_id).key == "employee_pulse"


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (
            ["--location", "NOPE"],
            "--location NOPE: there is no active location with that code; use one of HPO "
            "(Harbor Point Offices)",
        ),
        (
            ["--location", "HPO", "--form", "site_inspection"],
            "--form site_inspection: the form 'site_inspection' asks for photos "
            "(entrance_lobby_photo, restrooms_photo and 6 more), and a kiosk never "
            "opens the laptop's files to a customer: choose a form without photo questions",
        ),
        (
            ["--location", "HPO", "--form", "survey"],
            "--form survey: there is no form with that key; use one of customer_survey, "
            "employee_pulse, mystery_shop_empathy, site_inspection",
        ),
    ],
)
def test_a_wrong_code_is_refused_with_the_codes_there_are(
    kiosk_db: str,
    started: list[KioskSetup],
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    said: str,
) -> None:
    assert main(["kiosk", "--db", kiosk_db, *arguments]) == 2
    assert capsys.readouterr().err.strip() == f"rapport: {said}"
    assert started == []


def test_a_kiosk_without_a_manager_pin_is_refused(
    store: Store, db_url: str, started: list[KioskSetup], capsys: pytest.CaptureFixture[str]
) -> None:
    install_builtin_forms(store)
    store.upsert_location("HPO", "Harbor Point Offices")
    assert main(["kiosk", "--db", db_url, "--location", "HPO"]) == 2
    assert "no manager PIN is set" in capsys.readouterr().err
    assert started == []


def test_the_kiosk_fills_the_screen_and_only_the_pin_leaves_it(
    qtbot: QtBot, kiosk_db: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPPORT_QUIT_AFTER_START", "1")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the app sets its own
    windows: list[MainWindow] = []  # kept, as the running program keeps its window
    show_kiosk = MainWindow.show_kiosk

    def keep(window: MainWindow, session: KioskSession) -> None:
        windows.append(window)
        show_kiosk(window, session)

    monkeypatch.setattr(MainWindow, "show_kiosk", keep)
    assert main(["kiosk", "--db", kiosk_db, "--location", "HPO"]) == 0
    kiosks = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == kiosks
    (kiosk,) = kiosks
    assert kiosk.isFullScreen()
    assert kiosk.geometry() == kiosk.screen().availableGeometry()
    assert not kiosk.close()  # Alt+F4 or the window manager: the PIN is asked
    assert kiosk.isVisible()
    dialog = kiosk.pin_dialog
    assert dialog is not None
    dialog.pin.setText("4821")
    dialog.try_pin()
    assert not kiosk.isVisible()
    (window,) = windows
    assert window.isVisible()  # the manager is in Rapport
    window.close()
    for widget in (*kiosks, *windows):
        widget.deleteLater()


def test_a_kiosk_that_cannot_start_says_so_and_never_opens_the_app_in_its_place(
    qtbot: QtBot,
    kiosk_db: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The laptop is unattended: whoever stands at it must not get Submissions, Void or
    Administration because the database was busy when the kiosk started after a reboot."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the app sets its own
    busy = "the database stayed busy for more than 10 seconds; try again"
    sweep = Store.discard_abandoned_kiosk_drafts

    def stays_busy(self: Store, **_given: object) -> int:
        raise StoreError(busy)

    monkeypatch.setattr(Store, "discard_abandoned_kiosk_drafts", stays_busy)
    said: list[str] = []
    monkeypatch.setattr(MainWindow, "show_error", lambda window, message: said.append(message))
    seen: list[list[str]] = []

    def visible() -> list[str]:
        return [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]

    def what_the_customer_sees(app: QApplication) -> int:
        seen.append(visible())
        (unavailable,) = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        assert isinstance(unavailable, KioskUnavailableWindow)
        assert unavailable.isFullScreen()
        assert not unavailable.close()  # Alt+F4: the PIN is asked
        assert unavailable.pin_dialog is not None
        unavailable.pin_dialog.reject()
        unavailable.retry()  # 30 s later, still busy: still the notice
        seen.append(visible())
        monkeypatch.setattr(Store, "discard_abandoned_kiosk_drafts", sweep)
        unavailable.retry()  # the database is free again: the survey
        seen.append(visible())
        (kiosk,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
        kiosk.leave()
        return 0

    monkeypatch.setattr(QApplication, "exec", what_the_customer_sees)
    assert main(["kiosk", "--db", kiosk_db, "--location", "HPO"]) == 0
    assert seen == [
        ["KioskUnavailableWindow"],
        ["KioskUnavailableWindow"],
        ["KioskWindow"],
    ]
    assert said == []
    assert f"the survey cannot start yet ({busy})" in capsys.readouterr().err
    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()


def test_the_pin_closes_an_unavailable_kiosk(qtbot: QtBot) -> None:
    def never(*_given: object) -> KioskSession:
        raise StoreError("the database stayed busy")

    unavailable = KioskUnavailableWindow(never, lambda pin: pin == "4821", "busy", retry_ms=50)
    qtbot.addWidget(unavailable)
    unavailable.show_full_screen()
    qtbot.waitExposed(unavailable)
    assert unavailable.notice.text() == UNAVAILABLE_TEXT
    qtbot.wait(200)  # several tries: still there
    assert unavailable.isVisible()
    unavailable.ask_pin()
    dialog = unavailable.pin_dialog
    assert dialog is not None
    assert dialog.message.text() == "The survey could not start: the database stayed busy"
    with qtbot.waitSignal(unavailable.left):
        dialog.pin.setText("4821")
        dialog.try_pin()
    assert not unavailable.isVisible()
