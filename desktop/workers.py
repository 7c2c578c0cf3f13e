"""Work that must not freeze the window: database reads and imports in threads, PDF reports
in a child process. Results and progress always arrive on the GUI thread, through signals.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

import desktop.pyside_fix  # noqa: F401 - before Qt is used
from desktop.errorlog import log_unexpected
from forms.errors import RapportError
from reports.pdf_process import REPORT_TIME_LIMIT, PdfProcess, ReportOrder, clean_context

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


class ReportJob(QObject):
    """Writes one report in a child process (reports.pdf_process), with a time limit and a
    cancel.

    The GUI thread only polls the pipe (every POLL_MS), so the window keeps responding
    while WeasyPrint works: in a thread, the GIL stalled the window up to 253 ms.
    """

    progress = Signal(int, int)
    """(pages laid out, pages known so far; 0 while not known)."""
    finished = Signal(str, int)
    """(path of the PDF written, number of pages)."""
    failed = Signal(str)
    cancelled = Signal()

    POLL_MS = 40

    def __init__(
        self,
        order: ReportOrder,
        *,
        time_limit_s: float = REPORT_TIME_LIMIT,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.order = order
        self.time_limit_s = time_limit_s
        self._child: PdfProcess | None = None
        self._working = False
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._clock = QElapsedTimer()
        self._launched = threading.Event()
        self._abandoned = threading.Event()
        self._launch_error = ""

    def start(self) -> None:
        """Start the child process (from a thread: the first start waits for the fork
        server to load WeasyPrint, which must not hold the window up)."""
        launched, abandoned = threading.Event(), threading.Event()
        self._launched, self._abandoned = launched, abandoned

        def launch() -> None:
            child = None
            try:
                child = PdfProcess(clean_context())
                child.send(self.order)
            except Exception as error:
                log_unexpected("starting the report process")
                self._launch_error = f"The report process could not start ({error}); it was logged."
            self._child = child
            launched.set()
            if abandoned.is_set() and child is not None:
                child.close()  # cancelled while starting: stop it here, off the GUI thread

        self._working = True
        threading.Thread(target=launch, name="report-launch", daemon=True).start()
        self._clock.start()
        self._timer.start()

    def running(self) -> bool:
        """Whether the child is still working."""
        return self._working

    def cancel(self) -> None:
        """Stop the report now; nothing is kept."""
        if not self._working:
            return
        self._stop()
        self.cancelled.emit()

    def _stop(self) -> None:
        self._timer.stop()
        self._working = False
        self._abandoned.set()
        if self._launched.is_set() and self._child is not None:
            # Off the GUI thread: a child busy in WeasyPrint's C code may take a moment to
            # stop, and the window must not wait for it. Closing removes its temporary file.
            threading.Thread(target=self._child.close, name="report-stop", daemon=True).start()
        self._child = None

    def _poll(self) -> None:
        if not self._working or not self._launched.is_set():
            return
        if self._launch_error or self._child is None:
            self._stop()
            self.failed.emit(self._launch_error)
            return
        try:
            while (message := self._child.receive(0)) is not None:
                if message.kind == "page":
                    self.progress.emit(message.number, int(message.detail))
                    continue
                self._stop()
                if message.kind == "done":
                    self.finished.emit(self.order.target, message.number)
                elif message.kind == "failed":
                    self.failed.emit(message.detail)
                else:
                    _log_child_error(message.detail)
                    self.failed.emit(
                        "An unexpected problem stopped the report; the details were logged."
                    )
                return
        except RapportError:
            self._stop()
            self.failed.emit("The report process stopped without finishing the report.")
            return
        if self._clock.elapsed() > self.time_limit_s * 1000:
            self._stop()
            self.failed.emit(
                f"The report took longer than {self.time_limit_s:.0f} seconds and was stopped."
            )


def _log_child_error(trace: str) -> None:
    try:
        raise RuntimeError(f"the report process failed:\n{trace}")
    except RuntimeError:
        log_unexpected("report process")


def warm_up_report_processes() -> None:
    """Start the fork server now (it loads WeasyPrint in its own process), so the first
    report starts at once. Safe to call more than once."""
    context = clean_context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        threading.Thread(target=forkserver.ensure_running, daemon=True).start()
