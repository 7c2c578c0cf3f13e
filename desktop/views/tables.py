"""What the manager's tables share: a sort arrow that points the way the rows run, columns
that fit the window, and a message in place of an empty table saying what to do next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyleOptionHeader,
    QVBoxLayout,
    QWidget,
)


class SortHeader(QHeaderView):
    """A header whose arrow points down while the rows run from the largest (newest) down.

    Qt hands the style "sort up" for a descending column, which Fusion draws as an upward
    arrow: the list of newest visits first looked as if it were oldest first.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(False)

    def initStyleOptionForIndex(  # noqa: N802 - Qt API
        self, option: QStyleOptionHeader, logical_index: int
    ) -> None:
        super().initStyleOptionForIndex(option, logical_index)
        if option.sortIndicator == QStyleOptionHeader.SortIndicator.SortUp:
            option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
        elif option.sortIndicator == QStyleOptionHeader.SortIndicator.SortDown:
            option.sortIndicator = QStyleOptionHeader.SortIndicator.SortUp


def fit_columns(table: QAbstractItemView, elastic: Sequence[int]) -> None:
    """Size short columns to their contents and let the `elastic` ones share the rest of the
    width, so the table fits its window without sideways scrolling (long text is cut with
    an ellipsis; the tooltip or the opened row shows it whole)."""
    header = table.horizontalHeader() if hasattr(table, "horizontalHeader") else None
    if header is None:
        return
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(48)
    for column in range(header.count()):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if column in elastic
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)


class EmptyState(QObject):
    """A message (and maybe one button) over an item view while it has no rows.

    `message` is asked each time the rows change, so it can say why the view is empty:
    nothing yet, or nothing for this filter.
    """

    def __init__(
        self,
        view: QAbstractItemView,
        message: Callable[[], str],
        *,
        action: tuple[str, Callable[[], None], Callable[[], bool]] | None = None,
    ) -> None:
        """`action` is (button text, what it does, whether it applies now)."""
        super().__init__(view)
        self.view = view
        self.message = message
        self.panel = QWidget(view.viewport())
        self.panel.setObjectName("empty_state")
        layout = QVBoxLayout(self.panel)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.label)
        self.button: QPushButton | None = None
        self._applies: Callable[[], bool] = lambda: False
        if action is not None:
            text, slot, applies = action
            self.button = QPushButton(text)
            self.button.clicked.connect(slot)
            self._applies = applies
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignCenter)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
        ):
            signal.connect(self.update)
        self.update()

    def shown_text(self) -> str:
        """The message the view shows now ("" while it has rows)."""
        return self.label.text() if not self.panel.isHidden() else ""

    def update(self) -> None:
        """Show or hide the message after the rows changed."""
        empty = self.view.model().rowCount() == 0
        self.panel.setVisible(empty)
        if empty:
            self.label.setText(self.message())
            if self.button is not None:
                self.button.setVisible(self._applies())
            self._place()

    def _place(self) -> None:
        self.panel.setGeometry(self.view.viewport().rect().adjusted(12, 12, -12, -12))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False
