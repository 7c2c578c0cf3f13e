"""Fixtures of the exchange tests: the database under test on SQLite and (when configured)
PostgreSQL, and a second laptop's SQLite database to move data from.

With RAPPORT_TEST_PG_URL set (.ci/start-postgres prints it) every test that uses `store`
also runs against PostgreSQL, in a database created for that test and dropped after.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.store import Store
from tests.postgres_databases import BACKENDS, fresh_postgres_database


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database that does not exist yet (SQLite) or is empty (PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rapport.db'}"
    else:
        yield from fresh_postgres_database("rapport_exchange")


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
