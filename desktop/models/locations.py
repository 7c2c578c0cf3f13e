"""The home screen's tables: locations with their latest figures, assignments, drafts."""

from __future__ import annotations

from desktop.models.table import Column, RowTableModel
from forms.scoring.metrics import LOW_SAMPLE_THRESHOLD
from forms.vocabulary import SubmissionStatus
from reports.queries.screens import (
    HOME_WINDOW_DAYS,
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
    marker = " *" if n < LOW_SAMPLE_THRESHOLD else ""
    return f"{value:+.0f}{marker}" if signed else f"{value:.1f}{marker}"


def _low_sample(n: int, what: str) -> str | None:
    if n < LOW_SAMPLE_THRESHOLD:
        return f"Fewer than {LOW_SAMPLE_THRESHOLD} {what}: read this figure with care."
    return None


def _last_visit(row: LocationOverview) -> str:
    return row.last_visit.date().isoformat() if row.last_visit else "never"


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
            or f"Mean Empathy Index of the mystery-shop visits of the last {HOME_WINDOW_DAYS} days."
        ),
    ),
    Column(
        "Score",
        lambda r: _figure(r.score, r.visits),
        lambda r: _MISSING if r.score is None else r.score,
        numeric=True,
        tooltip=lambda r: (
            _low_sample(r.visits, "visits")
            or f"Mean score of the mystery-shop visits of the last {HOME_WINDOW_DAYS} days."
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
            f"Score {TREND_WORDS[r.trend]} against the {HOME_WINDOW_DAYS} days before"
            if r.trend
            else "Not enough visits to show a trend."
        ),
        spoken=lambda r: TREND_WORDS.get(r.trend or "", "no trend"),
    ),
    Column("Visits", lambda r: str(r.visits), lambda r: r.visits, numeric=True),
    Column("Last visit", _last_visit, lambda r: _last_visit(r)),
]


class LocationTableModel(RowTableModel[LocationOverview]):
    """Locations with Empathy Index, score, NPS, trend and visits; sortable by each column."""

    def __init__(self, rows: list[LocationOverview] | None = None) -> None:
        super().__init__(LOCATION_COLUMNS, rows or [])


ASSIGNMENT_COLUMNS: list[Column[AssignmentRow]] = [
    Column(
        "Due",
        lambda r: r.due_date.isoformat() if r.due_date else "any time",
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


DRAFT_COLUMNS: list[Column[DraftRow]] = [
    Column(
        "Started",
        lambda r: r.started_at.strftime("%Y-%m-%d %H:%M"),
        lambda r: r.started_at.isoformat(),
    ),
    Column("Form", lambda r: r.form_title),
    Column("Location", lambda r: r.location_name),
    Column("Agent", lambda r: r.agent_name),
    Column(
        "Answers", lambda r: str(r.contents.answers), lambda r: r.contents.answers, numeric=True
    ),
    Column(
        "Status",
        lambda r: SubmissionStatus(r.status).label,
        tooltip=lambda r: r.review_note or None,
    ),
]


class DraftTableModel(RowTableModel[DraftRow]):
    """Evaluations to resume."""

    def __init__(self) -> None:
        super().__init__(DRAFT_COLUMNS)
