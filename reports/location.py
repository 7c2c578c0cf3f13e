"""The location report: what one client site's visits and surveys say over a period."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from forms.definition.model import FormDefinition
from forms.scoring.metrics import MetricResult
from reports import method
from reports.charts import Series, comparison_bar_chart, trend_chart
from reports.context import (
    base_context,
    change_text,
    chart_label,
    chart_low_note,
    cut_note,
    metric_tile,
    metric_value,
    month_axis,
    month_key_of,
    month_ticks,
    n_text,
    period_text,
    photo_items,
    quote_items,
    sample_row,
    score_text,
    tile,
)
from reports.formatting import MISSING, Formatter, cut_comment, plural, short_reference
from reports.kit import ReportKit
from reports.queries.behaviours import BehaviourScore, behaviour_scores
from reports.queries.catalogue import tag_order
from reports.queries.common import (
    LOW_SAMPLE,
    LOW_SAMPLE_MARK,
    LocationRef,
    Period,
    Scope,
    low_sample,
)
from reports.queries.customers import (
    AGREE_SHARE,
    LOW_CSAT,
    LOW_NPS,
    Callback,
    CustomerMetrics,
    FeltFigure,
    callback_requests,
    contact_questions,
    customer_feelings,
    customer_metrics,
    felt_questions,
    verbatims,
)
from reports.queries.scores import (
    EMPTY_SUMMARY,
    OPEN_STATUS,
    RANKED_BY,
    OpenFailures,
    ScoreSummary,
    SiteRank,
    critical_failures,
    latest_activity,
    monthly_trend,
    newest_form_version,
    not_applicable_answers,
    open_critical_failures,
    score_summary,
    scores_by_agent,
    scores_by_location,
    site_rank,
)
from reports.queries.visits import photos

CUSTOMER_QUOTES = 8
SHOPPER_QUOTES = 6
PHOTOS = 6
CALLBACKS = 20
COACH = 2
NO_DATA = "the period before: no data"
"""How many behaviours, and how many agents, the action lines name at most."""


def _printed(value: float, decimals: int, *, percent: bool = False) -> Decimal:
    """A figure rounded as the formatter prints it (Babel rounds its decimal text half to
    even), so that a change is the printed figures subtracted."""
    text = Decimal(str(value / 100.0)) * 100 if percent else Decimal(str(value))
    return text.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def _difference(now: float, before: float, decimals: int, *, percent: bool = False) -> float:
    """`now` minus `before` as printed with `decimals` decimals."""
    delta = _printed(now, decimals, percent=percent) - _printed(before, decimals, percent=percent)
    return float(delta)


def _direction(delta: float) -> str:
    return "up" if delta > 0 else "down" if delta < 0 else ""


class _Comparison:
    """How a headline figure reads against the previous period of the same length."""

    def __init__(self, fmt: Formatter, compared: bool) -> None:
        self.fmt = fmt
        self.compared = compared
        """False when the period is open-ended and there is no previous period."""

    def change(
        self,
        now: float | None,
        before: float | None,
        shown: str,
        *,
        decimals: int,
        percent: bool = False,
        unit: str = "",
    ) -> dict[str, str]:
        """{text, before, delta, direction}: e.g. "+2.3 vs 71.0 the period before"; `shown`
        is `before` as the report prints such a figure."""
        if not self.compared:
            text = "no comparison: open-ended period"
            return {"text": text, "before": MISSING, "delta": MISSING, "direction": ""}
        if before is None:
            return {"text": NO_DATA, "before": "no data", "delta": MISSING, "direction": ""}
        if now is None:
            text = f"{shown} the period before"
            return {"text": text, "before": shown, "delta": MISSING, "direction": ""}
        delta = _difference(now, before, decimals, percent=percent)
        signed = self.fmt.signed(delta, decimals) + unit
        return {
            "text": f"{signed} vs {shown} the period before",
            "before": shown,
            "delta": signed,
            "direction": _direction(delta),
        }


def _metric_change(
    comparison: _Comparison, now: MetricResult, before: MetricResult | None
) -> dict[str, str]:
    before_value = before.value if before is not None else None
    shown = metric_value(before, comparison.fmt) if before is not None else MISSING
    if before is not None and 0 < before.n < LOW_SAMPLE:
        shown += " †"
    if now.method == "NPS":
        return comparison.change(now.value, before_value, shown, decimals=0)
    if now.method.startswith("CSAT"):
        return comparison.change(
            now.value, before_value, shown, decimals=0, percent=True, unit=" pts"
        )
    return comparison.change(now.value, before_value, shown, decimals=1)


def _low_marked(shown: str, n: int) -> str:
    """A previous period's figure with the low-sample marker when it was computed over few."""
    return f"{shown} †" if 0 < n < LOW_SAMPLE else shown


