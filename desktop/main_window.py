"""The main window: the screens of Rapport, wired to the store it is given."""

from __future__ import annotations

import getpass
from datetime import date

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from desktop.kiosk_flow import KioskSession, KioskSetup, kiosk_forms
from desktop.theme import SPACING, navigation_icon, navigation_icon_size
from desktop.views.admin import AdminView
from desktop.views.delete_draft import DeleteDraftDialog, draft_description
from desktop.views.evaluation import EvaluationView
from desktop.views.first_start import FirstStartDialog
from desktop.views.help import AboutDialog, ShortcutsDialog
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
    draft_row,
    drafts,
    location_overview,
    site_list,
    visit_summary,
)
from reports.queries.submissions import bands

LAST_LOCATION = "last/location_id"
LAST_FORM = "last/form_version_id"
PREFERRED_SIZE = QSize(1100, 720)
"""The window's size on a large screen, before the user chooses one."""


def default_window_size(available: QRect, frame: QSize | None = None) -> QSize:
    """The preferred size, cut to fit the screen's free area with the window's frame."""
    frame = frame or QSize(0, 0)
    return PREFERRED_SIZE.boundedTo(
        QSize(available.width() - frame.width(), available.height() - frame.height())
    )


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
        screen = self.screen()
        # Title bar and borders: about this much on common desktops, before any is shown.
        self.resize(default_window_size(screen.availableGeometry(), QSize(8, 40)))
        self.background = Background(self)
        self.stack = QStackedWidget()
        self.stack.setContentsMargins(SPACING, SPACING, SPACING, 0)
        self.setCentralWidget(self.stack)
        self.home = HomeView(today=today)
        self.stack.addWidget(self.home)
        self.evaluation: EvaluationView | None = None
        self.kiosk: KioskWindow | None = None
        self.home.start_evaluation.connect(self.new_evaluation)
        self.home.start_assignment.connect(self.start_assignment)
        self.home.resume_draft.connect(self.open_evaluation)
        self.home.delete_draft.connect(self.delete_draft)
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
        # Some desktops bind no key to Quit; Ctrl+Q is what their users expect then.
        quit_action.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")]
        )
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("&File")
        for action in (new_action, refresh_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.go_menu = self.menuBar().addMenu("&Go")
        self.screen_actions: dict[str, QAction] = {}
        # One screen is current at a time: its button in the bar stays pressed.
        self.screen_group = QActionGroup(self)
        self.screen_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        palette, scale = self.palette(), self.devicePixelRatioF()
        for number, (name, label, theme_icon, slot) in enumerate(
            (
                ("home", "&Home", "go-home", self.show_home),
                ("submissions", "&Submissions", "view-list-details", self.show_submissions),
                ("reports", "&Reports", "x-office-document", self.show_reports),
                ("administration", "&Administration", "preferences-system", self.show_admin),
            ),
            start=1,
        ):
            action = QAction(navigation_icon(theme_icon, name, palette, scale), label, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setCheckable(True)
            action.triggered.connect(slot)
            # Pressing the current screen's button again keeps it pressed.
            action.triggered.connect(self._mark_current_screen)
            self.screen_group.addAction(action)
            self.go_menu.addAction(action)
            self.screen_actions[name] = action
        kiosk_action = QAction(
            navigation_icon("video-display", "kiosk", palette, scale), "&Kiosk mode…", self
        )
        kiosk_action.setShortcut(QKeySequence("Ctrl+K"))
        kiosk_action.triggered.connect(self.start_kiosk)
        new_action.setIcon(navigation_icon("document-new", "new", palette, scale))
        self.go_menu.addSeparator()
        self.go_menu.addAction(kiosk_action)
        help_menu = self.menuBar().addMenu("&Help")
        shortcuts_action = QAction("&Keyboard shortcuts", self)
        shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        shortcuts_action.triggered.connect(self.show_shortcuts)
        about_action = QAction("&About Rapport", self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(shortcuts_action)
        help_menu.addAction(about_action)
        toolbar = self.addToolBar("Screens")
        toolbar.setObjectName("screens")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.setAccessibleName("Screens")
        toolbar.setIconSize(navigation_icon_size())
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.toggleViewAction().setVisible(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        for action in self.screen_actions.values():
            action.setToolTip(f"{action.text().replace('&', '')} ({action.shortcut().toString()})")
            toolbar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        for action in (kiosk_action, new_action):
            action.setToolTip(f"{action.text().replace('&', '')} ({action.shortcut().toString()})")
            toolbar.addAction(action)
        self.recording_actions = (new_action, kiosk_action)
        """What a read-only database cannot do: disabled, with the reason, when it is one."""
        self.stack.currentChanged.connect(self._mark_current_screen)
        self._mark_current_screen()

    def _mark_current_screen(self) -> None:
        """Press the bar's button of the screen showing (an evaluation belongs to Home)."""
        current = self.stack.currentWidget()
        name = None
        for screen, key in (
            (self.home, "home"),
            (self.evaluation, "home"),
            (self.submissions, "submissions"),
            (self.reports, "reports"),
            (self.admin, "administration"),
        ):
            if screen is not None and current is screen:
                name = key
        for key, action in self.screen_actions.items():
            action.setChecked(key == name)

    def show_shortcuts(self) -> None:
        """List every keyboard shortcut of the window's menus and screens."""
        ShortcutsDialog(self.menuBar(), self).exec()

    def show_about(self) -> None:
        """Rapport's version, where its data is, and its licence."""
        AboutDialog(self.store.shown_url, self).exec()

    # -- home ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the home screen's figures in the background."""
        store, actor, period = self.store, self.actor, self.home.period()

        def read() -> HomeData:
            return HomeData(
                location_overview(store, period=period),
                assignments(store, shopper=actor),
                drafts(store, actor=actor),
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
        # Its colour and weight come from the theme (desktop/theme.py), light or dark.
        warning.setObjectName("read_only_warning")
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
        """Start the evaluation an assignment asks for, or resume it if it was started."""
        if assignment.open_draft is not None:
            self.statusBar().showMessage(
                "This assignment's visit was started already: it opens where it was left.", 8000
            )
            self.open_evaluation(assignment.open_draft)
            return
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
        view = EvaluationView(
            filling,
            self.actor,
            visit_summary=summary,
            draft=draft_row(self.store, submission_id, actor=self.actor),
        )
        view.finished.connect(self._evaluation_finished)
        view.delete_requested.connect(lambda: self._delete_open_draft(submission_id))
        view.closed.connect(self.show_home)
        self._replace_evaluation(view)
        self.stack.setCurrentWidget(view)

    def _delete_open_draft(self, submission_id: str) -> None:
        # Read afresh: the answers just typed count among what would be lost.
        row = draft_row(self.store, submission_id, actor=self.actor)
        if row is None:
            self.show_error("This draft cannot be deleted: it is no longer a draft.")
            return
        self.delete_draft(row)

    def delete_draft(self, row: DraftRow) -> None:
        """Ask whether to delete a draft (naming the visit and what goes with it), then
        delete it for good."""
        where = " · ".join(part for part in (row.location_name, row.agent_name) if part)
        description = draft_description(row.form_title, where, row.started_at)
        submission_id = row.submission_id
        position = self.home.draft_position(submission_id)
        dialog = DeleteDraftDialog(description, row.contents, self)
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
            message = f"Deleted the draft {description}."
            self.statusBar().showMessage(message, 8000)
            self.home.after_deleting(message, position)
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
        self.home.take_focus()

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
            kiosk_forms(self.store),
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
        self.show_kiosk(session)

    def show_kiosk(self, session: KioskSession) -> None:
        """Hide everything else and run a started kiosk session full screen."""
        store = self.store
        self.kiosk = KioskWindow(session, lambda pin: check_kiosk_pin(store, pin))
        self.kiosk.left.connect(self._kiosk_left)
        self.hide()
        self.kiosk.show_full_screen()

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
