"""The desktop app's figures: cold start to the first painted window, and the Submissions
screen on every submission of the database (first rows, then scrolling to the end).
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.bench.figures import Figure, median

REPOSITORY = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180.0


class BenchError(RuntimeError):
    """A measurement could not be taken (the reason is in the message)."""


def _first_paint_seconds(mode: str, database: Path, environment: dict[str, str]) -> float:
    command = [sys.executable, "-m", "tests.bench.first_paint", mode]
    if mode.startswith("rapport"):
        command += ["--db", str(database)]
    began = time.monotonic()
    done = subprocess.run(
        command,
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise BenchError(
            f"{mode} start failed (exit {done.returncode}): {done.stderr.strip()[-600:]}"
        )
    return float(lines[-1]) - began


def cold_start(database: Path, runs: int, *, warm_up: bool = True) -> list[Figure]:
    """`rapport` and a bare PySide6 window, from process start to first paint, alternated.

    With `warm_up`, one start of each comes first and is not counted (see the note).
    """
    with tempfile.TemporaryDirectory(prefix="rapport-bench-home-") as home:
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            # A fresh settings and data folder: no remembered geometry, no user data.
            "HOME": home,
            "XDG_CONFIG_HOME": home,
            "XDG_DATA_HOME": home,
            "PYTHONPATH": str(REPOSITORY),
        }
        environment.pop("RAPPORT_DB", None)
        # The first start reads the database file and compiles bytecode; it is reported,
        # not counted: the figure is a start on a laptop where Rapport ran before.
        first = None
        if warm_up:
            first = _first_paint_seconds("rapport", database, environment)
            _first_paint_seconds("bare", database, environment)
        times: dict[str, list[float]] = {"bare": [], "rapport": [], "rapport-main": []}
        for _ in range(runs):
            for mode in times:
                times[mode].append(_first_paint_seconds(mode, database, environment))
    rapport, bare = median(times["rapport"]), median(times["bare"])
    main_window = median(times["rapport-main"])
    return [
        Figure(
            "cold_start_rapport",
            "1. cold start: rapport to first paint",
            rapport,
            "s",
            runs=times["rapport"],
            note=f"on {database.name}"
            + ("" if first is None else f"; a first start, not counted, took {first:.2f} s"),
        ),
        Figure(
            "cold_start_main_window",
            "1. cold start: rapport to main window painted",
            main_window,
            "s",
            runs=times["rapport-main"],
            note=f"{main_window / bare:.1f} x the bare window; the first window painted may be "
            "a smaller one saying Rapport is opening",
        ),
        Figure(
            "cold_start_bare",
            "1. cold start: bare PySide6 window",
            bare,
            "s",
            runs=times["bare"],
        ),
        Figure(
            "cold_start_ratio",
            "1. cold start ratio rapport / bare",
            rapport / bare,
            "x",
            target=1.5,
        ),
    ]


def _rows_alive(kind: type) -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing) is kind)


def _wait(done: Callable[[], bool], timeout: float) -> bool:
    """Run the Qt event loop until `done()` (checked every few ms) or `timeout` seconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.perf_counter() + timeout
    found = False

    def check() -> None:
        nonlocal found
        found = done()
        if found or time.perf_counter() > deadline:
            loop.quit()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(2)
    check()
    if not found and time.perf_counter() <= deadline:
        loop.exec()
    timer.stop()
    return found


def submissions_screen(database: Path, *, scroll_limit: float) -> list[Figure]:
    """Open the Submissions screen offscreen on every submission; scroll to the last row.

    A row counts as shown when the table was painted while the model gave its real text
    (a model that reads pages in the background first shows a placeholder).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from desktop.models import submissions as model_module
    from desktop.views.submissions import SubmissionsView
    from forms.storage import Store
    from reports.queries.submissions import SubmissionFilter, count_submissions, list_submissions

    placeholders = {None, "", getattr(model_module, "LOADING", "")}
    app = QApplication.instance() or QApplication([])
    store = Store.open(f"sqlite:///{database.resolve()}", create=False)
    total = count_submissions(store, SubmissionFilter())

    class Painted(QObject):
        """Remembers whether the first and the last row were painted with their data."""

        first = False
        last = False

        def __init__(self, shown: Callable[[int], bool]) -> None:
            super().__init__()
            self.shown = shown

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint:
                self.first = self.first or self.shown(0)
                self.last = self.last or self.shown(total - 1)
            return False

    try:
        began = time.perf_counter()
        view = SubmissionsView(store, "benchmark")
        model = view.model
        table = view.table

        def shown(row: int) -> bool:
            if not 0 <= row < model.rowCount():
                return False
            return model.data(model.index(row, 0)) not in placeholders

        painted = Painted(shown)
        table.viewport().installEventFilter(painted)
        view.resize(1100, 720)
        view.refresh()
        view.show()
        _wait(lambda: painted.first, 60)
        first_rows = time.perf_counter() - began
        row_type = type(model.row_at(0))
        scrolling = time.perf_counter()

        def at_the_end() -> bool:
            if model.canFetchMore(table.rootIndex()):
                table.scrollToBottom()  # a fetchMore model reads the next page
            return painted.last

        table.scrollToBottom()
        reached = _wait(at_the_end, scroll_limit)
        scrolled = time.perf_counter() - scrolling
        held = _rows_alive(row_type)
        page_times = []
        for offset in (0, max(0, total - 200)):
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                list_submissions(store, SubmissionFilter(), offset=offset, limit=200)
                runs.append(time.perf_counter() - started)
            page_times.append(median(runs))
        view.close()
        view.deleteLater()
        app.processEvents()
    finally:
        store.close()
    scroll_note = (
        f"row {total:,} painted with its data {scrolled:.2f} s after scrolling to the bottom"
        if reached
        else f"row {total:,} not painted with its data within {scroll_limit:.0f} s"
    )
    return [
        Figure(
            "submissions_first_rows",
            "3. Submissions screen: first rows painted",
            first_rows * 1000 if painted.first else None,
            "ms",
            target=300,
            note=f"{total:,} submissions; from building the screen to its first row painted "
            "with data",
        ),
        Figure(
            "submissions_scroll_to_end",
            "3. Submissions screen: scroll to the last row",
            scrolled if reached else None,
            "s",
            target=1.0,
            note=scroll_note,
        ),
        Figure(
            "submissions_rows_in_python",
            "3. Submissions screen: row objects in Python at the end",
            float(held),
            "rows",
            target=2000,
            note=f"of {total:,}; the screen's query for 200 rows takes {page_times[0] * 1000:.0f}"
            f" ms at offset 0, {page_times[1] * 1000:.0f} ms for the last page",
        ),
    ]