def _ordinal(rank: int) -> str:
    if rank % 100 in (11, 12, 13):
        return f"{rank}th"
    return f"{rank}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(rank % 10, 'th') }"


def _rank_text(rank: SiteRank, before: SiteRank | None, fmt: Formatter) -> str:
    sites = f"{fmt.count(rank.ranked)} site{'s' if rank.ranked != 1 else ''}"
    if rank.rank is None:
        text = f"Not ranked: no mystery-shop visit in this period ({sites} ranked by {RANKED_BY})."
    else:
        text = f"{_ordinal(rank.rank)} of {sites} by {RANKED_BY} in this period"
        if before is None:
            text += "."
        elif before.rank is None:
            text += "; not ranked the period before (no visit)."
        else:
            text += f"; {_ordinal(before.rank)} of {fmt.count(before.ranked)} the period before."
    return text


def _trend(kit: ReportKit, scope: Scope) -> dict[str, Any] | None:
    points = monthly_trend(kit.store, scope)
    months = month_axis(scope.period, [p.month for p in points])
    if not points or not months:
        return None
    by_month = {p.month: p for p in points}
    keys = [month_key_of(m) for m in months]
    scores = [by_month[k].average_score if k in by_month else None for k in keys]
    empathy = [by_month[k].average_empathy if k in by_month else None for k in keys]
    visits = [by_month[k].visits if k in by_month else 0 for k in keys]
    src = trend_chart(
        month_ticks(months, visits, kit.fmt),
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
        "caption": f"n = {kit.fmt.counted(total, 'visit')}. Visits per month: {counts}."
        + chart_low_note(visits),
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
                "bench_low": bench is not None and low_sample(bench.visits),
                "difference": change,
                "direction": direction,
                "visits": mine.visits,
                "n": kit.fmt.count(mine.visits),
                "low": mine.low_sample,
            }
        )
    return rows


def _actions(
    kit: ReportKit,
    behaviours: list[dict[str, Any]],
    agents: list[dict[str, Any]],
    benchmark: float | None,
    failures: OpenFailures,
) -> list[str]:
    """Two or three lines saying what to do next: coach the behaviours and the agents
    furthest below the all-locations benchmark, review the open critical failures."""
    fmt = kit.fmt
    lines: list[str] = []
    # A figure over a low sample is mostly chance: no line singles it out.
    rated = [row for row in behaviours if not low_sample(row["visits"])]
    below = sorted(
        (
            (_difference(row["score"], row["bench"], 1), row)
            for row in rated
            if row["bench"] is not None
        ),
        key=lambda pair: (pair[0], pair[1]["label"]),
    )
    below = [(delta, row) for delta, row in below if delta < 0][:COACH]
    if below:
        named = "; ".join(
            f"{row['label']} {row['score_text']} against {row['bench_text']} "
            f"({fmt.signed(delta, 1)})"
            for delta, row in below
        )
        behaviour = plural(len(below), "behaviour")
        lines.append(f"Coach the {behaviour} furthest below all locations: {named}.")
    elif not rated:
        lines.append(
            f"No behaviour was rated in {LOW_SAMPLE} visits in this period yet: too few to "
            "single one out."
        )
    else:
        lines.append(
            f"No behaviour rated in at least {LOW_SAMPLE} visits is below the all-locations "
            "benchmark in this period."
        )
    enough = [agent for agent in agents if agent["visit_count"] >= LOW_SAMPLE]
    if agents and not enough:
        lines.append(
            f"No agent has {LOW_SAMPLE} visits in this period yet: too few to single one out."
        )
    elif benchmark is not None:
        lagging = sorted(
            (
                (_difference(agent["score_value"], benchmark, 1), agent)
                for agent in enough
                if agent["score_value"] is not None
            ),
            key=lambda pair: (pair[0], pair[1]["name"]),
        )
        lagging = [(delta, agent) for delta, agent in lagging if delta < 0][:COACH]
        bench_text = score_text(benchmark, fmt)
        if lagging:
            named = "; ".join(
                f"{agent['name']} {agent['score']} "
                f"({fmt.signed(delta, 1)}, {fmt.counted(agent['visit_count'], 'visit')})"
                for delta, agent in lagging
            )
            lines.append(
                f"Coach the {plural(len(lagging), 'agent')} furthest below the all-locations "
                "average score of "
                f"{bench_text}: {named}."
            )
        else:
            lines.append(
                f"No agent with at least {LOW_SAMPLE} visits is below the all-locations "
                f"average score of {bench_text}."
            )
    if failures.count:
        lines.append(
            f"Review {fmt.count(failures.count)} open critical failure"
            f"{'s' if failures.count != 1 else ''} (the oldest from "
            f"{fmt.day(failures.oldest)}) on the Submissions screen: accept, reject or send "
            "each back."
        )
    else:
        lines.append("No critical failure waits for a review.")
    return lines


