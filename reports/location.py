"""The location report: what one client site's visits and surveys say over a period."""

from __future__ import annotations

from typing import Any

from forms.definition.model import FormDefinition
from reports import method
from reports.charts import Series, comparison_bar_chart, trend_chart
from reports.context import (
    base_context,
    change_text,
    metric_tile,
    month_axis,
    month_key_of,
    n_text,
    period_text,
    photo_items,
    quote_items,
    sample_row,
    score_text,
    tile,
)
from reports.formatting import MISSING
from reports.kit import ReportKit
from reports.queries.behaviours import BehaviourScore, behaviour_scores
from reports.queries.catalogue import tag_order
from reports.queries.common import LOW_SAMPLE, LocationRef, Period, Scope
from reports.queries.customers import CustomerMetrics, customer_metrics, verbatims
from reports.queries.scores import (
    critical_failures,
    latest_activity,
    monthly_trend,
    newest_form_version,
    not_applicable_answers,
    score_summary,
    scores_by_agent,
    scores_by_location,
)
from reports.queries.visits import photos

CUSTOMER_QUOTES = 8
SHOPPER_QUOTES = 6
PHOTOS = 6


def _trend(kit: ReportKit, scope: Scope) -> dict[str, Any] | None:
    points = monthly_trend(kit.store, scope)
    months = month_axis(scope.period, [p.month for p in points])
    if not points or not months:
        return None
    by_month = {p.month: p for p in points}
    keys = [month_key_of(m) for m in months]
    scores = [by_month[k].average_score if k in by_month else None for k in keys]
    empathy = [by_month[k].average_empathy if k in by_month else None for k in keys]
    src = trend_chart(
        [kit.fmt.short_month(m) for m in months],
        [Series("Average score", scores), Series("Empathy Index", empathy)],
        primary=kit.settings.brand_colour,
        y_range=(0, 100),
    )
    counts = " · ".join(
        f"{kit.fmt.short_month(m)} {kit.fmt.count(by_month[k].visits if k in by_month else 0)}"
        for m, k in zip(months, keys, strict=True)
    )
    total = sum(p.visits for p in points)
    return {
        "src": src,
        "alt": "Average score and Empathy Index by month",
        "caption": f"n = {kit.fmt.count(total)} visits. Visits per month: {counts}.",
    }


def _behaviours(
    kit: ReportKit, here: dict[str, BehaviourScore], everywhere: dict[str, BehaviourScore]
) -> list[dict[str, Any]]:
    rows = []
    for tag in tag_order(kit.catalogue):
        mine = here.get(tag)
        if mine is None or mine.score is None:
            continue
        bench = everywhere.get(tag)
        bench_score = bench.score if bench is not None else None
        change, direction = change_text(mine.score, bench_score, kit.fmt)
        rows.append(
            {
                "tag": tag,
                "label": mine.label,
                "score": mine.score,
                "bench": bench_score,
                "score_text": score_text(mine.score, kit.fmt),
                "bench_text": score_text(bench_score, kit.fmt),
                "difference": change,
                "direction": direction,
                "visits": mine.visits,
                "n": kit.fmt.count(mine.visits),
                "low": mine.low_sample,
            }
        )
    return rows


