"""Fixtures of the store tests: a fresh database per test, SQLite and (when configured) PostgreSQL.

With RAPPORT_TEST_PG_URL set (.ci/start-postgres prints it) every test that uses `store_url`
or `store` also runs against PostgreSQL, in a database created for that test and dropped after.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.definition import FormDefinition
from forms.store import Store
from tests.forms.store.sample_forms import visit_form
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
    """A Store on a fresh database."""
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a SQLite test database goes (not created)."""
    return tmp_path / "rapport.db"


@pytest.fixture
def visit() -> FormDefinition:
    """The small mystery-shop form of these tests."""
    return visit_form()


@pytest.fixture
def form_id(store: Store, visit: FormDefinition) -> int:
    """The visit form, stored."""
    return store.add_form(visit)


@pytest.fixture
def location_id(store: Store) -> int:
    """A stored location."""
    return store.upsert_location("LOBBY-1", "Head office lobby", "Leeds")
