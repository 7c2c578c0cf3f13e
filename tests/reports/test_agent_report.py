"""The coaching card an agent is handed: their figures against the site and the team, the
behaviours to work on with the form's coaching tips, and the shoppers' own words."""

from __future__ import annotations

import json
import re
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


def card_text(store: Store, name: str, period: Period, out: Path) -> str:
    write_report(store, ReportRequest("agent", name, period), pdf=out)
    return pdf_text(out)


def agent_named(db: Path, name: str) -> tuple[int, int]:
    agent_id, location = query(db, "SELECT id, location_id FROM agent WHERE name = ?", [name])[0]
    return int(agent_id), int(location)


def most_failing_agent(db: Path) -> str:
    """The agent with the most visits that failed a critical question in the year."""
    period_sql, params = in_period(START, END)
    return str(
        query(
            db,
            "SELECT g.name FROM submission s JOIN agent g ON g.id = s.agent_id "
            f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND s.critical_failure = 1 "
            f"AND {period_sql} GROUP BY g.id ORDER BY count(*) DESC, g.name LIMIT 1",
            params,
        )[0][0]
    )


def mystery_form(db: Path) -> FormDefinition:
    (definition,) = query(db, "SELECT definition FROM formversion WHERE kind = 'mystery_shop'")[0]
    return FormDefinition.from_json(definition)


