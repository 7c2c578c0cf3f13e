"""Throwaway PostgreSQL databases for the tests that also run against a team server.

RAPPORT_TEST_PG_URL (printed by .ci/start-postgres) names the server; without it only
SQLite is tested. Each test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("RAPPORT_TEST_PG_URL", "")

NEEDS_SERVER = pytest.mark.skipif(
    not PG_URL,
    reason='needs a PostgreSQL server: run eval "$(.ci/start-postgres)" first (it sets '
    "RAPPORT_TEST_PG_URL), or run .ci/run",
)
"""Marks a test that runs against a team server; without one it is skipped, saying how to run it."""

POSTGRES = [pytest.mark.postgres, NEEDS_SERVER]

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=POSTGRES),
]


def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """Create an empty database on the test server, yield its URL, then drop it."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
