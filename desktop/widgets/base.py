"""What every answer editor offers the question frame around it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

TOUCH_HEIGHT = 72
"""Height of a touch target on the kiosk, in device-independent pixels (well above 44)."""


class Editor(QWidget):
    """An answer editor: reports each new value through `changed` (None = cleared)."""

    changed = Signal(object)

    def focus_target(self) -> QWidget:
        """The widget that takes keyboard focus when the question is reached."""
        return self

    def flush(self) -> None:
        """Report a value still being typed (before a page changes or the window closes)."""

    def set_read_only(self, read_only: bool) -> None:
        """Show the answer without letting it change."""
        self.setEnabled(not read_only)
