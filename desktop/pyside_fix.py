"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

Each call of a wrapped Qt function that returns nothing (setText, processEvents, ...)
gives back one reference to None it never took. None's count falls by one per call and
after a few thousand calls Python aborts ("none_dealloc: deallocating None"): measured
with PySide6 6.12.0 on Python 3.11.7, 20,000 QLabel.setText calls crash a bare script, and
a kiosk or a long session would crash the same way. Python 3.12 made None immortal (PEP
683), which hides the bug there; this gives None the same immortality on 3.11, by raising
its reference count far beyond anything a session can use up. None is never freed anyway.
"""

from __future__ import annotations

import ctypes
import gc
import sys

_PINNED = 1 << 48


def keep_none_alive() -> None:
    """Make None immortal on Python < 3.12 (once per process)."""
    if sys.version_info >= (3, 12) or getattr(keep_none_alive, "done", False):
        return
    # ob_refcnt is the first field of every CPython object (a Py_ssize_t).
    ctypes.c_ssize_t.from_address(id(None)).value += _PINNED
    keep_none_alive.done = True  # type: ignore[attr-defined]


keep_none_alive()


class _GuiThreadGarbageCollector:
    """Runs Python's cyclic garbage collector on the GUI thread only.

    Left to itself, the collector runs in whichever thread happens to allocate when a
    threshold is passed, often a background worker. If the garbage it finds holds a Qt
    widget (a closed dialog in a reference cycle), the widget is destroyed on that worker
    thread, and Qt crashes the process: seen as a segmentation fault while a worker parsed
    the built-in forms. Automatic collection is switched off, and a timer on the GUI thread
    collects each generation once its threshold is passed, as the collector itself would.
    """

    def __init__(self, interval_ms: int = 500) -> None:
        from PySide6.QtCore import QTimer

        gc.disable()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()

    def collect_due(self) -> None:
        """Collect the oldest generation whose threshold has been passed, if any."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        due = [gen for gen in range(3) if thresholds[gen] and counts[gen] > thresholds[gen]]
        if due:
            gc.collect(due[-1])


_collector: _GuiThreadGarbageCollector | None = None


def collect_garbage_on_the_gui_thread() -> None:
    """Call once the QApplication exists, on its thread; later calls do nothing."""
    global _collector
    if _collector is None:
        _collector = _GuiThreadGarbageCollector()
