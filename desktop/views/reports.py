"""The reports screen: choose a report and a period, write it in a child process while a
progress bar follows WeasyPrint page by page (Cancel stops it), preview the PDF, save or
open it.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTemporaryDir, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop.theme import SPACING, TextRole, set_text_role
from desktop.views.dates import DateField
from desktop.widgets.questions import problem_colour
from desktop.workers import ReportJob
from forms.errors import RapportError
from forms.files import atomic_output
from forms.period import NamedPeriod, current_day
from reports.pdf_process import ReportOrder
from reports.queries.screens import AgentRow, LocationOverview

KINDS = (
    ("Location report", "location"),
    ("Agent coaching report", "agent"),
    ("Portfolio", "portfolio"),
    ("Visit report", "visit"),
)
REPORT_PERIODS = (
    NamedPeriod.LAST_90_DAYS,  # the default: what location and portfolio reports compare
    NamedPeriod.LAST_12_MONTHS,
    NamedPeriod.THIS_YEAR,
    NamedPeriod.LAST_YEAR,
    NamedPeriod.ALL_TIME,
)
CHOSEN_DATES = "Chosen dates"
_PAGES_GUESS = 4


def unkerned_width(label: QLabel) -> int:
    """How wide a label's text is drawn with its shortcut letter underlined: letter by letter,
    without the kerning its size hint allows for (the "o" tucked under the "T" of "To")."""
    metrics = label.fontMetrics()
    return sum(metrics.horizontalAdvance(letter) for letter in label.text().replace("&", ""))


def form_label(text: str, buddy: QWidget) -> QLabel:
    """A form's label with a shortcut letter, wide enough that no letter is cut off."""
    label = QLabel(text)
    label.setBuddy(buddy)
    label.setMinimumWidth(max(label.sizeHint().width(), unkerned_width(label) + 2))
    return label


def choose_save_path(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save a PDF; None when cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, "Save the report", suggested, "PDF (*.pdf)")
    return Path(chosen) if chosen else None


