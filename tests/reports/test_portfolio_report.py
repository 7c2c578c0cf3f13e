"""The portfolio report: every location ranked, movers against the previous period, empathy
against NPS, and the employee pulse beside it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from forms.definition.model import FormDefinition
from forms.storage import Store
from reports.queries import Period
from reports.writer import ReportRequest, write_report
from tests.reports.conftest import pdf_text
from tests.reports.expected import COUNTED, in_period, query

START, END = date(2026, 4, 1), date(2026, 6, 30)
BEFORE_START, BEFORE_END = date(2025, 12, 31), date(2026, 3, 31)


def averages(db: Path, start: date, end: date) -> dict[str, float]:
    period_sql, params = in_period(start, end)
    return {
        name: float(score)
        for name, score in query(
            db,
            f"SELECT l.name, avg(s.score) FROM submission s JOIN location l "
            f"ON l.id = s.location_id WHERE {COUNTED} AND s.respondent_kind = 'shopper' "
            f"AND {period_sql} GROUP BY l.id",
            params,
        )
    }


def printed_change(now: float, before: float) -> str:
    """The change a reader works out from the two printed averages (one decimal each)."""
    change = Decimal(f"{now:.1f}") - Decimal(f"{before:.1f}")
    return "0.0" if change == 0 else f"{change:+.1f}"


def test_locations_are_ranked_and_movers_are_measured_against_the_previous_period(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "portfolio.pdf"
    write_report(sample_store, ReportRequest("portfolio", period=Period(START, END)), pdf=out)
    text = pdf_text(out)
    now = averages(db_path, START, END)
    before = averages(db_path, BEFORE_START, BEFORE_END)
    assert "Compared with: Dec 31, 2025 – Mar 31, 2026" in text

    ranking = text[text.index("All locations ranked") : text.index("Movers against")]
    ordered = sorted(now, key=lambda name: -now[name])
    positions = [ranking.index(f"{rank} {name}") for rank, name in enumerate(ordered, 1)]
    assert positions == sorted(positions)
    for name, score in now.items():
        assert f"{score:.1f}" in ranking
        assert printed_change(score, before[name]) in ranking

    changes = {name: now[name] - before[name] for name in now}
    movers = text[text.index("Movers against") : text.index("Empathy Index against NPS")]
    riser = max(changes, key=lambda name: changes[name])
    faller = min(changes, key=lambda name: changes[name])
    up, down = movers.split(" Down ", 1)
    if changes[riser] > 0:
        assert (
            f"{before[riser]:.1f} {now[riser]:.1f} {printed_change(now[riser], before[riser])}"
            in up
        )
    if changes[faller] < 0:
        assert (
            f"{before[faller]:.1f} {now[faller]:.1f} {printed_change(now[faller], before[faller])}"
            in down
        )


def test_pulse_signals_are_the_share_of_favourable_answers(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    start = date(2025, 7, 1)
    out = tmp_path / "portfolio.pdf"
    write_report(sample_store, ReportRequest("portfolio", period=Period(start, END)), pdf=out)
    text = pdf_text(out)
    period_sql, params = in_period(start, END)
    (definition,) = query(
        db_path, "SELECT definition FROM formversion WHERE kind = 'employee_pulse'"
    )[0]
    form = FormDefinition.from_json(definition)
    workload = [q.name for q in form.questions() if "workload" in q.tags]
    marks = ",".join("?" * len(workload))
    rows = query(
        db_path,
        f"SELECT l.name, sum(a.points >= 0.8 * a.possible), count(*), count(DISTINCT s.id) "
        f"FROM answer a JOIN submission s ON s.id = a.submission_id "
        f"JOIN location l ON l.id = s.location_id WHERE {COUNTED} "
        f"AND s.respondent_kind = 'employee' AND {period_sql} AND a.question IN ({marks}) "
        "AND a.possible > 0 GROUP BY l.id",
        [*params, *workload],
    )
    assert rows
    pulse = text[text.index("Employee pulse beside empathy") :]
    for name, favourable, answers, respondents in rows:
        after_name = pulse[pulse.index(name) + len(name) :].split()
        expected = [f"{round(favourable / answers * 100)}%"]
        expected += ["†"] if respondents < 5 else []
        expected.append(str(respondents))
        # The row reads: Empathy Index, workload share (†), n, burnout share (†), n.
        assert after_name[1 : 1 + len(expected)] == expected
