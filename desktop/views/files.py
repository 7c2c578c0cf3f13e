"""The system's file dialogs, in one place (tests replace these two functions)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def choose_open_file(parent: QWidget, title: str, filters: str) -> Path | None:
    """Ask for an existing file; None when cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(chosen) if chosen else None


def choose_save_file(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    """Ask where to write a file; None when cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(chosen) if chosen else None
