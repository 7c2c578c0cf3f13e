"""The agent coaching card: written to the agent, to be handed over in a one-to-one."""

from __future__ import annotations

from typing import Any

from reports import method
from reports.charts import Series, trend_chart
from reports.context import (
    base_context,
    change_text,
    month_axis,
    month_key_of,
    n_text,
    period_text,
    sample_row,
    score_text,
    tile,
)
from reports.formatting import MISSING
from reports.kit import ReportKit
from reports.queries.behaviours import (
    BehaviourScore,
    QuestionScore,
    behaviour_evidence,
    behaviour_scores,
    question_scores,
)
from reports.queries.catalogue import tag_order
from reports.queries.common import LOW_SAMPLE, AgentRef, Period, Scope
from reports.queries.scores import (
    ScoreSummary,
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
    for label, field in (("Average score", "average_score"), ("Empathy Index", "average_empathy")):
        you, here, everyone = (getattr(s, field) for s in (mine, location, team))
        against_location, direction = change_text(you, here, fmt)
        rows.append(
            {
                "label": label,
                "you": score_text(you, fmt),
                "location": score_text(here, fmt),
                "team": score_text(everyone, fmt),
                "difference": against_location,
                "direction": direction,
            }
        )
    rows.append(
        {
            "label": "Visits counted",
            "you": fmt.count(mine.visits),
            "location": fmt.count(location.visits),
            "team": fmt.count(team.visits),
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
        difference, direction = change_text(own.score, here_score, fmt)
        rows.append(
            {
                "tag": tag,
                "label": own.label,
                "score": own.score,
                "location_score": here_score,
                "you": score_text(own.score, fmt),
                "location": score_text(here_score, fmt),
                "team": score_text(team[tag].score if tag in team else None, fmt),
                "difference": difference,
                "direction": direction,
                "n": fmt.count(own.visits),
                "low": own.low_sample,
            }
        )
    return rows


def _focus_areas(kit: ReportKit, scope: Scope, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The two or three lowest behaviours, with coaching tips and the shoppers' words."""
    lowest = sorted(rows, key=lambda row: (row["score"], row["label"]))[:FOCUS_AREAS]
    # A third area only when it is really below the site: two is enough for a strong agent.
    if len(lowest) == FOCUS_AREAS:
        third = lowest[-1]
        if third["location_score"] is not None and third["score"] >= third["location_score"]:
            lowest = lowest[:-1]
    questions = question_scores(kit.store, scope, kit.catalogue)
    areas = []
    for row in lowest:
        tips = _tips(questions, row["tag"])
        evidence = behaviour_evidence(kit.store, scope, kit.catalogue, row["tag"], limit=2)
        areas.append(
            {
                **row,
                "tips": tips,
                "evidence": [
                    {
                        "text": found.text,
                        "meta": f"{kit.fmt.day(found.visit_at)} · rated "
                        f"{kit.fmt.number(found.earned, 0)} of {kit.fmt.number(found.possible, 0)}",
                    }
                    for found in evidence
                ],
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


def _tips(questions: list[QuestionScore], tag: str) -> list[dict[str, str]]:
    tips: list[dict[str, str]] = []
    for question in questions:
        if tag in question.tags and question.coaching:
            if any(tip["text"] == question.coaching for tip in tips):
                continue
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
    src = trend_chart(
        [kit.fmt.short_month(m) for m in months],
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
        f"Your visits per month: {counts}.",
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
    focus = _focus_areas(kit, mine, rows)
    strengths = _strengths(rows, {area["tag"] for area in focus})
    context.update(
        template="agent.html",
        intro=(
            f"This card sums up {fmt.count(summary.visits)} mystery-shop "
            f"visit{'s' if summary.visits != 1 else ''} in which you served the shopper. "
            "It shows what you already do well and two or three things to work on next, "
            "with tips and what the shoppers wrote."
        ),
        kpi_tiles=[
            tile(
                "Your average score",
                score_text(summary.average_score, fmt),
                n_text(summary.visits, fmt, "visits"),
                low=summary.low_sample,
                sub=band or "",
            ),
            tile(
                "Your Empathy Index",
                score_text(summary.average_empathy, fmt),
                n_text(summary.empathy_visits, fmt, "visits"),
                low=0 < summary.empathy_visits < LOW_SAMPLE,
            ),
            tile(
                "Critical failures",
                fmt.count(summary.critical_failures),
                "visits scored 0 for a critical question",
            ),
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
                    "or three lowest (a third only when it is below your location's score).",
                    method.behaviour_questions(kit.catalogue),
                ),
                method.difference(),
                method.item(
                    "Tips and evidence",
                    "Tips are the coaching notes the form gives for the questions of a focus "
                    "area where your ratings were lowest. Evidence is what shoppers wrote in "
                    "that part of the form on your newest visits that lost points there, "
                    "printed as written.",
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
