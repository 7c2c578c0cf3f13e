"""Administration of settings (report branding, counting rule, kiosk PIN) and of the data
itself (which database, backup, bundles to and from other laptops)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
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

from desktop.views import files
from desktop.views.pin_dialog import SetPinDialog
from desktop.widgets.questions import problem_colour
from desktop.workers import Background
from forms.errors import RapportError
from forms.settings import ManagerSettings
from forms.storage import Store
from forms.storage.kiosk_pin import set_kiosk_pin

DATABASE_SETTING = "database/url"
"""QSettings key: the database to open at the next start (when --db and RAPPORT_DB are unset)."""
IMAGE_FILTER = "Pictures (*.png *.jpg *.jpeg *.gif *.bmp *.webp);;All files (*)"
BUNDLE_FILTER = "Rapport bundles (*.rapport *.zip);;All files (*)"
_LOGO_BOX = (600, 240)


def logo_data_url(path: Path) -> str:
    """A picture file as a small PNG `data:` URL for the report settings; RapportError if
    it is not a picture."""
    image = QImage(str(path))
    if image.isNull():
        raise RapportError(f"{path.name} is not a picture Rapport can read: choose a PNG or JPEG")
    image = image.scaled(
        *_LOGO_BOX, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    return "data:image/png;base64," + base64.b64encode(bytes(data.data())).decode("ascii")


class SettingsTab(QWidget):
    """Branding of reports, the counting rule, and the kiosk PIN."""

    changed = Signal()

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.pin_dialog: SetPinDialog | None = None
        layout = QVBoxLayout(self)
        box = QGroupBox("Reports")
        form = QFormLayout(box)
        self.company = QLineEdit()
        self.colour = QLineEdit()
        self.colour.setPlaceholderText("#173f5f")
        self.locale_edit = QLineEdit()
        self.locale_edit.setPlaceholderText("en_US")
        self.time_zone = QLineEdit()
        self.time_zone.setPlaceholderText("UTC")
        self.accepted_only = QCheckBox("Count only visits a manager &accepted")
        self.logo_label = QLabel("")
        self.logo_button = QPushButton("Choose &logo…")
        self.clear_logo_button = QPushButton("No logo")
        logo_row = QHBoxLayout()
        for part in (self.logo_label, self.logo_button, self.clear_logo_button):
            logo_row.addWidget(part)
        for label, widget in (
            ("&Company name", self.company),
            ("&Brand colour", self.colour),
            ("L&anguage and region", self.locale_edit),
            ("&Time zone", self.time_zone),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label, widget)
        form.addRow("Logo", logo_row)
        form.addRow(self.accepted_only)
        layout.addWidget(box)
        self.message = QLabel("")
        self.message.setObjectName("settings_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.save_button = QPushButton("&Save settings")
        self.pin_button = QPushButton("Set the &kiosk PIN…")
        row.addWidget(self.save_button)
        row.addWidget(self.pin_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.logo = ""
        self.save_button.clicked.connect(self.save)
        self.pin_button.clicked.connect(self.ask_pin)
        self.logo_button.clicked.connect(self.choose_logo)
        self.clear_logo_button.clicked.connect(lambda: self._set_logo(""))
        self.refresh()

    def refresh(self) -> None:
        """Show the stored settings."""
        settings = self.store.manager_settings()
        self.company.setText(settings.company_name)
        self.colour.setText(settings.brand_colour)
        self.locale_edit.setText(settings.locale)
        self.time_zone.setText(settings.time_zone)
        self.accepted_only.setChecked(settings.count_accepted_only)
        self._set_logo(settings.logo)

    def _set_logo(self, value: str) -> None:
        self.logo = value
        self.logo_label.setText("a logo is set" if value else "no logo")
        self.clear_logo_button.setEnabled(bool(value))

    def choose_logo(self) -> None:
        """Pick the picture printed on every report's cover."""
        path = files.choose_open_file(self, "Choose the logo", IMAGE_FILTER)
        if path is None:
            return
        try:
            self._set_logo(logo_data_url(path))
        except RapportError as error:
            self._say(str(error), error=True)

    def save(self) -> None:
        """Check and store the settings; nothing is stored if one is wrong."""
        try:
            settings = ManagerSettings.checked(
                company_name=self.company.text(),
                brand_colour=self.colour.text(),
                locale=self.locale_edit.text(),
                time_zone=self.time_zone.text(),
                count_accepted_only=self.accepted_only.isChecked(),
                logo=self.logo,
            )
            self.store.save_manager_settings(settings)
        except RapportError as error:
            self._say(str(error), error=True)
            return
        self._say("Settings saved. Reports use them from now on.")
        self.changed.emit()

    def ask_pin(self) -> None:
        """Set or change the PIN that unlocks kiosk mode."""
        self.pin_dialog = SetPinDialog(self)
        self.pin_dialog.accepted.connect(self._store_pin)
        self.pin_dialog.open()

    def _store_pin(self) -> None:
        assert self.pin_dialog is not None
        try:
            set_kiosk_pin(self.store, self.pin_dialog.pin())
        except RapportError as error:
            self._say(str(error), error=True)
            return
        self._say("The kiosk PIN is set.")

    def _say(self, message: str, *, error: bool = False) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {problem_colour(self)};" if error else "")


