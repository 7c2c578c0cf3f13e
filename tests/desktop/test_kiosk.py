"""Kiosk mode: a customer answers in Spanish; nobody leaves without the manager PIN."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.kiosk_flow import KioskSession, KioskSetup, language_code, language_name
from desktop.views.kiosk import KioskWindow
from desktop.views.pin_dialog import MAX_ATTEMPTS, PinDialog
from forms.authoring.builtin import install_builtin_forms
from forms.errors import RapportError
from forms.storage import Store
from forms.storage.kiosk_pin import check_kiosk_pin, hash_pin, pin_matches, set_kiosk_pin
from forms.storage.tables import Setting

PIN = "4821"


@pytest.fixture
def kiosk(qtbot: QtBot, store: Store) -> Iterator[KioskWindow]:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    location_id = store.upsert_location("HPO", "Harbor Point Offices")
    set_kiosk_pin(store, PIN)
    session = KioskSession(store, KioskSetup(ids["customer_survey"], location_id, "kiosk-1"))
    window = KioskWindow(session, lambda pin: check_kiosk_pin(store, pin), thanks_ms=300)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    yield window
    close_for_good(window)


def close_for_good(window: KioskWindow) -> None:
    """What a manager's PIN does, so each test ends with no kiosk or PIN dialog left open."""
    if window.pin_dialog is not None:
        window.pin_dialog.reject()
    window.leave()


def tap(qtbot: QtBot, kiosk: KioskWindow, text: str) -> None:
    """Touch the button showing `text` on the kiosk's question."""
    assert kiosk.question_widget is not None
    buttons = [b for b in kiosk.question_widget.findChildren(QPushButton) if b.text() == text]
    assert len(buttons) == 1, f"no single button {text!r} on {kiosk.session.current().name}"
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)


def on_screen(kiosk: KioskWindow) -> str:
    return kiosk.session.current().name


def test_a_customer_answers_the_survey_in_spanish(qtbot: QtBot, kiosk: KioskWindow) -> None:
    assert kiosk.isFullScreen()
    assert kiosk.next_button.minimumHeight() >= 64  # a finger's width, not a mouse pointer's
    assert kiosk.question_widget is not None
    assert "How satisfied" in kiosk.question_widget.label.text()
    qtbot.mouseClick(kiosk.language_buttons["Español (es)"], Qt.MouseButton.LeftButton)
    assert "¿Qué tan satisfecho" in kiosk.question_widget.label.text()
    assert kiosk.next_button.text() == "Siguiente"

    qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)  # nothing chosen yet
    assert kiosk.message.text() == "Elija una respuesta para continuar."
    assert on_screen(kiosk) == "csat"

    tap(qtbot, kiosk, "Satisfecho")  # a single choice moves on by itself
    qtbot.waitUntil(lambda: on_screen(kiosk) == "nps")
    hint = kiosk.question_widget.findChild(QLabel, "hint")
    assert hint is not None
    assert hint.text() == "0 = nada probable, 10 = muy probable"
    tap(qtbot, kiosk, "9")
    qtbot.waitUntil(lambda: on_screen(kiosk) == "effort")
    tap(qtbot, kiosk, "De acuerdo")
    qtbot.waitUntil(lambda: on_screen(kiosk) == "felt_heard")
    tap(qtbot, kiosk, "Totalmente de acuerdo")
    qtbot.waitUntil(lambda: on_screen(kiosk) == "felt_understood")
    qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)  # optional: skipped
    assert on_screen(kiosk) == "felt_valued"
    tap(qtbot, kiosk, "De acuerdo")
    qtbot.waitUntil(lambda: on_screen(kiosk) == "comment")
    qtbot.keyClicks(kiosk.question_widget.focus_target(), "Muy amables, gracias.")
    qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)
    assert on_screen(kiosk) == "contact_consent"
    assert kiosk.next_button.text() == "Enviar mis respuestas"  # the email question is hidden
    tap(qtbot, kiosk, "No")
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.thanks)
    assert "¡Gracias!" in kiosk.thanks.text()

    store = kiosk.session.store
    sent = store.draft(kiosk.session.filling.submission_id)
    assert sent.status == "final"
    assert sent.language == "Español (es)"
    assert sent.respondent_kind == "customer"
    assert dict(sent.answers) == {
        "csat": "4",
        "nps": "9",
        "effort": "6",
        "felt_heard": "5",
        "felt_valued": "4",
        "comment": "Muy amables, gracias.",
        "contact_consent": "no",
    }
    # The next customer starts afresh, in the default language.
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.survey)
    assert kiosk.session.filling.submission_id != sent.submission_id
    assert on_screen(kiosk) == "csat"
    assert "How satisfied" in kiosk.question_widget.label.text()


