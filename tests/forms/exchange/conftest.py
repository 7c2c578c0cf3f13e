"""Fixtures of the exchange tests: the database under test on SQLite and (when configured)
PostgreSQL, and a second laptop's SQLite database to move data from.

With RAPPORT_TEST_PG_URL set (.ci/start-postgres prints it) every test that uses `store`
also runs against PostgreSQL, in a database created for that test and dropped after.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from forms.store import Store

PG_URL = os.environ.get("RAPPORT_TEST_PG_URL", "")

BACKENDS = [pytest.param("sqlite", id="sqlite")]
if PG_URL:
    BACKENDS.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))


def _fresh_postgres_database() -> Iterator[str]:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"rapport_exchange_{uuid.uuid4().hex[:16]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database that does not exist yet (SQLite) or is empty (PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rapport.db'}"
    else:
        yield from _fresh_postgres_database()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """The database under test (a team server when it is PostgreSQL), fresh."""
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Store]:
    """A shopper's laptop: a fresh SQLite database of its own."""
    opened = Store.open(f"sqlite:///{tmp_path / 'laptop.db'}")
    try:
        yield opened
    finally:
        opened.close()
