"""The home screen: locations with their latest figures, my assignments, drafts to resume.

Every table sorts by its columns; the search box and the filter narrow the locations.
Enter on a row does the obvious thing: start an evaluation there, start the assignment,
resume the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.locations import AssignmentTableModel, DraftTableModel, LocationTableModel
from desktop.models.proxy import RowFilterProxy
from desktop.models.table import ROW_ROLE
from desktop.views.delete_draft import allow_delete
from forms.scoring.metrics import LOW_SAMPLE_THRESHOLD
from reports.queries.screens import AssignmentRow, DraftRow, LocationOverview


@dataclass(frozen=True)
class HomeData:
    """Everything the home screen shows, read in one go off the GUI thread."""

    locations: list[LocationOverview]
    assignments: list[AssignmentRow]
    drafts: list[DraftRow]


LOCATION_FILTERS: list[tuple[str, Callable[[LocationOverview], bool] | None]] = [
    ("All locations", None),
    ("Active locations", lambda r: r.active),
    ("Improving", lambda r: r.trend == "up"),
    ("Falling", lambda r: r.trend == "down"),
    ("Score below 75", lambda r: r.score is not None and r.score < 75),
    ("Fewer than 5 visits", lambda r: r.visits < LOW_SAMPLE_THRESHOLD),
]


def make_table(name: str, proxy: RowFilterProxy) -> QTableView:
    """A sortable, row-selecting, keyboard-friendly table over `proxy`."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(name.replace("_", " ").capitalize())
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    return table