def test_leaving_kiosk_mode_needs_the_manager_pin(qtbot: QtBot, kiosk: KioskWindow) -> None:
    left: list[bool] = []
    kiosk.left.connect(lambda: left.append(True))
    assert not kiosk.close()  # the window manager's close button, Alt+F4
    assert kiosk.isVisible()
    dialog = kiosk.pin_dialog
    assert isinstance(dialog, PinDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.pin, "1234")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.message.text() == "That PIN is not right. Try again."
    assert kiosk.isVisible()
    assert left == []
    dialog.reject()
    qtbot.keyClick(kiosk, Qt.Key.Key_Escape)
    dialog = kiosk.pin_dialog
    assert isinstance(dialog, PinDialog)
    qtbot.waitUntil(dialog.isVisible)
    for digit in PIN:  # the on-screen keypad
        key = next(b for b in dialog.keys if b.text() == digit)
        qtbot.mouseClick(key, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert left == [True]
    assert not kiosk.isVisible()


def test_repeated_wrong_pins_lock_the_keypad(qtbot: QtBot, kiosk: KioskWindow) -> None:
    kiosk.ask_pin()
    dialog = kiosk.pin_dialog
    assert dialog is not None
    for _attempt in range(MAX_ATTEMPTS):
        dialog.pin.setText("0000")
        dialog.try_pin()
    assert not dialog.ok_button.isEnabled()
    dialog.pin.setText(PIN)
    dialog.try_pin()
    assert kiosk.isVisible()  # even the right PIN waits out the lockout


def test_the_kiosk_offers_nothing_but_the_survey(qtbot: QtBot, kiosk: KioskWindow) -> None:
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [kiosk]
    assert kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint
    qtbot.keyClick(kiosk, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(kiosk, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert kiosk.isVisible()


def test_pin_is_stored_as_a_salted_scrypt_hash(store: Store) -> None:
    set_kiosk_pin(store, PIN)
    with store.reading() as session:
        stored = session.get(Setting, "kiosk_pin")
    assert stored is not None
    assert PIN not in stored.value
    assert stored.value.startswith("scrypt$")
    assert pin_matches(PIN, stored.value)
    assert not pin_matches("4822", stored.value)
    assert hash_pin(PIN) != hash_pin(PIN)  # a fresh salt each time
    with pytest.raises(RapportError, match="at least 4 digits"):
        set_kiosk_pin(store, "12")


def test_language_names_and_codes_follow_xlsform_spelling() -> None:
    assert language_code("Español (es)") == "es"
    assert language_name("Español (es)") == "Español"
    assert language_code(None) == "en"
    assert language_code("Deutsch (de-AT)") == "de"


def test_abandoned_survey_starts_over_for_the_next_customer(qtbot: QtBot, store: Store) -> None:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    session = KioskSession(store, KioskSetup(ids["customer_survey"], None))
    window = KioskWindow(session, lambda pin: False, idle_ms=200)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    first = session.filling.submission_id
    assert window.question_widget is not None
    buttons = window.question_widget.findChildren(QPushButton)
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.waitUntil(lambda: session.filling.submission_id != first, timeout=3000)
    assert store.draft(first).status == "draft"  # never counted
    close_for_good(window)


def test_kiosk_mode_hides_the_main_window_until_the_pin_is_given(
    qtbot: QtBot, sample_store: Store
) -> None:
    from desktop.main_window import MainWindow

    set_kiosk_pin(sample_store, PIN)
    window = MainWindow(sample_store, actor="manager")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.home.model.rowCount() > 0)
    survey = sample_store.latest_form_version("customer_survey")
    assert survey is not None
    window.open_kiosk(KioskSetup(survey, window.home.model.row_at(0).id))
    kiosk = window.kiosk
    assert kiosk is not None
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [kiosk]
    kiosk.ask_pin()
    assert kiosk.pin_dialog is not None
    kiosk.pin_dialog.pin.setText(PIN)
    kiosk.pin_dialog.try_pin()
    assert window.isVisible()
    assert window.kiosk is None


def answer_everything(session: KioskSession) -> None:
    """What a customer does at the kiosk: an answer on every screen, then Send."""
    choices = {"csat": "4", "nps": "9", "effort": "6"}
    while True:
        question = session.current()
        if question.type.startswith("select"):
            listed = session.filling.form.choices(question)
            session.filling.set_answer(question.name, choices.get(question.name, listed[0].name))
        if session.is_last() or not session.forward():
            break
    assert session.finish(), session.blocking_message()


def test_a_kiosk_survey_counts_on_home_and_in_the_location_report_when_sent(
    store: Store,
) -> None:
    from datetime import UTC, datetime, timedelta

    from reports.queries import Period
    from reports.queries.catalogue import Catalogue
    from reports.queries.common import Scope
    from reports.queries.customers import customer_metrics
    from reports.queries.screens import location_overview

    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    location_id = store.upsert_location("HPO", "Harbor Point Offices")
    session = KioskSession(store, KioskSetup(ids["customer_survey"], location_id, "kiosk-1"))
    before = datetime.now(UTC)
    answer_everything(session)
    sent = store.draft(session.filling.submission_id)
    assert sent.visit_at is not None
    assert before <= sent.visit_at <= datetime.now(UTC)
    assert sent.respondent_kind == "customer"

    (home,) = location_overview(store)
    assert home.nps_n == 1
    today = sent.visit_at.date()
    scope = Scope(
        Period(today - timedelta(days=1), today + timedelta(days=1)), location_id=location_id
    )
    assert customer_metrics(store, scope, Catalogue.load(store)).surveys == 1


def test_an_employee_pulse_at_the_kiosk_is_an_anonymous_employee_answer(store: Store) -> None:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    location_id = store.upsert_location("HPO", "Harbor Point Offices")
    session = KioskSession(store, KioskSetup(ids["employee_pulse"], location_id, "kiosk-1"))
    answer_everything(session)
    sent = store.draft(session.filling.submission_id)
    assert (sent.respondent_kind, sent.agent_id, sent.channel) == ("employee", None, None)
    assert sent.visit_at is not None
    assert {entry.actor for entry in store.audit_trail(sent.submission_id)} == {"anonymous"}
    # Sent at the kiosk, it is dated to its day: with a site and a minute, anyone could tell
    # who was standing at the kiosk.
    kept = (sent.started_at, sent.finished_at, sent.visit_at)
    kept += tuple(entry.at for entry in store.audit_trail(sent.submission_id))
    assert {(at.hour, at.minute, at.second, at.microsecond) for at in kept if at} == {(0, 0, 0, 0)}