def test_the_card_names_every_critical_failure_with_its_item_date_and_visit(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    name = most_failing_agent(db_path)
    agent_id, _ = agent_named(db_path, name)
    text = card_text(sample_store, name, Period(START, END), tmp_path / "agent.pdf")
    form = mystery_form(db_path)
    period_sql, params = in_period(START, END)
    failed = query(
        db_path,
        "SELECT s.id, date(s.visit_at), a.question FROM submission s "
        "JOIN answer a ON a.submission_id = s.id "
        f"WHERE {COUNTED} AND s.agent_id = ? AND {period_sql} AND s.critical_failure = 1 "
        "AND a.points = 0 AND a.possible > 0",
        [agent_id, *params],
    )
    failed = [row for row in failed if form.question(row[2]).critical]
    assert len({visit for visit, _, _ in failed}) >= 2
    listed = text[text.index("Critical failures DATE") : text.index("You, your location")]
    for visit, day, question in failed:
        day_text = date.fromisoformat(day).strftime("%b %-d, %Y")
        label = " ".join(form.text(form.question(question).label).split())
        assert f"{day_text} {label} {visit[:8]}" in listed


def critical_scores(db: Path, where: str, params: list[object]) -> dict[str, float]:
    """Critical question -> sum(points) / sum(possible) x 100 over the counted answers."""
    period_sql, period_params = in_period(START, END)
    form = mystery_form(db)
    rows = query(
        db,
        "SELECT a.question, sum(a.points), sum(a.possible) FROM answer a "
        f"JOIN submission s ON s.id = a.submission_id WHERE {COUNTED} "
        f"AND s.respondent_kind = 'shopper' AND {where} AND {period_sql} "
        "AND a.not_applicable = 0 AND a.possible > 0 GROUP BY a.question",
        [*params, *period_params],
    )
    return {q: earned / most * 100 for q, earned, most in rows if form.question(q).critical}


def test_a_critical_item_the_agent_is_below_the_location_on_is_never_left_out(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    name = most_failing_agent(db_path)
    agent_id, location = agent_named(db_path, name)
    mine = critical_scores(db_path, "s.agent_id = ?", [agent_id])
    site = critical_scores(db_path, "s.location_id = ?", [location])
    below = [question for question in mine if mine[question] < site[question]]
    assert below
    text = card_text(sample_store, name, Period(START, END), tmp_path / "agent.pdf")
    focus = text[text.index("Where to focus next") : text.index("All behaviours")]
    form = mystery_form(db_path)
    for question in below:
        label = " ".join(form.text(form.question(question).label).split())
        assert f"critical “{label}”: you {mine[question]:.1f}, location {site[question]:.1f}" in (
            focus
        )
        tip = " ".join(form.text(form.question(question).coaching).split())
        assert tip[:60] in focus
    # Still the lowest behaviour first.
    scores, _ = behaviour_scores(db_path, agent_id)
    lowest = min(scores, key=lambda tag: (scores[tag], tag))
    section = next(s for s in form.sections() if s.name == lowest)
    assert f"1. {form.text(section.label)}: {scores[lowest]:.1f}" in focus


QUOTE = re.compile(r"“([^”]*)” (\w{3} \d{1,2}, \d{4}) · rated (\d+) of (\d+) · visit ([0-9a-f]{8})")


def focus_areas_of(text: str, form: FormDefinition) -> dict[str, str]:
    """Behaviour tag -> the text of its focus area on the card."""
    focus = text[text.index("Where to focus next") : text.index("All behaviours")]
    labels = {form.text(s.label): s.name for s in form.sections()}
    labels["Safety"] = "safety"
    heads = [
        (match.start(), labels[match.group(1)])
        for match in re.finditer(r"\d\. ([A-Z][^:]+): \d", focus)
        if match.group(1) in labels
    ]
    ends = [start for start, _ in heads[1:]] + [len(focus)]
    return {tag: focus[start:end] for (start, tag), end in zip(heads, ends, strict=True)}


def test_evidence_is_only_what_shoppers_wrote_where_the_agent_lost_points(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    from forms.sample.company import SHOPPER_COMMENTS_GOOD

    form = mystery_form(db_path)
    tagged = {tag: [q.name for q in form.questions() if tag in q.tags] for tag in
              {t for q in form.questions() for t in q.tags}}  # fmt: skip
    quotes = 0
    # Maria Alvarez's card used to quote praise ("rated 4 of 5 ... he apologised") as
    # evidence of her weak spots.
    for name in ("Maria Alvarez", busiest_agent(db_path)[1]):
        text = card_text(sample_store, name, Period(START, END), tmp_path / "agent.pdf")
        for tag, area in focus_areas_of(text, form).items():
            said = re.findall(r"“([^”]*)”", area)
            for praise in SHOPPER_COMMENTS_GOOD:
                assert praise not in said, (name, tag)
            for quoted, _day, earned, possible, visit in QUOTE.findall(area):
                quotes += 1
                (full_id,) = query(db_path, "SELECT id FROM submission WHERE id LIKE ?",
                                   [f"{visit}%"])[0]  # fmt: skip
                rated = query(
                    db_path,
                    "SELECT sum(points), sum(possible) FROM answer WHERE submission_id = ? "
                    "AND not_applicable = 0 AND possible > 0 AND question IN "
                    f"({', '.join('?' * len(tagged[tag]))})",
                    [full_id, *tagged[tag]],
                )[0]
                assert rated[0] < rated[1], (name, tag, visit)
                assert int(earned) < int(possible)
                comments = {
                    json.loads(value)
                    for (value,) in query(
                        db_path,
                        "SELECT value FROM answer WHERE submission_id = ? AND question LIKE "
                        "'%comment'",
                        [full_id],
                    )
                }
                assert quoted in comments
    assert quotes >= 4


def test_a_coaching_tip_is_given_under_one_focus_area_only(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    # Yuki Tanaka's first half of 2026: Resolution quality and Safety both hold the
    # question about a hazard left without action, whose tip was printed under both.
    period = Period(date(2026, 1, 1), date(2026, 6, 30))
    text = card_text(sample_store, "Yuki Tanaka", period, tmp_path / "agent.pdf")
    form = mystery_form(db_path)
    areas = focus_areas_of(text, form)
    assert len(areas) >= 3
    focus = text[text.index("Where to focus next") : text.index("All behaviours")]
    tips = {" ".join(form.text(q.coaching).split()) for q in form.questions() if q.coaching}
    printed = [tip for tip in tips if tip[:60] in focus]
    assert len(printed) >= len(areas)
    for tip in printed:
        assert focus.count(tip[:60]) == 1, tip
    assert focus.count("Try this:") == len(printed)
    # The area that names the critical question gives its tip.
    hazard = form.question("hazard_left_unattended")
    (area,) = [a for a in areas.values() if f"critical “{form.text(hazard.label)}”" in a]
    assert " ".join(form.text(hazard.coaching).split())[:60] in area
