"""The dialog a manager uses to put a laptop in kiosk mode: which survey, at which site."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from desktop.kiosk_flow import KioskSetup
from forms.storage import FormVersionInfo
from reports.queries.screens import LocationOverview


class KioskStartDialog(QDialog):
    """Pick the customer survey and the location the kiosk stands at."""

    def __init__(
        self,
        forms: list[FormVersionInfo],
        locations: list[LocationOverview],
        parent: QWidget | None = None,
        *,
        location_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start kiosk mode")
        layout = QFormLayout(self)
        note = QLabel(
            "The survey fills the screen and nothing else of Rapport can be reached until "
            "the manager PIN is entered (Escape, or the Staff button)."
        )
        note.setWordWrap(True)
        layout.addRow(note)
        self.form_box = QComboBox()
        surveys = [f for f in forms if f.kind == "customer_survey"] + [
            f for f in forms if f.kind != "customer_survey"
        ]
        for info in surveys:
            self.form_box.addItem(f"{info.title} (v{info.version})", info.id)
        self.location_box = QComboBox()
        for row in locations:
            if row.active:
                self.location_box.addItem(row.name, row.id)
        if location_id is not None and self.location_box.findData(location_id) >= 0:
            self.location_box.setCurrentIndex(self.location_box.findData(location_id))
        for label, box in (("&Survey", self.form_box), ("&Location", self.location_box)):
            box.setAccessibleName(label.replace("&", ""))
            layout.addRow(label, box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start kiosk")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def setup(self) -> KioskSetup:
        """The survey and location chosen."""
        location = self.location_box.currentData()
        return KioskSetup(
            int(self.form_box.currentData()), None if location is None else int(location)
        )
