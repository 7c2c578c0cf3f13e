"""The main window: the screens of Rapport, wired to the store it is given."""

from __future__ import annotations

import getpass
from datetime import date

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from desktop.kiosk_flow import KioskSession, KioskSetup
from desktop.views.admin import AdminView
from desktop.views.delete_draft import DeleteDraftDialog, draft_description
from desktop.views.evaluation import EvaluationView
from desktop.views.first_start import FirstStartDialog
from desktop.views.home import HomeData, HomeView
from desktop.views.kiosk import KioskWindow
from desktop.views.kiosk_start import KioskStartDialog
from desktop.views.pin_dialog import SetPinDialog
from desktop.views.reports import ReportsView
from desktop.views.start_dialog import StartChoice, StartEvaluationDialog
from desktop.views.submissions import SubmissionsView
from desktop.workers import Background, warm_up_report_processes
from forms.authoring.builtin import install_builtin_forms
from forms.errors import RapportError
from forms.filling import FormFilling
from forms.storage import Store
from forms.storage.kiosk_pin import (
    check_kiosk_pin,
    has_kiosk_pin,
    set_kiosk_pin,
)
from forms.vocabulary import is_anonymous
from reports.queries.screens import (
    AssignmentRow,
    DraftRow,
    agents,
    assignments,
    drafts,
    location_overview,
    site_list,
    visit_summary,
)
from reports.queries.submissions import bands

LAST_LOCATION = "last/location_id"
LAST_FORM = "last/form_version_id"


def _int_setting(key: str) -> int | None:
    value = QSettings().value(key)
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


