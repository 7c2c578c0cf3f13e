"""What runs in the child process that writes a report: no Qt here, so the child never
loads it. The child opens the database itself, writes the PDF and reports each page laid
out (WeasyPrint's `weasyprint.progress` log) back through a pipe.

Messages sent: ("page", done, total), then ("done", pages, "") or ("failed", 0, message)
for a RapportError, or ("error", 0, traceback) for anything unexpected.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

PRELOAD = ["weasyprint", "reports.writer", "forms.store"]
"""Imported once by the fork server, so each report's child starts with them loaded."""


@dataclass(frozen=True)
class ReportOrder:
    """Which report to write, from which database, to which file (all picklable)."""

    database_url: str
    kind: str
    subject: str
    start: date | None
    end: date | None
    target: str


def write_in_child(order: ReportOrder, connection: Any) -> None:
    """The child's whole life: write one report, say how it went, exit."""
    from forms.errors import RapportError
    from forms.store import Store
    from reports.queries.common import Period
    from reports.writer import ReportRequest, write_report

    store = None
    try:
        store = Store.open(order.database_url, create=False)
        request = ReportRequest(
            kind=order.kind,  # type: ignore[arg-type]
            subject=order.subject,
            period=Period(order.start, order.end),
        )
        pages = write_report(
            store,
            request,
            pdf=Path(order.target),
            progress=lambda done, total: connection.send(("page", done, total)),
        )
        connection.send(("done", pages, ""))
    except RapportError as error:
        connection.send(("failed", 0, str(error)))
    except Exception:
        connection.send(("error", 0, traceback.format_exc()))
    finally:
        if store is not None:
            store.close()
        connection.close()
