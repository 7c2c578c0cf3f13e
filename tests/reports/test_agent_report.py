"""The coaching card an agent is handed: their figures against the site and the team, the
behaviours to work on with the form's coaching tips, and the shoppers' own words."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

from forms.definition.model import FormDefinition
from forms.storage import Store
from reports.queries import Period
from reports.writer import ReportRequest, write_report
from tests.reports.conftest import pdf_text
from tests.reports.expected import COUNTED, in_period, query, visit_figures

START, END = date(2025, 7, 1), date(2026, 6, 30)


def busiest_agent(db: Path) -> tuple[int, str, int]:
    period_sql, params = in_period(START, END)
    agent_id, name, location = query(
        db,
        f"SELECT g.id, g.name, g.location_id FROM submission s JOIN agent g ON g.id = s.agent_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND {period_sql} "
        "GROUP BY g.id ORDER BY count(*) DESC, g.name LIMIT 1",
        params,
    )[0]
    return int(agent_id), str(name), int(location)


def behaviour_scores(db: Path, agent_id: int) -> tuple[dict[str, float], FormDefinition]:
    """Tag -> sum(points) / sum(possible) x 100 over the agent's counted answers."""
    period_sql, params = in_period(START, END)
    (definition,) = query(db, "SELECT definition FROM formversion WHERE kind = 'mystery_shop'")[0]
    form = FormDefinition.from_json(definition)
    tags = {q.name: q.tags for q in form.questions()}
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    for question, points, most in query(
        db,
        "SELECT a.question, a.points, a.possible FROM answer a "
        f"JOIN submission s ON s.id = a.submission_id WHERE {COUNTED} "
        f"AND s.respondent_kind = 'shopper' AND s.agent_id = ? AND {period_sql} "
        "AND a.not_applicable = 0 AND a.possible > 0",
        [agent_id, *params],
    ):
        for tag in tags.get(question, ()):
            earned[tag] += points
            possible[tag] += most
    return {tag: earned[tag] / possible[tag] * 100 for tag in possible if tag != "empathy"}, form


def test_coaching_card_compares_the_agent_with_location_and_team(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    agent_id, name, location = busiest_agent(db_path)
    out = tmp_path / "agent.pdf"
    write_report(sample_store, ReportRequest("agent", name, Period(START, END)), pdf=out)
    text = pdf_text(out)
    period_sql, params = in_period(START, END)
    mine_visits, mine, my_empathy = visit_figures(
        db_path, f"s.agent_id = ? AND {period_sql}", [agent_id, *params]
    )
    visits, site, _ = visit_figures(
        db_path, f"s.location_id = ? AND {period_sql}", [location, *params]
    )
    _, team, _ = visit_figures(db_path, period_sql, params)

    assert f"COACHING CARD {name}" in text
    comparison = text[text.index("You, your location and the team") :]
    assert f"Average score {mine:.1f} {site:.1f} {team:.1f} {mine - site:+.1f}" in comparison
    assert f"{my_empathy:.1f}" in comparison
    assert f"Visits counted {mine_visits} {visits}" in comparison


def test_focus_areas_are_the_lowest_behaviours_with_coaching_tips_and_evidence(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    agent_id, name, _ = busiest_agent(db_path)
    out = tmp_path / "agent.pdf"
    write_report(sample_store, ReportRequest("agent", name, Period(START, END)), pdf=out)
    text = pdf_text(out)
    scores, form = behaviour_scores(db_path, agent_id)
    lowest = min(scores, key=lambda tag: (scores[tag], tag))
    section = next(s for s in form.sections() if s.name == lowest)
    label = form.text(section.label)
    focus = text[text.index("Where to focus next") : text.index("All behaviours")]
    assert f"1. {label}: {scores[lowest]:.1f}" in focus
    tips = [form.text(q.coaching) for q in section.questions if lowest in q.tags and q.coaching]
    assert any(" ".join(tip.split())[:60] in focus for tip in tips)

    period_sql, params = in_period(START, END)
    own_comments = {
        json.loads(value)
        for (value,) in query(
            db_path,
            "SELECT a.value FROM answer a JOIN submission s ON s.id = a.submission_id "
            f"WHERE s.agent_id = ? AND {period_sql} AND a.question LIKE '%comment'",
            [agent_id, *params],
        )
    }
    assert "What shoppers wrote" in focus
    assert any(f"“{comment}”" in focus for comment in own_comments)


def test_an_agent_without_visits_in_the_period_gets_a_short_card(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    _, name, _ = busiest_agent(db_path)
    out = tmp_path / "agent.pdf"
    write_report(
        sample_store,
        ReportRequest("agent", name, Period(date(2019, 1, 1), date(2019, 12, 31))),
        pdf=out,
    )
    assert f"No finished mystery-shop visits with {name} in this period." in pdf_text(out)
