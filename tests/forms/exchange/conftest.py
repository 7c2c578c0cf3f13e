"""Fixtures of the exchange tests: the database under test on SQLite and (when configured)
PostgreSQL, and a second laptop's SQLite database to move data from.

With RAPPORT_TEST_PG_URL set (.ci/start-postgres prints it) every test that uses `store`
also runs against PostgreSQL, in a database created for that test and dropped after.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.storage import Store


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Store]:
    """A shopper's laptop: a fresh SQLite database of its own."""
    opened = Store.open(f"sqlite:///{tmp_path / 'laptop.db'}")
    try:
        yield opened
    finally:
        opened.close()
