"""A child process that renders PDFs, started before the report's data is read.

Importing WeasyPrint takes most of a second. Started first, the child imports it on the
second core while the parent reads the data and builds the HTML; the parent then hands
the HTML over a pipe and the child lays it out and writes the PDF. The child also keeps
a slow or stuck render away from the caller (a time limit), and progress comes back
page by page. Where processes cannot be forked, the PDF is rendered in this process.

The child is forked, which suits the command line (one thread). A GUI process, whose
toolkit runs threads of its own, should start its PDF worker with `spawn` instead.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import traceback
from pathlib import Path
from typing import Any

from reports.render import ProgressCallback, ReportError

RENDER_TIME_LIMIT = 300.0


def _serve(connection: Any) -> None:
    from reports.render import html_to_pdf, warm_up

    # The point of starting early: import WeasyPrint and load the fonts while the parent
    # reads the data and builds the HTML.
    warm_up()

    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        html, target = message
        try:
            pages = html_to_pdf(
                html,
                Path(target),
                progress=lambda done, total: connection.send(("page", done, total)),
            )
            connection.send(("done", pages, ""))
        except Exception as error:  # reported to the parent, which raises it
            connection.send(
                ("failed", 0, f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
            )


class PdfProcess:
    """Renders HTML to PDF in a child process started at construction."""

    def __init__(self) -> None:
        self._process: Any = None
        self._connection: Any = None
        self._rendered = False
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end,), daemon=True)
        self._process.start()
        child_end.close()

    def render(
        self,
        html: str,
        target: Path,
        *,
        progress: ProgressCallback | None = None,
        time_limit: float = RENDER_TIME_LIMIT,
    ) -> int:
        """Write the PDF of `html` to `target`; returns the number of pages."""
        if self._process is None:
            from reports.render import html_to_pdf

            return html_to_pdf(html, target, progress=progress)
        self._rendered = True
        self._connection.send((html, str(target)))
        while True:
            if not self._connection.poll(time_limit):
                self.close()
                raise ReportError(
                    f"rendering the PDF took more than {time_limit:.0f} seconds and was stopped"
                )
            try:
                kind, number, detail = self._connection.recv()
            except EOFError:
                raise ReportError("the PDF renderer stopped unexpectedly") from None
            if kind == "page" and progress is not None:
                progress(number, int(detail))
            elif kind == "done":
                if progress is not None:
                    progress(number, number)
                return int(number)
            elif kind == "failed":
                raise RuntimeError(f"rendering the PDF failed in the child process: {detail}")

    def close(self) -> None:
        """Stop the child process."""
        if self._process is None:
            return
        if not self._rendered:
            # Nothing to finish (the report could not be made): do not wait for the import.
            self._process.kill()
        with contextlib.suppress(OSError, ValueError):
            self._connection.send(None)
        self._process.join(2)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._connection.close()
        self._process = None
