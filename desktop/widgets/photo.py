"""Photo questions: attach a picture from disk, see its thumbnail, take it back."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.widgets.base import Editor

MAX_PHOTO_BYTES = 25 * 1024 * 1024
THUMBNAIL = 160
PHOTO_FILTER = "Pictures (*.jpg *.jpeg *.png *.gif *.webp *.bmp *.heic);;All files (*)"

AttachFile = Callable[[bytes, str, str], None]
"""Stores the bytes, file name and media type of a chosen picture; raises RapportError."""


def choose_photo_file(parent: QWidget) -> Path | None:
    """Ask for a picture file (the system's file dialog); None when cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(parent, "Attach a photo", "", PHOTO_FILTER)
    return Path(chosen) if chosen else None


def thumbnail(data: bytes, size: int = THUMBNAIL) -> QPixmap | None:
    """A small picture of image bytes; None when they are not an image Qt can read."""
    pixmap = QPixmap()
    if not data or not pixmap.loadFromData(data):
        return None
    return pixmap.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class PhotoError(ValueError):
    """A chosen file cannot be attached; the message says why."""


def read_photo(path: Path) -> tuple[bytes, str]:
    """The bytes and media type of a picture file, or PhotoError saying what is wrong."""
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            raise PhotoError(
                f"{path.name} is {size / 1024 / 1024:.0f} MB; photos up to 25 MB can be "
                "attached: make it smaller first"
            )
        data = path.read_bytes()
    except OSError as error:
        raise PhotoError(f"cannot read {path.name}: {error.strerror or error}") from error
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if thumbnail(data) is None:
        raise PhotoError(f"{path.name} is not a picture Rapport can show: attach a JPEG or PNG")
    return data, media_type


class PhotoEditor(Editor):
    """A button to attach a picture, its thumbnail, and a button to remove it."""

    def __init__(
        self,
        label: str,
        filename: str | None,
        data: bytes | None,
        attach: AttachFile,
        report_problem: Callable[[str], None],
    ) -> None:
        super().__init__()
        self.attach = attach
        self.report_problem = report_problem
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.picture = QLabel()
        self.picture.setObjectName("thumbnail")
        self.picture.setAccessibleName(f"{label}: thumbnail")
        self.picture.setFixedSize(THUMBNAIL, THUMBNAIL)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFrameShape(QLabel.Shape.StyledPanel)
        self.attach_button = QPushButton("Attach photo…")
        self.attach_button.setAccessibleName(f"{label}: attach a photo")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName(f"{label}: remove the photo")
        layout.addWidget(self.picture)
        layout.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)
        self.attach_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self.remove)
        self.show_photo(filename, data)

    def show_photo(self, filename: str | None, data: bytes | None) -> None:
        """Show the attached picture (or an empty frame)."""
        pixmap = thumbnail(data) if data else None
        if pixmap is not None:
            self.picture.setPixmap(pixmap)
        else:
            self.picture.clear()
            self.picture.setText("No photo")
        self.picture.setToolTip(filename or "")
        self.remove_button.setEnabled(filename is not None)

    def choose(self) -> None:
        """Ask for a picture and attach it."""
        path = choose_photo_file(self)
        if path is not None:
            self.attach_path(path)

    def attach_path(self, path: Path) -> None:
        """Attach the picture at `path`, or say why it cannot be attached."""
        try:
            data, media_type = read_photo(path)
        except PhotoError as error:
            self.report_problem(str(error))
            return
        self.attach(data, path.name, media_type)
        self.show_photo(path.name, data)

    def remove(self) -> None:
        """Take the photo off this question (the file stays in the submission's history)."""
        self.show_photo(None, None)
        self.changed.emit(None)

    def focus_target(self) -> QWidget:
        return self.attach_button
