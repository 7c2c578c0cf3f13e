"""Kiosk mode: a customer answers in Spanish; nobody leaves without the manager PIN."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from desktop.kiosk_flow import (
    MAX_PIN_ATTEMPTS,
    KioskSession,
    KioskSetup,
    PinLockout,
    language_code,
    language_name,
)
from desktop.views.kiosk import KioskWindow
from desktop.views.pin_dialog import PinDialog
from desktop.widgets.choices import TouchButton
from forms.authoring.builtin import install_builtin_forms
from forms.errors import RapportError
from forms.settings import ManagerSettings
from forms.storage import Store, StoreError
from forms.storage.kiosk_pin import check_kiosk_pin, hash_pin, pin_matches, set_kiosk_pin
from forms.storage.tables import AuditEvent, Setting
from reports.settings import contrast_ratio

PIN = "4821"


@pytest.fixture
def kiosk(qtbot: QtBot, store: Store) -> Iterator[KioskWindow]:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    location_id = store.upsert_location("HPO", "Harbor Point Offices")
    set_kiosk_pin(store, PIN)
    session = KioskSession(store, KioskSetup(ids["customer_survey"], location_id, "kiosk-1"))
    window = KioskWindow(session, lambda pin: check_kiosk_pin(store, pin), thanks_ms=300)
    qtbot.addWidget(window)
    window.show_full_screen()
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
    for _attempt in range(MAX_PIN_ATTEMPTS):
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
    # Discarded, not left behind as an undated draft in Submissions.
    with pytest.raises(StoreError, match="no submission"):
        store.draft(first)
    second = session.filling.submission_id
    close_for_good(window)  # the manager ends kiosk mode: the untouched survey goes too
    with pytest.raises(StoreError, match="no submission"):
        store.draft(second)


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

    # The next employee answers one question and walks away: the kiosk starts over, and
    # the line saying so names neither the kiosk nor the minute.
    session.start_over()
    left = session.filling.submission_id
    session.filling.set_answer("workload_manageable", "agree")
    session.start_over()
    with store.reading() as reading:
        (line,) = reading.scalars(select(AuditEvent).where(col(AuditEvent.action) == "discarded"))
    assert left in line.detail
    assert line.actor == "anonymous"
    assert (line.at.hour, line.at.minute, line.at.second, line.at.microsecond) == (0, 0, 0, 0)


# -- the manager PIN: one lockout for the whole kiosk session ---------------------------------
class FakeClock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def type_pin(qtbot: QtBot, dialog: PinDialog, pin: str) -> None:
    """A PIN typed on a keyboard, then Enter."""
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)


def open_pin_dialog(qtbot: QtBot, kiosk: KioskWindow) -> PinDialog:
    qtbot.keyClick(kiosk, Qt.Key.Key_Escape)
    dialog = kiosk.pin_dialog
    assert isinstance(dialog, PinDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_a_wrong_pin_typed_and_entered_counts_once(qtbot: QtBot, kiosk: KioskWindow) -> None:
    dialog = open_pin_dialog(qtbot, kiosk)
    for _attempt in range(MAX_PIN_ATTEMPTS - 1):
        type_pin(qtbot, dialog, "1111")
    assert dialog.pin.isEnabled()  # four tries, so the keypad is still open
    assert dialog.message.text() == "That PIN is not right. Try again."
    assert kiosk.session.pin_lockout.wrong == MAX_PIN_ATTEMPTS - 1


def test_the_lockout_holds_when_the_pin_dialog_is_closed_and_grows(
    qtbot: QtBot, kiosk: KioskWindow
) -> None:
    clock = FakeClock()
    kiosk.session.pin_lockout = PinLockout(clock)
    dialog = open_pin_dialog(qtbot, kiosk)
    for _attempt in range(MAX_PIN_ATTEMPTS):
        type_pin(qtbot, dialog, "1111")
    assert dialog.message.text() == "Too many wrong PINs. Try again in 30 s."
    assert not dialog.ok_button.isEnabled()
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    # Staff again: the same lockout, not a fresh keypad.
    qtbot.mouseClick(kiosk.staff_button, Qt.MouseButton.LeftButton)
    again = kiosk.pin_dialog
    assert again is not None
    assert again is not dialog
    qtbot.waitUntil(again.isVisible)
    assert not again.pin.isEnabled()
    assert not any(key.isEnabled() for key in again.keys)
    clock.now += 12
    again.countdown.timeout.emit()
    assert again.message.text() == "Too many wrong PINs. Try again in 18 s."
    again.pin.setText(PIN)
    again.try_pin()
    assert kiosk.isVisible()  # even the right PIN waits out the lockout
    clock.now += 18
    again.countdown.timeout.emit()
    assert again.pin.isEnabled()
    assert again.message.text() == ""
    for _attempt in range(MAX_PIN_ATTEMPTS):
        type_pin(qtbot, again, "2222")
    assert again.message.text() == "Too many wrong PINs. Try again in 60 s."
    qtbot.keyClick(again, Qt.Key.Key_Escape)  # Escape closes the dialog ...
    qtbot.waitUntil(lambda: not again.isVisible())
    third = open_pin_dialog(qtbot, kiosk)  # ... and Escape on the kiosk opens it locked
    assert third.message.text() == "Too many wrong PINs. Try again in 60 s."
    assert not third.pin.isEnabled()


def test_lockouts_double_up_to_a_limit_and_the_right_pin_ends_them() -> None:
    clock = FakeClock()
    lockout = PinLockout(clock)
    waits = []
    for _run in range(7):
        for _attempt in range(MAX_PIN_ATTEMPTS):
            lockout.record(right=False)
        waits.append(lockout.remaining())
        clock.now += lockout.remaining()
    assert waits == [30, 60, 120, 240, 480, 960, 960]
    for _attempt in range(MAX_PIN_ATTEMPTS - 1):
        lockout.record(right=False)
    lockout.record(right=True)
    for _attempt in range(MAX_PIN_ATTEMPTS):
        lockout.record(right=False)
    assert lockout.remaining() == 30


# -- the respondent's language everywhere ------------------------------------------------
def shown_labels(window: KioskWindow, text: str) -> list[QLabel]:
    return [
        label for label in window.findChildren(QLabel) if label.isVisible() and text in label.text()
    ]


def test_the_pin_dialog_speaks_the_customers_language(qtbot: QtBot, kiosk: KioskWindow) -> None:
    qtbot.mouseClick(kiosk.language_buttons["Español (es)"], Qt.MouseButton.LeftButton)
    assert kiosk.staff_button.text() == "Personal"
    dialog = open_pin_dialog(qtbot, kiosk)
    assert dialog.windowTitle() == "PIN del gerente"
    type_pin(qtbot, dialog, "1111")
    assert dialog.message.text() == "Ese PIN no es correcto. Inténtelo de nuevo."
    assert {b.text() for b in dialog.findChildren(QPushButton)} >= {"Borrar", "Aceptar", "Cancelar"}


SPANISH_EMAIL_MESSAGE = "No parece un correo electrónico. Revíselo, por ejemplo nombre@ejemplo.com."


def test_a_customer_walks_through_the_kiosk_in_spanish(qtbot: QtBot, kiosk: KioskWindow) -> None:
    """The customer's whole visit: Spanish, a mistyped e-mail refused in Spanish, corrected,
    sent, thanked, and the kiosk ready for the next customer."""
    store = kiosk.session.store
    qtbot.mouseClick(kiosk.language_buttons["Español (es)"], Qt.MouseButton.LeftButton)
    tap(qtbot, kiosk, "Muy satisfecho")
    qtbot.waitUntil(lambda: on_screen(kiosk) == "nps")
    tap(qtbot, kiosk, "10")
    qtbot.waitUntil(lambda: on_screen(kiosk) == "effort")
    tap(qtbot, kiosk, "Totalmente de acuerdo")
    for name in ("felt_heard", "felt_understood", "felt_valued"):
        qtbot.waitUntil(lambda name=name: on_screen(kiosk) == name)
        tap(qtbot, kiosk, "De acuerdo")
    qtbot.waitUntil(lambda: on_screen(kiosk) == "comment")
    qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)
    tap(qtbot, kiosk, "Sí")
    qtbot.waitUntil(lambda: on_screen(kiosk) == "contact_email")
    assert kiosk.question_widget is not None
    field = kiosk.question_widget.focus_target()
    qtbot.keyClicks(field, "maria@correo")
    qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)
    assert on_screen(kiosk) == "contact_email"  # refused
    assert kiosk.message.text() == SPANISH_EMAIL_MESSAGE
    assert [label.text() for label in shown_labels(kiosk, "correo electrónico.")] == [
        SPANISH_EMAIL_MESSAGE
    ]  # said once, in Spanish
    assert not shown_labels(kiosk, "email address")
    qtbot.keyClicks(field, ".es")
    qtbot.mouseClick(kiosk.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.thanks)
    assert "¡Gracias!" in kiosk.thanks.text()
    assert "Que tenga un buen día." in kiosk.thanks.text()
    assert not any(button.isVisible() for button in kiosk.language_buttons.values())
    sent = store.draft(kiosk.session.filling.submission_id)
    assert sent.status == "final"
    assert sent.answers["contact_email"] == "maria@correo.es"
    # The kiosk starts over by itself, in English, with nothing of hers on screen.
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.survey)
    assert on_screen(kiosk) == "csat"
    assert kiosk.next_button.text() == "Next"
    assert kiosk.session.filling.answers == {}
    assert not kiosk.message.isVisible()
    assert all(button.isVisible() for button in kiosk.language_buttons.values())


# -- full screen, with or without a window manager ------------------------------------------
def test_the_kiosk_covers_the_screen_on_every_question(qtbot: QtBot, kiosk: KioskWindow) -> None:
    screen = kiosk.screen().availableGeometry()
    for index in range(len(kiosk.session.questions())):
        kiosk.session.index = index
        kiosk.show_question()
        qtbot.wait(20)
        assert kiosk.geometry() == screen, on_screen(kiosk)


# -- the company's look, light or dark ------------------------------------------------------
def pixel(widget: QWidget, x: int, y: int) -> str:
    return widget.grab().toImage().pixelColor(x, y).name()


@pytest.mark.parametrize("dark", [False, True])
def test_the_kiosk_wears_the_brand_colour_and_stays_readable(
    qtbot: QtBot, store: Store, dark: bool
) -> None:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    store.save_manager_settings(
        ManagerSettings(company_name="Brightway Facility Services", brand_colour="#ffd54f")
    )
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette()
    if dark:
        palette = QPalette(light)
        for role, colour in (
            (QPalette.ColorRole.Window, "#202124"),
            (QPalette.ColorRole.WindowText, "#e8eaed"),
            (QPalette.ColorRole.Base, "#2b2c2f"),
            (QPalette.ColorRole.Text, "#e8eaed"),
            (QPalette.ColorRole.Button, "#303134"),
            (QPalette.ColorRole.ButtonText, "#e8eaed"),
        ):
            palette.setColor(role, QColor(colour))
        app.setPalette(palette)
    try:
        session = KioskSession(store, KioskSetup(ids["customer_survey"], None, "kiosk-1"))
        window = KioskWindow(session, lambda pin: False)
        qtbot.addWidget(window)
        window.resize(1024, 768)
        window.show()
        qtbot.waitExposed(window)
        brand = window.colour
        assert contrast_ratio(brand, "#ffffff") >= 4.5  # a pale yellow, darkened to be read
        assert window.company.text() == "Brightway Facility Services"
        assert pixel(window.next_button, 6, window.next_button.height() // 2) == brand
        window.session.index = 1  # the 0-10 question, with a hint under it
        window.show_question()
        assert window.question_widget is not None
        hint = window.question_widget.findChild(QLabel, "hint")
        assert hint is not None
        background = window.palette().color(QPalette.ColorRole.Window).name()
        hint_colour = hint.palette().color(hint.foregroundRole()).name()
        assert contrast_ratio(hint_colour, background) >= 4.5
        window.session.index = 0
        window.show_question()
        assert window.question_widget is not None
        base = window.palette().color(QPalette.ColorRole.Base).name()
        satisfied = next(
            b for b in window.question_widget.findChildren(TouchButton) if b.text() == "Satisfied"
        )
        caption = satisfied.caption.palette().color(QPalette.ColorRole.WindowText).name()
        assert contrast_ratio(caption, base) >= 4.5
        qtbot.mouseClick(satisfied, Qt.MouseButton.LeftButton)
        chosen = satisfied.caption.palette().color(QPalette.ColorRole.WindowText).name()
        assert pixel(satisfied, 8, satisfied.height() // 2) == brand
        assert contrast_ratio(chosen, brand) >= 4.5
        window.advance_timer.stop()
        close_for_good(window)
    finally:
        app.setPalette(light)


# -- one kiosk never takes another's survey; a lost survey starts over quietly ------------------
def test_a_second_kiosk_starting_keeps_the_pulse_answered_at_the_first(store: Store) -> None:
    """Two kiosks on one laptop (or one restarted while the old one still runs): the pulse
    answered at the first this very second, dated to the day, is not taken for abandoned."""
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    location_id = store.upsert_location("HPO", "Harbor Point Offices")
    first = KioskSession(store, KioskSetup(ids["employee_pulse"], location_id))
    first.filling.set_answer("workload_manageable", "agree")
    second = KioskSession(store, KioskSetup(ids["employee_pulse"], location_id))
    assert store.draft(first.filling.submission_id).answers == {"workload_manageable": "agree"}
    assert store.draft(second.filling.submission_id).answers == {}


def test_a_kiosk_whose_survey_was_removed_starts_over_without_a_word(
    qtbot: QtBot, kiosk: KioskWindow
) -> None:
    store, session = kiosk.session.store, kiosk.session
    gone = session.filling.submission_id
    assert store.discard_kiosk_draft(gone, device_id=session.device_id)
    tap(qtbot, kiosk, "Very satisfied")
    assert session.filling.submission_id != gone
    assert kiosk.message.text() == ""  # no English error for the customer
    assert on_screen(kiosk) == "csat"
    assert store.draft(session.filling.submission_id).answers == {}


@pytest.mark.parametrize("answered", [True, False])
def test_the_idle_reset_closes_the_pin_dialog_and_keeps_the_wrong_pins(
    qtbot: QtBot, kiosk: KioskWindow, answered: bool
) -> None:
    kiosk.idle_timer.setInterval(300)
    first = kiosk.session.filling.submission_id
    if answered:
        tap(qtbot, kiosk, "Very satisfied")
    qtbot.mouseClick(kiosk.language_buttons["Español (es)"], Qt.MouseButton.LeftButton)
    dialog = open_pin_dialog(qtbot, kiosk)
    for _attempt in range(3):
        type_pin(qtbot, dialog, "1111")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)  # the customer walked away
    assert (kiosk.session.filling.submission_id != first) is answered
    assert kiosk.session.pin_lockout.wrong == 3  # the lockout belongs to the session


# -- no photo questions at the kiosk: they would open the laptop's files ------------------------
def test_a_form_with_photo_questions_is_never_asked_at_the_kiosk(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.main_window import MainWindow
    from desktop.views.kiosk_start import KioskStartDialog
    from desktop.widgets.questions import QuestionWidget
    from forms.filling import FormFilling

    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    location_id = store.upsert_location("HPO", "Harbor Point Offices")
    set_kiosk_pin(store, PIN)
    with pytest.raises(RapportError, match="asks for photos"):
        KioskSession(store, KioskSetup(ids["site_inspection"], location_id))

    listed: list[str] = []

    def look(dialog: KioskStartDialog) -> int:
        listed.extend(dialog.form_box.itemText(i) for i in range(dialog.form_box.count()))
        return int(KioskStartDialog.DialogCode.Rejected)

    monkeypatch.setattr(KioskStartDialog, "exec", look)
    window = MainWindow(store, actor="manager")
    qtbot.addWidget(window)
    window.start_kiosk()
    # The inspection and the mystery shop ask for photos: only the two surveys are offered.
    assert [title.split(" (v")[0] for title in listed] == [
        "Customer survey — one minute",
        "Employee pulse",
    ]

    # Nor does a touch screen ever offer a photo's file dialog.
    filling = FormFilling(store, store.start_submission(ids["site_inspection"]))
    photo = next(q for q in filling.form.questions() if q.type == "image")
    widget = QuestionWidget(filling, photo, touch=True)
    qtbot.addWidget(widget)
    assert [b.text() for b in widget.findChildren(QPushButton)] == []


def test_switching_the_kiosk_off_and_on_gives_no_fresh_pin_tries(store: Store) -> None:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    set_kiosk_pin(store, PIN)
    setup = KioskSetup(ids["customer_survey"], None)
    first = KioskSession(store, setup)
    for _attempt in range(MAX_PIN_ATTEMPTS - 1):
        first.pin_lockout.record(right=False)
    assert KioskSession(store, setup).pin_lockout.wrong == MAX_PIN_ATTEMPTS - 1  # restarted
    first.pin_lockout.record(right=False)
    after_power_cycle = KioskSession(store, setup).pin_lockout
    assert 0 < after_power_cycle.remaining() <= 30
    after_power_cycle.record(right=True)  # once the wait is over, the manager's PIN
    assert KioskSession(store, setup).pin_lockout.wrong == 0
    assert store.setting("kiosk_pin_lockout") == ""  # nothing left behind
    for _attempt in range(MAX_PIN_ATTEMPTS):
        first.pin_lockout.record(right=False)
    set_kiosk_pin(store, "7351")  # a manager sets a new PIN: its keypad is open at once
    assert KioskSession(store, setup).pin_lockout.remaining() == 0


def test_a_running_kiosk_removes_the_survey_of_a_kiosk_gone_an_hour_ago(store: Store) -> None:
    """A laptop switched off mid-survey and started again at once: its old survey goes an
    hour later, while the new kiosk runs, not only when a kiosk starts."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from forms.storage.lifecycle import KIOSK_ALIVE_PREFIX

    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    setup = KioskSetup(ids["customer_survey"], None)
    switched_off = KioskSession(store, setup)
    switched_off.filling.set_answer("csat", "4")
    running = KioskSession(store, setup)
    running.beat()
    assert store.submission_exists(switched_off.filling.submission_id)  # gone a moment ago
    with store.writing() as session:
        session.execute(
            update(Setting)
            .where(col(Setting.key) == KIOSK_ALIVE_PREFIX + switched_off.device_id)
            .values(value=(datetime.now(UTC) - timedelta(minutes=61)).isoformat())
        )
    running.beat()
    assert not store.submission_exists(switched_off.filling.submission_id)
    assert store.submission_exists(running.filling.submission_id)
