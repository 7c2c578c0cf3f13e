"""Aggregation queries shared by the app's screens and the PDF reports.

Every figure is computed in SQL (SQLAlchemy Core) over the submissions that count, never
by loading every answer into Python. Results are plain frozen dataclasses. The modules
are split by topic: scores, behaviours, customers, pulse, visits, locations.
"""

from reports.queries.common import (
    COUNTED_STATUSES,
    LOW_SAMPLE,
    AgentRef,
    LocationRef,
    Period,
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
