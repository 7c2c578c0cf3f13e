"""The home screen's table of locations."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from reports.queries import LocationRow

_Index = QModelIndex | QPersistentModelIndex


class LocationTableModel(QAbstractTableModel):
    """Locations with their visits, average score and latest visit; sortable by each column."""

    HEADERS = ("Location", "City", "Visits", "Average score", "Last visit")

    def __init__(self, rows: list[LocationRow] | None = None) -> None:
        super().__init__()
        self._rows: list[LocationRow] = list(rows or [])

    def set_rows(self, rows: list[LocationRow]) -> None:
        """Replace the rows (after a refresh)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> LocationRow:
        """The location shown on a row of this model."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and row.visits < 5:
            return "Fewer than 5 visits: read this average with care."
        return None

    @staticmethod
    def _display(row: LocationRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.city
        if column == 2:
            return str(row.visits)
        if column == 3:
            if row.average_score is None:
                return "–"
            marker = " *" if row.visits < 5 else ""
            return f"{row.average_score:.1f}{marker}"
        if column == 4:
            return row.last_visit.date().isoformat() if row.last_visit else "never"
        return ""

    @staticmethod
    def _sort_key(row: LocationRow, column: int) -> object:
        keys: tuple[object, ...] = (
            row.name.lower(),
            row.city.lower(),
            row.visits,
            -1.0 if row.average_score is None else row.average_score,
            row.last_visit.isoformat() if row.last_visit else "",
        )
        return keys[column] if 0 <= column < len(keys) else None
