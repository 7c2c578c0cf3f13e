"""Child process of the cold-start figure: start a window, print the time of its first paint.

    python -m tests.bench.first_paint bare
    python -m tests.bench.first_paint rapport --db PATH
    python -m tests.bench.first_paint rapport-main --db PATH

`bare` shows a PySide6 window with one label; `rapport` runs the `rapport` command line
(desktop.cli.main) exactly as the installed script does. Each prints time.monotonic() once
the first window has been painted (`rapport-main`: once the main window has), then exits at
once. The parent takes the time before starting the process, so all are measured from
process start to paint alike.
"""

from __future__ import annotations

import os
import sys
import time


def _report_and_exit() -> None:
    sys.stdout.write(f"{time.monotonic():.6f}\n")
    sys.stdout.flush()
    os._exit(0)


def main() -> None:
    """Start the window of the chosen mode; exit right after its first paint."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    app = QApplication(sys.argv[:1])
    mode = sys.argv[1] if len(sys.argv) > 1 else "bare"
    main_window_only = mode == "rapport-main"

    class FirstPaint(QObject):
        painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if (
                not self.painted
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and watched.window().isVisible()
                and (not main_window_only or isinstance(watched.window(), QMainWindow))
            ):
                self.painted = True
                # Runs once the paint in progress (the whole window) has been delivered.
                QTimer.singleShot(0, _report_and_exit)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    if mode == "bare":
        from PySide6.QtWidgets import QLabel

        label = QLabel("Rapport")
        label.show()
        app.exec()
    else:
        from desktop.cli import main as rapport_main

        rapport_main(sys.argv[2:])
    # The window closed without ever being painted.
    sys.exit(3)


if __name__ == "__main__":
    main()
