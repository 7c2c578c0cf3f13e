"""A large data file opens at once; when its check in the background finds damage, the
window says so and nothing more is written to the file."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from forms.sample.company import load_sample_data
from forms.storage import Store, StoreError
from forms.storage.sqlite import FULL_CHECK_LIMIT_VARIABLE
from tests.conftest import SAMPLE_TODAY


def damage_the_answers(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        (root,) = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'answer'").fetchone()
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    damaged = bytearray(path.read_bytes())
    damaged[(root - 1) * page_size : root * page_size] = bytes([0xA5]) * page_size
    path.write_bytes(bytes(damaged))


@pytest.fixture
def error_log_of_this_test() -> Iterator[None]:
    """Reading the damaged pages is logged as unexpected: the log file handler opened in this
    test's folder is closed afterwards, so later tests log to their own folders."""
    logger = logging.getLogger("rapport")
    before = list(logger.handlers)
    yield
    for handler in [h for h in logger.handlers if h not in before]:
        logger.removeHandler(handler)
        handler.close()


def test_damage_found_after_start_is_shown_and_writes_are_refused(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error_log_of_this_test: None
) -> None:
    path = tmp_path / "big.db"
    with Store.open(f"sqlite:///{path}") as store:
        load_sample_data(store, today=SAMPLE_TODAY)
    damage_the_answers(path)
    damaged = path.read_bytes()
    monkeypatch.setenv(FULL_CHECK_LIMIT_VARIABLE, "0")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "desktop.main_window.QMessageBox.critical",
        lambda _parent, title, text: shown.append((title, text)),
    )
    monkeypatch.setattr(
        "desktop.main_window.QMessageBox.warning",
        lambda _parent, title, text: shown.append((title, text)),
    )

    store = Store.open(f"sqlite:///{path}", create=False)
    try:
        window = MainWindow(store, actor="test")
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)

        assert shown[0][0] == "Your data file is damaged"
        assert str(path) in shown[0][1]
        assert "read-only" in window.windowTitle()
        with pytest.raises(StoreError, match="will not write"):
            store.upsert_location("NEW", "New site")
        window.background.wait()
    finally:
        store.close()
    assert path.read_bytes() == damaged
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def test_a_file_that_can_only_be_read_opens_showing_its_data_and_says_so(
    qtbot: QtBot, tmp_path: Path, sample_company_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "stick" / "rapport.db"
    path.parent.mkdir()
    path.write_bytes(sample_company_file.read_bytes())
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "desktop.main_window.QMessageBox.warning",
        lambda _parent, title, text: shown.append((title, text)),
    )
    store = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true", create=False)
    try:
        window = MainWindow(store, actor="test")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.home.table.model().rowCount() == 8, timeout=10_000)
        assert window.windowTitle() == "Rapport (read-only)"
        warning = window.statusBar().findChild(QLabel, "read_only_warning")
        assert warning is not None
        assert warning.text() == "Read-only: this data file cannot be changed"
        assert "copy it to a folder you may write in" in warning.toolTip()
        assert window.statusBar().currentMessage() == f"Data: sqlite:///{path} (read-only)"
        window.background.wait()
        assert shown == []  # the start did not try to write (the built-in forms)
    finally:
        store.close()
    assert sorted(p.name for p in path.parent.iterdir()) == ["rapport.db"]
