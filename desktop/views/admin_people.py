"""Administration of sites and agents: add, edit, deactivate, import from CSV."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models.proxy import RowFilterProxy
from desktop.models.table import ROW_ROLE, Column, RowTableModel
from desktop.theme import fit_title
from desktop.views import files
from desktop.views.home import make_table
from desktop.widgets.questions import problem_colour
from forms.errors import RapportError
from forms.storage import Store
from forms.storage.sites import time_zone_names
from reports.queries.screens import AgentRow, LocationOverview, agents, site_list

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
UNIVERSAL_ZONES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "Etc/GMT", "GMT", "UCT", "Universal", "Zulu"}
)
"""What a computer says when nobody set its clock's zone: no guess about where a site is."""


def computer_time_zone() -> str:
    """This computer's time zone (IANA name) as a new site's, or "" when it is unknown or
    plain UTC (then the site's reports use the report setting)."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode()
    return name if name in time_zone_names() and name not in UNIVERSAL_ZONES else ""


def time_zone_box(current: str) -> QComboBox:
    """A site's time zone: every IANA name, typed or searched (any part of the name, e.g.
    "york"), or left empty for the report setting's."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItem("")
    box.addItems(list(time_zone_names()))
    line = box.lineEdit()
    if line is not None:  # editable, so always there
        line.setPlaceholderText("Empty: the zone in Settings")
    completer = QCompleter(box.model(), box)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    box.setCompleter(completer)
    box.setCurrentIndex(max(0, box.findText(current)))
    box.setEditText(current)
    box.setMinimumContentsLength(24)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