def _nps_detail(metrics: CustomerMetrics, fmt: Formatter) -> dict[str, Any] | None:
    """Promoters, passives and detractors, and how many customers gave each score 0..10."""
    result = metrics.nps
    if result.n == 0:
        return None
    peak = max(metrics.nps_scores) or 1
    bars = [
        {
            "score": str(score),
            "count": fmt.count(count),
            "height": f"{40.0 * count / peak:.1f}pt",
            "group": "promoter" if score >= 9 else "passive" if score >= 7 else "detractor",
        }
        for score, count in enumerate(metrics.nps_scores)
    ]
    groups = [
        {"label": "Promoters (9–10)", "count": fmt.count(int(result.detail["promoters"]))},
        {"label": "Passives (7–8)", "count": fmt.count(int(result.detail["passives"]))},
        {"label": "Detractors (0–6)", "count": fmt.count(int(result.detail["detractors"]))},
    ]
    return {"groups": groups, "bars": bars, "n": fmt.count(result.n), "low": result.low_sample}


def _felt_rows(
    now: list[FeltFigure], before: list[FeltFigure] | None, comparison: _Comparison
) -> list[dict[str, Any]]:
    fmt = comparison.fmt
    earlier = {figure.question: figure for figure in before or []}
    rows = []
    for figure in now:
        previous = earlier.get(figure.question)
        before_value = previous.agree if previous is not None else None
        rows.append(
            {
                "question": figure.question,
                "behaviour": figure.behaviour or MISSING,
                "agree": fmt.percent(figure.agree),
                "n": fmt.count(figure.answers),
                "low": 0 < figure.answers < LOW_SAMPLE,
                "change": comparison.change(
                    figure.agree,
                    before_value,
                    _low_marked(fmt.percent(before_value), previous.answers if previous else 0),
                    decimals=0,
                    percent=True,
                    unit=" pts",
                ),
            }
        )
    return rows


def _callback_rows(
    found: list[Callback], fmt: Formatter, with_contacts: bool
) -> list[dict[str, str]]:
    rows = []
    for callback in found:
        # Cut as every comment of a summary report is: the survey's own report has it whole.
        shown, cut = cut_comment(callback.comment)
        if with_contacts:
            contact = callback.email or "no e-mail given"
        else:
            contact = "e-mail on file in Rapport" if callback.has_email else "no e-mail given"
        rows.append(
            {
                "date": fmt.day(callback.visit_at),
                "nps": MISSING if callback.nps is None else str(callback.nps),
                "csat": MISSING if callback.csat is None else str(callback.csat),
                "comment": shown or MISSING,
                "comment_note": cut_note(callback.submission_id, "customer") if cut else "",
                "contact": contact,
                "survey": short_reference(callback.submission_id),
            }
        )
    return rows


