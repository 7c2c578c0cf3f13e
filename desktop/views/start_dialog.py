"""The dialog that starts an evaluation: which form, where, who, how."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QWidget,
)

from reports.queries import AgentChoice, LocationRow

CHANNELS = (("In person", "in_person"), ("Phone", "phone"), ("Email", "email"), ("Chat", "chat"))


@dataclass(frozen=True)
class StartChoice:
    """What the shopper picked."""

    form_version_id: int
    location_id: int
    agent_id: int | None
    channel: str


class StartEvaluationDialog(QDialog):
    """Pick the form, location, agent and channel of a new evaluation."""

    def __init__(
        self,
        forms: list[tuple[int, str]],
        locations: list[LocationRow],
        agents_by_location: dict[int, list[AgentChoice]],
        parent: QWidget | None = None,
        *,
        location_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New evaluation")
        self.agents_by_location = agents_by_location
        layout = QFormLayout(self)
        self.form_box = QComboBox()
        for form_id, title in forms:
            self.form_box.addItem(title, form_id)
        self.location_box = QComboBox()
        for row in locations:
            self.location_box.addItem(row.name, row.id)
        if location_id is not None:
            self.location_box.setCurrentIndex(max(0, self.location_box.findData(location_id)))
        self.agent_box = QComboBox()
        self.channel_box = QComboBox()
        for label, value in CHANNELS:
            self.channel_box.addItem(label, value)
        for label, box in (
            ("&Form", self.form_box),
            ("&Location", self.location_box),
            ("&Agent", self.agent_box),
            ("&Channel", self.channel_box),
        ):
            box.setAccessibleName(label.replace("&", ""))
            layout.addRow(label, box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        self.location_box.currentIndexChanged.connect(self._fill_agents)
        self._fill_agents()

    def _fill_agents(self) -> None:
        self.agent_box.clear()
        self.agent_box.addItem("Not known", None)
        for agent in self.agents_by_location.get(self.location_box.currentData(), []):
            self.agent_box.addItem(agent.name, agent.id)

    def choice(self) -> StartChoice:
        """The picked form, location, agent and channel."""
        return StartChoice(
            form_version_id=int(self.form_box.currentData()),
            location_id=int(self.location_box.currentData()),
            agent_id=self.agent_box.currentData(),
            channel=str(self.channel_box.currentData()),
        )
