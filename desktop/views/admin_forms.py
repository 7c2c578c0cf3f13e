"""Administration of forms (import YAML or XLSForm, preview as a respondent sees it) and of
the visits shoppers are assigned."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models.proxy import RowFilterProxy
from desktop.models.table import ROW_ROLE, Column, RowTableModel
from desktop.theme import TextRole, set_text_role
from desktop.views import files
from desktop.views.home import make_table
from desktop.widgets.questions import problem_colour
from desktop.workers import Background
from forms.definition.model import FormDefinition
from forms.errors import RapportError
from forms.storage import FormVersionInfo, Store
from reports.queries.screens import AssignmentRow, agents, assignments, site_list

FORM_FILTER = "Forms (*.yaml *.yml *.xlsx);;All files (*)"

FORM_COLUMNS: list[Column[FormVersionInfo]] = [
    Column("Title", lambda r: r.title),
    Column("Form id", lambda r: r.key),
    Column("Version", lambda r: r.version),
    Column("Kind", lambda r: (r.kind or "").replace("_", " ")),
]


class FormPreview(QDialog):
    """A form as a respondent sees it; answers go to a throwaway in-memory database."""

    def __init__(self, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop.views.evaluation import EvaluationView
        from forms.filling import FormFilling

        self.setWindowTitle(f"Preview: {form.text(form.title)}")
        self.resize(900, 680)
        self.scratch = Store.open("sqlite://")
        version_id = self.scratch.add_form(form)
        submission_id = self.scratch.start_submission(version_id)
        layout = QVBoxLayout(self)
        note = QLabel("Preview: nothing you answer here is kept.")
        set_text_role(note, TextRole.SECONDARY)
        layout.addWidget(note)
        self.view = EvaluationView(FormFilling(self.scratch, submission_id), "preview")
        self.view.closed.connect(self.close)
        self.view.finished.connect(lambda _id: self.close())
        layout.addWidget(self.view)
        self.finished.connect(lambda _result: self.scratch.close())


class FormsTab(QWidget):
    """Stored forms; import a new one (its problems are shown), preview any."""

    changed = Signal()

    def __init__(self, store: Store, background: Background) -> None:
        super().__init__()
        self.store = store
        self.background = background
        self.preview: FormPreview | None = None
        layout = QVBoxLayout(self)
        self.model: RowTableModel[FormVersionInfo] = RowTableModel(FORM_COLUMNS)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table("forms", self.proxy)
        layout.addWidget(self.table, 1)
        self.message = QLabel("")
        self.message.setObjectName("form_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.import_button = QPushButton("&Import form…")
        self.import_button.setAccessibleName("Import a form from YAML or an XLSForm workbook")
        self.preview_button = QPushButton("&Preview…")
        row.addWidget(self.import_button)
        row.addWidget(self.preview_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.import_button.clicked.connect(self.choose_form)
        self.preview_button.clicked.connect(self.preview_selected)
        self.table.activated.connect(lambda _index: self.preview_selected())
        self.refresh()

    def refresh(self) -> None:
        """Read the stored forms again."""
        self.model.set_rows(self.store.list_forms())
        self.table.resizeColumnsToContents()

    def choose_form(self) -> None:
        """Ask for a form file and import it."""
        path = files.choose_open_file(self, "Import a form", FORM_FILTER)
        if path is not None:
            self.import_form(path)

    def import_form(self, path: object) -> None:
        """Read and check the form in the background, then store it (or show its problems)."""
        from pathlib import Path

        from forms.authoring.loader import load_form

        source = Path(str(path))
        self.import_button.setEnabled(False)
        self._say(f"Reading {source.name}…")
        self.background.run(lambda: load_form(source), self._loaded, self._refused)

    def _loaded(self, form: FormDefinition) -> None:
        self.import_button.setEnabled(True)
        try:
            self.store.add_form(form)
        except RapportError as error:
            self._refused(str(error))
            return
        self.refresh()
        self._say(f"Stored “{form.text(form.title)}”, version {form.version}.")
        self.changed.emit()

    def _refused(self, message: str) -> None:
        self.import_button.setEnabled(True)
        self._say(f"The form was not imported: {message}", error=True)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {problem_colour(self)};" if error else "")

    def preview_selected(self) -> None:
        """Show the selected form as a respondent sees it."""
        info = self.proxy.data(self.table.currentIndex(), ROW_ROLE)
        if not isinstance(info, FormVersionInfo):
            return
        self.preview = FormPreview(self.store.form_definition(info.id), self)
        self.preview.open()


ASSIGNMENT_COLUMNS: list[Column[AssignmentRow]] = [
    Column("Due", lambda r: r.due_date.isoformat() if r.due_date else "any time"),
    Column("Location", lambda r: r.location_name),
    Column("Agent", lambda r: r.agent_name or "any"),
    Column("Shopper", lambda r: r.shopper or "any"),
    Column("Done", lambda r: "yes" if r.done else "no"),
    Column("Scenario brief", lambda r: r.scenario, tooltip=lambda r: r.scenario or None),
]


class AssignmentsTab(QWidget):
    """Visits shoppers are asked to make, and a form to add one."""

    changed = Signal()

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        layout = QVBoxLayout(self)
        self.model: RowTableModel[AssignmentRow] = RowTableModel(ASSIGNMENT_COLUMNS)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table("assignments", self.proxy)
        layout.addWidget(self.table, 1)
        box = QGroupBox("New assignment")
        form = QFormLayout(box)
        self.location_box = QComboBox()
        self.agent_box = QComboBox()
        self.form_box = QComboBox()
        self.shopper = QLineEdit()
        self.shopper.setPlaceholderText("any shopper")
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setDate(QDate.currentDate().addDays(7))
        self.scenario = QPlainTextEdit()
        self.scenario.setTabChangesFocus(True)
        self.scenario.setMaximumHeight(70)
        self.scenario.setPlaceholderText("What the shopper says or does, e.g. report a spill")
        for label, widget in (
            ("&Location", self.location_box),
            ("A&gent", self.agent_box),
            ("&Form", self.form_box),
            ("S&hopper", self.shopper),
            ("&Due", self.due),
            ("S&cenario brief", self.scenario),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label, widget)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.add_button = QPushButton("&Add assignment")
        form.addRow(self.message, self.add_button)
        layout.addWidget(box)
        self.location_box.currentIndexChanged.connect(self._fill_agents)
        self.add_button.clicked.connect(self.add)
        self.all_agents = agents(self.store)
        self.refresh()

    def refresh(self) -> None:
        """Read assignments, sites, agents and forms again."""
        self.model.set_rows(assignments(self.store, include_done=True))
        self.table.resizeColumnsToContents()
        self.all_agents = agents(self.store)
        current = self.location_box.currentData()
        self.location_box.clear()
        for row in site_list(self.store):
            if row.active:
                self.location_box.addItem(row.name, row.id)
        if current is not None and self.location_box.findData(current) >= 0:
            self.location_box.setCurrentIndex(self.location_box.findData(current))
        self.form_box.clear()
        forms = sorted(self.store.list_forms(), key=lambda f: f.kind != "mystery_shop")
        for info in forms:
            self.form_box.addItem(f"{info.title} (v{info.version})", info.id)
        self._fill_agents()

    def _fill_agents(self) -> None:
        self.agent_box.clear()
        self.agent_box.addItem("Any agent", None)
        for agent in self.all_agents:
            if agent.location_id == self.location_box.currentData():
                self.agent_box.addItem(agent.name, agent.id)

    def add(self) -> None:
        """Store the new assignment."""
        location = self.location_box.currentData()
        form_id = self.form_box.currentData()
        if location is None or form_id is None:
            self.message.setText("Add a site and a form first.")
            return
        due = self.due.date().toPython()
        self.store.add_assignment(
            location_id=int(location),
            form_version_id=int(form_id),
            agent_id=self.agent_box.currentData(),
            shopper=self.shopper.text().strip() or None,
            due_date=due if isinstance(due, date) else None,
            scenario=self.scenario.toPlainText(),
        )
        self.scenario.clear()
        self.message.setText("Assignment added.")
        self.refresh()
        self.changed.emit()
