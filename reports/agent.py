"""The agent coaching card: written to the agent, to be handed over in a one-to-one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from reports import method
from reports.charts import Series, trend_chart
from reports.context import (
    base_context,
    change_text,
    chart_low_note,
    month_axis,
    month_key_of,
    month_ticks,
    n_text,
    period_text,
    quote,
    sample_row,
    score_text,
    tile,
)
from reports.formatting import MISSING, Formatter, plural, short_reference
from reports.kit import ReportKit
from reports.queries.behaviours import (
    BehaviourScore,
    QuestionScore,
    behaviour_evidence,
    behaviour_scores,
    question_scores,
)
from reports.queries.catalogue import tag_order
from reports.queries.common import LOW_SAMPLE, AgentRef, Period, Scope, low_sample
from reports.queries.scores import (
    ScoreSummary,
    critical_failures,
    latest_activity,
    monthly_trend,
    newest_form_version,
    score_summary,
)

FOCUS_AREAS = 3
STRENGTHS = 3


def _comparison_rows(
    kit: ReportKit, mine: ScoreSummary, location: ScoreSummary, team: ScoreSummary
) -> list[dict[str, Any]]:
    fmt = kit.fmt
    rows = []
    for label, field, counted in (
        ("Average score", "average_score", "visits"),
        ("Empathy Index", "average_empathy", "empathy_visits"),
    ):
        you, here, everyone = (getattr(s, field) for s in (mine, location, team))
        you_n, here_n, everyone_n = (getattr(s, counted) for s in (mine, location, team))
        against_location, direction = change_text(you, here, fmt)
        rows.append(
            {
                "label": label,
                "you": score_text(you, fmt),
                "you_low": low_sample(you_n),
                "location": score_text(here, fmt),
                "location_low": low_sample(here_n),
                "team": score_text(everyone, fmt),
                "team_low": low_sample(everyone_n),
                "difference": against_location,
                "direction": direction,
            }
        )
    rows.append(
        {
            "label": "Visits counted",
            "you": fmt.count(mine.visits),
            "you_low": False,
            "location": fmt.count(location.visits),
            "location_low": False,
            "team": fmt.count(team.visits),
            "team_low": False,
            "difference": "",
            "direction": "",
        }
    )
    return rows


def _behaviour_rows(
    kit: ReportKit,
    mine: dict[str, BehaviourScore],
    location: dict[str, BehaviourScore],
    team: dict[str, BehaviourScore],
) -> list[dict[str, Any]]:
    fmt = kit.fmt
    rows = []
    for tag in tag_order(kit.catalogue):
        own = mine.get(tag)
        if own is None or own.score is None:
            continue
        here = location.get(tag)
        here_score = here.score if here else None
        everyone = team.get(tag)
        difference, direction = change_text(own.score, here_score, fmt)
        rows.append(
            {
                "tag": tag,
                "label": own.label,
                "score": own.score,
                "location_score": here_score,
                "you": score_text(own.score, fmt),
                "location": score_text(here_score, fmt),
                "location_low": here is not None and low_sample(here.visits),
                "team": score_text(everyone.score if everyone else None, fmt),
                "team_low": everyone is not None and low_sample(everyone.visits),
                "difference": difference,
                "direction": direction,
                "n": fmt.count(own.visits),
                "n_visits": fmt.counted(own.visits, "visit"),
                "low": own.low_sample,
            }
        )
    return rows


@dataclass(frozen=True)
class _CriticalItem:
    """A critical question on which the agent scores below the location."""

    name: str
    label: str
    tags: tuple[str, ...]
    score: float
    location_score: float
    failures: int
    visits: int

    @property
    def area_tag(self) -> str:
        """The tag of the area made of this question alone, when no behaviour holds it."""
        return f"question:{self.name}"


def _critical_totals(questions: list[QuestionScore]) -> dict[str, QuestionScore]:
    """The critical questions of a scope by name, their form versions added together."""
    totals: dict[str, QuestionScore] = {}
    for question in sorted(questions, key=lambda q: -q.form_version_id):
        if not question.critical:
            continue
        known = totals.get(question.question)
        if known is None:
            totals[question.question] = question  # the newest version's wording
            continue
        earned, possible = known.earned + question.earned, known.possible + question.possible
        totals[question.question] = replace(
            known,
            earned=earned,
            possible=possible,
            zero_answers=known.zero_answers + question.zero_answers,
            visits=known.visits + question.visits,
            score=earned / possible * 100.0 if possible else None,
        )
    return totals


def _critical_items_below(
    mine: list[QuestionScore], location: list[QuestionScore]
) -> list[_CriticalItem]:
    """Critical questions where the agent scores below the location, furthest below first."""
    here = _critical_totals(location)
    below = []
    for name, own in _critical_totals(mine).items():
        site = here.get(name)
        if own.score is None or site is None or site.score is None or own.score >= site.score:
            continue
        below.append(
            _CriticalItem(
                name, own.label, own.tags, own.score, site.score, own.zero_answers, own.visits
            )
        )
    return sorted(below, key=lambda item: (item.score - item.location_score, item.label))


def _choose_focus(
    rows: list[dict[str, Any]], critical: list[_CriticalItem]
) -> tuple[list[dict[str, Any]], dict[str, list[_CriticalItem]]]:
    """The focus areas, lowest first, and the critical items each one holds.

    The two or three lowest behaviours, and for every critical question on which the agent
    is below the location a behaviour holding it (the one furthest below the location), so
    that such an item is never left off the card.
    """
    lowest = sorted(rows, key=lambda row: (row["score"], row["label"]))[:FOCUS_AREAS]
    # A third area only when it is really below the site: two is enough for a strong agent.
    if len(lowest) == FOCUS_AREAS:
        third = lowest[-1]
        if third["location_score"] is not None and third["score"] >= third["location_score"]:
            lowest = lowest[:-1]
    by_tag = {row["tag"]: row for row in rows}
    lowest_tags = [row["tag"] for row in lowest]
    held: dict[str, list[_CriticalItem]] = defaultdict(list)
    for item in critical:
        candidates = [by_tag[tag] for tag in (*item.tags, item.area_tag) if tag in by_tag]
        # An area already on the card holds it (the first printed, which gets its tip);
        # else the one furthest below the location.
        on_card = [row for row in candidates if row["tag"] in held or row["tag"] in lowest_tags]
        home = (
            min(on_card, key=lambda row: (row["score"], row["label"]))
            if on_card
            else min(candidates, key=_below_location)
        )
        held[home["tag"]].append(item)
    rest = [row for row in lowest if row["tag"] not in held]
    # The areas holding a critical item take the places of the highest of the lowest; the
    # lowest behaviour stays.
    keep_lowest = 1 if lowest and lowest[0]["tag"] not in held else 0
    rest = rest[: max(FOCUS_AREAS - len(held), keep_lowest)]
    areas = [by_tag[tag] for tag in held] + rest
    return sorted(areas, key=lambda row: (row["score"], row["label"])), dict(held)


def _below_location(row: dict[str, Any]) -> tuple[float, str]:
    """How far a behaviour is below the location (most below first), then its name."""
    here = row["location_score"]
    return (row["score"] - here if here is not None else 0.0, row["label"])


def _item_row(item: _CriticalItem, fmt: Formatter) -> dict[str, Any]:
    """A focus area's figures for a critical question that no behaviour holds."""
    difference, direction = change_text(item.score, item.location_score, fmt)
    return {
        "tag": item.area_tag,
        "label": item.label,
        "score": item.score,
        "location_score": item.location_score,
        "you": score_text(item.score, fmt),
        "location": score_text(item.location_score, fmt),
        "location_low": False,
        "team": MISSING,
        "team_low": False,
        "difference": difference,
        "direction": direction,
        "n": fmt.count(item.visits),
        "n_visits": fmt.counted(item.visits, "visit"),
        "low": item.visits < LOW_SAMPLE,
    }


