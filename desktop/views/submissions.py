"""The submissions screen: every visit, filtered by location, agent, form, period, status
and band; rows load as the table scrolls. Enter opens one, read-only, with the manager's
actions (accept, reject, reopen, void).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.submissions import PAGE, SubmissionTableModel
from desktop.theme import TextRole, set_text_role
from desktop.views.dates import DateField
from desktop.views.submission_detail import SubmissionDetailDialog
from desktop.views.tables import EmptyState, SortHeader, fit_columns
from desktop.workers import Background
from forms.storage import FormVersionInfo, Store
from forms.vocabulary import RespondentKind, SubmissionStatus
from reports.queries.screens import AgentRow, LocationOverview
from reports.queries.submissions import (
    COUNTED_IN_REPORTS,
    COUNTED_IN_REPORTS_LABEL,
    CRITICAL_BAND,
    SubmissionFilter,
    SubmissionRow,
    count_submissions,
    list_submissions,
)

ANY = "Any"
NO_MATCH = (
    "No submissions match these filters. Change a filter, or clear them to see every submission."
)
NONE_YET = (
    "No submissions yet. Finished evaluations, kiosk surveys and the work of other laptops "
    "(Administration, Data) show here."
)
ELASTIC_COLUMNS = (1, 2, 3)
"""Location, agent and form share the width the short columns leave."""


@dataclass(frozen=True)
class _Counted:
    """What a refresh read in the background: for which request, how many, the first page."""

    asked: tuple[SubmissionFilter, str, bool]
    total: int
    first: list[SubmissionRow]


class SubmissionsView(QWidget):
    """All submissions, filtered and sorted by the database, loaded page by page."""

    changed = Signal()
    """Emitted after a manager changed a submission's status."""
    loaded = Signal()
    """Emitted when the table shows the rows of the current filter."""
    visit_report = Signal(str, str)
    """Emitted with (submission id, label) to write that visit's PDF report."""

    def __init__(self, store: Store, actor: str, background: Background | None = None) -> None:
        super().__init__()
        self.setObjectName("submissions")
        self.store = store
        self.actor = actor
        self.background = background or Background(self)
        self._asked: tuple[SubmissionFilter, str, bool] | None = None
        self.agents: list[AgentRow] = []
        layout = QVBoxLayout(self)
        heading = QLabel("Submissions")
        set_text_role(heading, TextRole.TITLE)
        layout.addWidget(heading)
        filters = QFormLayout()
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.location_box = QComboBox()
        self.agent_box = QComboBox()
        self.form_box = QComboBox()
        self.status_box = QComboBox()
        self.band_box = QComboBox()
        self.respondent_box = QComboBox()
        self.start_edit = DateField("From", empty_text="any day")
        self.end_edit = DateField("To", empty_text="any day")
        self._loaded_once = False
        for label, box, row in (
            ("&Location", self.location_box, row1),
            ("A&gent", self.agent_box, row1),
            ("F&orm", self.form_box, row1),
            ("&Who", self.respondent_box, row1),
            ("&From", self.start_edit, row2),
            ("&To", self.end_edit, row2),
            ("&Status", self.status_box, row2),
            ("&Band", self.band_box, row2),
        ):
            caption = QLabel(label)
            caption.setMinimumWidth(caption.sizeHint().width())  # never cut to "Tc"
            caption.setBuddy(box)
            box.setAccessibleName(label.replace("&", ""))
            row.addWidget(caption)
            row.addWidget(box, 1)
        self.clear_button = QPushButton("&Clear filters")
        row2.addWidget(self.clear_button)
        filters.addRow(row1)
        filters.addRow(row2)
        layout.addLayout(filters)

        self.model = SubmissionTableModel(lambda *_args: [], 0, background=self.background)
        self.table = QTableView()
        self.table.setHorizontalHeader(SortHeader(self.table))
        self.table.setObjectName("submission_table")
        self.table.setAccessibleName("Submissions")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        fit_columns(self.table, ELASTIC_COLUMNS)
        # Column widths from the first rows only: measuring more would read more pages.
        self.table.horizontalHeader().setResizeContentsPrecision(50)
        self.empty = EmptyState(
            self.table,
            self._empty_message,
            action=("&Clear filters", self.clear_filters, self.filtered),
        )
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.count = QLabel("")
        self.count.setObjectName("count")
        self.open_button = QPushButton("&Open…")
        self.open_button.setAccessibleName("Open the selected submission")
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.open_button)
        layout.addLayout(bottom)
        self.detail: SubmissionDetailDialog | None = None

        self.location_box.currentIndexChanged.connect(self._fill_agents)
        for box in (
            self.location_box,
            self.agent_box,
            self.form_box,
            self.status_box,
            self.band_box,
            self.respondent_box,
        ):
            box.currentIndexChanged.connect(self.refresh)
        for edit in (self.start_edit, self.end_edit):
            edit.date_changed.connect(self.refresh)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))

    def populate(
        self,
        locations: list[LocationOverview],
        agents: list[AgentRow],
        forms: list[FormVersionInfo],
        bands: list[str],
    ) -> None:
        """Fill the filter choices (keeping the current ones when they still exist)."""
        self.agents = agents
        boxes = (
            self.location_box,
            self.form_box,
            self.status_box,
            self.band_box,
            self.respondent_box,
        )
        for box in boxes:
            box.blockSignals(True)
        self._refill(self.location_box, [(r.name, r.id) for r in locations])
        titles: dict[str, str] = {}
        for info in forms:
            titles.setdefault(info.key, info.title)
        self._refill(self.form_box, [(title, key) for key, title in sorted(titles.items())])
        self._refill(
            self.status_box,
            [
                (COUNTED_IN_REPORTS_LABEL, COUNTED_IN_REPORTS),
                *((status.label, status.value) for status in SubmissionStatus),
            ],
        )
        self._refill(self.respondent_box, [(kind.label, kind.value) for kind in RespondentKind])
        self._refill(self.band_box, [(b, b) for b in [*bands, CRITICAL_BAND]])
        for box in boxes:
            box.blockSignals(False)
        self._fill_agents()
        self.refresh()

    @staticmethod
    def _refill(box: QComboBox, items: list[tuple[str, object]]) -> None:
        current = box.currentData()
        box.clear()
        box.addItem(ANY, None)
        for label, value in items:
            box.addItem(label, value)
        found = box.findData(current) if current is not None else -1
        box.setCurrentIndex(max(0, found))

    def _fill_agents(self) -> None:
        location = self.location_box.currentData()
        self.agent_box.blockSignals(True)
        self._refill(
            self.agent_box,
            [
                (a.name if location else f"{a.name} ({a.location_name})", a.id)
                for a in self.agents
                if location is None or a.location_id == location
            ],
        )
        self.agent_box.blockSignals(False)

    def current_filter(self) -> SubmissionFilter:
        """The filter the controls describe."""
        return SubmissionFilter(
            location_id=self.location_box.currentData(),
            agent_id=self.agent_box.currentData(),
            form_key=self.form_box.currentData(),
            start=self.start_edit.date(),
            end=self.end_edit.date(),
            status=self.status_box.currentData(),
            band=self.band_box.currentData(),
            respondent_kind=self.respondent_box.currentData(),
        )

    def filtered(self) -> bool:
        """Whether any filter narrows the list."""
        return self.current_filter() != SubmissionFilter()

    def _empty_message(self) -> str:
        if not self._loaded_once:
            return ""
        return NO_MATCH if self.filtered() else NONE_YET

    def clear_filters(self) -> None:
        """Show every submission again."""
        for box in (
            self.location_box,
            self.agent_box,
            self.form_box,
            self.status_box,
            self.band_box,
            self.respondent_box,
        ):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        for edit in (self.start_edit, self.end_edit):
            edit.blockSignals(True)
            edit.set_date(None)
            edit.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Count the matching submissions and read their first page, off the GUI thread."""
        wanted = self.current_filter()
        order_by, descending = self.model.order_by, self.model.descending
        self._asked = (wanted, order_by, descending)
        store = self.store

        def count_and_read() -> _Counted:
            total = count_submissions(store, wanted)
            first = list_submissions(
                store, wanted, limit=PAGE, order_by=order_by, descending=descending
            )
            return _Counted((wanted, order_by, descending), total, first)

        self.count.setText("Counting…")
        self.background.run(count_and_read, self._counted, self._failed)

    def _counted(self, result: _Counted) -> None:
        asked = result.asked
        if asked != self._asked or asked[1:] != (self.model.order_by, self.model.descending):
            return  # the filter or the order changed meanwhile: a newer count is coming
        total = result.total
        self._loaded_once = True
        self.model.reload(partial(_page, self.store, asked[0]), total, first_page=result.first)
        counted = " counted in reports" if asked[0].status == COUNTED_IN_REPORTS else ""
        self.count.setText(f"{total:,} submission{'s' if total != 1 else ''}{counted}")
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.count.setText(message)

    def open_row(self, row: int) -> None:
        """Show one submission read-only, with the manager's actions."""
        if not 0 <= row < self.model.rowCount():
            return
        submission = self.model.row_at(row)
        self.detail = SubmissionDetailDialog(self.store, submission.id, self.actor, self)
        self.detail.changed.connect(self._status_changed)
        self.detail.visit_report.connect(self.visit_report.emit)
        self.detail.open()

    def _status_changed(self) -> None:
        row = self.table.currentIndex().row()
        self.refresh()
        if row >= 0:
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        self.changed.emit()


def _page(
    store: Store, wanted: SubmissionFilter, offset: int, limit: int, order_by: str, descending: bool
) -> list[SubmissionRow]:
    return list_submissions(
        store, wanted, offset=offset, limit=limit, order_by=order_by, descending=descending
    )
