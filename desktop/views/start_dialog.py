"""The dialog that starts an evaluation: which form, where, who, how and when.

An assignment fills in the form, location and agent and shows its scenario brief; the visit
time is now (the assignment's due date is a deadline, not when the visit happened). The
shopper can still correct the details before starting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from forms.vocabulary import Channel
from reports.queries.screens import AgentRow, AssignmentRow, LocationOverview


@dataclass(frozen=True)
class StartChoice:
    """What the shopper picked."""

    form_version_id: int
    location_id: int
    agent_id: int | None
    channel: str | None
    visit_at: datetime
    assignment_id: int | None = None
    anonymous: bool = False
    """An employee pulse: no agent, channel or person is recorded with the answers."""


class StartEvaluationDialog(QDialog):
    """Pick the form, location, agent, channel and visit time of a new evaluation."""

    def __init__(
        self,
        forms: list[tuple[int, str]],
        locations: list[LocationOverview],
        agents: list[AgentRow],
        parent: QWidget | None = None,
        *,
        location_id: int | None = None,
        form_id: int | None = None,
        assignment: AssignmentRow | None = None,
        now: datetime | None = None,
        anonymous_forms: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.anonymous_forms = anonymous_forms
        self.setWindowTitle("New evaluation")
        self.assignment = assignment
        self.agents_by_location: dict[int, list[AgentRow]] = {}
        for agent in agents:
            self.agents_by_location.setdefault(agent.location_id, []).append(agent)
        layout = QFormLayout(self)
        if assignment is not None and assignment.scenario:
            brief = QLabel(f"Scenario brief: {assignment.scenario}")
            brief.setObjectName("scenario_brief")
            brief.setWordWrap(True)
            layout.addRow(brief)
        self.form_box = QComboBox()
        for version_id, title in forms:
            self.form_box.addItem(title, version_id)
        self.location_box = QComboBox()
        for row in locations:
            if row.active:
                self.location_box.addItem(row.name, row.id)
        self.agent_box = QComboBox()
        self.channel_box = QComboBox()
        for channel in (Channel.IN_PERSON, Channel.PHONE, Channel.EMAIL, Channel.CHAT):
            self.channel_box.addItem(channel.label, channel.value)
        self.visit_edit = QDateTimeEdit()
        self.visit_edit.setCalendarPopup(True)
        self.visit_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        moment = now or datetime.now().astimezone()
        self.visit_edit.setDateTime(QDateTime(moment.replace(second=0, microsecond=0, tzinfo=None)))
        for label, box in (
            ("&Form", self.form_box),
            ("&Location", self.location_box),
            ("&Agent", self.agent_box),
            ("&Channel", self.channel_box),
            ("&Visit date and time", self.visit_edit),
        ):
            box.setAccessibleName(label.replace("&", ""))
            layout.addRow(label, box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addRow(self.buttons)
        self.anonymous_note = QLabel(
            "Anonymous: this survey records no name, agent or channel with the answers."
        )
        self.anonymous_note.setObjectName("anonymous_note")
        self.anonymous_note.setWordWrap(True)
        layout.insertRow(layout.rowCount() - 1, self.anonymous_note)
        self.location_box.currentIndexChanged.connect(self._fill_agents)
        self.form_box.currentIndexChanged.connect(self._fill_agents)
        if assignment is not None:
            form_id, location_id = assignment.form_version_id, assignment.location_id
        self._select(self.form_box, form_id)
        self._select(self.location_box, location_id)
        self._fill_agents()
        if assignment is not None:
            self._select(self.agent_box, assignment.agent_id)

    @staticmethod
    def _select(box: QComboBox, value: object) -> None:
        if value is not None and box.findData(value) >= 0:
            box.setCurrentIndex(box.findData(value))

    def is_anonymous(self) -> bool:
        """Whether the chosen form is an anonymous one (the employee pulse)."""
        return self.form_box.currentData() in self.anonymous_forms

    def _fill_agents(self) -> None:
        anonymous = self.is_anonymous()
        self.agent_box.clear()
        self.agent_box.addItem("Anonymous" if anonymous else "Not known", None)
        if not anonymous:
            for agent in self.agents_by_location.get(self.location_box.currentData(), []):
                self.agent_box.addItem(agent.name, agent.id)
        self.agent_box.setEnabled(not anonymous)
        self.channel_box.setEnabled(not anonymous)
        self.anonymous_note.setVisible(anonymous)

    def choice(self) -> StartChoice:
        """The picked form, location, agent, channel and visit time."""
        visit = self.visit_edit.dateTime().toPython()
        assert isinstance(visit, datetime)
        return StartChoice(
            form_version_id=int(self.form_box.currentData()),
            location_id=int(self.location_box.currentData()),
            agent_id=None if self.is_anonymous() else self.agent_box.currentData(),
            channel=None if self.is_anonymous() else str(self.channel_box.currentData()),
            visit_at=visit.astimezone().astimezone(UTC),
            assignment_id=self.assignment.id if self.assignment else None,
            anonymous=self.is_anonymous(),
        )
