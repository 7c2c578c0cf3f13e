"""The portfolio report: every location ranked, movers against the previous period, empathy
against NPS, and the employee pulse beside it."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

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


def test_a_location_with_fewer_than_five_visits_is_marked_and_not_ranked_as_a_mover(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    period_sql, params = in_period(START, END)
    # The location that rose most keeps only its two best visits: it rises further, over
    # two visits.
    first = averages(db_path, START, END)
    earlier = averages(db_path, BEFORE_START, BEFORE_END)
    riser = max(first, key=lambda name: first[name] - earlier[name])
    visits = query(
        db_path,
        "SELECT s.id FROM submission s JOIN location l ON l.id = s.location_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND l.name = ? AND {period_sql} "
        "ORDER BY s.score DESC",
        [riser, *params],
    )
    for (visit,) in visits[2:]:
        sample_store.void(visit, actor="manager", reason="a test of a small sample")
    now = averages(db_path, START, END)
    before = averages(db_path, BEFORE_START, BEFORE_END)
    changes = {name: now[name] - before[name] for name in now}
    assert max(changes, key=lambda name: changes[name]) == riser
    empathy = query(
        db_path,
        "SELECT avg(s.empathy_index) FROM submission s JOIN location l ON l.id = s.location_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND l.name = ? AND {period_sql}",
        [riser, *params],
    )[0][0]
    out = tmp_path / "portfolio.pdf"

    write_report(sample_store, ReportRequest("portfolio", period=Period(START, END)), pdf=out)

    text = pdf_text(out)
    ranking = text[text.index("All locations ranked") : text.index("Movers against")]
    row = " ".join(ranking[ranking.index(riser) :].split()[:16])
    # Its average score and its Empathy Index carry the same marker.
    assert f" 2 {now[riser]:.1f} † " in row
    assert f" {empathy:.1f} † " in row
    movers = text[text.index("Movers against") : text.index("Empathy Index against NPS")]
    assert riser not in movers
    assert "at least 5 visits in both periods" in movers
    # The next riser with enough visits is ranked in its place.
    risers = [name for name in changes if name != riser and changes[name] > 0]
    if risers:
        assert max(risers, key=lambda name: changes[name]) in movers.split(" Down ", 1)[0]


def test_trend_months_over_fewer_than_five_visits_carry_the_low_sample_marker(
    sample_store: Store, db_path: Path
) -> None:
    import base64

    from reports.kit import ReportKit
    from reports.location import location_context
    from reports.queries.common import find_location

    location = find_location(sample_store, "HPO")
    context = location_context(ReportKit.load(sample_store), location, Period(START, END))
    svg = base64.b64decode(context["trend"]["src"].split(",", 1)[1]).decode("utf-8")
    period_sql, params = in_period(START, END)
    months = dict(
        query(
            db_path,
            "SELECT strftime('%m', s.visit_at), count(*) FROM submission s "
            f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND s.location_id = ? "
            f"AND {period_sql} GROUP BY 1",
            [location.id, *params],
        )
    )
    labels = {"04": "Apr", "05": "May", "06": "Jun"}
    assert any(count < 5 for count in months.values())
    for month, label in labels.items():
        marked = f">{label} †<" in svg
        assert marked == (0 < months.get(month, 0) < 5), (label, months)
    assert "† after a month: 1 to 4 visits, a low sample." in context["trend"]["caption"]


def test_a_location_whose_printed_averages_are_equal_is_not_listed_as_a_riser(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    # Harbor Point averages 80.04 now and 80.00 before: both print 80.0, a change of 0.0.
    # Every other location falls, so only Harbor Point could be taken for a riser.
    now_sql, now_params = in_period(START, END)
    before_sql, before_params = in_period(BEFORE_START, BEFORE_END)
    harbor = "SELECT id FROM location WHERE code = 'HPO'"
    shopper = f"{COUNTED.replace('s.', '')} AND respondent_kind = 'shopper'"
    with sqlite3.connect(db_path) as raw:
        for sql, params, inside, outside in (
            (now_sql, now_params, 80.04, 10.0),
            (before_sql, before_params, 80.0, 90.0),
        ):
            period = sql.replace("s.", "")
            raw.execute(
                f"UPDATE submission SET score = CASE WHEN location_id IN ({harbor}) "
                f"THEN ? ELSE ? END WHERE {shopper} AND {period}",
                [inside, outside, *params],
            )
    raw.close()
    out = tmp_path / "portfolio.pdf"

    write_report(sample_store, ReportRequest("portfolio", period=Period(START, END)), pdf=out)

    text = pdf_text(out)
    movers = text[text.index("Movers against") : text.index("Empathy Index against NPS")]
    up, down = movers.split(" Down ", 1)
    assert "Harbor Point Offices" not in up
    assert "90.0 10.0 -80.0" in down
