"""The submissions table over any number of visits: the model knows how many match (one
COUNT), and reads rows a page at a time only when the view shows them, in a worker thread,
keeping the few pages last shown. A table of 150,000 visits opens as fast as one of 100,
scrolls straight to its last row, and never holds more than KEEP_PAGES pages in memory.

(Qt's fetchMore / canFetchMore would append every page read, so scrolling to the end of a
large table would read and keep every row; reading only the pages shown avoids both.)
Sorting asks the database.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.models.table import ROW_ROLE, SORT_ROLE
from desktop.views.dates import date_text, datetime_text
from desktop.workers import Background
from forms.vocabulary import RespondentKind, SubmissionStatus, band_label
from reports.queries.submissions import SORTABLE, SubmissionRow

_Index = QModelIndex | QPersistentModelIndex
PAGE = 200
KEEP_PAGES = 10
LOADING = "…"

PageLoader = Callable[[int, int, str, bool], list[SubmissionRow]]
"""Reads `limit` rows from `offset`, sorted by a SORTABLE key, descending or not."""

HEADERS = ("Visit", "Location", "Agent", "Form", "Respondent", "Status", "Score", "Band")


def _visit(row: SubmissionRow) -> str:
    if row.visit_at is None:
        return ""
    if row.day_only:
        # Kept to its UTC day, the day reports count it on: no time of day to show.
        return date_text(row.visit_at.date())
    return datetime_text(row.visit_at)


def _text(row: SubmissionRow, column: int) -> str:
    if column == 0:
        return _visit(row)
    if column == 6:
        return "" if row.score is None else f"{row.score:.1f}"
    if column == 7:
        return band_label(row.band, row.critical_failure)
    values = (row.location, row.agent, row.form_title, RespondentKind(row.respondent_kind).label)
    if 1 <= column <= 4:
        return values[column - 1]
    return SubmissionStatus(row.status).label


class SubmissionTableModel(QAbstractTableModel):
    """Submissions matching a filter; pages are read from `loader` when first shown."""

    def __init__(
        self, loader: PageLoader, total: int, *, background: Background | None = None
    ) -> None:
        super().__init__()
        self.loader = loader
        self.total = total
        self.background = background
        self.order_by = "visit_at"
        self.descending = True
        self._pages: OrderedDict[int, list[SubmissionRow]] = OrderedDict()
        self._pending: set[int] = set()
        self._generations = itertools.count()
        self._generation = next(self._generations)

    # -- pages ----------------------------------------------------------------------
    def reload(
        self,
        loader: PageLoader,
        total: int,
        *,
        first_page: list[SubmissionRow] | None = None,
    ) -> None:
        """Show another filter's rows; the first page is given, or read at once."""
        self.beginResetModel()
        self.loader = loader
        self.total = total
        self._forget(first_page)
        self.endResetModel()

    def _forget(self, first_page: list[SubmissionRow] | None = None) -> None:
        self._pages.clear()
        self._pending.clear()
        self._generation = next(self._generations)
        if self.total:
            self._keep(0, first_page if first_page is not None else self._read(0))

    def _read(self, page: int) -> list[SubmissionRow]:
        return self.loader(page * PAGE, PAGE, self.order_by, self.descending)

    def _keep(self, page: int, rows: list[SubmissionRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > KEEP_PAGES:
            self._pages.popitem(last=False)

    def pages_held(self) -> int:
        """How many pages of rows are in memory now."""
        return len(self._pages)

    def _row(self, row: int, *, wait: bool) -> SubmissionRow | None:
        page, at = divmod(row, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            if not wait and self.background is not None:
                self._request(page)
                return None
            rows = self._read(page)
            self._keep(page, rows)
        else:
            self._pages.move_to_end(page)
        return rows[at] if at < len(rows) else None

    def _request(self, page: int) -> None:
        if page in self._pending or self.background is None:
            return
        self._pending.add(page)
        generation = self._generation
        loader, order_by, descending = self.loader, self.order_by, self.descending

        def read() -> list[SubmissionRow]:
            return loader(page * PAGE, PAGE, order_by, descending)

        def arrived(rows: object) -> None:
            if generation != self._generation or not isinstance(rows, list):
                return  # the filter or the order changed meanwhile
            self._pending.discard(page)
            self._keep(page, rows)
            first = page * PAGE
            last = min(self.total, first + PAGE) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(HEADERS) - 1))

        def failed(_message: str) -> None:
            self._pending.discard(page)

        self.background.run(read, arrived, failed)

    def row_at(self, row: int) -> SubmissionRow:
        """The submission shown on a row (read now if its page is not in memory)."""
        found = self._row(row, wait=True)
        if found is None:
            raise IndexError(f"row {row} is not in the table any more")
        return found

    # -- Qt's model API -----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORTABLE):
            return
        self.beginResetModel()
        self.order_by = SORTABLE[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._forget()
        self.endResetModel()

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
        if not index.isValid() or not 0 <= index.row() < self.total:
            return None
        if not 0 <= index.column() < len(HEADERS):
            return None
        shown = (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            ROW_ROLE,
            SORT_ROLE,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.ToolTipRole,
        )
        if role not in shown:
            return None
        row = self._row(index.row(), wait=False)
        column = index.column()
        if row is None:
            return LOADING if role == Qt.ItemDataRole.DisplayRole else None
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