def offer_save_instead(parent: QWidget) -> bool:
    """Say that no PDF viewer opened the report and ask whether to save it instead."""
    answer = QMessageBox.question(
        parent,
        "No PDF viewer",
        "Rapport could not open a PDF viewer on this computer. Save the report as a file "
        "instead, to open it later or send it on?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    return answer == QMessageBox.StandardButton.Save


NO_REPORT_YET = (
    "No report yet.\n\nChoose a report, its subject and a period on the left, then press "
    "Generate: the report shows here, ready to save or print."
)


class ReportsView(QWidget):
    """Choose, generate (in a child process), preview and save reports."""

    report_ready = Signal(str)
    """Emitted with the PDF's path once its preview shows."""

    def __init__(self, database_url: str, *, today: date | None = None) -> None:
        super().__init__()
        self.setObjectName("reports")
        self.database_url = database_url
        self.today = today or current_day()
        self.job: ReportJob | None = None
        self.pdf_path: Path | None = None
        """The PDF of the last finished run (None while a run goes or after one failed)."""
        self.report_name = ""
        """The file name the finished report is saved under: its own kind and subject."""
        self._running_name = ""
        self._running_kind = ""
        self.folder = QTemporaryDir()
        self.locations: list[LocationOverview] = []
        self.visit: tuple[str, str] | None = None
        """(submission id, label) of the visit chosen on the submissions screen."""
        self.agents: list[AgentRow] = []

        layout = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        controls = QWidget()
        form = QFormLayout(controls)
        form.setContentsMargins(0, 0, SPACING, 0)  # the title lines up with other screens'
        heading = QLabel("Reports")
        set_text_role(heading, TextRole.TITLE)
        form.addRow(heading)
        self.kind_box = QComboBox()
        for label, kind in KINDS:
            self.kind_box.addItem(label, kind)
        self.subject_box = QComboBox()
        self.preset_box = QComboBox()
        for named in REPORT_PERIODS:
            self.preset_box.addItem(named.label, named.value)
        self.preset_box.addItem(CHOSEN_DATES, None)
        self.start_edit = DateField("From", empty_text="the first visit")
        self.end_edit = DateField("To", empty_text="the last visit")
        for label, widget in (
            ("&Report", self.kind_box),
            ("&Subject", self.subject_box),
            ("&Period", self.preset_box),
            ("&From", self.start_edit),
            ("&To", self.end_edit),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(form_label(label, widget), widget)
        self.contacts_box = QCheckBox("Include customers' &e-mail addresses")
        self.contacts_box.setToolTip(
            "For your own use: the callback list of a location report then shows the e-mail "
            "of each customer to call back. Leave it off for reports handed to the client site."
        )
        form.addRow(self.contacts_box)
        self.generate_button = QPushButton("&Generate")
        self.cancel_button = QPushButton("Ca&ncel")
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.cancel_button)
        form.addRow(buttons)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Report progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        form.addRow(self.progress)
        self.status = QLabel("")
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.save_button = QPushButton("&Save as…")
        self.open_button = QPushButton("&Open in PDF viewer")
        for button in (self.save_button, self.open_button):
            button.setEnabled(False)
        files = QHBoxLayout()
        files.addWidget(self.save_button)
        files.addWidget(self.open_button)
        form.addRow(files)
        splitter.addWidget(controls)

        self.document = QPdfDocument(self)
        self.preview = QPdfView()
        self.preview.setAccessibleName("Report preview")
        self.preview.setDocument(self.document)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.no_report = QLabel(NO_REPORT_YET)
        self.no_report.setObjectName("no_report")
        self.no_report.setWordWrap(True)
        self.no_report.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_pages = QStackedWidget()
        self.preview_pages.addWidget(self.no_report)
        self.preview_pages.addWidget(self.preview)
        splitter.addWidget(self.preview_pages)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter)

        self.kind_box.currentIndexChanged.connect(self._fill_subjects)
        self.preset_box.currentIndexChanged.connect(self._apply_preset)
        self.start_edit.date_changed.connect(self._dates_edited)
        self.end_edit.date_changed.connect(self._dates_edited)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self.save)
        self.open_button.clicked.connect(self.open_externally)
        self.preset_box.setCurrentIndex(0)
        self._apply_preset()

    # -- choosing ---------------------------------------------------------------------
    def populate(self, locations: list[LocationOverview], agents: list[AgentRow]) -> None:
        """The locations and agents reports can be written about."""
        self.locations = [row for row in locations if row.active]
        self.agents = agents
        self._fill_subjects()

    def _fill_subjects(self) -> None:
        kind = self.kind_box.currentData()
        current = self.subject_box.currentData()
        self.subject_box.clear()
        if kind == "location":
            for location in self.locations:
                self.subject_box.addItem(location.name, location.code)
        elif kind == "agent":
            for agent in self.agents:
                self.subject_box.addItem(f"{agent.name} ({agent.location_name})", agent.code)
        elif kind == "visit" and self.visit is not None:
            self.subject_box.addItem(self.visit[1], self.visit[0])
        self.subject_box.setEnabled(kind not in ("portfolio", "visit"))
        self.contacts_box.setEnabled(kind == "location")
        if current is not None and self.subject_box.findData(current) >= 0:
            self.subject_box.setCurrentIndex(self.subject_box.findData(current))

    def choose_visit(self, submission_id: str, label: str) -> None:
        """Make the visit report of one submission the chosen report."""
        self.visit = (submission_id, label)
        self.select("visit", submission_id)
        self._fill_subjects()

    def select(self, kind: str, subject: str | None = None) -> None:
        """Choose a report kind and subject (a location or agent code, or a visit id)."""
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))
        if subject is not None and self.subject_box.findData(subject) >= 0:
            self.subject_box.setCurrentIndex(self.subject_box.findData(subject))

    def _apply_preset(self) -> None:
        named = self.preset_box.currentData()  # a NamedPeriod's value; None: chosen dates
        if not named:
            return
        chosen = NamedPeriod(named).period(self.today)
        for edit, day in ((self.start_edit, chosen.start), (self.end_edit, chosen.end)):
            edit.blockSignals(True)
            edit.set_date(day)
            edit.blockSignals(False)

    def _dates_edited(self) -> None:
        self.preset_box.blockSignals(True)
        self.preset_box.setCurrentText(CHOSEN_DATES)
        self.preset_box.blockSignals(False)

    def set_period(self, start: date | None, end: date | None) -> None:
        """Report over these days (None = open-ended)."""
        if start is None and end is None:
            self.preset_box.setCurrentText(NamedPeriod.ALL_TIME.label)
            return
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.set_date(day)
            edit.blockSignals(False)
        self.preset_box.setCurrentText(CHOSEN_DATES)

    def period(self) -> tuple[date | None, date | None]:
        """The first and last day chosen (None = open-ended: an empty box)."""
        return self.start_edit.date(), self.end_edit.date()

    # -- generating ---------------------------------------------------------------------
    def generate(self) -> None:
        """Write the chosen report in a child process."""
        if self.job is not None:
            return
        kind = str(self.kind_box.currentData())
        subject = self.subject_box.currentData()
        if kind != "portfolio" and subject is None:
            where = "on the submissions screen" if kind == "visit" else "first"
            self._say(f"Choose a {kind} {where}: there is none to report on yet.", error=True)
            return
        for edit in (self.start_edit, self.end_edit):
            edit.finish_typing()  # Alt+G leaves the focus in a box still being typed in
            if not edit.valid():
                self._say(
                    f"{edit.accessibleName()}: '{edit.line.text()}' is not a date. {edit.hint}",
                    error=True,
                )
                return
        start, end = self.period()
        if start and end and start > end:
            self._say("The period starts after it ends: swap the two dates.", error=True)
            return
        if not self.folder.isValid():
            self._say("Rapport cannot create a temporary folder for the report.", error=True)
            return
        # The old preview and its Save belong to the old run: a new run starts from nothing,
        # so a cancelled or failed run can never leave the last report under a new name.
        self._forget_report()
        self._running_name = f"{kind}-{subject or 'all'}.pdf"
        target = Path(self.folder.path()) / f"{kind}-{uuid.uuid4().hex[:8]}.pdf"
        order = ReportOrder(
            self.database_url,
            kind,
            subject or "",
            start,
            end,
            str(target),
            with_contacts=kind == "location" and self.contacts_box.isChecked(),
        )
        self.expected_pages = int(str(QSettings().value(f"reports/pages/{kind}", _PAGES_GUESS)))
        self._running_kind = kind
        self.job = ReportJob(order, parent=self)
        self.job.progress.connect(self._progress)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.progress.setRange(0, 0)  # busy until the first page is laid out
        self._say("Reading the data…")
        self._running(True)
        self.job.start()

    def _forget_report(self) -> None:
        for button in (self.save_button, self.open_button):
            button.setEnabled(False)
        self.pdf_path = None
        self.report_name = ""
        self.document.close()
        self.preview_pages.setCurrentWidget(self.no_report)

    def cancel(self) -> None:
        """Stop the report being written."""
        if self.job is not None:
            self.job.cancel()

    def _running(self, running: bool) -> None:
        self.generate_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.cancel_button.setFocus()

    def _progress(self, done: int, total: int) -> None:
        expected = max(total, self.expected_pages, done + 1)
        self.progress.setRange(0, expected)
        self.progress.setValue(done)
        self._say(f"Laying out page {done}…")

    def _finished(self, path: str, pages: int) -> None:
        self.job = None
        self._running(False)
        QSettings().setValue(f"reports/pages/{self._running_kind}", pages)
        self.progress.setRange(0, max(1, pages))
        self.progress.setValue(max(1, pages))
        self.pdf_path = Path(path)
        self.report_name = self._running_name
        self.document.load(path)
        self.preview_pages.setCurrentWidget(self.preview)
        self.preview.pageNavigator().jump(0, self.preview.pageNavigator().currentLocation())
        self._say(f"Done: {pages} page{'s' if pages != 1 else ''}.")
        for button in (self.save_button, self.open_button):
            button.setEnabled(True)
        self.report_ready.emit(path)

    def _failed(self, message: str) -> None:
        self.job = None
        self._running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._say(message, error=True)

    def _cancelled(self) -> None:
        self.job = None
        self._running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._say("Cancelled.")

    def _say(self, message: str, *, error: bool = False) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(f"color: {problem_colour(self)};" if error else "")

    # -- the finished PDF ---------------------------------------------------------------
    def save(self) -> None:
        """Copy the report where the manager wants it."""
        if self.pdf_path is None:
            return
        target = choose_save_path(self, self.report_name)
        if target is None:
            return
        try:
            with atomic_output(Path(target)) as temporary:
                shutil.copyfile(self.pdf_path, temporary)
        except (OSError, RapportError) as error:
            reason = error.strerror if isinstance(error, OSError) else None
            self._say(f"Cannot save to {target}: {reason or error}", error=True)
            return
        self._say(f"Saved to {target}.")

    def open_externally(self) -> None:
        """Open the report in the system's PDF viewer."""
        if self.pdf_path is None:
            return
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf_path))):
            return
        self._say(
            "No PDF viewer opened the report: this computer may have none. "
            "Use Save as… to keep it as a file.",
            error=True,
        )
        if offer_save_instead(self):
            self.save()

    def shut_down(self) -> None:
        """Stop a report still being written (the window is closing)."""
        if self.job is not None:
            self.job.cancel()
        self.document.close()