class HomeView(QWidget):
    """Lists locations, assignments and drafts; evaluations start from here."""

    start_evaluation = Signal()
    start_assignment = Signal(object)
    """Emitted with the AssignmentRow to start."""
    resume_draft = Signal(str)
    """Emitted with the submission id of the draft to resume."""
    delete_draft = Signal(object)
    """Emitted with the DraftRow the shopper asks to delete (the window asks to confirm)."""
    loaded = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("home")
        layout = QVBoxLayout(self)
        heading = QLabel("Locations")
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(heading)
        controls = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search locations…")
        self.search.setAccessibleName("Search locations")
        self.search.setClearButtonEnabled(True)
        self.filter_box = QComboBox()
        self.filter_box.setAccessibleName("Show which locations")
        for label, _predicate in LOCATION_FILTERS:
            self.filter_box.addItem(label)
        self.new_button = QPushButton("&New evaluation")
        self.new_button.setAccessibleName("Start a new evaluation")
        controls.addWidget(self.search, 1)
        controls.addWidget(self.filter_box)
        controls.addWidget(self.new_button)
        layout.addLayout(controls)

        self.model = LocationTableModel()
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table("locations", self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

        self.assignment_model = AssignmentTableModel()
        self.assignment_proxy = RowFilterProxy(self)
        self.assignment_proxy.setSourceModel(self.assignment_model)
        self.assignments = make_table("my_assignments", self.assignment_proxy)
        self.assignments.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.draft_model = DraftTableModel()
        self.draft_proxy = RowFilterProxy(self)
        self.draft_proxy.setSourceModel(self.draft_model)
        self.drafts = make_table("drafts", self.draft_proxy)
        self.drafts.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        lower = QSplitter(Qt.Orientation.Horizontal)
        self.start_assignment_button = QPushButton("S&tart assignment")
        self.resume_button = QPushButton("&Resume draft")
        self.delete_button = QPushButton("&Delete draft…")
        self.delete_button.setAccessibleName("Delete the selected draft for good")
        self.delete_button.setEnabled(False)
        self.brief = QLabel("")
        self.brief.setObjectName("scenario_brief")
        self.brief.setWordWrap(True)
        self.brief.setTextFormat(Qt.TextFormat.PlainText)
        lower.addWidget(
            self._box(
                "My assignments", self.assignments, self.start_assignment_button, note=self.brief
            )
        )
        self.drafts_note = QLabel("")
        self.drafts_note.setObjectName("drafts_note")
        self.drafts_note.setWordWrap(True)
        self.drafts_note.setTextFormat(Qt.TextFormat.PlainText)
        self.drafts_note.hide()
        self._after_delete: tuple[str, int] | None = None
        """What to say, and the row to go to, once the list is read after a delete."""
        lower.addWidget(
            self._box(
                "Drafts to resume",
                self.drafts,
                self.delete_button,
                self.resume_button,
                note=self.drafts_note,
            )
        )
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.footnote = QLabel(
            f"* fewer than {LOW_SAMPLE_THRESHOLD} answers: read the figure with care. "
            "Figures cover the 90 days up to the latest visit; ▲ ▼ compare with the 90 days before."
        )
        self.footnote.setWordWrap(True)
        self.footnote.setEnabled(False)
        layout.addWidget(self.footnote)

        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter_box.currentIndexChanged.connect(
            lambda index: self.proxy.set_predicate(LOCATION_FILTERS[index][1])
        )
        self.new_button.clicked.connect(self.start_evaluation.emit)
        self.table.activated.connect(lambda _index: self.start_evaluation.emit())
        self.assignments.activated.connect(self._start_assignment)
        self.start_assignment_button.clicked.connect(
            lambda: self._start_assignment(self.assignments.currentIndex())
        )
        self.assignments.selectionModel().currentRowChanged.connect(self._show_brief)
        self.drafts.activated.connect(self._resume)
        self.resume_button.clicked.connect(lambda: self._resume(self.drafts.currentIndex()))
        self.drafts.selectionModel().currentRowChanged.connect(self._allow_delete)
        self.delete_button.clicked.connect(self._delete)

    @staticmethod
    def _box(
        title: str, table: QTableView, *buttons: QPushButton, note: QLabel | None = None
    ) -> QGroupBox:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.addWidget(table)
        if note is not None:
            inner.addWidget(note)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        inner.addLayout(row)
        return box

    def show_data(self, data: HomeData) -> None:
        """Show freshly read locations, assignments and drafts."""
        selected = self.selected_location_id()
        self.model.set_rows(data.locations)
        self.assignment_model.set_rows(data.assignments)
        self.draft_model.set_rows(data.drafts)
        for table in (self.table, self.assignments, self.drafts):
            table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.assignments.horizontalHeader().setStretchLastSection(True)
        self.start_assignment_button.setEnabled(bool(data.assignments))
        if data.assignments and not self.assignments.currentIndex().isValid():
            self.assignments.setCurrentIndex(self.assignment_proxy.index(0, 0))
        self.resume_button.setEnabled(bool(data.drafts))
        if data.drafts and not self.drafts.currentIndex().isValid():
            self.drafts.setCurrentIndex(self.draft_proxy.index(0, 0))
        self._allow_delete()
        if selected is not None:
            self.select_location(selected)
        self._say_deleted()
        self.loaded.emit()

    def after_deleting(self, message: str, row: int) -> None:
        """A draft at row `row` of the drafts list was deleted: once the list is read again,
        the keyboard goes to the draft that took its place and `message` shows beside it."""
        self._after_delete = (message, row)

    def draft_position(self, submission_id: str) -> int:
        """The row of a draft in the drafts list as sorted now (0 if it is not listed)."""
        for row in range(self.draft_proxy.rowCount()):
            found = self.draft_proxy.data(self.draft_proxy.index(row, 0), ROW_ROLE)
            if isinstance(found, DraftRow) and found.submission_id == submission_id:
                return row
        return 0

    def take_focus(self) -> None:
        """Put the keyboard on the locations, or on the drafts just after a delete."""
        (self.table if self._after_delete is None else self.drafts).setFocus()

    def _say_deleted(self) -> None:
        message, row = self._after_delete or ("", 0)
        self._after_delete = None
        self.drafts_note.setText(message)
        self.drafts_note.setVisible(bool(message))
        # Said where the keyboard lands, so a screen reader reads it with the list.
        self.drafts.setAccessibleDescription(message)
        if not message:
            return
        count = self.draft_proxy.rowCount()
        if count:
            self.drafts.setCurrentIndex(self.draft_proxy.index(min(row, count - 1), 0))
        self.drafts.setFocus()

    def select_location(self, location_id: int) -> None:
        """Put the cursor on a location's row (if it is shown)."""
        for row in range(self.proxy.rowCount()):
            found = self.proxy.data(self.proxy.index(row, 0), ROW_ROLE)
            if isinstance(found, LocationOverview) and found.id == location_id:
                self.table.selectRow(row)
                return

    def selected_location_id(self) -> int | None:
        """The id of the selected location, if one is selected."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        found = self.proxy.data(rows[0], ROW_ROLE)
        return found.id if isinstance(found, LocationOverview) else None

    def _show_brief(self, index: QModelIndex) -> None:
        row = self.assignment_proxy.data(index, ROW_ROLE) if index.isValid() else None
        if isinstance(row, AssignmentRow) and row.scenario:
            self.brief.setText(f"Scenario: {row.scenario}")
        else:
            self.brief.setText("")

    def _start_assignment(self, index: QModelIndex) -> None:
        row = self.assignment_proxy.data(index, ROW_ROLE) if index.isValid() else None
        if row is None and self.assignment_proxy.rowCount():
            row = self.assignment_proxy.data(self.assignment_proxy.index(0, 0), ROW_ROLE)
        if isinstance(row, AssignmentRow):
            self.start_assignment.emit(row)

    def _current_draft(self) -> DraftRow | None:
        index = self.drafts.currentIndex()
        row = self.draft_proxy.data(index, ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, DraftRow) else None

    def _allow_delete(self) -> None:
        allow_delete(self.delete_button, self._current_draft())

    def _delete(self) -> None:
        row = self._current_draft()
        if row is not None:
            self.delete_draft.emit(row)

    def _resume(self, index: QModelIndex) -> None:
        row = self.draft_proxy.data(index, ROW_ROLE) if index.isValid() else None
        if row is None and self.draft_proxy.rowCount():
            row = self.draft_proxy.data(self.draft_proxy.index(0, 0), ROW_ROLE)
        if isinstance(row, DraftRow):
            self.resume_draft.emit(row.submission_id)
