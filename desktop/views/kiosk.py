"""Kiosk mode: a full-screen customer survey, one question per screen, large touch targets.

Nothing else of Rapport can be reached from it: the window has no menus, closing it (the
window manager's close, Alt+F4, Escape or the small Staff button) asks for the manager PIN,
and only the right PIN lets it go.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.kiosk_flow import KioskSession, language_name, ui_text
from desktop.views.pin_dialog import PinDialog
from desktop.widgets.base import TOUCH_HEIGHT
from desktop.widgets.kinds import editor_kind
from desktop.widgets.questions import QuestionWidget, problem_colour
from forms.errors import RapportError

THANKS_MS = 6_000
"""How long the thank-you screen shows before the next customer's survey."""
IDLE_MS = 120_000
"""A survey left untouched this long is abandoned (kept as a draft) and starts over."""
ADVANCE_MS = 350
"""Pause after a single choice is tapped, so the customer sees it chosen, before moving on."""
_AUTO_ADVANCE = ("rating", "yes_no", "nps", "choices")
_INPUT_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)


def _big(button: QPushButton) -> QPushButton:
    button.setMinimumHeight(TOUCH_HEIGHT)
    button.setMinimumWidth(TOUCH_HEIGHT * 3)
    button.setStyleSheet("font-size: 18pt; padding: 8px 24px;")
    return button


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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        top = QHBoxLayout()
        self.step = QLabel()
        self.step.setStyleSheet("font-size: 14pt;")
        top.addWidget(self.step)
        top.addStretch(1)
        self.language_buttons: dict[str, QPushButton] = {}
        for language in session.languages():
            button = _big(QPushButton(language_name(language)))
            button.setMinimumWidth(TOUCH_HEIGHT * 2)
            button.setCheckable(True)
            button.setAccessibleName(f"Language: {language_name(language)}")
            button.clicked.connect(lambda _checked=False, lang=language: self.switch(lang))
            self.language_buttons[language] = button
            top.addWidget(button)
        self.staff_button = QPushButton()
        self.staff_button.setFlat(True)
        self.staff_button.setAccessibleName("Staff: leave kiosk mode with the manager PIN")
        self.staff_button.clicked.connect(self.ask_pin)
        top.addWidget(self.staff_button)
        layout.addLayout(top)

        self.pages = QStackedWidget()
        self.survey = QWidget()
        self.survey_layout = QVBoxLayout(self.survey)
        self.survey_layout.setContentsMargins(0, 24, 0, 24)
        # The question sits a little above the middle of the screen, whatever its height.
        self.survey_layout.addStretch(1)
        self.survey_layout.addStretch(2)
        self.message = QLabel("")
        self.message.setObjectName("kiosk_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"font-size: 16pt; color: {problem_colour(self)};")
        self.thanks = QLabel()
        self.thanks.setObjectName("thanks")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        self.pages.addWidget(self.survey)
        self.pages.addWidget(self.thanks)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)

        bottom = QHBoxLayout()
        self.back_button = _big(QPushButton())
        self.next_button = _big(QPushButton())
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
        widget = QuestionWidget(self.session.filling, question, touch=True)
        widget.answered.connect(self._answered)
        self.survey_layout.insertWidget(1, widget)
        self.question_widget = widget
        self.message.setText("")
        self._update_texts()
        widget.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_texts(self) -> None:
        language = self.session.filling.language
        for name, button in self.language_buttons.items():
            button.setChecked(name == language)
        self.step.setText(self.session.step_text())
        self.back_button.setText(ui_text(language, "back"))
        self.back_button.setEnabled(self.session.index > 0)
        key = "finish" if self.session.is_last() else "next"
        self.next_button.setText(ui_text(language, key))
        self.staff_button.setText(ui_text(language, "staff"))
        self.back_button.setVisible(True)
        self.next_button.setVisible(True)

    def _answered(self, question: str) -> None:
        self.message.setText("")
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
            self.message.setText(blocking)
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
            self.message.setText(str(error))
            return
        self.show_question()

    def _finish(self) -> None:
        try:
            sent = self.session.finish()
        except RapportError as error:
            self.message.setText(str(error))
            return
        if not sent:
            self.show_question()
            self.message.setText(self.session.blocking_message() or "")
            return
        language = self.session.filling.language
        self.thanks.setText(
            f'<div style="font-size: 40pt; font-weight: bold;">{ui_text(language, "thanks")}'
            f'</div><div style="font-size: 18pt;">{ui_text(language, "thanks_detail")}</div>'
        )
        self.pages.setCurrentWidget(self.thanks)
        self.back_button.setVisible(False)
        self.next_button.setVisible(False)
        self.thanks_timer.start()

    def start_over(self) -> None:
        """A new, empty survey in the default language for the next customer."""
        self.thanks_timer.stop()
        self.session.start_over()
        self.show_question()

    def _idle(self) -> None:
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
        """Ask for the manager PIN; the right one ends kiosk mode."""
        if self.pin_dialog is not None and self.pin_dialog.isVisible():
            return
        self.pin_dialog = PinDialog(self.check_pin, self)
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
        for timer in (self.thanks_timer, self.idle_timer, self.advance_timer):
            timer.stop()
        if self.question_widget is not None:
            self.question_widget.flush()
        super().closeEvent(event)
        self.left.emit()
