"""Small samples as a manager reads them in a short period: every figure over fewer than five
responses carries the one marker, on every page and in every report, and no line of advice
or list of movers singles out a figure that is mostly chance."""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path

from forms.storage import Store
from reports.charts import Series, trend_chart
from reports.kit import ReportKit
from reports.queries import Period
from reports.queries.behaviours import behaviour_scores
from reports.queries.common import Scope, find_location
from reports.writer import ReportRequest, write_report
from tests.conftest import SAMPLE_TODAY
from tests.reports.conftest import pdf_text
from tests.reports.expected import COUNTED, in_period, query

JUNE = Period(date(2026, 6, 1), SAMPLE_TODAY)
RECENT = Period(date(2026, 4, 2), SAMPLE_TODAY)
NUMBER = r"-?\d+\.\d"


def write(store: Store, tmp_path: Path, request: ReportRequest, name: str) -> str:
    out = tmp_path / name
    write_report(store, request, pdf=out)
    return pdf_text(out)


def shopper_visits(db_path: Path, period: Period, column: str, value: str) -> dict[str, int]:
    """Finished shopper visits in the period by agent name, for one location or agent."""
    assert period.start is not None
    assert period.end is not None
    period_sql, params = in_period(period.start, period.end)
    return dict(
        query(
            db_path,
            "SELECT g.name, count(*) FROM submission s JOIN agent g ON g.id = s.agent_id "
            "JOIN location l ON l.id = s.location_id "
            f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND {column} = ? "
            f"AND {period_sql} GROUP BY g.id",
            [value, *params],
        )
    )


def test_an_agent_over_few_visits_has_both_figures_marked_in_the_location_ranking(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    visits = shopper_visits(db_path, JUNE, "l.code", "HPO")
    few = [name for name, count in visits.items() if count < 5]
    assert few
    text = write(sample_store, tmp_path, ReportRequest("location", "HPO", JUNE), "hpo.pdf")
    ranking = text[text.index("Agent ranking") : text.index("Critical failures DATE")]
    for name in few:
        # Average score and Empathy Index: the same marker as on page 1's tiles.
        assert re.search(rf"{name} {visits[name]} {NUMBER} † {NUMBER} † ", ranking), ranking


def test_the_coaching_cards_comparison_table_marks_what_its_tiles_mark(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    visits = shopper_visits(db_path, JUNE, "l.code", "HPO")
    agent = max(visits, key=lambda name: visits[name])
    assert sum(visits.values()) < 5
    text = write(sample_store, tmp_path, ReportRequest("agent", agent, JUNE), "card.pdf")
    assert "YOUR AVERAGE SCORE" in text
    assert " † " in text[: text.index("Critical failures")]
    table = text[text.index("You, your location and the team") : text.index("Visits counted")]
    # The agent's and the location's figures are over fewer than five visits; the team's
    # (every site) are not.
    for label in ("Average score", "Empathy Index"):
        assert re.search(rf"{label} {NUMBER} † {NUMBER} † {NUMBER} [-+]?\d", table), table


def test_behaviour_bars_over_few_visits_carry_the_marker_on_their_label(
    sample_store: Store, tmp_path: Path
) -> None:
    kit = ReportKit.load(sample_store)
    location = find_location(sample_store, "HPO")
    scope = Scope(JUNE, kit.settings.counted_statuses, location_id=location.id)
    rated = [b for b in behaviour_scores(sample_store, scope, kit.catalogue).values() if b.score]
    assert rated
    assert all(b.visits < 5 for b in rated)
    text = write(sample_store, tmp_path, ReportRequest("location", "HPO", JUNE), "hpo.pdf")
    for behaviour in rated:
        # The chart's label; the tables print a score between the name and the marker.
        assert f"{behaviour.label} † " in text, behaviour.label
    assert "† after a behaviour: rated in fewer than 5 visits at this location" in text


def test_action_lines_name_no_agent_or_behaviour_over_fewer_than_five_visits(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    visits = shopper_visits(db_path, RECENT, "l.code", "HPO")
    assert visits
    assert max(visits.values()) < 5
    text = write(sample_store, tmp_path, ReportRequest("location", "HPO", RECENT), "hpo.pdf")
    actions = text[text.index("What to do next") : text.index("Trend by month")]
    assert "No agent has 5 visits in this period yet: too few to single one out." in actions
    assert not any(name in actions for name in visits)
    assert "†" not in actions

    june = write(sample_store, tmp_path, ReportRequest("location", "HPO", JUNE), "june.pdf")
    actions = june[june.index("What to do next") : june.index("Trend by month")]
    assert "No behaviour was rated in 5 visits in this period yet" in actions
    assert "Coach the behaviours" not in actions


def test_the_portfolio_says_why_it_names_no_mover_in_a_short_period(
    sample_store: Store, tmp_path: Path
) -> None:
    text = write(sample_store, tmp_path, ReportRequest("portfolio", period=JUNE), "all.pdf")
    movers = text[text.index("Movers against") : text.index("Empathy Index against NPS")]
    assert "No location rose" not in movers
    assert "No location fell" not in movers
    assert "No location had 5 visits in both periods: too few to rank a mover." in movers
    ranking = text[text.index("All locations ranked") : text.index("Movers against")]
    # A change between two small samples is marked as its figures are.
    assert re.search(rf" [1-4] {NUMBER} † \w+ [-+]?\d+\.\d † ", ranking), ranking


def test_the_coaching_card_trend_breaks_at_months_without_visits_and_names_its_year(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    year = Period(date(2025, 7, 1), SAMPLE_TODAY)
    by_month = dict(
        query(
            db_path,
            "SELECT strftime('%m', s.visit_at), count(*) FROM submission s "
            "JOIN agent g ON g.id = s.agent_id "
            f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND g.name = 'Daniel Brooks' "
            f"AND {in_period(date(2025, 7, 1), SAMPLE_TODAY)[0]} GROUP BY 1",
            in_period(date(2025, 7, 1), SAMPLE_TODAY)[1],
        )
    )
    assert len(by_month) < 12  # some months without a visit
    text = write(sample_store, tmp_path, ReportRequest("agent", "Daniel Brooks", year), "c.pdf")
    trend = text[text.index("Your trend") : text.index("All behaviours")]
    assert "A month with none has no point, and the line breaks there." in trend
    assert "fewer than 5 visits" not in trend
    # The first tick says its year, as January's does.
    assert re.search(r"Jul 2025( †)? ", text), trend


def test_a_trend_line_stops_at_a_month_without_data() -> None:
    src = trend_chart(
        ["Jan 2026", "Feb", "Mar", "Apr", "May"],
        [
            Series("Average score", [70.0, 72.0, None, 80.0, 75.0]),
            Series("Location", [1.0, 2.0, 3.0, 4.0, 5.0]),
        ],
        primary="#1f4e79",
        y_range=(0, 100),
    )
    svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    # Two stretches for the line with a gap, one for the line without.
    assert svg.count('class="line reactive nofill"') == 3
