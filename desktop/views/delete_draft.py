"""The question asked before a shopper deletes a draft: which visit, what goes with it, and
that it is for good."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from forms.storage.drafts import DraftContents
from reports.queries.screens import DraftRow


def draft_description(form_title: str, where: str, started_at: datetime) -> str:
    """ "Mystery shop at North Depot · Maria Alvarez, started 2026-06-30 10:05": one visit."""
    place = f" at {where}" if where else ""
    started = started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"“{form_title}”{place}, started {started}"


def _counted(count: int, one: str, many: str) -> str:
    return f"1 {one}" if count == 1 else f"{count} {many}"


def what_goes(contents: DraftContents) -> str:
    """ "Its 2 answers and 1 photo will be deleted for good…": what the shopper loses."""
    parts = [
        _counted(count, one, many)
        for count, one, many in (
            (contents.answers, "answer", "answers"),
            (contents.comments, "comment", "comments"),
            (contents.photos, "photo", "photos"),
        )
        if count
    ]
    if not parts:
        gone = "No answers, comments or photos were given yet; the draft will be deleted"
    elif len(parts) == 1:
        gone = f"Its {parts[0]} will be deleted"
    else:
        gone = f"Its {', '.join(parts[:-1])} and {parts[-1]} will be deleted"
    return f"{gone} for good. This cannot be undone."


def allow_delete(button: QPushButton, draft: DraftRow | None) -> None:
    """Enable a Delete draft button when the user may delete the draft; else say why."""
    button.setEnabled(draft is not None and draft.deletable)
    why = f"Cannot be deleted: {draft.deletion_refused}" if draft and draft.deletion_refused else ""
    # A disabled button takes no focus: its description is what a screen reader can reach.
    button.setToolTip(why)
    button.setAccessibleDescription(why)


class DeleteDraftDialog(QMessageBox):
    """Asks before deleting a draft; Cancel is the default, so Enter never deletes."""

    def __init__(
        self, description: str, contents: DraftContents, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("delete_draft_dialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("Delete draft")
        self.setText(f"Delete the draft {description}?")
        self.setInformativeText(what_goes(contents))
        self.delete_button: QPushButton = self.addButton(
            "&Delete draft", QMessageBox.ButtonRole.DestructiveRole
        )
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)

    def deleting(self) -> bool:
        """Whether the shopper chose to delete."""
        return self.clickedButton() is self.delete_button
