"""Aggregation queries shared by the app's screens and the PDF reports.

Every figure is computed in SQL (SQLAlchemy Core) over the submissions that count, never
by loading every answer into Python. Results are plain frozen dataclasses. The modules
are split by topic: scores, behaviours, customers, pulse, visits, locations.

Names are imported from their modules when first used: `from reports.queries import Period`
(a command parsing its dates) must not load the database library, which a report command
loads at the same time as its PDF renderer loads WeasyPrint.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from forms.period import Period

if TYPE_CHECKING:
    from reports.queries.common import (
        COUNTED_STATUSES,
        LOW_SAMPLE,
        AgentRef,
        LocationRef,
        Scope,
        find_agent,
        find_location,
        find_submission,
    )
    from reports.queries.locations import (
        AgentChoice,
        LocationRow,
        LocationSummary,
        ReportSubject,
        active_agents,
        location_rows,
        location_summary,
        report_subjects,
    )

_HOME = {
    **dict.fromkeys(
        (
            "COUNTED_STATUSES",
            "LOW_SAMPLE",
            "AgentRef",
            "LocationRef",
            "Scope",
            "find_agent",
            "find_location",
            "find_submission",
        ),
        "reports.queries.common",
    ),
    **dict.fromkeys(
        (
            "AgentChoice",
            "LocationRow",
            "LocationSummary",
            "ReportSubject",
            "active_agents",
            "location_rows",
            "location_summary",
            "report_subjects",
        ),
        "reports.queries.locations",
    ),
}


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "COUNTED_STATUSES",
    "LOW_SAMPLE",
    "AgentChoice",
    "AgentRef",
    "LocationRef",
    "LocationRow",
    "LocationSummary",
    "Period",
    "ReportSubject",
    "Scope",
    "active_agents",
    "find_agent",
    "find_location",
    "find_submission",
    "location_rows",
    "location_summary",
    "report_subjects",
]
