"""The location report as a site manager reads it: every headline figure matches the data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forms.storage import Store
from reports.queries import Period
from reports.render import ReportError
from reports.writer import ReportRequest, write_report
from tests.reports.conftest import pdf_pages, pdf_text
from tests.reports.expected import (
    COUNTED,
    csat,
    in_period,
    location_id,
    mean,
    nps,
    query,
    survey_values,
    visit_figures,
)

START, END = date(2026, 1, 1), date(2026, 6, 30)


def day_text(day: date) -> str:
    """A date as US English writes it in reports (Jan 5, 2026)."""
    return f"{day:%b} {day.day}, {day.year}"


def test_location_report_shows_the_figures_of_its_visits_and_surveys(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hpo.pdf"
    write_report(sample_store, ReportRequest("location", "HPO", Period(START, END)), pdf=out)
    text = pdf_text(out)

    hpo = location_id(db_path, "HPO")
    period_sql, period_params = in_period(START, END)
    where, params = f"s.location_id = ? AND {period_sql}", [hpo, *period_params]
    visits, score, empathy = visit_figures(db_path, where, params)
    nps_values = survey_values(db_path, "nps", where, params)
    csat_values = survey_values(db_path, "csat", where, params)
    ces_values = survey_values(db_path, "effort", where, params)
    surveys = query(
        db_path,
        f"SELECT count(*) FROM submission s WHERE {COUNTED} AND s.respondent_kind = 'customer' "
        f"AND {where}",
        params,
    )[0][0]

    assert "Harbor Point Offices" in text
    assert "Jan 1, 2026 – Jun 30, 2026" in text
    assert f"{score:.1f}" in text
    assert f"{empathy:.1f}" in text
    assert f"n = {visits} visits" in text
    assert f"{visits} / {surveys}" in text
    assert f"{nps(nps_values):+.0f}" in text
    assert f"n = {len(nps_values)} answers" in text
    assert f"{csat(csat_values):.0f}%" in text
    assert f"{mean(ces_values):.1f}" in text
    for heading in (
        "Trend by month",
        "Behaviours against all locations",
        "Agent ranking",
        "Critical failures",
        "What customers said",
        "How these figures were computed",
        "Sample sizes",
    ):
        assert heading in text


def test_agents_are_ranked_by_their_average_score(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hpo.pdf"
    write_report(sample_store, ReportRequest("location", "HPO", Period(START, END)), pdf=out)
    text = pdf_text(out)
    period_sql, period_params = in_period(START, END)
    ranking = query(
        db_path,
        f"SELECT g.name, avg(s.score) FROM submission s JOIN agent g ON g.id = s.agent_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND s.location_id = ? "
        f"AND {period_sql} GROUP BY g.id ORDER BY avg(s.score) DESC",
        [location_id(db_path, "HPO"), *period_params],
    )
    assert len(ranking) >= 2
    ranking_text = text[text.index("Agent ranking") :]
    positions = [ranking_text.index(f"{rank} {name}") for rank, (name, _) in enumerate(ranking, 1)]
    assert positions == sorted(positions)
    for name, average in ranking:
        assert f"{name} " in ranking_text
        assert f"{average:.1f}" in ranking_text


def test_critical_failures_and_newest_comments_are_listed_with_their_dates(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    first = date(2025, 7, 1)
    period_sql, period_params = in_period(first, END)
    code, site = query(
        db_path,
        f"SELECT l.code, l.id FROM submission s JOIN location l ON l.id = s.location_id "
        f"WHERE {COUNTED} AND s.critical_failure = 1 AND {period_sql} "
        "GROUP BY l.id ORDER BY count(*) DESC, l.code LIMIT 1",
        period_params,
    )[0]
    out = tmp_path / "site.pdf"
    write_report(sample_store, ReportRequest("location", code, Period(first, END)), pdf=out)
    text = pdf_text(out)
    params = [site, *period_params]
    failures = query(
        db_path,
        f"SELECT date(s.visit_at) FROM submission s WHERE {COUNTED} "
        f"AND s.respondent_kind = 'shopper' AND s.location_id = ? AND {period_sql} "
        "AND s.critical_failure = 1 ORDER BY s.visit_at DESC",
        params,
    )
    assert failures
    assert f"n = {len(failures)} visits with a critical failure" in text
    failure_text = text[text.index("Critical failures") :]
    for (day,) in failures[:5]:
        assert day_text(date.fromisoformat(day)) in failure_text
    newest_comment, newest_day = query(
        db_path,
        "SELECT json_extract(a.value, '$'), date(s.visit_at) FROM answer a "
        "JOIN submission s ON s.id = a.submission_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'customer' AND s.location_id = ? "
        f"AND {period_sql} AND a.question = 'comment' ORDER BY s.visit_at DESC LIMIT 1",
        params,
    )[0]
    said = text[text.index("What customers said") :]
    assert f"“{newest_comment}” {day_text(date.fromisoformat(newest_day))}" in said


def test_a_period_without_data_gives_a_short_report_that_says_so(
    sample_store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "empty.pdf"
    period = Period(date(2020, 1, 1), date(2020, 1, 31))
    write_report(sample_store, ReportRequest("location", "Harbor Point Offices", period), pdf=out)
    text = pdf_text(out)
    assert pdf_pages(out) == 1
    assert "No finished visits or customer surveys at Harbor Point Offices" in text
    assert "The latest one is from Jun" in text


def test_an_unknown_location_names_the_closest_ones(sample_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    with pytest.raises(ReportError, match="Did you mean: Harbor Point Offices"):
        write_report(sample_store, ReportRequest("location", "harbour point ofices"), pdf=out)
    assert not out.exists()


def test_accepted_only_setting_counts_only_visits_a_manager_accepted(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:

    period_sql, period_params = in_period(START, END)
    visits = query(
        db_path,
        "SELECT s.id, s.score FROM submission s WHERE s.respondent_kind = 'shopper' "
        f"AND s.location_id = ? AND {period_sql} ORDER BY s.visit_at LIMIT 2",
        [location_id(db_path, "HPO"), *period_params],
    )
    for visit, _ in visits:
        sample_store.review(visit, actor="manager", decision="accepted")
    sample_store.set_setting("count_accepted_only", "yes")
    out = tmp_path / "hpo.pdf"
    write_report(sample_store, ReportRequest("location", "HPO", Period(START, END)), pdf=out)
    text = pdf_text(out)
    assert f"{(visits[0][1] + visits[1][1]) / 2:.1f}" in text
    assert "n = 2 visits · † low sample" in text
    assert "accepted by a manager (the setting “count accepted only” is on)" in text
