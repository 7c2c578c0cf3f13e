"""The one child process that writes PDFs, for the app, the command line and `report all`.

Importing WeasyPrint takes most of a second and laying out a long report keeps a core busy,
so PDFs are always written in a child process: it imports WeasyPrint while the caller reads
the data, keeps a slow or stuck render away from the caller (REPORT_TIME_LIMIT), reports
progress page by page, and can be stopped at once (the app's Cancel).

A child takes orders over a pipe, one at a time:
- `HtmlOrder`: HTML the caller already built (the command line builds it while the child
  loads WeasyPrint);
- `ReportOrder`: a report to read from a database and write (the app, `report all`); the
  child keeps the form catalogue and settings of its database between orders.

For each order the child sends `("page", done, total)` as pages are laid out, then one of
`("done", pages, "")`, `("failed", 0, message)` (the report cannot be made from what was
asked: a RapportError) or `("error", 0, traceback)` (anything unexpected). Every PDF is
written atomically: a reader never sees half a file, and a stopped child leaves none.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import signal
import sys
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from forms.errors import ExplainedFailureError
from forms.files import temporary_files
from reports.render import ProgressCallback, ReportError

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext

    ProcessContext = ForkContext | ForkServerContext | SpawnContext

    from reports.kit import ReportKit

REPORT_TIME_LIMIT = 180.0
"""Seconds one report may take in its child before it is stopped as stuck: well above the
slowest report measured on 150,000 visits, short enough for a manager waiting at a screen.
The limit is for the whole report (from the order to its last page), not for each page."""


class ReportTimeLimitError(ExplainedFailureError):
    """A report ran past the time limit and was stopped. Not bad input: the same request
    can succeed on a less busy computer or over a shorter period (exit 1, not 2)."""


def time_limit_message(what: str, limit: float) -> str:
    """What took too long and what the user can try."""
    return (
        f"{what} took more than {limit:.0f} seconds and was stopped; nothing was written. "
        "Try a shorter period (--from and --to), close other programs that keep the computer "
        "busy, and run it again"
    )


PRELOAD = ["weasyprint", "reports.writer", "forms.storage"]
"""What a fork server imports once, so each child it starts has them loaded."""

MessageKind = Literal["page", "done", "failed", "error"]


@dataclass(frozen=True)
class HtmlOrder:
    """Lay out HTML already built and write it as a PDF to `target`."""

    html: str
    target: str


@dataclass(frozen=True)
class ReportOrder:
    """Which report to write, from which database, to which file (all picklable)."""

    database_url: str
    kind: str
    subject: str
    start: date | None
    end: date | None
    target: str
    locale: str | None = None
    with_contacts: bool = False
    """The location report prints the customers' e-mail addresses (`ReportRequest`)."""


@dataclass(frozen=True)
class ChildMessage:
    """One message from the child: a page laid out, or how an order ended."""

    kind: MessageKind
    number: int = 0
    """Pages laid out ("page"), or pages written ("done")."""
    detail: str = ""
    """Pages known so far ("page", as text), the message ("failed") or traceback ("error")."""


Order = HtmlOrder | ReportOrder


class KitCache:
    """The child's open database and report kit, kept between orders for one database."""

    def __init__(self) -> None:
        self.key: tuple[str, str | None] | None = None
        self.kit: ReportKit | None = None

    def kit_for(self, order: ReportOrder) -> ReportKit:
        from forms.storage import Store
        from reports.kit import ReportKit

        key = (order.database_url, order.locale)
        if self.kit is None or self.key != key:
            self.close()
            store = Store.open(order.database_url, create=False)
            self.kit, self.key = ReportKit.load(store, locale=order.locale), key
        return self.kit

    def close(self) -> None:
        if self.kit is not None:
            self.kit.store.close()
        self.kit, self.key = None, None


def _write(order: Order, kits: KitCache, progress: ProgressCallback, tag: str) -> int:
    from forms.files import atomic_output
    from reports.render import html_to_pdf

    if isinstance(order, HtmlOrder):
        html = order.html
    else:
        from reports.queries.common import Period
        from reports.writer import ReportRequest, report_html

        request = ReportRequest(
            kind=order.kind,  # type: ignore[arg-type]  # report_html refuses unknown kinds
            subject=order.subject,
            period=Period(order.start, order.end),
            with_contacts=order.with_contacts,
        )
        html = report_html(kits.kit_for(order), request)
    with atomic_output(Path(order.target), tag=tag) as temporary:
        return html_to_pdf(html, temporary, progress=progress)


def carry_out(order: Order, kits: KitCache, send: Any, tag: str = "") -> None:
    """Write one order's PDF and send how it went (also used in-process, without a child);
    `tag` names its temporary file."""
    from forms.errors import RapportError

    try:
        pages = _write(order, kits, lambda done, total: send(("page", done, str(total))), tag)
    except RapportError as error:
        send(("failed", 0, str(error)))
    except Exception:
        send(("error", 0, traceback.format_exc()))
    else:
        send(("done", pages, ""))


def _stop_on_terminate(_signal: int, _frame: Any) -> None:
    # Unwinds like an exception, so the half-written temporary PDF is removed.
    sys.exit(1)


