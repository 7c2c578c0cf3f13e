"""The portfolio report: every location ranked, movers, empathy against NPS, employee pulse."""

from __future__ import annotations

from datetime import date
from typing import Any

from forms.anonymity import ANONYMITY_THRESHOLD, HIDDEN_GROUP_NOTE
from reports import method
from reports.charts import Point, scatter_chart
from reports.context import (
    base_context,
    change_text,
    metric_tile,
    n_text,
    period_text,
    sample_row,
    score_text,
    tile,
)
from reports.formatting import MISSING
from reports.kit import ReportKit
from reports.queries.common import LOW_SAMPLE, LOW_SAMPLE_MARK, Period, Scope, low_sample
from reports.queries.customers import customer_metrics, customer_metrics_by_location
from reports.queries.pulse import PulseSignal, pulse_responses, pulse_signals
from reports.queries.scores import (
    EMPTY_SUMMARY,
    latest_activity,
    location_names,
    location_ranking,
    newest_form_version,
    score_summary,
    scores_by_location,
)

MOVERS = 3


def _signal_text(kit: ReportKit, signal: PulseSignal | None) -> dict[str, Any]:
    """A signal's share and n, or the note that hides it: a group without a signal had
    fewer than five respondents too (none), and reads the same, so that the report never
    tells one employee's answer apart from nobody's."""
    if signal is None or signal.respondents is None:
        return {"hidden": True}
    return {
        "hidden": False,
        "value": kit.fmt.percent(signal.favourable),
        "n": kit.fmt.count(signal.respondents),
    }


def _pulse_row(
    kit: ReportKit, name: str, empathy: dict[str, Any], signals: dict[str, PulseSignal]
) -> dict[str, Any]:
    workload = _signal_text(kit, signals.get("workload"))
    burnout = _signal_text(kit, signals.get("burnout"))
    return {
        "name": name,
        "empathy": empathy,
        "workload": workload,
        "burnout": burnout,
        "hidden": workload["hidden"] and burnout["hidden"],
    }


def _may_move(row: dict[str, Any]) -> bool:
    """Whether a location has enough visits in both periods to be ranked as a mover: a
    change over a low sample is mostly chance."""
    return bool(row["now_visits"] >= LOW_SAMPLE and row["before_visits"] >= LOW_SAMPLE)


