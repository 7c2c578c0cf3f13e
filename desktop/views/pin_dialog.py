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

from desktop.theme import fit_title
from desktop.widgets.base import TOUCH_HEIGHT
from desktop.widgets.questions import problem_colour
from forms.storage.kiosk_pin import MIN_PIN_LENGTH

MAX_ATTEMPTS = 5
LOCKOUT_MS = 30_000
_DIGITS = QRegularExpressionValidator(r"\d{0,12}")


class PinDialog(QDialog):
    """Asks for the manager PIN; accepted only with the right one.

    After MAX_ATTEMPTS wrong PINs the keypad is locked for 30 seconds, so guessing is slow.
    """

    def __init__(self, check: Callable[[str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.wrong = 0
        self.setWindowTitle("Manager PIN")
        self.setModal(True)
        layout = QVBoxLayout(self)
        prompt = QLabel("Enter the manager PIN to leave kiosk mode.")
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setAccessibleName("Manager PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(_DIGITS)
        self.pin.setMinimumHeight(TOUCH_HEIGHT)
        self.pin.setStyleSheet("font-size: 22pt;")
        layout.addWidget(self.pin)
        self.message = QLabel("")
        self.message.setObjectName("pin_message")
        self.message.setStyleSheet(f"color: {problem_colour(self)};")
        layout.addWidget(self.message)
        keypad = QGridLayout()
        self.keys: list[QPushButton] = []
        for index, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0"]):
            button = QPushButton(key)
            button.setMinimumSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
            button.setStyleSheet("font-size: 18pt;")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, key=key: self._key(key))
            keypad.addWidget(button, index // 3, index % 3)
            self.keys.append(button)
        self.ok_button = QPushButton("OK")
        self.ok_button.setMinimumSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.try_pin)
        keypad.addWidget(self.ok_button, 3, 2)
        layout.addLayout(keypad)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        layout.addWidget(cancel)
        self.pin.returnPressed.connect(self.try_pin)

    def _key(self, key: str) -> None:
        if key == "Clear":
            self.pin.clear()
        else:
            self.pin.insert(key)
        self.pin.setFocus()

    def try_pin(self) -> None:
        """Accept the dialog if the PIN is right; otherwise say so and count the attempt."""
        if not self.pin.isEnabled():
            return
        entered = self.pin.text()
        self.pin.clear()
        if entered and self.check(entered):
            self.accept()
            return
        self.wrong += 1
        if self.wrong >= MAX_ATTEMPTS:
            self.message.setText("Too many wrong PINs: wait 30 seconds, then try again.")
            self._lock(True)
            QTimer.singleShot(LOCKOUT_MS, self, lambda: self._lock(False))
        else:
            self.message.setText("That PIN is not right. Try again.")

    def _lock(self, locked: bool) -> None:
        for widget in (self.pin, self.ok_button, *self.keys):
            widget.setEnabled(not locked)
        if not locked:
            self.wrong = 0
            self.message.setText("")


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
