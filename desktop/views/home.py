"""The home screen: locations with their figures over a period (the last 90 days up to
today unless the manager picks another), my assignments, drafts to resume.

Every table sorts by its columns; the search box and the filter narrow the locations.
Enter on a row does the obvious thing: start an evaluation there, start the assignment,
resume the draft. An empty table says what to do next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
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
from desktop.theme import TextRole, set_text_role
from desktop.views.dates import DateField, date_text
from desktop.views.delete_draft import allow_delete
from desktop.views.tables import EmptyState, SortHeader, fit_columns
from forms.errors import RapportError
from forms.period import NamedPeriod, Period, current_day
from forms.scoring.metrics import LOW_SAMPLE_MARK, LOW_SAMPLE_THRESHOLD
from reports.queries.screens import AssignmentRow, DraftRow, LocationOverview


@dataclass(frozen=True)
class HomeData:
    """Everything the home screen shows, read in one go off the GUI thread."""

    locations: list[LocationOverview]
    assignments: list[AssignmentRow]
    drafts: list[DraftRow]
    period: Period | None = None
    """The days the figures cover (a reading for other days, overtaken, is not shown)."""


LOCATION_FILTERS: list[tuple[str, Callable[[LocationOverview], bool] | None]] = [
    ("All locations", None),
    ("Active locations", lambda r: r.active),
    ("Improving", lambda r: r.trend == "up"),
    ("Falling", lambda r: r.trend == "down"),
    ("Score below 75", lambda r: r.score is not None and r.score < 75),
    ("Fewer than 5 visits", lambda r: r.visits < LOW_SAMPLE_THRESHOLD),
]


CHOSEN_DATES = "Chosen dates"
HOME_PERIODS = (
    NamedPeriod.LAST_90_DAYS,
    NamedPeriod.LAST_30_DAYS,
    NamedPeriod.LAST_12_MONTHS,
    NamedPeriod.THIS_YEAR,
)
"""The named periods Home offers, its default first (the Reports screen offers the same)."""


def period_text(period: Period) -> str:
    """ "1 Apr 2026 to 30 Jun 2026 (91 days)", in the user's date format."""
    start = date_text(period.start) if period.start else None
    end = date_text(period.end) if period.end else None
    if start and end and period.start and period.end:
        days = (period.end - period.start).days + 1
        return f"{start} to {end} ({days} day{'s' if days != 1 else ''})"
    if start:
        return f"from {start}"
    if end:
        return f"up to {end}"
    return "all time"


NO_LOCATIONS = "No locations yet. Add one in Administration (Sites), or load the sample data."
NO_MATCHING_LOCATIONS = "No location matches this search or filter: clear the search box."
NO_ASSIGNMENTS = (
    "No assignments for you. A manager plans visits in Administration (Assignments); "
    "you can also start one with New evaluation."
)
NO_DRAFTS = "No drafts to resume: everything you started is finished. New evaluation starts one."
NO_ASSIGNMENTS_READ_ONLY = "No assignments for you."
NO_DRAFTS_READ_ONLY = "No drafts to resume."
"""What the empty tables say when nothing can be recorded (the reason follows)."""

LOCATION_COLUMNS_ELASTIC = (0, 1)
ASSIGNMENT_COLUMNS_ELASTIC = (1, 2, 3, 4)
DRAFT_COLUMNS_ELASTIC = (1, 2)
"""Columns sharing the width the short ones leave (names and titles; cut with …)."""


