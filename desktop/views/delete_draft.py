"""The question asked before a shopper deletes a draft: which visit, and that it is for good."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget


def draft_description(form_title: str, where: str, started_at: datetime) -> str:
    """ "Mystery shop at North Depot · Maria Alvarez, started 2026-06-30 10:05": one visit."""
    place = f" at {where}" if where else ""
    started = started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"“{form_title}”{place}, started {started}"


class DeleteDraftDialog(QMessageBox):
    """Asks before deleting a draft; Cancel is the default, so Enter never deletes."""

    def __init__(self, description: str, answered: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("delete_draft_dialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("Delete draft")
        self.setText(f"Delete the draft {description}?")
        if answered:
            answers = "1 answer" if answered == 1 else f"{answered} answers"
            gone = f"{answers} given so far, with any comments and photos, will be deleted"
        else:
            gone = "Nothing was answered yet; the draft will be deleted"
        self.setInformativeText(f"{gone} for good. This cannot be undone.")
        self.delete_button: QPushButton = self.addButton(
            "&Delete draft", QMessageBox.ButtonRole.DestructiveRole
        )
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)

    def deleting(self) -> bool:
        """Whether the shopper chose to delete."""
        return self.clickedButton() is self.delete_button
