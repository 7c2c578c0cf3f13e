"""The guided start on an empty database: name the company and add a first site, or load
the sample company to look around first."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.views.admin_people import computer_time_zone
from desktop.widgets.questions import problem_colour
from desktop.workers import Background
from forms.errors import RapportError
from forms.storage import Store


def needs_first_start(store: Store) -> bool:
    """An empty database: no site and no submission yet."""
    return store.is_empty()


class FirstStartDialog(QDialog):
    """Three ways to begin; `ready` is emitted once there is something to work with."""

    ready = Signal(str)

    def __init__(self, store: Store, background: Background, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.background = background
        self.setWindowTitle("Welcome to Rapport")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<b>Welcome.</b> Rapport measures empathy in customer service: mystery shops, "
            "customer surveys on a kiosk and employee pulse surveys, with PDF reports."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        own = QGroupBox("Start with your own company")
        form = QFormLayout(own)
        self.company = QLineEdit()
        self.site_code = QLineEdit()
        self.site_name = QLineEdit()
        self.site_city = QLineEdit()
        self.site_code.setPlaceholderText("e.g. HQ")
        for label, edit in (
            ("Your &company", self.company),
            ("First site &code", self.site_code),
            ("First site &name", self.site_name),
            ("C&ity", self.site_city),
        ):
            edit.setAccessibleName(label.replace("&", ""))
            form.addRow(label, edit)
        self.create_button = QPushButton("C&reate")
        form.addRow(self.create_button)
        layout.addWidget(own)
        sample = QGroupBox("Or look around first")
        row = QHBoxLayout(sample)
        row.addWidget(QLabel("A sample cleaning company: 8 sites, agents and a year of visits."))
        self.sample_button = QPushButton("Load the &sample data")
        row.addWidget(self.sample_button)
        layout.addWidget(sample)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.skip_button = QPushButton("S&kip: I will set things up in Administration")
        layout.addWidget(self.skip_button)
        self.create_button.clicked.connect(self.create_company)
        self.sample_button.clicked.connect(self.load_sample)
        self.skip_button.clicked.connect(self.reject)

    def create_company(self) -> None:
        """Store the company name and the first site."""
        code, name = self.site_code.text().strip(), self.site_name.text().strip()
        if not self.company.text().strip():
            self._problem("Give your company's name: it is printed on every report.")
            return
        if not code or not name:
            self._problem("Give the first site a short code and a name, e.g. HQ and Head office.")
            return
        try:
            self.store.set_setting("company_name", self.company.text().strip())
            self.store.upsert_location(
                code, name, self.site_city.text().strip(), computer_time_zone()
            )
        except RapportError as error:
            self._problem(str(error))
            return
        self.ready.emit(f"{name} added. Add agents and forms in Administration.")
        self.accept()

    def load_sample(self) -> None:
        """Load the sample company in the background."""
        from forms.sample.company import load_sample_data

        for button in (self.create_button, self.sample_button, self.skip_button):
            button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.message.setText("Loading the sample company…")
        store = self.store
        self.background.run(lambda: load_sample_data(store), self._sample_loaded, self._failed)

    def _sample_loaded(self, report: object) -> None:
        self.progress.hide()
        added = getattr(report, "added", 0)
        self.ready.emit(f"Sample data loaded: {added} submissions.")
        self.accept()

    def _failed(self, message: str) -> None:
        self.progress.hide()
        for button in (self.create_button, self.sample_button, self.skip_button):
            button.setEnabled(True)
        self._problem(message)

    def _problem(self, message: str) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {problem_colour(self)};")