class MainWindow(QMainWindow):
    """Rapport's main window; it receives the store and builds no engine of its own."""

    forms_ready = Signal()
    """Emitted once the built-in forms are stored (done in the background at start)."""

    def __init__(
        self, store: Store, *, actor: str | None = None, today: date | None = None
    ) -> None:
        """`today` fixes the day Home's and the Reports screen's named periods end on (None:
        the calendar's)."""
        super().__init__()
        self.store = store
        self.actor = actor or getpass.getuser()
        self.setWindowTitle("Rapport")
        self.resize(1100, 720)
        self.background = Background(self)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.home = HomeView(today=today)
        self.stack.addWidget(self.home)
        self.evaluation: EvaluationView | None = None
        self.kiosk: KioskWindow | None = None
        self.home.start_evaluation.connect(self.new_evaluation)
        self.home.start_assignment.connect(self.start_assignment)
        self.home.resume_draft.connect(self.open_evaluation)
        self.home.delete_draft.connect(self._delete_draft_row)
        self.delete_dialog: DeleteDraftDialog | None = None
        self.home.period_changed.connect(self.refresh)
        self.submissions = SubmissionsView(store, self.actor, self.background)
        self.submissions.changed.connect(self.refresh)
        self.submissions.visit_report.connect(self.visit_report)
        self.stack.addWidget(self.submissions)
        self.reports = ReportsView(store.url, today=today)
        self.stack.addWidget(self.reports)
        self.admin: AdminView | None = None
        """Built the first time it is shown: it reads much that the start does not need."""
        self.first_start_dialog: FirstStartDialog | None = None
        self._build_menus()
        self.statusBar().showMessage(f"Data: {store.shown_url}")
        self._restore_geometry()
        # New built-in form versions are stored off the GUI thread (parsing them takes a
        # third of a second); the home screen is read once they are in.
        self.background.run(
            lambda: install_builtin_forms(store), self._forms_ready, self.show_error
        )
        if store.read_only is not None:
            # The status bar keeps saying where the data is; the label's tooltip says why.
            self._mark_read_only(
                "Rapport (read-only)",
                "Read-only: this data file cannot be changed",
                detail=store.read_only,
            )
        if store.integrity_pending:
            # A large file was opened after cheap checks only; its whole check runs now, off
            # the GUI thread (a save started meanwhile waits for it).
            self.background.run(
                store.finish_integrity_check, self._integrity_checked, self._data_damaged
            )

    def _forms_ready(self, _ids: object) -> None:
        self.forms_ready.emit()
        self.refresh()
        if self.admin is not None:
            self.admin.forms.refresh()

    def _build_menus(self) -> None:
        new_action = QAction("&New evaluation…", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.new_evaluation)
        refresh_action = QAction("&Refresh", self)
        refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh_action.triggered.connect(self.refresh)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("&File")
        for action in (new_action, refresh_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.go_menu = self.menuBar().addMenu("&Go")
        self.screen_actions: dict[str, QAction] = {}
        for number, (name, label, slot) in enumerate(
            (
                ("home", "&Home", self.show_home),
                ("submissions", "&Submissions", self.show_submissions),
                ("reports", "&Reports", self.show_reports),
                ("administration", "&Administration", self.show_admin),
            ),
            start=1,
        ):
            action = QAction(label, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(slot)
            self.go_menu.addAction(action)
            self.screen_actions[name] = action
        kiosk_action = QAction("&Kiosk mode…", self)
        kiosk_action.setShortcut(QKeySequence("Ctrl+K"))
        kiosk_action.triggered.connect(self.start_kiosk)
        self.go_menu.addSeparator()
        self.go_menu.addAction(kiosk_action)
        toolbar = self.addToolBar("Screens")
        toolbar.setObjectName("screens")
        toolbar.setMovable(False)
        toolbar.setAccessibleName("Screens")
        toolbar.addAction(new_action)
        toolbar.addSeparator()
        for action in self.screen_actions.values():
            action.setToolTip(f"{action.text().replace('&', '')} ({action.shortcut().toString()})")
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(kiosk_action)
        self.recording_actions = (new_action, kiosk_action)
        """What a read-only database cannot do: disabled, with the reason, when it is one."""

    # -- home ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the home screen's figures in the background."""
        store, actor, period = self.store, self.actor, self.home.period()

        def read() -> HomeData:
            return HomeData(
                location_overview(store, period=period),
                assignments(store, shopper=actor),
                drafts(store),
                period,
            )

        self.background.run(read, self.home.show_data, self.show_error)

    def _integrity_checked(self, _result: object) -> None:
        self.statusBar().showMessage("Data file checked: no damage found.", 5000)

    def _data_damaged(self, message: str) -> None:
        """The whole-file check found damage: the store now refuses every write."""
        self._mark_read_only(
            "Rapport (read-only: the data file is damaged)", "Read-only: the data file is damaged"
        )
        QMessageBox.critical(self, "Your data file is damaged", message)

    def _mark_read_only(self, title: str, label: str, *, detail: str = "") -> None:
        self.setWindowTitle(title)
        warning = QLabel(label)
        warning.setToolTip(detail)
        warning.setObjectName("read_only_warning")
        warning.setStyleSheet("color: #a4000f; font-weight: bold;")
        self.statusBar().addPermanentWidget(warning)
        reason = f"{label}: nothing new can be recorded."
        for action in self.recording_actions:
            action.setEnabled(False)
            action.setToolTip(reason)
        self.home.set_read_only(reason)

    def show_error(self, message: str) -> None:
        """Tell the user what went wrong, in a message box."""
        QMessageBox.warning(self, "Rapport", message)

    # -- evaluations -----------------------------------------------------------------
    def new_evaluation(self, assignment: AssignmentRow | None = None) -> None:
        """Ask what to evaluate (prefilled from an assignment), then open the form."""
        stored = self.store.list_forms()
        forms = [(info.id, f"{info.title} (v{info.version})") for info in stored]
        anonymous = frozenset(info.id for info in stored if is_anonymous(info.kind))
        locations = site_list(self.store, include_inactive=False)
        if not locations:
            QMessageBox.information(
                self,
                "No locations yet",
                "Add a location first (Administration), or load the sample data.",
            )
            return
        dialog = StartEvaluationDialog(
            forms,
            locations,
            agents(self.store),
            self,
            location_id=self.home.selected_location_id() or _int_setting(LAST_LOCATION),
            form_id=_int_setting(LAST_FORM),
            assignment=assignment if isinstance(assignment, AssignmentRow) else None,
            anonymous_forms=anonymous,
        )
        if dialog.exec() != StartEvaluationDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        try:
            submission_id = self.start_submission(choice)
            FormFilling(self.store, submission_id).prefill({"channel": choice.channel})
        except RapportError as error:
            self.show_error(str(error))
            return
        self.open_evaluation(submission_id)

    def start_assignment(self, assignment: AssignmentRow) -> None:
        """Start the evaluation an assignment asks for."""
        self.new_evaluation(assignment)

    def start_submission(self, choice: StartChoice) -> str:
        """Create the draft submission (saved at once) and return its id."""
        settings = QSettings()
        settings.setValue(LAST_LOCATION, choice.location_id)
        settings.setValue(LAST_FORM, choice.form_version_id)
        if choice.assignment_id is not None:
            # forms/ decides what an assignment's visit records (its time, its scenario).
            return self.store.start_assignment(
                choice.assignment_id,
                form_version_id=choice.form_version_id,
                location_id=choice.location_id,
                agent_id=choice.agent_id,
                channel=choice.channel,
                visit_at=choice.visit_at,
                actor=self.actor,
            )
        return self.store.start_submission(
            choice.form_version_id,
            location_id=choice.location_id,
            agent_id=choice.agent_id,
            channel=choice.channel,
            visit_at=choice.visit_at,
            assignment_id=choice.assignment_id,
            actor=self.actor,
        )

    def open_evaluation(self, submission_id: str) -> None:
        """Show the evaluation screen for a draft, where it was left."""
        try:
            filling = FormFilling(self.store, submission_id)
            summary = visit_summary(
                self.store, filling.details.location_id, filling.details.agent_id
            )
        except RapportError as error:
            self.show_error(f"Cannot open this evaluation: {error}")
            return
        if filling.details.visit_at is not None:
            summary += filling.details.visit_at.astimezone().strftime(" · %Y-%m-%d %H:%M")
        view = EvaluationView(filling, self.actor, visit_summary=summary)
        view.finished.connect(self._evaluation_finished)
        view.delete_requested.connect(
            lambda: self.delete_draft(
                submission_id,
                draft_description(
                    filling.text(filling.form.title),
                    visit_summary(
                        self.store, filling.details.location_id, filling.details.agent_id
                    ),
                    filling.details.started_at,
                ),
                len(filling.answers),
            )
        )
        view.closed.connect(self.show_home)
        self._replace_evaluation(view)
        self.stack.setCurrentWidget(view)

    def _delete_draft_row(self, row: DraftRow) -> None:
        where = " · ".join(part for part in (row.location_name, row.agent_name) if part)
        description = draft_description(row.form_title, where, row.started_at)
        self.delete_draft(row.submission_id, description, row.answered)

    def delete_draft(self, submission_id: str, description: str, answered: int) -> None:
        """Ask whether to delete a draft (naming the visit), then delete it for good."""
        dialog = DeleteDraftDialog(description, answered, self)
        self.delete_dialog = dialog

        def answered_dialog() -> None:
            self.delete_dialog = None
            dialog.deleteLater()
            if not dialog.deleting():
                return
            try:
                self.store.delete_draft(submission_id, actor=self.actor)
            except RapportError as error:
                self.show_error(str(error))
                return
            self.statusBar().showMessage(f"Deleted the draft {description}.", 8000)
            self.show_home()

        dialog.finished.connect(answered_dialog)
        dialog.open()

    def _evaluation_finished(self, submission_id: str) -> None:
        self.statusBar().showMessage("Evaluation finalized and locked.", 5000)
        self.show_home()

    def show_home(self) -> None:
        """Back to the home screen, with fresh figures."""
        self._replace_evaluation(None)
        self.refresh()
        self.stack.setCurrentWidget(self.home)
        self.home.table.setFocus()

    def _replace_evaluation(self, view: EvaluationView | None) -> None:
        if self.evaluation is not None:
            self.evaluation.flush()
            self.stack.removeWidget(self.evaluation)
            self.evaluation.deleteLater()
        self.evaluation = view
        if view is not None:
            self.stack.addWidget(view)

    # -- kiosk -----------------------------------------------------------------------
    def start_kiosk(self) -> None:
        """Ask for the survey and site (and a PIN if none is set), then go full screen."""
        if not has_kiosk_pin(self.store):
            pin = SetPinDialog(self)
            if pin.exec() != SetPinDialog.DialogCode.Accepted:
                return
            try:
                set_kiosk_pin(self.store, pin.pin())
            except RapportError as error:
                self.show_error(str(error))
                return
        dialog = KioskStartDialog(
            self.store.list_forms(),
            site_list(self.store),
            self,
            location_id=self.home.selected_location_id() or _int_setting(LAST_LOCATION),
        )
        if dialog.exec() == KioskStartDialog.DialogCode.Accepted:
            self.open_kiosk(dialog.setup())

    def open_kiosk(self, setup: KioskSetup) -> None:
        """Hide everything else and run the customer survey full screen."""
        try:
            session = KioskSession(self.store, setup)
        except RapportError as error:
            self.show_error(str(error))
            return
        store = self.store
        self.kiosk = KioskWindow(session, lambda pin: check_kiosk_pin(store, pin))
        self.kiosk.left.connect(self._kiosk_left)
        self.hide()
        self.kiosk.showFullScreen()

    def _kiosk_left(self) -> None:
        if self.kiosk is not None:
            finished = self.kiosk.session.finished
            self.kiosk.deleteLater()
            self.kiosk = None
            self.statusBar().showMessage(f"Kiosk mode ended: {finished} surveys sent.", 8000)
        self.show()
        self.refresh()

    # -- other screens -------------------------------------------------------------------
    def show_submissions(self) -> None:
        """Every visit, with filters; a manager reviews, reopens or voids from here."""
        self._replace_evaluation(None)
        self.submissions.populate(
            site_list(self.store),
            agents(self.store, active_only=False),
            self.store.list_forms(),
            bands(self.store),
        )
        self.stack.setCurrentWidget(self.submissions)
        self.submissions.table.setFocus()

    def show_reports(self) -> None:
        """Choose, generate, preview and save PDF reports."""
        self._replace_evaluation(None)
        warm_up_report_processes()
        self.reports.populate(site_list(self.store), agents(self.store))
        self.stack.setCurrentWidget(self.reports)
        self.reports.kind_box.setFocus()

    def visit_report(self, submission_id: str, label: str) -> None:
        """Write and preview the visit report of one submission."""
        self.show_reports()
        self.reports.choose_visit(submission_id, label)
        self.reports.generate()

    def show_admin(self) -> None:
        """Sites, agents, forms, assignments, settings and data."""
        self._replace_evaluation(None)
        if self.admin is None:
            self.admin = AdminView(self.store, self.background, self.actor)
            self.admin.changed.connect(self.refresh)
            self.stack.addWidget(self.admin)
        else:
            self.admin.refresh()
        self.stack.setCurrentWidget(self.admin)
        self.admin.tabs.setFocus()

    def first_start(self) -> None:
        """The guided start for an empty database."""
        self.first_start_dialog = FirstStartDialog(self.store, self.background, self)
        self.first_start_dialog.ready.connect(self._started)
        self.first_start_dialog.open()

    def _started(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)
        if self.admin is not None:
            self.admin.refresh()
        self.refresh()

    def current_view(self) -> QWidget | None:
        """The screen showing now."""
        return self.stack.currentWidget()

    # -- window state ----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.evaluation is not None:
            self.evaluation.flush()
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        self.reports.shut_down()
        self.background.wait()
        super().closeEvent(event)
