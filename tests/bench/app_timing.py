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
from pathlib import Path

from tests.bench.figures import Figure, median

REPOSITORY = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180.0


class BenchError(RuntimeError):
    """A measurement could not be taken (the reason is in the message)."""


def _first_paint_seconds(mode: str, database: Path, environment: dict[str, str]) -> float:
    command = [sys.executable, "-m", "tests.bench.first_paint", mode]
    if mode == "rapport":
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
        times: dict[str, list[float]] = {"bare": [], "rapport": []}
        for _ in range(runs):
            for mode in ("bare", "rapport"):
                times[mode].append(_first_paint_seconds(mode, database, environment))
    rapport, bare = median(times["rapport"]), median(times["bare"])
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


def submissions_screen(database: Path, *, scroll_limit: float) -> list[Figure]:
    """Open the Submissions screen offscreen on every submission; scroll to the last row."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from desktop.submission_queries import SubmissionFilter, count_submissions, list_submissions
    from desktop.views.submissions import SubmissionsView
    from forms.store import Store

    app = QApplication.instance() or QApplication([])
    store = Store.open(f"sqlite:///{database.resolve()}", create=False)

    class PaintedRows(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and view.model.rowCount() > 0:
                self.seen = True
            return False

    try:
        began = time.perf_counter()
        view = SubmissionsView(store, "benchmark")
        painted = PaintedRows()
        view.table.viewport().installEventFilter(painted)
        view.resize(1100, 720)
        view.refresh()
        view.show()
        while not painted.seen and time.perf_counter() - began < 60:
            app.processEvents()
        first_rows = time.perf_counter() - began
        model = view.model
        total = count_submissions(store, SubmissionFilter())
        row_type = type(model.row_at(0))
        scrolling = time.perf_counter()
        table = view.table
        while model.canFetchMore(table.rootIndex()):
            if time.perf_counter() - scrolling > scroll_limit:
                break
            table.scrollToBottom()
            app.processEvents()
        table.scrollToBottom()
        app.processEvents()
        scrolled = time.perf_counter() - scrolling
        reached = not model.canFetchMore(table.rootIndex())
        held = _rows_alive(row_type)
        last_page = []
        for offset in (0, max(0, total - 200)):
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                list_submissions(store, SubmissionFilter(), offset=offset, limit=200)
                runs.append(time.perf_counter() - started)
            last_page.append(median(runs))
        view.close()
        view.deleteLater()
        app.processEvents()
    finally:
        store.close()
    scroll_note = (
        f"reached row {total:,}"
        if reached
        else f"stopped after {scroll_limit:.0f} s at row {model.rowCount():,} of {total:,}"
    )
    return [
        Figure(
            "submissions_first_rows",
            "3. Submissions screen: first rows painted",
            first_rows * 1000,
            "ms",
            target=300,
            note=f"{total:,} submissions; screen built, counted, first page read and painted",
        ),
        Figure(
            "submissions_scroll_to_end",
            "3. Submissions screen: scroll to the last row",
            scrolled if reached else None,
            "s",
            target=1.0,
            note=scroll_note + f" ({scrolled:.1f} s)",
        ),
        Figure(
            "submissions_rows_in_python",
            "3. Submissions screen: row objects in Python at the end",
            float(held),
            "rows",
            target=2000,
            note=f"of {total:,}; a page of 200 rows read at offset 0 takes "
            f"{last_page[0] * 1000:.0f} ms, at the last page {last_page[1] * 1000:.0f} ms",
        ),
    ]
