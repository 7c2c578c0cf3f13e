"""Kiosk mode: a full-screen customer survey, one question per screen, large touch targets.

Nothing else of Rapport can be reached from it: the window has no menus, closing it (the
window manager's close, Alt+F4, Escape or the small Staff button) asks for the manager PIN,
and only the right PIN lets it go.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QGuiApplication, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.kiosk_flow import HEARTBEAT_MS, KioskSession, kiosk_colour, language_name, ui_text
from desktop.views.pin_dialog import PinDialog
from desktop.widgets.base import TOUCH_HEIGHT
from desktop.widgets.kinds import editor_kind
from desktop.widgets.questions import QuestionWidget, problem_colour
from forms.errors import RapportError
from reports.settings import contrast_ratio

THANKS_MS = 6_000
"""How long the thank-you screen shows before the next customer's survey."""
IDLE_MS = 120_000
"""A survey left untouched this long is abandoned (discarded) and starts over."""
ADVANCE_MS = 350
"""Pause after a single choice is tapped, so the customer sees it chosen, before moving on."""
_AUTO_ADVANCE = ("rating", "yes_no", "nps", "choices")
_INPUT_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
_WHITE = "#ffffff"


def _big(button: QPushButton, name: str) -> QPushButton:
    button.setObjectName(name)
    button.setMinimumHeight(TOUCH_HEIGHT)
    button.setMinimumWidth(TOUCH_HEIGHT * 3)
    button.setAutoDefault(False)
    return button


def kiosk_style(colour: str, palette: QPalette) -> str:
    """The kiosk's look: the brand colour on its buttons (white text on it, at least 4.5:1)
    and around the options, whose text keeps the system palette's, light or dark."""
    base = palette.color(QPalette.ColorRole.Base).name()
    text = palette.color(QPalette.ColorRole.Text).name()
    # An outline must stand out from the background (3:1); a dark brand on a dark palette
    # is outlined in the text colour instead.
    outline = colour if contrast_ratio(colour, base) >= 3 else text
    faint = palette.color(QPalette.ColorRole.PlaceholderText).name()
    hint = _readable_hint(palette)
    return f"""
        QPushButton[touch="true"] {{
            background: {base}; border: 2px solid {outline}; border-radius: 12px;
        }}
        QPushButton[touch="true"]:focus {{ border: 3px dashed {outline}; }}
        QPushButton[touch="true"]:checked {{ background: {colour}; border-color: {colour}; }}
        QPushButton[touch="true"]:checked:focus {{ border: 3px dashed {text}; }}
        QLabel#caption {{ color: {text}; background: transparent; }}
        QLabel#caption[chosen="true"] {{ color: {_WHITE}; }}
        QPushButton#next {{
            background: {colour}; color: {_WHITE}; border: none; border-radius: 12px;
            font-size: 18pt; font-weight: bold; padding: 8px 28px;
        }}
        QPushButton#next:focus {{ border: 4px solid {text}; }}
        QPushButton#back {{
            background: {base}; color: {text}; border: 2px solid {outline};
            border-radius: 12px; font-size: 18pt; padding: 8px 28px;
        }}
        QPushButton#back:disabled {{ color: {faint}; }}
        QFrame#band {{ background: {colour}; border-radius: 12px; }}
        QFrame#band QLabel {{ color: {_WHITE}; font-size: 14pt; }}
        QFrame#band QLabel#company {{ font-size: 16pt; font-weight: bold; }}
        QFrame#band QPushButton#language {{
            background: transparent; color: {_WHITE}; border: 2px solid {_WHITE};
            border-radius: 10px; font-size: 15pt; padding: 4px 16px;
        }}
        QFrame#band QPushButton#language:checked {{ background: {_WHITE}; color: {colour}; }}
        QFrame#band QPushButton#staff {{
            background: transparent; color: {_WHITE}; border: none; font-size: 11pt;
            padding: 4px 8px;
        }}
        QLabel#hint {{ color: {hint}; }}
        QLabel#thanks {{ background: {colour}; color: {_WHITE}; border-radius: 24px; }}
    """


