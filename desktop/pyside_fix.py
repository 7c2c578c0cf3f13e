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
