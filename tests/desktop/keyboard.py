"""Drive a window with the keyboard only: every key goes to the widget that has focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def show_active(qtbot: QtBot, window: QWidget) -> None:
    """Show a window and make it the active one, as if the user clicked it."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def focused() -> QWidget:
    """The widget with keyboard focus (fails the test if none has it)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has keyboard focus"
    return widget


def press(
    qtbot: QtBot,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    times: int = 1,
) -> None:
    """Press a key (with a modifier) on whatever has focus."""
    for _ in range(times):
        qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    """Type text into whatever has focus."""
    qtbot.keyClicks(focused(), text)


def tab(qtbot: QtBot, times: int = 1) -> None:
    """Move focus forward with Tab."""
    press(qtbot, Qt.Key.Key_Tab, times=times)