def _readable_hint(palette: QPalette) -> str:
    """A softer colour than the text for hints, still 4.5:1 against the background."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    for share in (0.6, 0.7, 0.8, 0.9, 1.0):
        mixed = QColor(
            round(text.red() * share + window.red() * (1 - share)),
            round(text.green() * share + window.green() * (1 - share)),
            round(text.blue() * share + window.blue() * (1 - share)),
        ).name()
        if contrast_ratio(mixed, window.name()) >= 4.5:
            return mixed
    return text.name()


class KioskWindow(QWidget):
    """The survey screen of a kiosk; `left` is emitted once the manager PIN let it close."""

    left = Signal()

    def __init__(
        self,
        session: KioskSession,
        check_pin: Callable[[str], bool],
        *,
        thanks_ms: int = THANKS_MS,
        idle_ms: int = IDLE_MS,
    ) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("kiosk")
        self.setWindowTitle("Rapport survey")
        self.session = session
        self.check_pin = check_pin
        self.unlocked = False
        self.pin_dialog: PinDialog | None = None
        self.question_widget: QuestionWidget | None = None
        self.colour = kiosk_colour(session.store)
        self.setStyleSheet(kiosk_style(self.colour, self.palette()))
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(thanks_ms)
        self.thanks_timer.timeout.connect(self.start_over)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_ms)
        self.idle_timer.timeout.connect(self._idle)
        self.advance_timer = QTimer(self)
        self.advance_timer.setSingleShot(True)
        self.advance_timer.setInterval(ADVANCE_MS)
        self.advance_timer.timeout.connect(self.go_next)
        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.setInterval(HEARTBEAT_MS)
        self.heartbeat_timer.timeout.connect(session.beat)
        self.heartbeat_timer.start()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        band = QFrame()
        band.setObjectName("band")
        top = QHBoxLayout(band)
        top.setContentsMargins(16, 6, 8, 6)
        company = session.store.manager_settings().company_name
        self.company = QLabel(company)
        self.company.setObjectName("company")
        self.company.setTextFormat(Qt.TextFormat.PlainText)
        self.company.setVisible(bool(company))
        top.addWidget(self.company)
        top.addSpacing(16)
        self.step = QLabel()
        top.addWidget(self.step)
        top.addStretch(1)
        self.language_buttons: dict[str, QPushButton] = {}
        for language in session.languages():
            button = QPushButton(language_name(language))
            button.setObjectName("language")
            button.setMinimumHeight(52)
            button.setMinimumWidth(TOUCH_HEIGHT * 2)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setAccessibleName(f"Language: {language_name(language)}")
            button.clicked.connect(lambda _checked=False, lang=language: self.switch(lang))
            self.language_buttons[language] = button
            top.addWidget(button)
        self.staff_button = QPushButton()
        self.staff_button.setObjectName("staff")
        self.staff_button.setAutoDefault(False)
        self.staff_button.setMinimumHeight(44)
        self.staff_button.setAccessibleName("Staff: leave kiosk mode with the manager PIN")
        self.staff_button.clicked.connect(self.ask_pin)
        top.addWidget(self.staff_button)
        layout.addWidget(band)

        self.pages = QStackedWidget()
        content = QWidget()
        self.survey_layout = QVBoxLayout(content)
        self.survey_layout.setContentsMargins(8, 8, 8, 8)
        # The question sits a little above the middle of the screen, whatever its height.
        self.survey_layout.addStretch(1)
        self.survey_layout.addStretch(2)
        # A question taller than the screen scrolls (wheel, finger or keyboard focus), so
        # Back and Next always stay on the screen.
        self.survey = QScrollArea()
        self.survey.setObjectName("survey")
        self.survey.setWidgetResizable(True)
        self.survey.setFrameShape(QFrame.Shape.NoFrame)
        self.survey.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.survey.setWidget(content)
        self.message = QLabel("")
        self.message.setObjectName("kiosk_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(
            f"font-size: 16pt; font-weight: bold; color: {problem_colour(self)};"
        )
        self.message.hide()
        self.thanks = QLabel()
        self.thanks.setObjectName("thanks")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        self.pages.addWidget(self.survey)
        self.pages.addWidget(self.thanks)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)

        bottom = QHBoxLayout()
        self.back_button = _big(QPushButton(), "back")
        self.next_button = _big(QPushButton(), "next")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.next_button)
        layout.addLayout(bottom)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.show_question()

    def show_full_screen(self) -> None:
        """Cover the whole screen, with or without a window manager (without one, a window
        asked to be full screen keeps its own size, in a corner)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.setGeometry(screen.availableGeometry())
        self.showFullScreen()

    # -- the survey ----------------------------------------------------------------
    def show_question(self) -> None:
        """Show the current question alone on the screen."""
        self.pages.setCurrentWidget(self.survey)
        if self.question_widget is not None:
            self.question_widget.flush()
            self.question_widget.hide()  # at once: deleting waits for the event loop
            self.survey_layout.removeWidget(self.question_widget)
            self.question_widget.deleteLater()
        question = self.session.current()
        # Its messages go to the one line above Next, in the customer's language.
        widget = QuestionWidget(self.session.filling, question, touch=True, message=self.message)
        widget.answered.connect(self._answered)
        widget.save_failed.connect(self._recover)
        self.survey_layout.insertWidget(1, widget)
        self.question_widget = widget
        self._update_texts()
        # Options reflow into rows once they know their width, which takes a few rounds of
        # layout: settle them now, so the screen never shows a squeezed first arrangement.
        widget.show()
        for _round in range(3):
            self.survey_layout.activate()
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.survey.verticalScrollBar().setValue(0)
        widget.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_texts(self) -> None:
        language = self.session.filling.language
        for name, button in self.language_buttons.items():
            button.setChecked(name == language)
            button.setVisible(True)
        self.step.setText(self.session.step_text())
        self.back_button.setText(ui_text(language, "back"))
        self.back_button.setEnabled(self.session.index > 0)
        key = "finish" if self.session.is_last() else "next"
        self.next_button.setText(ui_text(language, key))
        self.staff_button.setText(ui_text(language, "staff"))
        self.step.setVisible(True)
        self.back_button.setVisible(True)
        self.next_button.setVisible(True)

    def _say(self, text: str) -> None:
        """Show a message above the buttons (empty: none)."""
        if self.question_widget is not None:
            self.question_widget.show_problem(text)
        else:
            self.message.setText(text)
            self.message.setVisible(bool(text))

    def _answered(self, question: str) -> None:
        self._update_texts()
        current = self.session.current()
        if current.name == question and editor_kind(self.session.filling.form, current) in (
            _AUTO_ADVANCE
        ):
            self.advance_timer.start()

    def go_next(self) -> None:
        """The next question, or send the survey from the last one."""
        self.advance_timer.stop()
        if self.question_widget is not None:
            self.question_widget.flush()
        blocking = self.session.blocking_message()
        if blocking is not None:
            self._say(blocking)
            return
        if self.session.is_last():
            self._finish()
        elif self.session.forward():
            self.show_question()

    def go_back(self) -> None:
        """The previous question."""
        self.advance_timer.stop()
        if self.session.back():
            self.show_question()

    def switch(self, language: str) -> None:
        """Show the survey in another language."""
        try:
            self.session.switch_language(language)
        except RapportError as error:
            if not self._recover():
                self._say(str(error))
            return
        self.show_question()

    def _finish(self) -> None:
        try:
            sent = self.session.finish()
        except RapportError as error:
            if not self._recover():
                self._say(str(error))
            return
        if not sent:
            self.show_question()
            self._say(self.session.blocking_message() or "")
            return
        language = self.session.filling.language
        self.thanks.setText(
            '<div style="font-size: 64pt;">&#10003;</div>'
            f'<div style="font-size: 40pt; font-weight: bold;">{ui_text(language, "thanks")}'
            f'</div><p style="font-size: 20pt;">{ui_text(language, "thanks_detail")}</p>'
            f'<p style="font-size: 16pt;">{ui_text(language, "thanks_next")}</p>'
        )
        self.pages.setCurrentWidget(self.thanks)
        self.message.hide()
        self.step.setVisible(False)
        for button in self.language_buttons.values():  # the survey is sent: nothing to switch
            button.setVisible(False)
        self.back_button.setVisible(False)
        self.next_button.setVisible(False)
        self.thanks_timer.start()

    def start_over(self) -> None:
        """A new, empty survey in the default language for the next customer."""
        self.thanks_timer.stop()
        self.session.start_over()
        self.show_question()

    def _recover(self) -> bool:
        """Start a new survey, without a word to the customer, when the one on screen is no
        longer stored; whether it did."""
        if not self.session.survey_gone():
            return False
        self.start_over()
        return True

    def _idle(self) -> None:
        # The PIN dialog a customer (or the manager) left open goes too: the next customer
        # finds the survey, not a keypad in someone else's language. The wrong PINs still
        # count: the lockout belongs to the session.
        if self.pin_dialog is not None and self.pin_dialog.isVisible():
            self.pin_dialog.reject()
        if self.pages.currentWidget() is self.survey and self.session.filling.answers:
            self.start_over()

    # -- staying in kiosk mode -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _INPUT_EVENTS and self.isVisible():
            self.idle_timer.start()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.ask_pin()
            return
        super().keyPressEvent(event)

    def ask_pin(self) -> None:
        """Ask for the manager PIN; the right one ends kiosk mode. Wrong ones count for the
        whole kiosk session, however often the dialog is closed and opened again."""
        if self.pin_dialog is not None and self.pin_dialog.isVisible():
            return
        self.pin_dialog = PinDialog(
            self.check_pin,
            self.session.pin_lockout,
            self,
            language=self.session.filling.language,
        )
        self.pin_dialog.accepted.connect(self.leave)
        self.pin_dialog.open()

    def leave(self) -> None:
        """End kiosk mode (only after the right PIN)."""
        self.unlocked = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.unlocked:
            event.ignore()
            self.ask_pin()
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for timer in (self.thanks_timer, self.idle_timer, self.advance_timer, self.heartbeat_timer):
            timer.stop()
        if self.question_widget is not None:
            self.question_widget.flush()
        # When the database is busy, the survey stays behind until the next kiosk starts,
        # which finds this session's heartbeat stopped and discards it then.
        with suppress(RapportError):
            self.session.end()
        super().closeEvent(event)
        self.left.emit()