def location_context(
    kit: ReportKit, location: LocationRef, period: Period, *, with_contacts: bool = False
) -> dict[str, Any]:
    """The plain values location.html (or empty.html when nothing was counted) receives;
    the customers' e-mail addresses only `with_contacts`."""
    fmt, store, catalogue = kit.fmt, kit.store, kit.catalogue
    scope = Scope(period, kit.settings.counted_statuses, location_id=location.id)
    previous = period.previous()
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
        lines=[
            location.city,
            f"Period: {period_text(period, fmt)}",
            f"Compared with: {period_text(previous, fmt)}"
            if previous is not None
            else "Compared with: nothing (the period is open-ended)",
        ],
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

    before_scope = scope.widen(period=previous) if previous is not None else None
    before = score_summary(store, before_scope) if before_scope is not None else EMPTY_SUMMARY
    before_metrics = (
        customer_metrics(store, before_scope, catalogue) if before_scope is not None else None
    )
    comparison = _Comparison(fmt, previous is not None)

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
    all_summary = kit.shared(("summary", all_sites), lambda: score_summary(store, all_sites))
    all_visits = all_summary.visits
    rank = site_rank(store, scope, location.id)
    rank_before = site_rank(store, before_scope, location.id) if before_scope else None

    agents = []
    for position, agent in enumerate(scores_by_agent(store, scope, location.id), start=1):
        average = agent.summary.average_score
        agents.append(
            {
                "rank": str(position) if agent.summary.visits else MISSING,
                "name": agent.name,
                "score_value": average,
                "visit_count": agent.summary.visits,
                "visits": fmt.count(agent.summary.visits),
                "score": score_text(average, fmt),
                "empathy": score_text(agent.summary.average_empathy, fmt),
                "empathy_low": low_sample(agent.summary.empathy_visits),
                "band": (form.band_for(average) if form and average is not None else None)
                or MISSING,
                "failures": fmt.count(agent.summary.critical_failures),
                "low": 0 < agent.summary.visits < LOW_SAMPLE,
            }
        )

    failures, failure_total = critical_failures(store, scope, catalogue)
    still_open = open_critical_failures(store, scope)
    customer_quotes, customer_total = verbatims(
        store, scope, catalogue, "customer", limit=CUSTOMER_QUOTES
    )
    shopper_quotes, shopper_total = verbatims(
        store, scope, catalogue, "shopper", limit=SHOPPER_QUOTES
    )
    found_photos, photo_total = photos(store, scope, limit=PHOTOS)
    felt = customer_feelings(store, scope, catalogue)
    felt_before = (
        customer_feelings(store, before_scope, catalogue) if before_scope is not None else None
    )
    callbacks, callback_total = callback_requests(
        store, scope, catalogue, with_contacts=with_contacts, limit=CALLBACKS
    )
    trend = _trend(kit, scope)
    bench_label = "All locations"
    behaviour_chart = None
    if behaviours:
        fewest = min(row["visits"] for row in behaviours)
        most = max(row["visits"] for row in behaviours)
        rated = fmt.count(fewest) if fewest == most else f"{fmt.count(fewest)}–{fmt.count(most)}"
        behaviour_chart = {
            "src": comparison_bar_chart(
                [chart_label(row["label"], row["visits"]) for row in behaviours],
                Series(location.name, [row["score"] for row in behaviours]),
                Series(bench_label, [row["bench"] for row in behaviours]),
                primary=kit.settings.brand_colour,
            ),
            "alt": f"Behaviour scores of {location.name} against all locations",
            "caption": (
                f"n = {fmt.counted(summary.visits, 'visit')} at this location (each "
                f"behaviour rated in {rated} of them) and "
                f"{fmt.counted(all_visits, 'visit')} at all {fmt.count(site_count)} locations "
                "(solid: this location; hatched: all locations)."
                + (
                    f" {LOW_SAMPLE_MARK} after a behaviour: rated in fewer than {LOW_SAMPLE} "
                    "visits at this location, a low sample."
                    if any(row["low"] for row in behaviours)
                    else ""
                )
            ),
        }

    def with_change(shown: dict[str, Any], change: dict[str, str]) -> dict[str, Any]:
        return {**shown, "change": change}

    surveys_before = before_metrics.surveys if before_metrics is not None else 0
    context.update(
        template="location.html",
        kpi_tiles=[
            with_change(
                tile(
                    "Empathy Index",
                    score_text(summary.average_empathy, fmt),
                    n_text(summary.empathy_visits, fmt, "visit"),
                    low=0 < summary.empathy_visits < LOW_SAMPLE,
                ),
                comparison.change(
                    summary.average_empathy,
                    before.average_empathy,
                    _low_marked(score_text(before.average_empathy, fmt), before.empathy_visits),
                    decimals=1,
                ),
            ),
            with_change(
                tile(
                    "Average score",
                    score_text(summary.average_score, fmt),
                    n_text(summary.visits, fmt, "visit"),
                    low=0 < summary.visits < LOW_SAMPLE,
                    sub=band or "",
                ),
                comparison.change(
                    summary.average_score,
                    before.average_score,
                    _low_marked(score_text(before.average_score, fmt), before.visits),
                    decimals=1,
                ),
            ),
            with_change(
                metric_tile("NPS", metrics.nps, fmt),
                _metric_change(
                    comparison, metrics.nps, before_metrics.nps if before_metrics else None
                ),
            ),
            with_change(
                metric_tile("CSAT", metrics.csat, fmt),
                _metric_change(
                    comparison, metrics.csat, before_metrics.csat if before_metrics else None
                ),
            ),
            with_change(
                metric_tile("CES", metrics.ces, fmt),
                _metric_change(
                    comparison, metrics.ces, before_metrics.ces if before_metrics else None
                ),
            ),
            with_change(
                tile(
                    "Counted",
                    f"{fmt.count(summary.visits)} / {fmt.count(metrics.surveys)}",
                    "mystery-shop visits / customer surveys",
                ),
                _counted_change(comparison, summary, before, metrics.surveys, surveys_before),
            ),
        ],
        rank_text=_rank_text(rank, rank_before, fmt),
        actions=_actions(kit, behaviours, agents, all_summary.average_score, still_open),
        trend=trend,
        behaviour_chart=behaviour_chart,
        top_behaviours=ranked[:3],
        bottom_behaviours=list(reversed(ranked[-3:])) if len(ranked) > 3 else [],
        nps_detail=_nps_detail(metrics, fmt),
        felt=_felt_rows(felt, felt_before, comparison),
        agents=agents,
        failures=[
            {
                "date": fmt.day(f.visit_at),
                "agent": f.agent or MISSING,
                "failed": "; ".join(f.failed) or "a critical question",
                "raw": score_text(f.raw_score, fmt),
                "visit": short_reference(f.submission_id),
            }
            for f in failures
        ],
        failure_total=fmt.count(failure_total),
        failure_total_text=fmt.counted(failure_total, "visit"),
        failures_shown=len(failures),
        open_failures=fmt.count(still_open.count),
        callbacks=_callback_rows(callbacks, fmt, with_contacts),
        callback_total=fmt.count(callback_total),
        callback_total_text=fmt.counted(callback_total, "customer"),
        with_contacts=with_contacts,
        customer_quotes=quote_items(customer_quotes, fmt, "customer"),
        customer_quote_total_text=fmt.counted(customer_total, "customer comment"),
        shopper_quotes=quote_items(shopper_quotes, fmt, "shopper", with_agent=True),
        shopper_quote_total_text=fmt.counted(shopper_total, "shopper comment"),
        photos=photo_items(found_photos, fmt, catalogue),
        photo_total_text=fmt.counted(photo_total, "photo"),
        method=_method(kit, location, summary.visits, metrics, form, scope, felt),
    )
    return context


