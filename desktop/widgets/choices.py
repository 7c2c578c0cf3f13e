"""Choice editors: rating scales with their anchors, yes/no/n.a., NPS 0-10, choice lists.

Keyboard: Tab reaches the chosen option (or the first), Space chooses, the arrow keys move
between options and choose, Delete clears the answer.
"""

from __future__ import annotations

import math
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.base import TOUCH_HEIGHT, Editor
from desktop.widgets.kinds import EditorKind, choice_caption, scale_layout
from forms.definition.model import Choice, FormDefinition, Question

_Button = TypeVar("_Button", bound=QAbstractButton)
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


LONG_CAPTION = 60
"""A caption longer than this is a sentence, shown smaller on a touch button."""


class TouchButton(QPushButton):
    """A large option button for a finger (the kiosk): its caption wraps onto more lines
    instead of pushing the screen wider. The caption is a label inside the button, marked
    `chosen` while the button is checked, so a style sheet can colour it."""

    def __init__(self, text: str, *, numbers_only: bool = False, small: bool = False) -> None:
        super().__init__()
        self.setCheckable(True)
        self.setProperty("touch", True)
        font = self.font()
        font.setPointSize(20 if numbers_only else 13 if small else 16)
        self.setFont(font)
        self.caption = QLabel(text, self)
        self.caption.setObjectName("caption")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(not numbers_only)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.caption.setProperty("chosen", False)
        self.inside = QHBoxLayout(self)
        self.inside.setContentsMargins(12, 6, 12, 6)
        # The caption wraps: its own minimum must not become the button's (narrowest is).
        self.inside.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.inside.addWidget(self.caption)
        self.setMinimumHeight(TOUCH_HEIGHT)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.toggled.connect(self._mark)
        metrics = self.caption.fontMetrics()
        words = text.split() or [text]
        longest = max(metrics.horizontalAdvance(word) for word in words)
        whole = metrics.horizontalAdvance(text)
        # Narrow enough to sit beside others (two long sentences side by side on a small
        # screen), wide enough that a long caption keeps to about three lines and no word
        # is cut.
        self.narrowest = max(
            TOUCH_HEIGHT, longest + 32, min(whole + 32, 140), min(whole // 3 + 32, 420)
        )

    def text(self) -> str:  # the caption is the button's text
        """The caption shown on the button."""
        return self.caption.text()

    def _mark(self, checked: bool) -> None:
        self.caption.setProperty("chosen", checked)
        self.caption.style().unpolish(self.caption)
        self.caption.style().polish(self.caption)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = self.inside.sizeHint()
        return QSize(max(hint.width(), self.narrowest), max(hint.height(), TOUCH_HEIGHT))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.narrowest, TOUCH_HEIGHT)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        inner = max(1, width - 24)
        return max(TOUCH_HEIGHT, self.caption.heightForWidth(inner) + 12)