def location_context(kit: ReportKit, location: LocationRef, period: Period) -> dict[str, Any]:
    """The plain values location.html (or empty.html when nothing was counted) receives."""
    fmt, store, catalogue = kit.fmt, kit.store, kit.catalogue
    scope = Scope(period, kit.settings.counted_statuses, location_id=location.id)
    summary = score_summary(store, scope)
    metrics = customer_metrics(store, scope, catalogue)
    context = base_context(
        kit.settings,
        fmt,
        kind="location",
        title=f"Location report: {location.name}",
        period=period,
        kicker="Location report",
        heading=location.name,
        lines=[location.city, f"Period: {period_text(period, fmt)}"],
        now=kit.now,
    )
    if summary.visits == 0 and metrics.surveys == 0:
        latest = latest_activity(store, scope)
        context["template"] = "empty.html"
        context["empty_message"] = (
            f"No finished visits or customer surveys at {location.name} in this period."
        )
        context["empty_hint"] = (
            f"The latest one is from {fmt.day(latest)}: choose a period that includes it."
            if latest is not None
            else "Nothing has been recorded for this location yet."
        )
        return context

    form_id = newest_form_version(store, scope)
    form = store.form_definition(form_id) if form_id is not None else None
    band = (
        form.band_for(summary.average_score) if form and summary.average_score is not None else None
    )
    all_sites = scope.widen(location_id=None)
    here = behaviour_scores(store, scope, catalogue)
    # The all-locations benchmark is the same for every location report of the period.
    everywhere = kit.shared(
        ("behaviours", all_sites), lambda: behaviour_scores(store, all_sites, catalogue)
    )
    behaviours = _behaviours(kit, here, everywhere)
    ranked = sorted(behaviours, key=lambda row: (-row["score"], row["label"]))
    site_count = kit.shared(
        ("locations with visits", all_sites), lambda: len(scores_by_location(store, all_sites))
    )
    all_visits = kit.shared(("summary", all_sites), lambda: score_summary(store, all_sites)).visits

    agents = []
    for rank, agent in enumerate(scores_by_agent(store, scope, location.id), start=1):
        average = agent.summary.average_score
        agents.append(
            {
                "rank": str(rank) if agent.summary.visits else MISSING,
                "name": agent.name,
                "visits": fmt.count(agent.summary.visits),
                "score": score_text(average, fmt),
                "empathy": score_text(agent.summary.average_empathy, fmt),
                "band": (form.band_for(average) if form and average is not None else None)
                or MISSING,
                "failures": fmt.count(agent.summary.critical_failures),
                "low": 0 < agent.summary.visits < LOW_SAMPLE,
            }
        )

    failures, failure_total = critical_failures(store, scope, catalogue)
    customer_quotes, customer_total = verbatims(
        store, scope, catalogue, "customer", limit=CUSTOMER_QUOTES
    )
    shopper_quotes, shopper_total = verbatims(
        store, scope, catalogue, "shopper", limit=SHOPPER_QUOTES
    )
    found_photos, photo_total = photos(store, scope, limit=PHOTOS)
    trend = _trend(kit, scope)
    bench_label = "All locations"
    behaviour_chart = None
    if behaviours:
        behaviour_chart = {
            "src": comparison_bar_chart(
                [row["label"] for row in behaviours],
                Series(location.name, [row["score"] for row in behaviours]),
                Series(bench_label, [row["bench"] for row in behaviours]),
                primary=kit.settings.brand_colour,
            ),
            "alt": f"Behaviour scores of {location.name} against all locations",
            "caption": (
                f"n = {fmt.count(summary.visits)} visits at this location (each behaviour "
                f"rated in {fmt.count(min(r['visits'] for r in behaviours))}–"
                f"{fmt.count(max(r['visits'] for r in behaviours))} of them) and "
                f"{fmt.count(all_visits)} visits at all {fmt.count(site_count)} locations "
                "(solid: this location; hatched: all locations)."
            ),
        }

    context.update(
        template="location.html",
        kpi_tiles=[
            tile(
                "Empathy Index",
                score_text(summary.average_empathy, fmt),
                n_text(summary.empathy_visits, fmt, "visits"),
                low=0 < summary.empathy_visits < LOW_SAMPLE,
            ),
            tile(
                "Overall score",
                score_text(summary.average_score, fmt),
                n_text(summary.visits, fmt, "visits"),
                low=0 < summary.visits < LOW_SAMPLE,
                sub=band or "",
            ),
            metric_tile("NPS", metrics.nps, fmt),
            metric_tile("CSAT", metrics.csat, fmt),
            metric_tile("CES", metrics.ces, fmt),
            tile(
                "Counted",
                f"{fmt.count(summary.visits)} / {fmt.count(metrics.surveys)}",
                "mystery-shop visits / customer surveys",
            ),
        ],
        trend=trend,
        behaviour_chart=behaviour_chart,
        top_behaviours=ranked[:3],
        bottom_behaviours=list(reversed(ranked[-3:])) if len(ranked) > 3 else [],
        agents=agents,
        failures=[
            {
                "date": fmt.day(f.visit_at),
                "agent": f.agent or MISSING,
                "failed": "; ".join(f.failed) or "a critical question",
                "raw": score_text(f.raw_score, fmt),
                "visit": f.submission_id[:8],
            }
            for f in failures
        ],
        failure_total=fmt.count(failure_total),
        failures_shown=len(failures),
        customer_quotes=quote_items(customer_quotes, fmt),
        customer_quote_total=fmt.count(customer_total),
        shopper_quotes=quote_items(shopper_quotes, fmt, with_agent=True),
        shopper_quote_total=fmt.count(shopper_total),
        photos=photo_items(found_photos, fmt, catalogue),
        photo_total=fmt.count(photo_total),
        method=_method(kit, location, summary.visits, metrics, form, scope),
    )
    return context


