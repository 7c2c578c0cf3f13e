"""The same reports from a team's PostgreSQL server: every figure equals the SQLite one.

Runs where RAPPORT_TEST_PG_URL points at a server (.ci/start-postgres prints it), as in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from forms.sample.company import load_sample_data
from forms.storage import Store
from reports.agent import agent_context
from reports.kit import ReportKit
from reports.location import location_context
from reports.portfolio import portfolio_context
from reports.queries import Period, find_agent, find_location
from tests.conftest import SAMPLE_TODAY
from tests.postgres_databases import NEEDS_SERVER, fresh_postgres_database

PERIOD = Period(date(2026, 1, 1), SAMPLE_TODAY)


def _printed(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the report prints it: the raw averages it ranks by ("..._value") may differ
    in their last binary digits between the two databases, the printed figures may not."""
    return {key: value for key, value in row.items() if not key.endswith("_value")}


def _figures(store: Store) -> dict[str, Any]:
    kit = ReportKit.load(store)
    location = location_context(kit, find_location(store, "NTC"), PERIOD)
    agent = agent_context(kit, find_agent(store, "Linh Tran"), PERIOD)
    portfolio = portfolio_context(kit, PERIOD, today=SAMPLE_TODAY)
    return {
        "location tiles": location["kpi_tiles"],
        "agents": [_printed(row) for row in location["agents"]],
        "behaviours": location["top_behaviours"] + location["bottom_behaviours"],
        "failures": location["failures"],
        "customer quotes": location["customer_quotes"],
        "trend caption": location["trend"]["caption"],
        "agent comparison": agent["comparison"],
        "focus": [(area["label"], area["you"], area["tips"]) for area in agent["focus"]],
        "ranking": [
            (row["name"], row["score"], row["change"], row["nps"]) for row in portfolio["rows"]
        ],
        "pulse": [*portfolio["pulse_rows"], portfolio["pulse_everywhere"]],
    }


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from fresh_postgres_database("rapport_reports")


@pytest.mark.postgres
@NEEDS_SERVER
def test_reports_from_postgresql_match_sqlite(sample_store: Store, postgres_url: str) -> None:
    server = Store.open(postgres_url)
    try:
        load_sample_data(server, today=SAMPLE_TODAY)
        assert _figures(server) == _figures(sample_store)
    finally:
        server.close()
