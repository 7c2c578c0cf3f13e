"""Work that must not freeze the window: database reads and imports in threads, PDF reports
in a child process. Results and progress always arrive on the GUI thread, through signals.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from desktop.errorlog import log_unexpected
from forms.errors import RapportError

Progress = Callable[[int, int], None]
"""Called from the worker with (done, total); total 0 means not known yet."""


class _Relay(QObject):
    """Carries a worker's results to the GUI thread (it lives there; emits are queued)."""

    done = Signal(int, object)
    failed = Signal(int, str)
    progress = Signal(int, int, int)


class _Task(QRunnable):
    def __init__(self, number: int, job: Callable[..., Any], relay: _Relay, wants_progress: bool):
        super().__init__()
        self.number = number
        self.job = job
        self.relay = relay
        self.wants_progress = wants_progress
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            if self.wants_progress:
                result = self.job(
                    lambda done, total: self.relay.progress.emit(self.number, done, total)
                )
            else:
                result = self.job()
        except RapportError as error:
            self.relay.failed.emit(self.number, str(error))
        except Exception as error:
            log_unexpected("background task")
            self.relay.failed.emit(
                self.number, f"An unexpected problem stopped this task ({error}); it was logged."
            )
        else:
            self.relay.done.emit(self.number, result)


class Background(QObject):
    """Runs jobs on a thread pool; `on_done` / `on_error` / `on_progress` run on the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._numbers = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[str], None] | None]] = {}
        self._progress: dict[int, Progress] = {}
        self.relay = _Relay(self)
        queued = Qt.ConnectionType.QueuedConnection
        self.relay.done.connect(self._done, queued)
        self.relay.failed.connect(self._failed, queued)
        self.relay.progress.connect(self._on_progress, queued)

    def run(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> int:
        """Start `job()` in a worker thread; returns a number naming the task."""
        number = next(self._numbers)
        self._callbacks[number] = (on_done, on_error)
        self.pool.start(_Task(number, job, self.relay, wants_progress=False))
        return number

    def run_with_progress(
        self,
        job: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None,
        on_progress: Progress,
    ) -> int:
        """Start `job(progress)`; each progress(done, total) call reaches `on_progress`."""
        number = next(self._numbers)
        self._callbacks[number] = (on_done, on_error)
        self._progress[number] = on_progress
        self.pool.start(_Task(number, job, self.relay, wants_progress=True))
        return number

    def busy(self) -> bool:
        """Whether a task is still running or waiting for its result to be delivered."""
        return bool(self._callbacks)

    def wait(self) -> None:
        """Block until every started task has finished (before the store is closed)."""
        self.pool.waitForDone()

    @Slot(int, object)
    def _done(self, number: int, result: object) -> None:
        self._progress.pop(number, None)
        callbacks = self._callbacks.pop(number, None)
        if callbacks is not None:
            callbacks[0](result)

    @Slot(int, str)
    def _failed(self, number: int, message: str) -> None:
        self._progress.pop(number, None)
        callbacks = self._callbacks.pop(number, None)
        if callbacks is not None and callbacks[1] is not None:
            callbacks[1](message)

    @Slot(int, int, int)
    def _on_progress(self, number: int, done: int, total: int) -> None:
        callback = self._progress.get(number)
        if callback is not None:
            callback(done, total)