def _counted_change(
    comparison: _Comparison,
    now: ScoreSummary,
    before: ScoreSummary,
    surveys: int,
    surveys_before: int,
) -> dict[str, str]:
    fmt = comparison.fmt
    if not comparison.compared:
        return comparison.change(None, None, "", decimals=0)
    if before.visits == 0 and surveys_before == 0:
        return {"text": NO_DATA, "direction": ""}
    visits = fmt.signed(now.visits - before.visits)
    answered = fmt.signed(surveys - surveys_before)
    return {
        "text": f"{visits} / {answered} vs {fmt.count(before.visits)} / "
        f"{fmt.count(surveys_before)} the period before",
        "direction": "",
    }


def _method(
    kit: ReportKit,
    location: LocationRef,
    visits: int,
    metrics: CustomerMetrics,
    form: FormDefinition | None,
    scope: Scope,
    felt: list[FeltFigure],
) -> dict[str, Any]:
    fmt = kit.fmt
    not_applicable = not_applicable_answers(kit.store, scope)
    previous = scope.period.previous()
    samples = [
        sample_row("Average score, agent ranking", visits, "mystery-shop visits", fmt),
        sample_row("NPS", metrics.nps.n, "valid 0–10 answers", fmt),
        sample_row("CSAT", metrics.csat.n, "valid 1–5 answers", fmt),
        sample_row("CES", metrics.ces.n, "valid 1–7 answers", fmt),
        *(
            sample_row(f"“{figure.question}”", figure.answers, "customers' answers", fmt)
            for figure in felt
        ),
    ]
    blank_nps = metrics.surveys - metrics.nps.n
    compared = (
        f"compared with {period_text(previous, fmt)}, the period of the same length just before"
        if previous is not None
        else "with no earlier period to compare with, as the period is open-ended"
    )
    return {
        "intro": [
            f"This report covers {fmt.counted(visits, 'mystery-shop visit')} and "
            f"{fmt.counted(metrics.surveys, 'customer survey')} at {location.name} "
            f"({location.code}), {period_text(scope.period, fmt)}, {compared}."
        ],
        "entries": [
            method.counted_visits(kit.settings, fmt),
            method.visit_score(),
            method.empathy_index(method.empathy_questions(kit.catalogue)),
            method.band(form),
            *method.customer_metrics(method.metric_questions(kit.catalogue)),
            method.customer_feelings(felt_questions(kit.catalogue), AGREE_SHARE),
            method.item(
                "Change against the previous period",
                "Each headline figure is printed beside its change since the period of the "
                "same length just before this one: the figure minus the previous period's, "
                "both as printed (rounded first). “No data” means nothing was counted for "
                "that figure in the previous period.",
            ),
            method.item(
                "Rank among all sites",
                f"Locations ranked by {RANKED_BY} over the same period, highest first, as the "
                "portfolio report ranks them; only locations with a visit in the period are "
                "ranked.",
            ),
            method.behaviours(
                "The benchmark is the same ratio over the visits at all locations in the "
                "same period. Top and bottom behaviours are this location's three highest "
                "and lowest scores.",
                method.behaviour_questions(kit.catalogue),
            ),
            method.difference(),
            method.item(
                "What to do next",
                f"The {COACH} behaviours whose score is furthest below the all-locations "
                f"benchmark, the {COACH} agents whose average score is furthest below the "
                f"average score of all locations (only behaviours rated in, and agents with, "
                f"at least {LOW_SAMPLE} visits of the period: fewer is mostly chance), and the "
                "open critical failures: visits of "
                f"the period that failed a critical question and are still "
                f"“{OPEN_STATUS.label}”, which no manager has accepted, rejected or sent "
                "back yet (counted whether or not the setting “count accepted only” is on).",
            ),
            method.callbacks(*contact_questions(kit.catalogue), LOW_NPS, LOW_CSAT, CALLBACKS),
            method.item(
                "Exclusions",
                f"{fmt.counted(not_applicable, 'answer')} marked N/A "
                f"{plural(not_applicable, 'was', 'were')} left out of the scores. "
                f"{fmt.counted(max(blank_nps, 0), 'survey')} had no valid NPS answer "
                f"and {plural(max(blank_nps, 0), 'is', 'are')} not in the NPS n. Questions "
                "skipped by the form's logic have no answer and count nowhere.",
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
                "printed as written, as plain text. " + method.cut_comments(kit.fmt),
            ),
            method.low_sample(),
        ],
        "samples": samples,
    }


def location_report_html(
    kit: ReportKit, location: LocationRef, period: Period, *, with_contacts: bool = False
) -> str:
    """The self-contained HTML of a location report (customers' e-mails only `with_contacts`)."""
    from reports.render import render_html

    context = location_context(kit, location, period, with_contacts=with_contacts)
    return render_html(context["template"], context)
