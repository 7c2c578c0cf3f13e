"""One entry point for every report: find the subject, build the HTML, write HTML or PDF.

The app's screens, the command line and `rapport report all` all come through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from forms.period import current_day
from reports.queries.common import Period, find_agent, find_location, find_submission
from reports.render import ProgressCallback, ReportError

if TYPE_CHECKING:
    from forms.storage import Store
    from reports.kit import ReportKit

ReportKind = Literal["location", "agent", "portfolio", "visit"]
REPORT_KINDS: tuple[ReportKind, ...] = ("location", "agent", "portfolio", "visit")


@dataclass(frozen=True)
class ReportRequest:
    """Which report to make: its kind, its subject (name, code or id) and its period."""

    kind: ReportKind
    subject: str = ""
    """Location or agent name or code, or visit id (or its first characters); unused for
    the portfolio."""
    period: Period = field(default_factory=Period)
    today: date | None = None
    """The day the portfolio's default period ends on (default: today)."""
    with_contacts: bool = False
    """Print the customers' e-mail addresses on the location report's callback list (for the
    company's own use: a default report carries none, as it may be handed to the client)."""


def report_html(kit: ReportKit, request: ReportRequest) -> str:
    """The self-contained HTML of the requested report; ReportError if its subject is unknown."""
    store = kit.store
    if request.kind == "location":
        from reports.location import location_report_html

        return location_report_html(
            kit,
            find_location(store, request.subject),
            request.period,
            with_contacts=request.with_contacts,
        )
    if request.kind == "agent":
        from reports.agent import agent_report_html

        return agent_report_html(kit, find_agent(store, request.subject), request.period)
    if request.kind == "portfolio":
        from reports.portfolio import portfolio_report_html

        return portfolio_report_html(kit, request.period, today=request.today or current_day())
    if request.kind == "visit":
        from reports.visit import visit_report_html

        return visit_report_html(kit, find_submission(store, request.subject))
    raise ReportError(
        f"'{request.kind}' is not a kind of report: use one of {', '.join(REPORT_KINDS)}"
    )


def write_report(
    store: Store,
    request: ReportRequest,
    *,
    pdf: Path | None = None,
    html: Path | None = None,
    progress: ProgressCallback | None = None,
    kit: ReportKit | None = None,
    locale: str | None = None,
) -> int:
    """Write the report as PDF and/or as the exact HTML given to WeasyPrint; returns pages
    written to the PDF (0 when only HTML was asked for)."""
    from reports.kit import ReportKit
    from reports.render import html_to_pdf

    kit = kit or ReportKit.load(store, locale=locale)
    document = report_html(kit, request)
    if html is not None:
        html.write_text(document, encoding="utf-8")
    if pdf is None:
        return 0
    return html_to_pdf(document, pdf, progress=progress)