def _focus_areas(
    kit: ReportKit, scope: Scope, location_scope: Scope, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The focus areas with coaching tips (each tip under one area only), their critical
    items and the shoppers' words from visits that lost points there."""
    fmt = kit.fmt
    questions = question_scores(kit.store, scope, kit.catalogue)
    location_questions = kit.shared(
        ("questions", location_scope),
        lambda: question_scores(kit.store, location_scope, kit.catalogue),
    )
    critical = _critical_items_below(questions, location_questions)
    behaviours = {row["tag"] for row in rows}
    # A critical question that no behaviour holds is an area of its own.
    alone = [item for item in critical if not behaviours.intersection(item.tags)]
    chosen, held = _choose_focus(rows + [_item_row(item, fmt) for item in alone], critical)
    used_tips: set[str] = set()
    quoted: set[tuple[str, str]] = set()
    areas = []
    for row in chosen:
        items = held.get(row["tag"], [])
        tips = _tips(questions, row["tag"], used_tips, first=[item.name for item in items])
        evidence: list[dict[str, str]] = []
        for found in behaviour_evidence(kit.store, scope, kit.catalogue, row["tag"], limit=4):
            if (found.submission_id, found.text) in quoted or len(evidence) == 2:
                continue
            quoted.add((found.submission_id, found.text))
            evidence.append(
                quote(
                    found.text,
                    found.submission_id,
                    [
                        fmt.day(found.visit_at),
                        f"rated {fmt.number(found.earned, 0)} of {fmt.number(found.possible, 0)}",
                    ],
                )
            )
        areas.append(
            {
                **row,
                "tips": tips,
                "critical_items": [
                    {
                        "label": item.label,
                        "you": score_text(item.score, fmt),
                        "low": low_sample(item.visits),
                        "location": score_text(item.location_score, fmt),
                        "failures": fmt.count(item.failures),
                        "visits": plural(item.failures, "visit"),
                    }
                    for item in items
                ],
                "evidence": evidence,
            }
        )
    return areas


def _strengths(rows: list[dict[str, Any]], focus_tags: set[str]) -> list[dict[str, Any]]:
    """The highest behaviours at or above the location's level (else simply the highest)."""
    candidates = [row for row in rows if row["tag"] not in focus_tags]
    at_or_above = [
        row
        for row in candidates
        if row["location_score"] is None or row["score"] >= row["location_score"]
    ]
    ranked = sorted(at_or_above or candidates, key=lambda row: (-row["score"], row["label"]))
    return ranked[:STRENGTHS]


def _tips(
    questions: list[QuestionScore], tag: str, used: set[str], *, first: list[str]
) -> list[dict[str, str]]:
    """Up to two coaching tips of a behaviour's questions, those of `first` (its critical
    items) before the lowest-rated; a tip already given under another area is skipped."""
    tips: list[dict[str, str]] = []
    ordered = sorted(questions, key=lambda q: q.question not in first)  # stable: lowest first
    for question in ordered:
        if (tag in question.tags or question.question in first) and (
            question.coaching and question.coaching not in used
        ):
            used.add(question.coaching)
            tips.append({"question": question.label, "text": question.coaching})
        if len(tips) == 2:
            break
    return tips


def _trend(kit: ReportKit, mine: Scope, location: Scope) -> dict[str, Any] | None:
    own = {p.month: p for p in monthly_trend(kit.store, mine)}
    site = {p.month: p for p in monthly_trend(kit.store, location)}
    months = month_axis(mine.period, sorted(own))
    if not own or not months:
        return None
    keys = [month_key_of(m) for m in months]
    visits = [own[k].visits if k in own else 0 for k in keys]
    src = trend_chart(
        month_ticks(months, visits, kit.fmt),
        [
            Series(
                "Your average score", [own[k].average_score if k in own else None for k in keys]
            ),
            Series(
                "Location average", [site[k].average_score if k in site else None for k in keys]
            ),
        ],
        primary=kit.settings.brand_colour,
        y_range=(0, 100),
    )
    counts = " · ".join(
        f"{kit.fmt.short_month(m)} {kit.fmt.count(own[k].visits if k in own else 0)}"
        for m, k in zip(months, keys, strict=True)
    )
    return {
        "src": src,
        "alt": "Your average score by month against the location's",
        "caption": f"n = {kit.fmt.count(sum(p.visits for p in own.values()))} of your visits. "
        f"Your visits per month: {counts}." + chart_low_note(visits, "of your visits"),
    }


def agent_context(kit: ReportKit, agent: AgentRef, period: Period) -> dict[str, Any]:
    """The plain values agent.html (or empty.html when the agent had no visit) receives."""
    fmt, store, catalogue = kit.fmt, kit.store, kit.catalogue
    statuses = kit.settings.counted_statuses
    mine = Scope(period, statuses, agent_id=agent.id)
    location_scope = Scope(period, statuses, location_id=agent.location.id)
    team_scope = Scope(period, statuses)
    summary = score_summary(store, mine)
    context = base_context(
        kit.settings,
        fmt,
        kind="agent",
        title=f"Coaching card: {agent.name}",
        period=period,
        kicker="Coaching card",
        heading=agent.name,
        lines=[f"{agent.location.name} · {period_text(period, fmt)}"],
        now=kit.now,
    )
    if summary.visits == 0:
        latest = latest_activity(store, mine)
        context["template"] = "empty.html"
        context["empty_message"] = (
            f"No finished mystery-shop visits with {agent.name} in this period."
        )
        context["empty_hint"] = (
            f"The latest one is from {fmt.day(latest)}: choose a period that includes it."
            if latest is not None
            else "No visit has been recorded with this agent yet."
        )
        return context
    # Location and team figures are the same for every agent of the location (or of the
    # company) in the period: computed once per kit.
    location_summary = kit.shared(
        ("summary", location_scope), lambda: score_summary(store, location_scope)
    )
    team_summary = kit.shared(("summary", team_scope), lambda: score_summary(store, team_scope))
    form_id = newest_form_version(store, mine)
    form = store.form_definition(form_id) if form_id is not None else None
    band = (
        form.band_for(summary.average_score) if form and summary.average_score is not None else None
    )
    rows = _behaviour_rows(
        kit,
        behaviour_scores(store, mine, catalogue),
        kit.shared(
            ("behaviours", location_scope),
            lambda: behaviour_scores(store, location_scope, catalogue),
        ),
        kit.shared(
            ("behaviours", team_scope), lambda: behaviour_scores(store, team_scope, catalogue)
        ),
    )
    focus = _focus_areas(kit, mine, location_scope, rows)
    failures, _ = critical_failures(store, mine, catalogue, limit=summary.critical_failures)
    strengths = _strengths(rows, {area["tag"] for area in focus})
    context.update(
        template="agent.html",
        intro=(
            f"This card sums up {fmt.counted(summary.visits, 'mystery-shop visit')} in which "
            "you served the shopper. "
            "It shows what you already do well and two or three things to work on next, "
            "with tips and what the shoppers wrote."
        ),
        kpi_tiles=[
            tile(
                "Your average score",
                score_text(summary.average_score, fmt),
                n_text(summary.visits, fmt, "visit"),
                low=summary.low_sample,
                sub=band or "",
            ),
            tile(
                "Your Empathy Index",
                score_text(summary.average_empathy, fmt),
                n_text(summary.empathy_visits, fmt, "visit"),
                low=0 < summary.empathy_visits < LOW_SAMPLE,
            ),
            tile(
                "Critical failures",
                fmt.count(summary.critical_failures),
                plural(summary.critical_failures, "visit", "visits")
                + " scored 0 for a critical question",
            ),
        ],
        failures=[
            {
                "date": fmt.day(failure.visit_at),
                "failed": "; ".join(failure.failed) or "a critical question",
                "visit": short_reference(failure.submission_id),
            }
            for failure in failures
        ],
        comparison=_comparison_rows(kit, summary, location_summary, team_summary),
        location_name=agent.location.name,
        strengths=strengths,
        focus=focus,
        behaviours=rows,
        trend=_trend(kit, mine, location_scope),
        method={
            "intro": [
                f"This card covers the mystery-shop visits with {agent.name} "
                f"({agent.code}) at {agent.location.name}, {period_text(period, fmt)}. "
                f"“Location” is every visit at {agent.location.name}; “Team” is every "
                "visit at all sites, in the same period."
            ],
            "entries": [
                method.counted_visits(kit.settings, fmt),
                method.visit_score(),
                method.empathy_index(method.empathy_questions(kit.catalogue)),
                method.band(form),
                method.behaviours(
                    "Strengths are your highest behaviour scores; focus areas are your two "
                    "or three lowest (a third only when it is below your location's score). "
                    "A critical question on which you score below your location is never "
                    "left out: the behaviour holding it (the one furthest below the location) "
                    "is a focus area too, in place of the highest of the others.",
                    method.behaviour_questions(kit.catalogue),
                ),
                method.difference(),
                method.item(
                    "Tips and evidence",
                    "Tips are the coaching notes the form gives for the questions of a focus "
                    "area: its critical questions first, then those where your ratings were "
                    "lowest; a tip is printed under one area only. Evidence is what shoppers "
                    "wrote in that part of the form on your visits that lost points there, "
                    "those that lost most first, then the newest. " + method.cut_comments(fmt),
                ),
                method.low_sample(),
            ],
            "samples": [
                sample_row("Your figures", summary.visits, "your visits", fmt),
                sample_row("Location", location_summary.visits, "visits at the location", fmt),
                sample_row("Team", team_summary.visits, "visits at all sites", fmt),
            ],
        },
        missing=MISSING,
    )
    return context


def agent_report_html(kit: ReportKit, agent: AgentRef, period: Period) -> str:
    """The self-contained HTML of a coaching card."""
    from reports.render import render_html

    context = agent_context(kit, agent, period)
    return render_html(context["template"], context)
