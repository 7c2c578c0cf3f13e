"""The administration screen: sites and agents, forms, assignments, settings, data."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.theme import TextRole, set_text_role
from desktop.views.admin_forms import AssignmentsTab, FormsTab
from desktop.views.admin_people import SitesTab
from desktop.views.admin_settings import DataTab, SettingsTab
from desktop.workers import Background
from forms.storage import Store


class AdminView(QWidget):
    """A manager's tabs; `changed` is emitted when anything the other screens show changed."""

    changed = Signal()

    def __init__(self, store: Store, background: Background, actor: str) -> None:
        super().__init__()
        self.setObjectName("administration")
        layout = QVBoxLayout(self)
        heading = QLabel("Administration")
        set_text_role(heading, TextRole.TITLE)
        layout.addWidget(heading)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Administration")
        self.sites = SitesTab(store)
        self.forms = FormsTab(store, background)
        self.assignments = AssignmentsTab(store)
        self.settings = SettingsTab(store)
        self.data = DataTab(store, background, actor)
        for tab, label in (
            (self.sites, "S&ites and agents"),
            (self.forms, "F&orms"),
            (self.assignments, "Assign&ments"),
            (self.settings, "Se&ttings"),
            (self.data, "&Data"),
        ):
            self.tabs.addTab(tab, label)
            tab.changed.connect(self.changed.emit)
        self.sites.changed.connect(self.assignments.refresh)
        self.forms.changed.connect(self.assignments.refresh)
        self.data.changed.connect(self.refresh)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """Read everything again (after an import, or when the screen is shown)."""
        self.sites.refresh()
        self.forms.refresh()
        self.assignments.refresh()
        self.settings.refresh()