def _method(
    kit: ReportKit,
    location: LocationRef,
    visits: int,
    metrics: CustomerMetrics,
    form: FormDefinition | None,
    scope: Scope,
) -> dict[str, Any]:
    fmt = kit.fmt
    not_applicable = not_applicable_answers(kit.store, scope)
    samples = [
        sample_row("Overall score, agent ranking", visits, "mystery-shop visits", fmt),
        sample_row("NPS", metrics.nps.n, "valid 0–10 answers", fmt),
        sample_row("CSAT", metrics.csat.n, "valid 1–5 answers", fmt),
        sample_row("CES", metrics.ces.n, "valid 1–7 answers", fmt),
    ]
    blank_nps = metrics.surveys - metrics.nps.n
    return {
        "intro": [
            f"This report covers {fmt.count(visits)} mystery-shop visits and "
            f"{fmt.count(metrics.surveys)} customer surveys at {location.name} "
            f"({location.code}), {period_text(scope.period, fmt)}."
        ],
        "entries": [
            method.counted_visits(kit.settings, fmt),
            method.visit_score(),
            method.empathy_index(method.empathy_questions(kit.catalogue)),
            method.band(form),
            *method.customer_metrics(method.metric_questions(kit.catalogue)),
            method.behaviours(
                "The benchmark is the same ratio over the visits at all locations in the "
                "same period. Top and bottom behaviours are this location's three highest "
                "and lowest scores.",
                method.behaviour_questions(kit.catalogue),
            ),
            method.difference(),
            method.item(
                "Exclusions",
                f"{fmt.count(not_applicable)} answers marked N/A were left out of the "
                f"scores. {fmt.count(max(blank_nps, 0))} surveys had no valid NPS answer "
                "and are not in the NPS n. Questions skipped by the form's logic have no "
                "answer and count nowhere.",
            ),
            method.item(
                "Agent ranking",
                "Agents of this location ranked by the average score of their visits "
                "(highest first); agents without a visit in the period are listed last.",
            ),
            method.item(
                "Comments and photos",
                "Customer comments are the free-text answers of surveys; shopper comments "
                "are the free-text answers and notes of visits. The newest are shown first "
                f"(up to {CUSTOMER_QUOTES} and {SHOPPER_QUOTES}), with their date; photos are "
                f"the newest {PHOTOS} images attached to visits and inspections. They are "
                "printed as written, as plain text.",
            ),
            method.low_sample(),
        ],
        "samples": samples,
    }


def location_report_html(kit: ReportKit, location: LocationRef, period: Period) -> str:
    """The self-contained HTML of a location report."""
    from reports.render import render_html

    context = location_context(kit, location, period)
    return render_html(context["template"], context)
