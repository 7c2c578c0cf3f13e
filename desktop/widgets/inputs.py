"""Typed answers: whole and decimal numbers, text (one line or several), date and time.

A blank answer stays blank: number and date editors show "not answered" one step below
their range instead of inventing a 0 or today's date. Text is reported while it is typed
(after a short pause) and when the editor loses focus, so autosave never waits long.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, QTimer
from PySide6.QtGui import QFocusEvent, QTextCursor
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.base import TOUCH_HEIGHT, Editor
from forms.definition.limits import MAX_TEXT_ANSWER
from forms.definition.model import Question

NOT_ANSWERED = "not answered"
STORAGE_FORMATS = {"date": "yyyy-MM-dd", "time": "HH:mm", "datetime": "yyyy-MM-ddTHH:mm"}
"""How XLSForm data stores each kind (ISO 8601), in Qt's date format notation."""
TYPING_PAUSE_MS = 400
_NO_DATE = QDate(1900, 1, 1)


def _single(editor: Editor, child: QWidget, touch: bool) -> None:
    layout = QVBoxLayout(editor)
    layout.setContentsMargins(0, 0, 0, 0)
    if touch:
        child.setMinimumHeight(TOUCH_HEIGHT)
        child.setStyleSheet("font-size: 18pt;")
    layout.addWidget(child)
    editor.setFocusProxy(child)


class IntegerEditor(Editor):
    """A whole number; the range comes from the question's parameters."""

    def __init__(self, question: Question, value: object, label: str, *, touch: bool) -> None:
        super().__init__()
        self.spin = QSpinBox()
        self.spin.setAccessibleName(label)
        self.low = int(question.parameters.get("start", 0))
        high = int(question.parameters.get("end", 100_000))
        self.spin.setRange(self.low - 1, high)
        self.spin.setSingleStep(int(question.parameters.get("step", 1)) or 1)
        self.spin.setSpecialValueText(NOT_ANSWERED)
        self.spin.setKeyboardTracking(False)
        self.spin.setValue(int(value) if isinstance(value, int | float) else self.low - 1)
        self.spin.valueChanged.connect(self._changed)
        _single(self, self.spin, touch)

    def _changed(self, number: int) -> None:
        self.changed.emit(None if number < self.low else number)

    def focus_target(self) -> QWidget:
        return self.spin

    def flush(self) -> None:
        self.spin.interpretText()


class DecimalEditor(Editor):
    """A decimal number (zero or more)."""

    def __init__(self, value: object, label: str, *, touch: bool) -> None:
        super().__init__()
        self.spin = QDoubleSpinBox()
        self.spin.setAccessibleName(label)
        self.spin.setRange(-1.0, 1e9)
        self.spin.setDecimals(2)
        self.spin.setSpecialValueText(NOT_ANSWERED)
        self.spin.setKeyboardTracking(False)
        self.spin.setValue(float(value) if isinstance(value, int | float) else -1.0)
        self.spin.valueChanged.connect(lambda n: self.changed.emit(None if n < 0 else n))
        _single(self, self.spin, touch)

    def focus_target(self) -> QWidget:
        return self.spin

    def flush(self) -> None:
        self.spin.interpretText()


class TextEditor(Editor):
    """Free text: one line, or several for comments (Tab still moves on)."""

    def __init__(
        self, value: object, label: str, *, multiline: bool, touch: bool, placeholder: str = ""
    ) -> None:
        super().__init__()
        self._reported = str(value or "")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(TYPING_PAUSE_MS)
        self.timer.timeout.connect(self.flush)
        self.field: QLineEdit | QPlainTextEdit
        if multiline:
            area = QPlainTextEdit(self._reported)
            area.setTabChangesFocus(True)
            area.setMaximumHeight(200 if touch else 90)
            area.setPlaceholderText(placeholder)
            area.textChanged.connect(self.timer.start)
            area.textChanged.connect(lambda: _keep_within_limit(area))
            self.field = area
        else:
            line = QLineEdit(self._reported)
            line.setMaxLength(MAX_TEXT_ANSWER)
            line.setPlaceholderText(placeholder)
            line.textEdited.connect(self.timer.start)
            line.editingFinished.connect(self.flush)
            self.field = line
        self.field.setAccessibleName(label)
        self.field.installEventFilter(self)
        _single(self, self.field, touch)

    def text(self) -> str:
        """The text as typed so far."""
        if isinstance(self.field, QPlainTextEdit):
            return self.field.toPlainText()
        return self.field.text()

    def flush(self) -> None:
        self.timer.stop()
        current = self.text()
        if current != self._reported:
            self._reported = current
            self.changed.emit(current)

    def focus_target(self) -> QWidget:
        return self.field

    def set_read_only(self, read_only: bool) -> None:
        self.field.setReadOnly(read_only)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)