class TouchGrid(QWidget):
    """Large option buttons side by side in one row when they fit the width, else in as
    few balanced rows as they need (a 7-point scale: one row on a wide screen, 4 + 3 on a
    narrow one)."""

    SPACING = 8

    def __init__(self, buttons: list[TouchButton]) -> None:
        super().__init__()
        self.buttons = buttons
        self.grid = QGridLayout(self)
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(self.SPACING)
        self.columns = 0
        self._place(len(buttons))

    def columns_for(self, width: int) -> int:
        """How many buttons a row of `width` pixels holds, balanced over the rows needed."""
        count = len(self.buttons)
        if not count:
            return 1
        cell = max(button.narrowest for button in self.buttons) + self.SPACING
        fit = max(1, min(count, (width + self.SPACING) // cell))
        rows = math.ceil(count / fit)
        return math.ceil(count / rows)

    def _place(self, columns: int) -> None:
        self.columns = columns
        for button in self.buttons:
            self.grid.removeWidget(button)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        for index, button in enumerate(self.buttons):
            self.grid.addWidget(button, index // columns, index % columns)
        for column in range(columns):
            self.grid.setColumnStretch(column, 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        narrowest = max((b.narrowest for b in self.buttons), default=TOUCH_HEIGHT)
        return QSize(narrowest, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        columns = self.columns_for(event.size().width())
        if columns != self.columns:
            self._place(columns)
            # Laid out now, not on the next turn of the event loop: the screen never shows
            # the old arrangement squeezed into the new width.
            self.grid.activate()
            self.updateGeometry()


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
        if touch:
            if kind == "nps":
                self._touch_grid(form, plain, language, outer, numbers_only=True)
                self._anchors(scale.low_anchor, scale.high_anchor, outer)
                if not_applicable:
                    self._touch_grid(form, not_applicable, language, outer, numbers_only=False)
            else:  # "not applicable" last, in the same rows: the space beside the last level
                self._touch_grid(form, plain + not_applicable, language, outer, numbers_only=False)
        elif kind == "nps" or (kind in ("rating", "yes_no") and scale.horizontal):
            self._row(form, plain, language, outer, numbers_only=kind == "nps")
            if kind == "nps":
                self._anchors(scale.low_anchor, scale.high_anchor, outer)
        elif kind == "rating":
            self._anchored_rows(form, plain, language, outer)
        else:
            self._column(form, plain, language, outer)
        if not_applicable and not touch:
            self._column(form, tuple(not_applicable), language, outer)
        self._show(value)
        self.group.buttonClicked.connect(self._clicked)

    # -- layouts -------------------------------------------------------------------
    def _anchors(self, low_text: str, high_text: str, outer: QVBoxLayout) -> None:
        """The words at both ends of a 0-10 scale, under it."""
        anchors = QHBoxLayout()
        low, high = QLabel(low_text), QLabel(high_text)
        for anchor in (low, high):
            anchor.setTextFormat(Qt.TextFormat.PlainText)
            if self.touch:
                anchor.setStyleSheet("font-size: 14pt;")
        anchors.addWidget(low)
        anchors.addStretch(1)
        anchors.addWidget(high)
        outer.addLayout(anchors)

    def _touch_grid(
        self,
        form: FormDefinition,
        choices: list[Choice],
        language: str | None,
        outer: QVBoxLayout,
        *,
        numbers_only: bool,
    ) -> None:
        """The kiosk's options: large buttons in a row where they fit, else in rows."""
        captions = [choice_caption(form, choice, language) for choice in choices]
        # Levels described in sentences (a shopper's behavioural scale) take a smaller size,
        # all alike, so that five of them still fit a small screen.
        small = any(len(caption) > LONG_CAPTION for caption in captions)
        buttons = []
        for choice, caption in zip(choices, captions, strict=True):
            shown = choice.name if numbers_only and not choice.not_applicable else caption
            button = TouchButton(shown, numbers_only=numbers_only, small=small)
            buttons.append(self._register(button, choice, caption))
        outer.addWidget(TouchGrid(buttons))

    def _button(self, choice: Choice, text: str, accessible: str) -> QAbstractButton:
        return self._register(QRadioButton(text), choice, accessible)

    def _register(self, button: _Button, choice: Choice, accessible: str) -> _Button:
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
            if len(caption) <= 80:
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
            box: QAbstractButton = TouchButton(caption) if touch else QCheckBox(caption)
            box.setObjectName(f"choice_{choice.name}")
            box.setAccessibleName(caption)
            box.setProperty("choice", choice.name)
            box.setChecked(choice.name in chosen)
            box.toggled.connect(self._toggled)
            self.boxes.append(box)
            if not touch:
                layout.addWidget(box)
        if touch:
            layout.addWidget(TouchGrid([b for b in self.boxes if isinstance(b, TouchButton)]))

    def _toggled(self) -> None:
        self.changed.emit(self.value())

    def value(self) -> list[str]:
        """The ticked options' names, in list order."""
        return [str(box.property("choice")) for box in self.boxes if box.isChecked()]

    def focus_target(self) -> QWidget:
        return self.boxes[0] if self.boxes else self