class DataTab(QWidget):
    """Which database Rapport uses; backup; bundles exchanged with other laptops."""

    changed = Signal()
    done = Signal(str)
    """Emitted with the message shown when a backup, export or import finished."""

    def __init__(self, store: Store, background: Background, actor: str) -> None:
        super().__init__()
        self.store = store
        self.background = background
        self.actor = actor
        layout = QVBoxLayout(self)
        where = QGroupBox("Database")
        form = QFormLayout(where)
        self.current = QLabel(store.shown_url)
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("In use now", self.current)
        self.next_database = QLineEdit(str(QSettings().value(DATABASE_SETTING, "") or ""))
        self.next_database.setPlaceholderText(
            "a file path, or postgresql://user@server/rapport for a team server"
        )
        self.next_database.setAccessibleName("Database at the next start")
        self.next_button = QPushButton("Use at &next start")
        row = QHBoxLayout()
        row.addWidget(self.next_database, 1)
        row.addWidget(self.next_button)
        form.addRow("At the next start", row)
        layout.addWidget(where)
        actions = QGroupBox("Backup and exchange")
        buttons = QHBoxLayout(actions)
        self.backup_button = QPushButton("&Back up…")
        self.export_button = QPushButton("E&xport bundle…")
        self.import_button = QPushButton("&Import bundle…")
        self.export_button.setAccessibleName("Export new finished work as a bundle file")
        self.import_button.setAccessibleName("Import a bundle file from another laptop")
        for button in (self.backup_button, self.export_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(actions)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.message = QLabel("")
        self.message.setObjectName("data_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.next_button.clicked.connect(self.use_next)
        self.backup_button.clicked.connect(self.backup)
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_bundle)

    def use_next(self) -> None:
        """Remember which database to open next time (empty: the default file)."""
        value = self.next_database.text().strip()
        QSettings().setValue(DATABASE_SETTING, value)
        self._say(
            f"Rapport will open {value} at its next start."
            if value
            else "Rapport will open the database in your data folder at its next start."
        )

    def _run(self, busy: str, job: Callable[[], Any], finished: Callable[[Any], str]) -> None:
        for button in (self.backup_button, self.export_button, self.import_button):
            button.setEnabled(False)
        self.progress.setRange(0, 0)
        self._say(busy)

        def done(result: object) -> None:
            self._idle()
            message = finished(result)
            self._say(message)
            self.done.emit(message)

        self.background.run(job, done, self._failed)

    def _idle(self) -> None:
        for button in (self.backup_button, self.export_button, self.import_button):
            button.setEnabled(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)

    def _failed(self, message: str) -> None:
        self._idle()
        self.progress.setValue(0)
        self._say(message, error=True)
        self.done.emit(message)

    def backup(self) -> None:
        """Copy the database to a file (safe while Rapport runs)."""
        target = files.choose_save_file(self, "Back up the database", "rapport-backup.db", "*.db")
        if target is not None:
            store = self.store
            self._run(
                "Backing up…", lambda: store.backup(target), lambda _r: f"Backed up to {target}."
            )

    def export(self) -> None:
        """Write the finished work not exported yet to a bundle file."""
        from forms.exchange import export_bundle, remember_bundle_export

        target = files.choose_save_file(self, "Export a bundle", "rapport.rapport", BUNDLE_FILTER)
        if target is None:
            return
        store = self.store

        def job() -> Any:
            export = export_bundle(store, target)
            remember_bundle_export(store, export)
            return export

        self._run(
            "Exporting…",
            job,
            lambda export: (
                f"Exported to {target}: "
                + ", ".join(f"{n} {what}" for what, n in export.counts.items())
            ),
        )

    def import_bundle(self) -> None:
        """Check a bundle completely, then merge it (all or nothing)."""
        from forms.exchange import import_bundle_file

        path = files.choose_open_file(self, "Import a bundle", BUNDLE_FILTER)
        if path is None:
            return
        store, actor = self.store, self.actor

        def finished(report: Any) -> str:
            self.changed.emit()
            return f"Imported {path.name}: {report.summary()}"

        self._run("Importing…", lambda: import_bundle_file(store, path, actor=actor), finished)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {problem_colour(self)};" if error else "")
