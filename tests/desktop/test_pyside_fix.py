"""A long session calls Qt functions that return nothing many thousands of times; with
PySide6 6.12 on Python 3.11 each such call used to cost None a reference until Python
aborted. Run in a child process, so a crash fails this test instead of the whole run."""

from __future__ import annotations

import os
import subprocess
import sys

LONG_SESSION = """
import desktop.widgets  # what every screen imports first
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel()
for number in range(50_000):
    label.setText(str(number))
    app.processEvents()
print("survived", label.text())
"""


def test_fifty_thousand_qt_calls_do_not_crash_python() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LONG_SESSION],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived 49999"
