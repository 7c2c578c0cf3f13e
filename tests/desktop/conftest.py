"""Fixtures of the desktop tests: a fresh database per test, the sample data, no user settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.pyside_fix import collect_garbage_on_the_gui_thread
from desktop.theme import apply_theme
from forms.storage import Store


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'rapport.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session", autouse=True)
def garbage_collected_on_the_gui_thread(qapp: QApplication) -> None:
    """As in the app: a widget in a reference cycle is never destroyed on a worker thread."""
    collect_garbage_on_the_gui_thread()


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings, logs and the default database go to the test's folder, never the user's."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("RAPPORT_DB", raising=False)


@pytest.fixture(scope="session", autouse=True)
def themed(qapp: QApplication) -> None:
    """As in the app: Rapport's theme over the computer's palette."""
    apply_theme(qapp)
