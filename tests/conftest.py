"""Test set-up shared by every package's tests.

With RAPPORT_NO_QT=1 (`make pytest-no-qt`) PySide6 cannot be imported at all, which
proves that forms/ and reports/ work on a machine, or in a process, without Qt.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from collections.abc import Sequence
from types import ModuleType

# Qt tests run offscreen, with or without a display, whoever starts pytest.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

_BLOCKED = ("PySide6", "shiboken6")


class _QtBlocker(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if fullname.split(".")[0] in _BLOCKED:
            raise ImportError(f"{fullname} is blocked: forms/ and reports/ must not import Qt")
        return None


if os.environ.get("RAPPORT_NO_QT") == "1":
    if any(name.split(".")[0] in _BLOCKED for name in sys.modules):
        raise RuntimeError("Qt was imported before the blocker was installed")
    sys.meta_path.insert(0, _QtBlocker())
