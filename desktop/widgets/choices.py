"""Choice editors: rating scales with their anchors, yes/no/n.a., NPS 0-10, choice lists.

Keyboard: Tab reaches the chosen option (or the first), Space chooses, the arrow keys move
between options and choose, Delete clears the answer.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.base import TOUCH_HEIGHT, Editor
from desktop.widgets.kinds import EditorKind, choice_caption, scale_layout
from forms.definition.model import Choice, FormDefinition, Question

_CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Left: -1}


class _ClickableLabel(QLabel):
    """The description of a scale level: clicking it chooses the level."""

    def __init__(self, text: str, button: QAbstractButton) -> None:
        super().__init__(text)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setBuddy(button)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self.button.isEnabled():
            self.button.click()
        event.accept()


def _touch_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setCheckable(True)
    button.setMinimumHeight(TOUCH_HEIGHT)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setStyleSheet(
        "QPushButton { font-size: 18pt; padding: 8px 16px; }"
        "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text); }"
    )
    return button


class ChoiceEditor(Editor):
    """One answer out of a list, laid out for its kind of question."""

    def __init__(
        self,
        form: FormDefinition,
        question: Question,
        choices: tuple[Choice, ...],
        value: object,
        language: str | None,
        kind: EditorKind,
        *,
        touch: bool = False,
    ) -> None:
        super().__init__()
        self.touch = touch
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QAbstractButton] = {}
        label = form.text(question.label, language)
        self.setAccessibleName(label)
        scale = scale_layout(form, question, language, touch=touch)
        plain = [c for c in choices if not c.not_applicable]
        not_applicable = [c for c in choices if c.not_applicable]
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        if kind == "nps" or (kind in ("rating", "yes_no") and scale.horizontal):
            self._row(form, plain, language, outer, numbers_only=kind == "nps")
            if kind == "nps":
                anchors = QHBoxLayout()
                low, high = QLabel(scale.low_anchor), QLabel(scale.high_anchor)
                for anchor in (low, high):
                    anchor.setTextFormat(Qt.TextFormat.PlainText)
                    if touch:
                        anchor.setStyleSheet("font-size: 15pt;")
                anchors.addWidget(low)
                anchors.addStretch(1)
                anchors.addWidget(high)
                outer.addLayout(anchors)
        elif kind == "rating" and not touch:
            self._anchored_rows(form, plain, language, outer)
        else:
            self._column(form, plain, language, outer)
        if not_applicable:
            self._column(form, tuple(not_applicable), language, outer)
        self._show(value)
        self.group.buttonClicked.connect(self._clicked)

    # -- layouts -------------------------------------------------------------------
    def _button(self, choice: Choice, text: str, accessible: str) -> QAbstractButton:
        button: QAbstractButton = _touch_button(text) if self.touch else QRadioButton(text)
        button.setObjectName(f"choice_{choice.name}")
        button.setAccessibleName(accessible)
        button.setProperty("choice", choice.name)
        button.installEventFilter(self)
        self.group.addButton(button)
        self.buttons[choice.name] = button
        return button

    def _row(
        self,
        form: FormDefinition,
        choices: list[Choice],
        language: str | None,
        outer: QVBoxLayout,
        *,
        numbers_only: bool,
    ) -> None:
        row = QHBoxLayout()
        for choice in choices:
            caption = choice_caption(form, choice, language)
            text = choice.name if numbers_only else caption
            row.addWidget(self._button(choice, text, caption))
        if not self.touch:
            row.addStretch(1)
        outer.addLayout(row)

    def _anchored_rows(
        self, form: FormDefinition, choices: list[Choice], language: str | None, outer: QVBoxLayout
    ) -> None:
        """A behavioural scale: every level with the description of what it looks like."""
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, choice in enumerate(choices):
            caption = choice_caption(form, choice, language)
            button = self._button(choice, choice.name, f"{choice.name}: {caption}")
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_ClickableLabel(caption, button), row, 1)
        outer.addLayout(grid)

    def _column(
        self,
        form: FormDefinition,
        choices: list[Choice] | tuple[Choice, ...],
        language: str | None,
        outer: QVBoxLayout,
    ) -> None:
        for choice in choices:
            caption = choice_caption(form, choice, language)
            if self.touch or len(caption) <= 80:
                outer.addWidget(self._button(choice, caption, caption))
            else:
                row = QHBoxLayout()
                button = self._button(choice, "", caption)
                row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(_ClickableLabel(caption, button), 1)
                outer.addLayout(row)

    # -- values --------------------------------------------------------------------
    def _show(self, value: object) -> None:
        self.group.setExclusive(False)
        for name, button in self.buttons.items():
            button.setChecked(value == name)
        self.group.setExclusive(True)

    def _clicked(self, button: QAbstractButton) -> None:
        self.changed.emit(str(button.property("choice")))

    def clear(self) -> None:
        """Take the answer back: no option chosen."""
        if self.group.checkedButton() is None:
            return
        self._show(None)
        self.changed.emit(None)

    def value(self) -> str | None:
        """The chosen option's name."""
        checked = self.group.checkedButton()
        return None if checked is None else str(checked.property("choice"))

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        if checked is not None:
            return checked
        buttons = self.group.buttons()
        return buttons[0] if buttons else self

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and isinstance(watched, QAbstractButton)
            and self.isEnabled()
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            if event.key() in _CLEAR_KEYS:
                self.clear()
                return True
            step = _STEPS.get(Qt.Key(event.key()))
            if step is not None:
                self._move(watched, step)
                return True
        return super().eventFilter(watched, event)

    def _move(self, current: QAbstractButton, step: int) -> None:
        """Arrow keys go to the next or previous option in reading order and choose it."""
        order = list(self.buttons.values())
        if current not in order:
            return
        index = order.index(current) + step
        if 0 <= index < len(order):
            order[index].setFocus(Qt.FocusReason.TabFocusReason)
            order[index].click()


class MultipleChoiceEditor(Editor):
    """Any number of answers out of a list: tick boxes (Space ticks)."""

    def __init__(
        self,
        form: FormDefinition,
        question: Question,
        choices: tuple[Choice, ...],
        value: object,
        language: str | None,
        *,
        touch: bool = False,
    ) -> None:
        super().__init__()
        self.setAccessibleName(form.text(question.label, language))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        chosen = set(value) if isinstance(value, list) else set()
        self.boxes: list[QAbstractButton] = []
        for choice in choices:
            caption = choice_caption(form, choice, language)
            box: QAbstractButton = _touch_button(caption) if touch else QCheckBox(caption)
            box.setObjectName(f"choice_{choice.name}")
            box.setAccessibleName(caption)
            box.setProperty("choice", choice.name)
            box.setChecked(choice.name in chosen)
            box.toggled.connect(self._toggled)
            self.boxes.append(box)
            layout.addWidget(box)

    def _toggled(self) -> None:
        self.changed.emit(self.value())

    def value(self) -> list[str]:
        """The ticked options' names, in list order."""
        return [str(box.property("choice")) for box in self.boxes if box.isChecked()]

    def focus_target(self) -> QWidget:
        return self.boxes[0] if self.boxes else self
