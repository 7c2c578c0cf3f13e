"""One widget per question type family, built from the form definition.

Each editor reports a new value through `changed(value)` at once, so the evaluation
screen can autosave every answer as it is given.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDoubleSpinBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forms.definition import Choice, FormDefinition, Question

ValueCallback = Callable[[object], None]

_UNSET_NUMBER = -1


class QuestionWidget(QFrame):
    """A question with its label, hint, editor and the message shown next to it."""

    def __init__(
        self,
        form: FormDefinition,
        question: Question,
        choices: tuple[Choice, ...],
        value: object,
        language: str | None,
        on_change: ValueCallback,
    ) -> None:
        super().__init__()
        self.question = question
        self.setObjectName(f"question_{question.name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        required = " *" if question.required else ""
        self.label = QLabel(f"<b>{_escape(form.text(question.label, language))}{required}</b>")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.label)
        hint = form.text(question.hint, language)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setTextFormat(Qt.TextFormat.PlainText)
            hint_label.setEnabled(False)
            layout.addWidget(hint_label)
        self.editor = build_editor(form, question, choices, value, language, on_change)
        layout.addWidget(self.editor)
        self.message = QLabel("")
        self.message.setObjectName("problem")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

    def show_problem(self, text: str | None) -> None:
        """Show (or clear) the message about this question's answer."""
        self.message.setText(text or "")
        self.message.setVisible(bool(text))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_editor(
    form: FormDefinition,
    question: Question,
    choices: tuple[Choice, ...],
    value: object,
    language: str | None,
    on_change: ValueCallback,
) -> QWidget:
    """The editor widget for a question's type, showing `value`."""
    label = form.text(question.label, language)
    if question.type == "select_one":
        return _single_choice(form, choices, value, language, on_change, label)
    if question.type == "select_multiple":
        return _multiple_choice(form, choices, value, language, on_change, label)
    if question.type in ("integer", "range"):
        return _integer(question, value, on_change, label)
    if question.type == "decimal":
        return _decimal(value, on_change, label)
    if question.type == "date":
        return _date(value, on_change, label)
    if question.type == "text":
        return _text(question, value, on_change, label)
    note = QLabel("" if question.type == "note" else f"({question.type} answers come later)")
    note.setWordWrap(True)
    return note


def _single_choice(
    form: FormDefinition,
    choices: tuple[Choice, ...],
    value: object,
    language: str | None,
    on_change: ValueCallback,
    label: str,
) -> QWidget:
    box = QWidget()
    box.setAccessibleName(label)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    group = QButtonGroup(box)
    for choice in choices:
        button = QRadioButton(form.text(choice.label, language) or choice.name)
        button.setObjectName(f"choice_{choice.name}")
        button.setAccessibleName(form.text(choice.label, language) or choice.name)
        button.setProperty("choice", choice.name)
        button.setChecked(value == choice.name)
        group.addButton(button)
        layout.addWidget(button)

    def clicked(button: QAbstractButton) -> None:
        on_change(button.property("choice"))

    group.buttonClicked.connect(clicked)
    box.setProperty("group", group)
    return box


def _multiple_choice(
    form: FormDefinition,
    choices: tuple[Choice, ...],
    value: object,
    language: str | None,
    on_change: ValueCallback,
    label: str,
) -> QWidget:
    box = QWidget()
    box.setAccessibleName(label)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    chosen = set(value) if isinstance(value, list) else set()
    boxes: list[QCheckBox] = []

    def toggled() -> None:
        on_change([str(b.property("choice")) for b in boxes if b.isChecked()])

    for choice in choices:
        check = QCheckBox(form.text(choice.label, language) or choice.name)
        check.setProperty("choice", choice.name)
        check.setChecked(choice.name in chosen)
        check.toggled.connect(toggled)
        boxes.append(check)
        layout.addWidget(check)
    return box


def _integer(question: Question, value: object, on_change: ValueCallback, label: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setAccessibleName(label)
    low = int(question.parameters.get("start", 0))
    high = int(question.parameters.get("end", 100000))
    # One step below the range shows "not answered", so a blank answer stays blank.
    spin.setRange(low - 1, high)
    spin.setSpecialValueText("not answered")
    spin.setValue(int(value) if isinstance(value, int | float) else low - 1)

    def changed(number: int) -> None:
        on_change(None if number < low else number)

    spin.valueChanged.connect(changed)
    return spin


def _decimal(value: object, on_change: ValueCallback, label: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setAccessibleName(label)
    spin.setRange(-1.0, 1e9)
    spin.setSpecialValueText("not answered")
    spin.setValue(float(value) if isinstance(value, int | float) else -1.0)
    spin.valueChanged.connect(lambda number: on_change(None if number < 0 else number))
    return spin


def _date(value: object, on_change: ValueCallback, label: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setAccessibleName(label)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    initial = QDate.fromString(str(value), "yyyy-MM-dd") if value else QDate.currentDate()
    edit.setDate(initial)
    edit.dateChanged.connect(lambda day: on_change(day.toString("yyyy-MM-dd")))
    return edit


def _text(question: Question, value: object, on_change: ValueCallback, label: str) -> QWidget:
    if (question.appearance and "multiline" in question.appearance) or "comment" in question.name:
        area = QPlainTextEdit(str(value or ""))
        area.setAccessibleName(label)
        area.setTabChangesFocus(True)
        area.setMaximumHeight(90)
        area.textChanged.connect(lambda: on_change(area.toPlainText()))
        return area
    line = QLineEdit(str(value or ""))
    line.setAccessibleName(label)
    line.textChanged.connect(on_change)
    return line