def make_table(name: str, proxy: RowFilterProxy) -> QTableView:
    """A sortable, row-selecting, keyboard-friendly table over `proxy`."""
    table = QTableView()
    table.setHorizontalHeader(SortHeader(table))
    table.setObjectName(name)
    table.setAccessibleName(name.replace("_", " ").capitalize())
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)  # one line a row; long names end with … (the tooltip has them)
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
    period_changed = Signal()
    """Emitted when the manager chose other dates for the figures (read them again)."""

    def __init__(self, *, today: date | None = None) -> None:
        super().__init__()
        self.setObjectName("home")
        self.today = today
        """The day the named periods end on; None follows the calendar (the app may stay
        open past midnight)."""
        self.read_only: str | None = None
        """Why nothing can be recorded (a read-only or damaged data file); None when it can."""
        self._period: Period = HOME_PERIODS[0].period(self._today())
        layout = QVBoxLayout(self)
        heading = QLabel("Locations")
        set_text_role(heading, TextRole.TITLE)
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
        period_row = QHBoxLayout()
        caption = QLabel("&Figures for")
        self.period_box = QComboBox()
        self.period_box.setAccessibleName("Period of the figures")
        for named in HOME_PERIODS:
            self.period_box.addItem(named.label, named.value)
        self.period_box.addItem(CHOSEN_DATES, None)
        caption.setBuddy(self.period_box)
        self.start_edit = DateField("Figures from")
        self.end_edit = DateField("Figures up to")
        self.period_label = QLabel("")
        self.period_label.setObjectName("home_period")
        period_row.addWidget(caption)
        period_row.addWidget(self.period_box)
        period_row.addWidget(QLabel("from"))
        period_row.addWidget(self.start_edit)
        period_row.addWidget(QLabel("to"))
        period_row.addWidget(self.end_edit)
        period_row.addWidget(self.period_label, 1)
        layout.addLayout(period_row)

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
        self.footnote = QLabel("")
        self.footnote.setWordWrap(True)
        set_text_role(self.footnote, TextRole.SECONDARY)
        layout.addWidget(self.footnote)

        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter_box.currentIndexChanged.connect(
            lambda index: self.proxy.set_predicate(LOCATION_FILTERS[index][1])
        )
        self.new_button.clicked.connect(self._start_evaluation)
        self.table.activated.connect(lambda _index: self._start_evaluation())
        self.assignments.activated.connect(self._start_assignment)
        self.start_assignment_button.clicked.connect(
            lambda: self._start_assignment(self.assignments.currentIndex())
        )
        self.assignments.selectionModel().currentRowChanged.connect(self._show_brief)
        self.drafts.activated.connect(self._resume)
        self.resume_button.clicked.connect(lambda: self._resume(self.drafts.currentIndex()))
        self.drafts.selectionModel().currentRowChanged.connect(self._allow_delete)
        self.drafts.selectionModel().currentRowChanged.connect(self._honour_read_only)
        self.delete_button.clicked.connect(self._delete)
        self.period_box.currentIndexChanged.connect(self._preset_chosen)
        self.start_edit.date_changed.connect(self._dates_typed)
        self.end_edit.date_changed.connect(self._dates_typed)

        fit_columns(self.table, LOCATION_COLUMNS_ELASTIC)
        fit_columns(self.assignments, ASSIGNMENT_COLUMNS_ELASTIC)
        fit_columns(self.drafts, DRAFT_COLUMNS_ELASTIC)
        self.empty_locations = EmptyState(
            self.table, lambda: NO_LOCATIONS if not self.model.rowCount() else NO_MATCHING_LOCATIONS
        )
        self.empty_assignments = EmptyState(
            self.assignments,
            lambda: (
                f"{NO_ASSIGNMENTS_READ_ONLY} {self.read_only}" if self.read_only else NO_ASSIGNMENTS
            ),
        )
        self.empty_drafts = EmptyState(
            self.drafts,
            lambda: f"{NO_DRAFTS_READ_ONLY} {self.read_only}" if self.read_only else NO_DRAFTS,
        )
        self._show_period(self._period)

    # -- the period of the figures ------------------------------------------------------
    def _today(self) -> date:
        return self.today or current_day()

    def period(self) -> Period:
        """The days Home's figures cover (a named period ends today, whatever day it is)."""
        named = self._named_period()
        if named is not None and named != self._period:
            self._period = named
            self._show_period(named)
        return self._period

    def set_period(self, period: Period) -> None:
        """Show figures over these days (as if the manager had typed them)."""
        self.period_box.blockSignals(True)
        self.period_box.setCurrentText(CHOSEN_DATES)
        self.period_box.blockSignals(False)
        self._use(period)

    def _named_period(self) -> Period | None:
        named = self.period_box.currentData()  # a NamedPeriod's value; None: chosen dates
        return NamedPeriod(named).period(self._today()) if named else None

    def _preset_chosen(self) -> None:
        chosen = self._named_period()
        if chosen is not None:
            self._use(chosen)

    def _dates_typed(self) -> None:
        self.period_box.blockSignals(True)
        self.period_box.setCurrentText(CHOSEN_DATES)
        self.period_box.blockSignals(False)
        try:
            chosen = Period(self.start_edit.date(), self.end_edit.date())
        except RapportError:
            self.period_label.setText("The period starts after it ends: swap the two dates.")
            return
        self._use(chosen, typed=True)

    def _use(self, period: Period, *, typed: bool = False) -> None:
        changed = period != self._period
        self._period = period
        self._show_period(period, typed=typed)
        if changed:
            self.period_changed.emit()

    def _show_period(self, period: Period, *, typed: bool = False) -> None:
        if not typed:
            for edit, day in ((self.start_edit, period.start), (self.end_edit, period.end)):
                edit.blockSignals(True)
                edit.set_date(day)
                edit.blockSignals(False)
        self.period_label.setText(f"Figures cover {period_text(period)}.")
        earlier = period.previous()
        trend = (
            f"▲ ▼ compare with {period_text(earlier)}."
            if earlier is not None
            else "No trend without a first and a last day."
        )
        self.footnote.setText(
            f"{LOW_SAMPLE_MARK} fewer than {LOW_SAMPLE_THRESHOLD} answers: read the figure "
            f"with care. {trend} Days run from midnight to midnight UTC, as in the reports."
        )

    def set_read_only(self, reason: str) -> None:
        """Nothing new can be recorded: say why on the buttons instead of refusing later, and
        let no row start or resume an evaluation."""
        self.read_only = reason
        self._honour_read_only()
        self.empty_assignments.update()
        self.empty_drafts.update()

    def _honour_read_only(self) -> None:
        if self.read_only is None:
            return
        for button in (
            self.new_button,
            self.start_assignment_button,
            self.resume_button,
            self.delete_button,
        ):
            button.setEnabled(False)
            button.setToolTip(self.read_only)

    def _start_evaluation(self) -> None:
        if self.read_only is None:
            self.start_evaluation.emit()

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
        if data.period is not None and data.period != self._period:
            return  # read for the period before the manager changed it: a newer one comes
        selected = self.selected_location_id()
        self.model.set_rows(data.locations)
        self.assignment_model.set_rows(data.assignments)
        self.draft_model.set_rows(data.drafts)
        self.start_assignment_button.setEnabled(bool(data.assignments))
        if data.assignments and not self.assignments.currentIndex().isValid():
            self.assignments.setCurrentIndex(self.assignment_proxy.index(0, 0))
        self.resume_button.setEnabled(bool(data.drafts))
        if data.drafts and not self.drafts.currentIndex().isValid():
            self.drafts.setCurrentIndex(self.draft_proxy.index(0, 0))
        self._allow_delete()
        self._honour_read_only()
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
        if self.read_only is not None:
            return
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
        if self.read_only is not None:
            return
        row = self.draft_proxy.data(index, ROW_ROLE) if index.isValid() else None
        if row is None and self.draft_proxy.rowCount():
            row = self.draft_proxy.data(self.draft_proxy.index(0, 0), ROW_ROLE)
        if isinstance(row, DraftRow):
            self.resume_draft.emit(row.submission_id)