def movers(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The locations that rose and fell most (at most MOVERS each), by `delta`: the change
    as printed, so that a location whose printed averages are equal is no mover."""
    moved = [row for row in rows if row["delta"] is not None and _may_move(row)]
    up = sorted((r for r in moved if r["delta"] > 0), key=lambda r: -r["delta"])[:MOVERS]
    down = sorted((r for r in moved if r["delta"] < 0), key=lambda r: r["delta"])[:MOVERS]
    return up, down


def portfolio_context(kit: ReportKit, period: Period, *, today: date) -> dict[str, Any]:
    """The plain values portfolio.html (or empty.html) receives."""
    fmt, store, catalogue = kit.fmt, kit.store, kit.catalogue
    period = period.or_recent(today)
    previous = period.previous()
    assert previous is not None
    scope = Scope(period, kit.settings.counted_statuses)
    before_scope = scope.widen(period=previous)
    total = score_summary(store, scope)
    metrics = customer_metrics(store, scope, catalogue)
    context = base_context(
        kit.settings,
        fmt,
        kind="portfolio",
        title="Portfolio report",
        period=period,
        kicker="Portfolio report",
        heading="All locations",
        lines=[
            f"Period: {period_text(period, fmt)}",
            f"Compared with: {period_text(previous, fmt)}",
        ],
        now=kit.now,
    )
    if total.visits == 0 and metrics.surveys == 0:
        latest = latest_activity(store, scope)
        context["template"] = "empty.html"
        context["empty_message"] = (
            "No finished visits or customer surveys at any location in this period."
        )
        context["empty_hint"] = (
            f"The latest one is from {fmt.day(latest)}: choose a period that includes it."
            if latest is not None
            else "Nothing has been recorded yet: load the sample data or start a visit."
        )
        return context

    now_by_location = scores_by_location(store, scope)
    before_by_location = scores_by_location(store, before_scope)
    nps_by_location = customer_metrics_by_location(store, scope, catalogue)
    signals = pulse_signals(store, scope, catalogue)
    names = location_names(store)
    form_id = newest_form_version(store, scope)
    form = store.form_definition(form_id) if form_id is not None else None

    rows: list[dict[str, Any]] = []
    for location_id in location_ranking(now_by_location, names):
        code, name = names[location_id]
        now = now_by_location.get(location_id, EMPTY_SUMMARY)
        before = before_by_location.get(location_id, EMPTY_SUMMARY)
        nps = nps_by_location.get(location_id)
        change, direction = change_text(now.average_score, before.average_score, fmt)
        # Movers are ranked on the change as printed, so a printed +0.0 is never a riser.
        delta = fmt.difference(now.average_score, before.average_score)
        rows.append(
            {
                "code": code,
                "name": name,
                "score_value": now.average_score,
                "empathy_value": now.average_empathy,
                "nps_value": nps.nps.value if nps else None,
                "delta": delta,
                "visits": fmt.count(now.visits),
                "score": score_text(now.average_score, fmt),
                "before": score_text(before.average_score, fmt),
                "empathy": score_text(now.average_empathy, fmt),
                "empathy_low": low_sample(now.empathy_visits),
                "before_visits": before.visits,
                "now_visits": now.visits,
                "nps": fmt.signed(nps.nps.value) if nps else MISSING,
                "nps_n": fmt.count(nps.nps.n) if nps else "0",
                "nps_low": low_sample(nps.nps.n) if nps else False,
                "change": change,
                # A change over a low sample in either period is marked as its figures are.
                "change_low": low_sample(now.visits) or low_sample(before.visits),
                "direction": direction,
                "band": (
                    form.band_for(now.average_score)
                    if form and now.average_score is not None
                    else None
                )
                or MISSING,
                "low": low_sample(now.visits),
                "pulse": _pulse_row(
                    kit,
                    name,
                    {
                        "value": score_text(now.average_empathy, fmt),
                        "low": low_sample(now.empathy_visits),
                    },
                    signals.by_location.get(location_id, {}),
                ),
            }
        )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = str(rank) if row["score_value"] is not None else MISSING
    up, down = movers(rows)
    none_may_move = (
        ""
        if any(_may_move(row) for row in rows)
        else f"No location had {LOW_SAMPLE} visits in both periods: too few to rank a mover."
    )
    points = [
        Point(
            f"{row['code']} {LOW_SAMPLE_MARK}"
            if row["empathy_low"] or row["nps_low"]
            else row["code"],
            row["empathy_value"],
            row["nps_value"],
        )
        for row in rows
        if row["empathy_value"] is not None and row["nps_value"] is not None
    ]
    scatter = None
    if points:
        scatter = {
            "src": scatter_chart(
                points,
                primary=kit.settings.brand_colour,
                x_title="Empathy Index (mystery shops)",
                y_title="NPS (customer surveys)",
                x_range=(0, 100),
                y_range=(-100, 100),
            ),
            "alt": "Empathy Index against NPS, one labelled point per location",
            "caption": (
                f"n = {fmt.counted(len(points), 'location')} with both figures; each point is a "
                "location, labelled with its code. Visits and NPS answers per location are in "
                "the ranking table."
                + (
                    f" {LOW_SAMPLE_MARK} after a code: its Empathy Index or NPS is over fewer "
                    f"than {LOW_SAMPLE} responses, a low sample."
                    if any(point.label.endswith(LOW_SAMPLE_MARK) for point in points)
                    else ""
                )
            ),
        }
    pulse_respondents = pulse_responses(store, scope)
    context.update(
        template="portfolio.html",
        kpi_tiles=[
            tile(
                "Locations",
                fmt.count(len(now_by_location)),
                f"with visits, of {fmt.count(len(names))}",
            ),
            tile(
                "Average score",
                score_text(total.average_score, fmt),
                n_text(total.visits, fmt, "visit"),
                low=total.low_sample,
                sub=(
                    form.band_for(total.average_score)
                    if form and total.average_score is not None
                    else ""
                )
                or "",
            ),
            tile(
                "Empathy Index",
                score_text(total.average_empathy, fmt),
                n_text(total.empathy_visits, fmt, "visit"),
                low=low_sample(total.empathy_visits),
            ),
            metric_tile("NPS", metrics.nps, fmt),
            metric_tile("CSAT", metrics.csat, fmt),
            metric_tile("CES", metrics.ces, fmt),
        ],
        rows=rows,
        pulse_rows=[row["pulse"] for row in rows],
        pulse_everywhere=_pulse_row(
            kit,
            "All locations",
            {
                "value": score_text(total.average_empathy, fmt),
                "low": low_sample(total.empathy_visits),
            },
            signals.everywhere,
        ),
        hidden_note=HIDDEN_GROUP_NOTE,
        anonymity_threshold=fmt.count(ANONYMITY_THRESHOLD),
        movers_up=up,
        movers_down=down,
        none_may_move=none_may_move,
        no_rise=f"No location with at least {LOW_SAMPLE} visits in both periods rose.",
        no_fall=f"No location with at least {LOW_SAMPLE} visits in both periods fell.",
        scatter=scatter,
        previous_text=period_text(previous, fmt),
        method={
            "intro": [
                f"This report covers {fmt.counted(total.visits, 'mystery-shop visit')}, "
                f"{fmt.counted(metrics.surveys, 'customer survey')} and "
                f"{fmt.counted(pulse_respondents, 'employee-pulse response')} at "
                f"{fmt.counted(len(names), 'location')}, {period_text(period, fmt)}, compared with "
                f"{period_text(previous, fmt)} (the period of the same length just before)."
            ],
            "entries": [
                method.counted_visits(kit.settings, fmt),
                method.visit_score(),
                method.empathy_index(method.empathy_questions(kit.catalogue)),
                method.band(form),
                *method.customer_metrics(method.metric_questions(kit.catalogue)),
                method.difference(),
                method.item(
                    "Ranking and movers",
                    "Locations are ranked by average score, highest first; locations without "
                    "a visit in the period are listed last. Change is the average score minus "
                    "the average score of the previous period, both as printed; movers are the "
                    f"locations with the {MOVERS} largest rises and falls among those with at "
                    f"least {LOW_SAMPLE} visits in both periods (a change over fewer is mostly "
                    "chance, so such a location is not ranked as a mover).",
                ),
                method.pulse(method.pulse_questions(kit.catalogue)),
                method.pulse_anonymity(),
                method.low_sample(),
            ],
            "samples": [
                sample_row("Average score", total.visits, "mystery-shop visits", fmt),
                sample_row("NPS", metrics.nps.n, "valid 0–10 answers", fmt),
                sample_row("CSAT", metrics.csat.n, "valid 1–5 answers", fmt),
                sample_row("CES", metrics.ces.n, "valid 1–7 answers", fmt),
                sample_row("Employee pulse", pulse_respondents, "pulse responses", fmt),
            ],
        },
    )
    return context


def portfolio_report_html(kit: ReportKit, period: Period, *, today: date) -> str:
    """The self-contained HTML of the portfolio report."""
    from reports.render import render_html

    context = portfolio_context(kit, period, today=today)
    return render_html(context["template"], context)
