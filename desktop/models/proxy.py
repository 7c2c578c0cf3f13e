"""Search and filter over a RowTableModel: a search box plus a choice of which rows to show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from desktop.models.table import ROW_ROLE, SORT_ROLE

RowPredicate = Callable[[Any], bool]


class RowFilterProxy(QSortFilterProxyModel):
    """Sorts by each column's sort key; keeps rows matching the search text and the filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self._predicate: RowPredicate | None = None

    def set_predicate(self, predicate: RowPredicate | None) -> None:
        """Show only rows for which `predicate(row)` is true (all rows for None)."""
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(  # noqa: N802 - Qt API
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self._predicate is not None:
            model = self.sourceModel()
            row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
            if row is not None and not self._predicate(row):
                return False
        return super().filterAcceptsRow(source_row, source_parent)