class DateTimeEditor(Editor):
    """A date, a time of day, or both, as XLSForm stores them (ISO text).

    Reaching a blank one with the keyboard starts it at today / now so the arrow keys and
    typing work; it is only saved once changed (or confirmed with Enter).
    """

    def __init__(self, kind: str, value: object, label: str, *, touch: bool) -> None:
        super().__init__()
        self.kind = kind
        self.storage_format = STORAGE_FORMATS[kind]
        edit: QDateTimeEdit
        if kind == "date":
            edit = QDateEdit()
        elif kind == "time":
            edit = QTimeEdit()
        else:
            edit = QDateTimeEdit()
        self.edit = edit
        edit.setAccessibleName(label)
        edit.setDisplayFormat(self.storage_format.replace("T", " "))
        edit.setCalendarPopup(kind != "time")
        self.blank = self._blank_value()
        edit.setMinimumDateTime(self.blank)
        edit.setSpecialValueText(NOT_ANSWERED)
        self.provisional = False
        given = self._parse(value)
        edit.setDateTime(given if given is not None else self.blank)
        edit.dateTimeChanged.connect(self._changed)
        edit.installEventFilter(self)
        _single(self, edit, touch)

    def _blank_value(self) -> QDateTime:
        if self.kind == "time":
            return QDateTime(QDate(2000, 1, 1), QTime(0, 0))
        return QDateTime(_NO_DATE, QTime(0, 0))

    def _parse(self, value: object) -> QDateTime | None:
        if not isinstance(value, str) or not value:
            return None
        if self.kind == "time":
            found = QTime.fromString(value[:5], "HH:mm")
            return QDateTime(QDate(2000, 1, 1), found) if found.isValid() else None
        if self.kind == "date":
            day = QDate.fromString(value[:10], "yyyy-MM-dd")
            return QDateTime(day, QTime(0, 0)) if day.isValid() else None
        moment = QDateTime.fromString(value[:16], "yyyy-MM-ddTHH:mm")
        return moment if moment.isValid() else None

    def _is_blank(self) -> bool:
        return self.edit.dateTime() <= self.blank

    def _text(self) -> str:
        moment = self.edit.dateTime()
        if self.kind == "time":
            return moment.time().toString("HH:mm")
        if self.kind == "date":
            return moment.date().toString("yyyy-MM-dd")
        return moment.toString("yyyy-MM-ddTHH:mm")

    def _changed(self) -> None:
        self.provisional = False
        self.changed.emit(None if self._is_blank() else self._text())

    def focus_target(self) -> QWidget:
        return self.edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent) and self._is_blank():
            now = QDateTime.currentDateTime()
            if self.kind == "time":
                now = QDateTime(QDate(2000, 1, 1), QTime(now.time().hour(), 0))
            self.edit.blockSignals(True)
            self.edit.setDateTime(now)
            self.edit.blockSignals(False)
            self.provisional = True
        elif kind == QEvent.Type.FocusOut and self.provisional:
            self.edit.blockSignals(True)
            self.edit.setDateTime(self.blank)
            self.edit.blockSignals(False)
            self.provisional = False
        elif (
            kind == QEvent.Type.KeyPress
            and self.provisional
            and getattr(event, "key", lambda: None)() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._changed()
            return True
        return super().eventFilter(watched, event)


def _keep_within_limit(area: QPlainTextEdit) -> None:
    """A pasted page of text is cut at the longest answer Rapport keeps, at once, so the
    screen never holds what cannot be saved."""
    text = area.toPlainText()
    if len(text) > MAX_TEXT_ANSWER:
        area.setPlainText(text[:MAX_TEXT_ANSWER])
        area.moveCursor(QTextCursor.MoveOperation.End)
