"""The submissions table: rows are fetched a page at a time as the table scrolls
(canFetchMore / fetchMore), and sorting asks the database, so a table of 100,000 visits
opens as fast as one of 100.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.models.table import ROW_ROLE, SORT_ROLE
from desktop.submission_queries import SORTABLE, SubmissionRow

_Index = QModelIndex | QPersistentModelIndex
PAGE = 200

PageLoader = Callable[[int, int, str, bool], list[SubmissionRow]]
"""Reads `limit` rows from `offset`, sorted by a SORTABLE key, descending or not."""

HEADERS = ("Visit", "Location", "Agent", "Form", "Respondent", "Status", "Score", "Band")
STATUS_WORDS = {"revision_requested": "sent back", "void": "void"}


def _visit(row: SubmissionRow) -> str:
    return row.visit_at.astimezone().strftime("%Y-%m-%d %H:%M") if row.visit_at else ""


def _text(row: SubmissionRow, column: int) -> str:
    if column == 0:
        return _visit(row)
    if column == 6:
        return "" if row.score is None else f"{row.score:.1f}"
    if column == 7:
        return "critical failure" if row.critical_failure else (row.band or "")
    values = (row.location, row.agent, row.form_title, row.respondent_kind)
    if 1 <= column <= 4:
        return values[column - 1]
    return STATUS_WORDS.get(row.status, row.status)


class SubmissionTableModel(QAbstractTableModel):
    """Submissions matching a filter, loaded page by page from `loader`."""

    def __init__(self, loader: PageLoader, total: int) -> None:
        super().__init__()
        self.loader = loader
        self.total = total
        self.order_by = "visit_at"
        self.descending = True
        self._rows: list[SubmissionRow] = []

    def reload(self, loader: PageLoader, total: int) -> None:
        """Show another filter's rows, starting with their first page."""
        self.beginResetModel()
        self.loader = loader
        self.total = total
        self._rows = []
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def row_at(self, row: int) -> SubmissionRow:
        """The submission shown on a row."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802 - Qt API
        if parent.isValid() or len(self._rows) >= self.total:
            return
        page = self.loader(len(self._rows), PAGE, self.order_by, self.descending)
        page = page[: max(0, self.total - len(self._rows))]
        if not page:
            self.total = len(self._rows)  # rows were deleted since counting
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORTABLE):
            return
        self.beginResetModel()
        self.order_by = SORTABLE[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._rows = []
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(HEADERS):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _text(row, column)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return _text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and row.status == "void":
            return "Voided: left out of every figure."
        return None
