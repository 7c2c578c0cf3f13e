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


WIDGET_GARBAGE_MEETS_A_WORKER = """
import gc, sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from desktop.pyside_fix import collect_garbage_on_the_gui_thread

app = QApplication([])
if sys.argv[1] == "fixed":
    collect_garbage_on_the_gui_thread()
destroyed_on = []

class Dialog(QWidget):
    def __del__(self):
        destroyed_on.append(threading.current_thread().name)

def close_a_dialog():
    dialog = Dialog()
    dialog.myself = dialog  # a reference cycle, as a connected lambda makes one
close_a_dialog()
kept = []
# A background job allocates, as parsing a form does: enough to pass gc's thresholds.
worker = threading.Thread(target=lambda: kept.extend([] for _ in range(50_000)), name="worker")
worker.start()
worker.join()
QTimer.singleShot(1500, app.quit)
app.exec()
print(destroyed_on)
"""


def destroyed_on(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", WIDGET_GARBAGE_MEETS_A_WORKER, mode],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_closed_widget_in_a_reference_cycle_is_destroyed_on_the_gui_thread() -> None:
    # Without the guard the worker thread collects it, which can crash Qt.
    assert destroyed_on("unguarded") == "['worker']"
    assert destroyed_on("fixed") == "['MainThread']"
