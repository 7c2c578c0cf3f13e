"""The manager PIN: asked with a large keypad to leave kiosk mode, and set by a manager."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.kiosk_flow import PinLockout, ui_text
from desktop.theme import fit_title
from desktop.widgets.base import TOUCH_HEIGHT
from desktop.widgets.questions import problem_colour
from forms.storage.kiosk_pin import MIN_PIN_LENGTH

_DIGITS = QRegularExpressionValidator(r"\d{0,12}")


class PinDialog(QDialog):
    """Asks for the manager PIN, in the kiosk's language; accepted only with the right one.

    Wrong PINs count in the kiosk's `lockout`, which outlives this dialog: after five the
    keypad stays locked, with the seconds left shown, however often the dialog is reopened.
    """

    def __init__(
        self,
        check: Callable[[str], bool],
        lockout: PinLockout,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.check = check
        self.lockout = lockout
        self.language = language
        self.setWindowTitle(ui_text(language, "pin_title"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        prompt = QLabel(ui_text(language, "pin_prompt"))
        prompt.setWordWrap(True)
        prompt.setStyleSheet("font-size: 14pt;")
        layout.addWidget(prompt)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setAccessibleName(ui_text(language, "pin_title"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(_DIGITS)
        self.pin.setMinimumHeight(TOUCH_HEIGHT)
        self.pin.setStyleSheet("font-size: 22pt;")
        layout.addWidget(self.pin)
        self.message = QLabel("")
        self.message.setObjectName("pin_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"font-size: 13pt; color: {problem_colour(self)};")
        layout.addWidget(self.message)
        keypad = QGridLayout()
        self.keys: list[QPushButton] = []
        for index, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0"]):
            button = QPushButton(ui_text(language, key) if key == "clear" else key)
            button.setMinimumSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
            button.setStyleSheet("font-size: 18pt;")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, key=key: self._key(key))
            keypad.addWidget(button, index // 3, index % 3)
            self.keys.append(button)
        # Enter in the PIN field presses this default button: one try, not two.
        self.ok_button = QPushButton(ui_text(language, "ok"))
        self.ok_button.setMinimumSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
        self.ok_button.setStyleSheet("font-size: 18pt;")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.try_pin)
        keypad.addWidget(self.ok_button, 3, 2)
        layout.addLayout(keypad)
        cancel = QPushButton(ui_text(language, "cancel"))
        cancel.setMinimumHeight(TOUCH_HEIGHT // 2)
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        layout.addWidget(cancel)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._show_lockout)
        self._was_locked = False
        self._show_lockout()

    def _key(self, key: str) -> None:
        if key == "clear":
            self.pin.clear()
        else:
            self.pin.insert(key)
        self.pin.setFocus()

    def try_pin(self) -> None:
        """Accept the dialog if the PIN is right; otherwise say so and count the attempt."""
        entered = self.pin.text()
        self.pin.clear()
        if self.lockout.remaining() or not entered:
            return
        right = self.check(entered)
        self.lockout.record(right)
        if right:
            self.accept()
            return
        if not self._show_lockout():
            self.message.setText(ui_text(self.language, "pin_wrong"))

    def _show_lockout(self) -> bool:
        """Lock the keypad while the kiosk's lockout lasts, with the seconds left; whether
        it is locked."""
        seconds = self.lockout.remaining()
        for widget in (self.pin, self.ok_button, *self.keys):
            widget.setEnabled(not seconds)
        if seconds:
            self.message.setText(ui_text(self.language, "pin_locked").format(seconds=seconds))
            self.countdown.start()
        else:
            self.countdown.stop()
            if self._was_locked:
                self.message.setText("")
            self.pin.setFocus()
        self._was_locked = bool(seconds)
        return bool(seconds)


class SetPinDialog(QDialog):
    """A manager chooses the PIN that unlocks kiosk mode (typed twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set the manager PIN")
        layout = QFormLayout(self)
        note = QLabel(
            f"Kiosk mode can only be left with this PIN. Use at least {MIN_PIN_LENGTH} digits; "
            "only a salted hash of it is stored."
        )
        note.setWordWrap(True)
        layout.addRow(note)
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, label in ((self.first, "New &PIN"), (self.second, "&Repeat it")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setValidator(_DIGITS)
            field.setAccessibleName(label.replace("&", ""))
            layout.addRow(label, field)
        self.message = QLabel("")
        self.message.setStyleSheet(f"color: {problem_colour(self)};")
        layout.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        fit_title(self)

    def pin(self) -> str:
        """The PIN chosen."""
        return self.first.text()

    def _check(self) -> None:
        if len(self.first.text()) < MIN_PIN_LENGTH:
            self.message.setText(f"The PIN needs at least {MIN_PIN_LENGTH} digits.")
        elif self.first.text() != self.second.text():
            self.message.setText("The two PINs differ: type the same PIN twice.")
        else:
            self.accept()