class RecordDialog(QDialog):
    """A few labelled fields to add or edit a site or an agent; `save` stores them."""

    def __init__(
        self,
        title: str,
        fields: list[tuple[str, str, str]],
        save: Callable[[dict[str, str]], None],
        parent: QWidget | None = None,
        *,
        choices: tuple[str, str, list[tuple[str, str]], str] | None = None,
        locked: tuple[str, ...] = (),
        time_zone: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.save = save
        layout = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for key, label, value in fields:
            edit = QLineEdit(value)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setReadOnly(key in locked)
            self.edits[key] = edit
            layout.addRow(label, edit)
        self.choice_key = ""
        self.choice_box: QComboBox | None = None
        if choices is not None:
            self.choice_key, label, options, current = choices
            self.choice_box = QComboBox()
            self.choice_box.setAccessibleName(label.replace("&", ""))
            for text, value in options:
                self.choice_box.addItem(text, value)
            self.choice_box.setCurrentIndex(max(0, self.choice_box.findData(current)))
            layout.addRow(label, self.choice_box)
        self.time_zone_box: QComboBox | None = None
        if time_zone is not None:
            self.time_zone_box = time_zone_box(time_zone)
            self.time_zone_box.setAccessibleName("Time zone")
            self.time_zone_box.setToolTip(
                "The site's clock: its visit reports print times in this zone. Leave it "
                "empty to use the time zone in Administration → Settings."
            )
            layout.addRow("Time &zone", self.time_zone_box)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {problem_colour(self)};")
        layout.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        fit_title(self)

    def values(self) -> dict[str, str]:
        """What the fields say, trimmed."""
        found = {key: edit.text().strip() for key, edit in self.edits.items()}
        if self.choice_box is not None:
            found[self.choice_key] = str(self.choice_box.currentData())
        if self.time_zone_box is not None:
            found["time_zone"] = self.time_zone_box.currentText().strip()
        return found

    def try_save(self) -> None:
        """Store the record, or say what is wrong and stay open."""
        try:
            self.save(self.values())
        except RapportError as error:
            self.message.setText(str(error))
            # Tall enough for the whole message, however many lines it wraps to.
            self.resize(self.width(), max(self.height(), self.heightForWidth(self.width())))
            return
        self.accept()


LOCATION_COLUMNS: list[Column[LocationOverview]] = [
    Column("Code", lambda r: r.code),
    Column("Name", lambda r: r.name),
    Column("City", lambda r: r.city),
    Column("Active", lambda r: "yes" if r.active else "no"),
]
AGENT_COLUMNS: list[Column[AgentRow]] = [
    Column("Code", lambda r: r.code),
    Column("Name", lambda r: r.name),
    Column("Active", lambda r: "yes" if r.active else "no"),
]


class SitesTab(QWidget):
    """Sites and the agents who work there."""

    changed = Signal()

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.dialog: RecordDialog | None = None
        layout = QHBoxLayout(self)
        self.location_model: RowTableModel[LocationOverview] = RowTableModel(LOCATION_COLUMNS)
        self.location_proxy = RowFilterProxy(self)
        self.location_proxy.setSourceModel(self.location_model)
        self.locations = make_table("admin_locations", self.location_proxy)
        self.agent_model: RowTableModel[AgentRow] = RowTableModel(AGENT_COLUMNS)
        self.agent_proxy = RowFilterProxy(self)
        self.agent_proxy.setSourceModel(self.agent_model)
        self.agents = make_table("admin_agents", self.agent_proxy)
        for table in (self.locations, self.agents):
            table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
            table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_location_button = QPushButton("&Add site…")
        self.edit_location_button = QPushButton("&Edit…")
        self.toggle_location_button = QPushButton("&Deactivate")
        self.import_button = QPushButton("&Import CSV…")
        self.import_button.setAccessibleName("Import sites and agents from a CSV file")
        self.add_agent_button = QPushButton("Add a&gent…")
        self.edit_agent_button = QPushButton("Ed&it…")
        self.toggle_agent_button = QPushButton("Deacti&vate")
        layout.addWidget(
            self._box(
                "Sites",
                self.locations,
                (
                    self.add_location_button,
                    self.edit_location_button,
                    self.toggle_location_button,
                    self.import_button,
                ),
            ),
            3,
        )
        layout.addWidget(
            self._box(
                "Agents at the selected site",
                self.agents,
                (self.add_agent_button, self.edit_agent_button, self.toggle_agent_button),
            ),
            2,
        )
        self.add_location_button.clicked.connect(self.add_location)
        self.edit_location_button.clicked.connect(self.edit_location)
        self.toggle_location_button.clicked.connect(self.toggle_location)
        self.import_button.clicked.connect(self.import_csv)
        self.add_agent_button.clicked.connect(self.add_agent)
        self.edit_agent_button.clicked.connect(self.edit_agent)
        self.toggle_agent_button.clicked.connect(self.toggle_agent)
        self.locations.selectionModel().currentRowChanged.connect(lambda *_: self._show_agents())
        self.agents.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.all_agents: list[AgentRow] = []
        self.refresh()

    @staticmethod
    def _box(title: str, table: QWidget, buttons: tuple[QPushButton, ...]) -> QGroupBox:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.addWidget(table)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        inner.addLayout(row)
        return box

    def refresh(self) -> None:
        """Read sites and agents again."""
        selected = self.selected_location()
        self.location_model.set_rows(site_list(self.store))
        self.all_agents = agents(self.store, active_only=False)
        row = 0
        if selected is not None:
            for index, found in enumerate(self.location_model.rows()):
                if found.id == selected.id:
                    row = self.location_proxy.mapFromSource(
                        self.location_model.index(index, 0)
                    ).row()
        if self.location_proxy.rowCount():
            self.locations.selectRow(row)
        self._show_agents()

    def selected_location(self) -> LocationOverview | None:
        """The site the cursor is on."""
        found = self.location_proxy.data(self.locations.currentIndex(), ROW_ROLE)
        return found if isinstance(found, LocationOverview) else None

    def selected_agent(self) -> AgentRow | None:
        """The agent the cursor is on."""
        found = self.agent_proxy.data(self.agents.currentIndex(), ROW_ROLE)
        return found if isinstance(found, AgentRow) else None

    def _show_agents(self) -> None:
        location = self.selected_location()
        self.agent_model.set_rows(
            [a for a in self.all_agents if location is not None and a.location_id == location.id]
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        location, agent = self.selected_location(), self.selected_agent()
        self.edit_location_button.setEnabled(location is not None)
        self.toggle_location_button.setEnabled(location is not None)
        self.toggle_location_button.setText(
            "&Reactivate" if location is not None and not location.active else "&Deactivate"
        )
        self.add_agent_button.setEnabled(location is not None)
        self.edit_agent_button.setEnabled(agent is not None)
        self.toggle_agent_button.setEnabled(agent is not None)
        self.toggle_agent_button.setText(
            "Reacti&vate" if agent is not None and not agent.active else "Deacti&vate"
        )

    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def _open(self, dialog: RecordDialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(self._changed)
        dialog.open()

    # -- sites -------------------------------------------------------------------------
    def add_location(self) -> None:
        """Ask for a new site's code, name, city and time zone (this computer's, to start)."""

        def save(values: dict[str, str]) -> None:
            codes = {row.code.lower() for row in self.location_model.rows()}
            if values["code"].lower() in codes:
                raise RapportError(f"a site with code {values['code']} exists: choose another code")
            self._save_location(values)

        self._open(
            RecordDialog(
                "Add a site",
                [("code", "&Code", ""), ("name", "&Name", ""), ("city", "C&ity", "")],
                save,
                self,
                time_zone=computer_time_zone(),
            )
        )

    def edit_location(self) -> None:
        """Change the selected site's name, city or time zone (its code stays)."""
        location = self.selected_location()
        if location is None:
            return
        self._open(
            RecordDialog(
                "Edit the site",
                [
                    ("code", "&Code", location.code),
                    ("name", "&Name", location.name),
                    ("city", "C&ity", location.city),
                ],
                self._save_location,
                self,
                locked=("code",),
                time_zone=location.time_zone,
            )
        )

    def _save_location(self, values: dict[str, str]) -> None:
        self.store.upsert_location(
            values["code"], values["name"], values["city"], values["time_zone"]
        )

    def toggle_location(self) -> None:
        """Deactivate the selected site (history kept) or bring it back."""
        location = self.selected_location()
        if location is not None:
            self.store.set_location_active(location.id, not location.active)
            self._changed()

    def import_csv(self) -> None:
        """Add or update sites and agents from a CSV file, all or nothing."""
        from forms.exchange.locations_import import import_locations

        path = files.choose_open_file(self, "Import sites and agents", CSV_FILTER)
        if path is None:
            return
        try:
            report = import_locations(self.store, path)
        except RapportError as error:
            QMessageBox.warning(self, "Nothing was imported", str(error))
            return
        self._changed()
        QMessageBox.information(
            self,
            "Sites and agents imported",
            f"Sites: {report.locations_added} added, {report.locations_updated} changed. "
            f"Agents: {report.agents_added} added, {report.agents_updated} changed.",
        )

    # -- agents ------------------------------------------------------------------------
    def _location_choices(self) -> list[tuple[str, str]]:
        return [(row.name, row.code) for row in self.location_model.rows() if row.active]

    def add_agent(self) -> None:
        """Ask for a new agent at the selected site."""
        location = self.selected_location()
        if location is None:
            return

        def save(values: dict[str, str]) -> None:
            if values["code"].lower() in {a.code.lower() for a in self.all_agents}:
                raise RapportError(f"an agent with code {values['code']} exists: choose another")
            self.store.upsert_agent(values["code"], values["name"], values["site"])

        self._open(
            RecordDialog(
                "Add an agent",
                [("code", "&Code", ""), ("name", "&Name", "")],
                save,
                self,
                choices=("site", "&Site", self._location_choices(), location.code),
            )
        )

    def edit_agent(self) -> None:
        """Rename the selected agent or move them to another site."""
        agent = self.selected_agent()
        location = self.selected_location()
        if agent is None or location is None:
            return
        self._open(
            RecordDialog(
                "Edit the agent",
                [("code", "&Code", agent.code), ("name", "&Name", agent.name)],
                self._save_agent,
                self,
                choices=("site", "&Site", self._location_choices(), location.code),
                locked=("code",),
            )
        )

    def _save_agent(self, values: dict[str, str]) -> None:
        self.store.upsert_agent(values["code"], values["name"], values["site"])

    def toggle_agent(self) -> None:
        """Deactivate the selected agent (history kept) or bring them back."""
        agent = self.selected_agent()
        if agent is not None:
            self.store.set_agent_active(agent.id, not agent.active)
            self._changed()
