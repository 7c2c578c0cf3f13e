"""Fixtures of the forms/ tests: a fresh database per test, on SQLite and, when
RAPPORT_TEST_PG_URL is set (.ci/start-postgres prints it), on PostgreSQL too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.storage import Store
from tests.postgres_databases import BACKENDS, fresh_postgres_database


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database that does not exist yet (SQLite) or is empty (PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rapport.db'}"
    else:
        yield from fresh_postgres_database("rapport_test")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A Store on a fresh database (a team server when it is PostgreSQL)."""
    with Store.open(store_url) as opened:
        yield opened
