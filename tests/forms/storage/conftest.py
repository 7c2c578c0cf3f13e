"""Fixtures of the store tests: a fresh database per test, SQLite and (when configured) PostgreSQL.

With RAPPORT_TEST_PG_URL set (.ci/start-postgres prints it) every test that uses `store_url`
or `store` also runs against PostgreSQL, in a database created for that test and dropped after.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.definition.model import FormDefinition
from forms.storage import Store
from tests.forms.storage.sample_forms import visit_form


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