def _serve(connection: Any) -> None:
    """The child's whole life: load WeasyPrint, then carry out orders until told to stop."""
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    from reports.render import warm_up

    try:
        warm_up()  # while the parent reads the data and builds the HTML
    except Exception:  # e.g. a system library missing: every order is told why
        broken = traceback.format_exc()
        while (sent := _next_order(connection)) is not None:
            connection.send(("error", 0, f"the PDF writer could not start:\n{broken}"))
        return
    kits = KitCache()
    try:
        while (sent := _next_order(connection)) is not None:
            order, tag = sent
            carry_out(order, kits, connection.send, tag)
    finally:
        kits.close()


def _next_order(connection: Any) -> tuple[Order, str] | None:
    """The next order and its tag; None when told to stop or when the parent is gone."""
    try:
        sent: tuple[Order, str] | None = connection.recv()
    except (EOFError, OSError):
        return None
    return sent


def fork_context() -> ProcessContext | None:
    """Children for the command line: forked (starts in milliseconds with this process's
    modules loaded); None where processes cannot be forked (the PDF is then written here)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def clean_context() -> ProcessContext:
    """Children for the app: from a fork server that has WeasyPrint loaded (fast, and never a
    copy of a process with Qt and its threads), spawned where there is none."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


class PdfProcess:
    """One child that writes PDFs; started at construction (`context` None: no child, each
    order is carried out in this process)."""

    def __init__(self, context: ProcessContext | None = None) -> None:
        self._process: Any = None
        self._connection: Any = None
        self._inline: list[ChildMessage] = []
        self._kits = KitCache()
        self._unfinished: tuple[Path, str] | None = None
        """The target and tag of the order being written (its temporary file is removed
        if the child is stopped)."""
        self.ordered = False
        if context is None:
            return
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end,), daemon=True)
        self._process.start()
        child_end.close()

    @property
    def connection(self) -> Any:
        """The pipe from the child (for `multiprocessing.connection.wait`); None in-process."""
        return self._connection

    def send(self, order: Order) -> None:
        """Hand the child an order; its messages then come from `receive`."""
        self.ordered = True
        if self._connection is None:
            carry_out(order, self._kits, lambda message: self._inline.append(_message(message)))
            return
        tag = uuid.uuid4().hex[:12]
        self._unfinished = (Path(order.target), tag)
        try:
            self._connection.send((order, tag))
        except OSError:  # the child died (out of memory, killed): say so, do not crash
            raise ReportError("the PDF writer stopped before it could take the report") from None

    def receive(self, timeout: float) -> ChildMessage | None:
        """The child's next message, or None if none came within `timeout` seconds.
        ReportError if the child ended without finishing the order."""
        if self._connection is None:
            return self._inline.pop(0) if self._inline else None
        try:
            if not self._connection.poll(timeout):
                return None
            message = _message(self._connection.recv())
        except (EOFError, OSError):
            raise ReportError("the PDF writer stopped without finishing the report") from None
        if message.kind != "page":
            self._unfinished = None
        return message

    def run(
        self,
        order: Order,
        *,
        progress: ProgressCallback | None = None,
        time_limit: float | None = None,
        what: str = "writing the PDF",
    ) -> int:
        """Carry out `order` and wait for it; returns the pages written. ReportError if the
        report cannot be made; ReportTimeLimitError, naming `what`, if the whole report takes
        longer than `time_limit` seconds (default REPORT_TIME_LIMIT)."""
        limit = REPORT_TIME_LIMIT if time_limit is None else time_limit
        self.send(order)
        deadline = time.monotonic() + limit
        while True:
            message = self.receive(max(0.0, deadline - time.monotonic()))
            if message is None:
                self.close()
                raise ReportTimeLimitError(time_limit_message(what, limit))
            if message.kind == "page":
                if progress is not None:
                    progress(message.number, int(message.detail))
                continue
            return pages_written(message)

    def close(self) -> None:
        """Stop the child: at once if it has had no order or is still working on one."""
        self._kits.close()
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError, ValueError):
            self._connection.send(None)
        # Finished: it exits at once on None. Working on an order (a cancel, a time-out) or
        # never given one: stopped now, not waited for.
        process.join(0.5 if self.ordered and self._unfinished is None else 0)
        if process.is_alive():
            process.terminate()  # unwinds in the child, removing its temporary file
            process.join(2)
        if process.is_alive():
            process.kill()
            process.join()
        self._connection.close()
        if self._unfinished is not None:
            # Stopped mid-report: a child killed outright could not remove its temporary file.
            for leftover in temporary_files(*self._unfinished):
                leftover.unlink(missing_ok=True)
            self._unfinished = None


def pages_written(message: ChildMessage) -> int:
    """The pages of a finished order; ReportError for a refusal, RuntimeError (with the
    child's traceback) for an unexpected failure."""
    if message.kind == "done":
        return message.number
    if message.kind == "failed":
        raise ReportError(message.detail)
    raise RuntimeError(f"writing the PDF failed in the child process:\n{message.detail}")


def _message(raw: tuple[str, int, str]) -> ChildMessage:
    kind, number, detail = raw
    return ChildMessage(kind, int(number), str(detail))  # type: ignore[arg-type]
