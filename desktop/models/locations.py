"""The home screen's tables: locations with their latest figures, assignments, drafts."""

from __future__ import annotations

from desktop.models.table import Column, RowTableModel
from desktop.views.dates import date_text, datetime_text
from forms.period import day_of
from forms.scoring.metrics import LOW_SAMPLE_MARK, LOW_SAMPLE_THRESHOLD
from forms.vocabulary import SubmissionStatus
from reports.queries.common import low_sample
from reports.queries.screens import (
    AssignmentRow,
    DraftRow,
    LocationOverview,
)

NOTHING = "–"
_MISSING = -1_000.0
"""Sort key of a figure that was not measured: below every real value."""

TREND_ARROWS = {"up": "▲", "down": "▼", "flat": "▶"}
TREND_WORDS = {"up": "improving", "down": "falling", "flat": "steady"}


def _figure(value: float | None, n: int, *, signed: bool = False) -> str:
    if value is None:
        return NOTHING
    marker = f" {LOW_SAMPLE_MARK}" if low_sample(n) else ""
    return f"{value:+.0f}{marker}" if signed else f"{value:.1f}{marker}"


def _low_sample(n: int, what: str) -> str | None:
    if low_sample(n):
        return f"Fewer than {LOW_SAMPLE_THRESHOLD} {what}: read this figure with care."
    return None


def _last_visit(row: LocationOverview) -> str:
    # The day the periods count it on (UTC), so the visit is in a period ending that day.
    return date_text(day_of(row.last_visit)) if row.last_visit else "never"


LOCATION_COLUMNS: list[Column[LocationOverview]] = [
    Column("Location", lambda r: r.name if r.active else f"{r.name} (inactive)"),
    Column("City", lambda r: r.city),
    Column(
        "Empathy Index",
        lambda r: _figure(r.empathy_index, r.visits),
        lambda r: _MISSING if r.empathy_index is None else r.empathy_index,
        numeric=True,
        tooltip=lambda r: (
            _low_sample(r.visits, "visits")
            or "Mean Empathy Index of the mystery-shop visits of the period shown above."
        ),
    ),
    Column(
        "Average score",
        lambda r: _figure(r.score, r.visits),
        lambda r: _MISSING if r.score is None else r.score,
        numeric=True,
        tooltip=lambda r: (
            _low_sample(r.visits, "visits")
            or "Mean score of the mystery-shop visits of the period shown above."
        ),
    ),
    Column(
        "NPS",
        lambda r: _figure(r.nps, r.nps_n, signed=True),
        lambda r: _MISSING if r.nps is None else r.nps,
        numeric=True,
        tooltip=lambda r: (
            _low_sample(r.nps_n, "answers")
            or f"Net Promoter Score of {r.nps_n} customer answers (promoters minus detractors)."
        ),
    ),
    Column(
        "Trend",
        lambda r: TREND_ARROWS.get(r.trend or "", NOTHING),
        lambda r: {"down": 0, "flat": 1, "up": 2}.get(r.trend or "", -1),
        tooltip=lambda r: (
            f"Average score {TREND_WORDS[r.trend]} against as many days just before the period"
            if r.trend
            else "Not enough visits to show a trend."
        ),
        spoken=lambda r: TREND_WORDS.get(r.trend or "", "no trend"),
    ),
    Column("Visits", lambda r: str(r.visits), lambda r: r.visits, numeric=True),
    Column(
        "Last visit",
        _last_visit,
        lambda r: r.last_visit.isoformat() if r.last_visit else "",
    ),
]


class LocationTableModel(RowTableModel[LocationOverview]):
    """Locations with Empathy Index, score, NPS, trend and visits; sortable by each column."""

    def __init__(self, rows: list[LocationOverview] | None = None) -> None:
        super().__init__(LOCATION_COLUMNS, rows or [])


ASSIGNMENT_COLUMNS: list[Column[AssignmentRow]] = [
    Column(
        "Due",
        lambda r: date_text(r.due_date) if r.due_date else "any time",
        lambda r: r.due_date.isoformat() if r.due_date else "9999",
    ),
    Column("Location", lambda r: r.location_name),
    Column("Agent", lambda r: r.agent_name or "any"),
    Column("Form", lambda r: r.form_title),
    Column("Scenario brief", lambda r: r.scenario, tooltip=lambda r: r.scenario or None),
]


class AssignmentTableModel(RowTableModel[AssignmentRow]):
    """Visits a shopper is asked to make, with their scenario brief."""

    def __init__(self) -> None:
        super().__init__(ASSIGNMENT_COLUMNS)


def _where(row: DraftRow) -> str:
    return " · ".join(part for part in (row.location_name, row.agent_name) if part)


def _draft_status(row: DraftRow) -> str:
    label = SubmissionStatus(row.status).label
    return f"{label}: {row.review_note}" if row.review_note else label


DRAFT_COLUMNS: list[Column[DraftRow]] = [
    Column(
        "Started",
        # An anonymous answer is kept to its (UTC) day (forms.anonymity): no time to show.
        lambda r: date_text(
            r.started_at.date() if r.day_only else r.started_at.astimezone().date()
        ),
        lambda r: r.started_at.isoformat(),
        tooltip=lambda r: (
            f"Started {date_text(r.started_at.date())}"
            if r.day_only
            else f"Started {datetime_text(r.started_at)}"
        ),
    ),
    Column("Form", lambda r: r.form_title, tooltip=lambda r: r.form_title),
    Column("Where", _where, tooltip=lambda r: _where(r) or None),
    Column(
        "Answers", lambda r: str(r.contents.answers), lambda r: r.contents.answers, numeric=True
    ),
    Column(
        "Status",
        lambda r: SubmissionStatus(r.status).label,
        tooltip=_draft_status,
    ),
]


class DraftTableModel(RowTableModel[DraftRow]):
    """Evaluations to resume."""

    def __init__(self) -> None:
        super().__init__(DRAFT_COLUMNS)
