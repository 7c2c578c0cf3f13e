"""The main window: home screen and evaluations, wired to the store it is given."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QWidget

from desktop.views.evaluation import EvaluationView
from desktop.views.home import HomeView
from desktop.views.start_dialog import StartChoice, StartEvaluationDialog
from forms.builtin import install_builtin_forms
from forms.errors import RapportError
from forms.filling import FormFilling
from forms.store import Store
from reports.queries import active_agents, location_rows


class MainWindow(QMainWindow):
    """Rapport's main window; it receives the store and builds no engine of its own."""

    def __init__(self, store: Store, *, actor: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.actor = actor or getpass.getuser()
        self.setWindowTitle("Rapport")
        self.resize(1000, 680)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.home = HomeView()
        self.stack.addWidget(self.home)
        self.evaluation: EvaluationView | None = None
        self.home.start_evaluation.connect(self.new_evaluation)
        self.home.table.doubleClicked.connect(lambda _index: self.new_evaluation())

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
        self.statusBar().showMessage(f"Data: {store.url}")

        install_builtin_forms(store)
        self._restore_geometry()
        self.refresh()

    def refresh(self) -> None:
        """Reload the locations from the store."""
        self.home.show_locations(location_rows(self.store))

    # -- evaluations -----------------------------------------------------------------
    def new_evaluation(self) -> None:
        """Ask what to evaluate, then open the form."""
        forms = [(info.id, f"{info.title} (v{info.version})") for info in self.store.list_forms()]
        locations = location_rows(self.store)
        if not locations:
            QMessageBox.information(
                self,
                "No locations yet",
                "Add a location first, or load the sample data with: rapport demo",
            )
            return
        agents: dict[int, list] = {}  # type: ignore[type-arg]
        for agent in active_agents(self.store):
            agents.setdefault(agent.location_id, []).append(agent)
        dialog = StartEvaluationDialog(
            forms, locations, agents, self, location_id=self.home.selected_location_id()
        )
        if dialog.exec() != StartEvaluationDialog.DialogCode.Accepted:
            return
        self.open_evaluation(self.start_submission(dialog.choice()))

    def start_submission(self, choice: StartChoice) -> str:
        """Create the draft submission (saved at once) and return its id."""
        return self.store.start_submission(
            choice.form_version_id,
            location_id=choice.location_id,
            agent_id=choice.agent_id,
            channel=choice.channel,
            respondent_kind="shopper",
            actor=self.actor,
        )

    def open_evaluation(self, submission_id: str) -> None:
        """Show the evaluation screen for a draft, where it was left."""
        try:
            filling = FormFilling(self.store, submission_id)
        except RapportError as error:
            QMessageBox.warning(self, "Cannot open this evaluation", str(error))
            return
        view = EvaluationView(filling, self.actor)
        view.finished.connect(self._evaluation_finished)
        view.closed.connect(self.show_home)
        self._replace_evaluation(view)
        self.stack.setCurrentWidget(view)

    def _evaluation_finished(self, submission_id: str) -> None:
        self.statusBar().showMessage("Evaluation finalized and locked.", 5000)
        self.show_home()

    def show_home(self) -> None:
        """Back to the home screen, with fresh figures."""
        self._replace_evaluation(None)
        self.refresh()
        self.stack.setCurrentWidget(self.home)

    def _replace_evaluation(self, view: EvaluationView | None) -> None:
        if self.evaluation is not None:
            self.stack.removeWidget(self.evaluation)
            self.evaluation.deleteLater()
        self.evaluation = view
        if view is not None:
            self.stack.addWidget(view)

    def current_view(self) -> QWidget | None:
        """The screen showing now."""
        return self.stack.currentWidget()

    # -- window state ----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
