"""The same reports from a team's PostgreSQL server: every figure equals the SQLite one.

Runs where RAPPORT_TEST_PG_URL points at a server (.ci/start-postgres prints it), as in CI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from forms.sample_data import load_sample_data
from forms.store import Store
from reports.agent import agent_context
from reports.kit import ReportKit
from reports.location import location_context
from reports.portfolio import portfolio_context
from reports.queries import Period, find_agent, find_location
from tests.reports.conftest import SAMPLE_TODAY

PG_URL = os.environ.get("RAPPORT_TEST_PG_URL", "")
PERIOD = Period(date(2026, 1, 1), SAMPLE_TODAY)


def _figures(store: Store) -> dict[str, Any]:
    kit = ReportKit.load(store)
    location = location_context(kit, find_location(store, "NTC"), PERIOD)
    agent = agent_context(kit, find_agent(store, "Linh Tran"), PERIOD)
    portfolio = portfolio_context(kit, PERIOD, today=SAMPLE_TODAY)
    return {
        "location tiles": location["kpi_tiles"],
        "agents": location["agents"],
        "behaviours": location["top_behaviours"] + location["bottom_behaviours"],
        "failures": location["failures"],
        "customer quotes": location["customer_quotes"],
        "trend caption": location["trend"]["caption"],
        "agent comparison": agent["comparison"],
        "focus": [(area["label"], area["you"], area["tips"]) for area in agent["focus"]],
        "ranking": [
            (row["name"], row["score"], row["change"], row["nps"]) for row in portfolio["rows"]
        ],
        "pulse": [(row["workload"], row["burnout"]) for row in portfolio["rows"]],
    }


@pytest.fixture
def postgres_url() -> Iterator[str]:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"rapport_reports_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


if PG_URL:

    @pytest.mark.postgres
    def test_reports_from_postgresql_match_sqlite(sample_store: Store, postgres_url: str) -> None:
        server = Store.open(postgres_url)
        try:
            load_sample_data(server, today=SAMPLE_TODAY)
            assert _figures(server) == _figures(sample_store)
        finally:
            server.close()
