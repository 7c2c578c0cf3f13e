"""Regressions found by the fuzz suite in importing locations
(forms/exchange/locations_import.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from forms.exchange import ExchangeError
from forms.exchange.locations_import import import_locations, read_locations_csv
from forms.storage import Store
from tests.fuzz.corpus import CSV_GOOD, CSV_HEADER


def test_a_header_of_many_unknown_columns_lists_a_few(tmp_path: Path) -> None:
    # The message listed all 300,000 of them: 900,000 characters on one line.
    path = tmp_path / "sites.csv"
    path.write_text(CSV_HEADER + ",c" * 300_000 + "," + "d" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ExchangeError) as caught:
        read_locations_csv(path)
    assert "unknown column(s) c, dddddddd" in str(caught.value)
    assert "(5,000 characters) and" not in str(caught.value)  # only 2 distinct names
    assert len(str(caught.value)) < 500


def test_many_unknown_columns_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        CSV_HEADER + "".join(f",c{i}" for i in range(1000)) + "\n" + CSV_GOOD[0] + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ExchangeError, match=r"c0, c1, c2, c3, c4 and 995 more; the columns"):
        read_locations_csv(path)


def test_twenty_thousand_agents_are_stored_in_one_statement_per_change(tmp_path: Path) -> None:
    # One INSERT per agent took 4 s for 20,000 (over the 10 s budget at 50,000).
    lines = [f"S{i % 50},Site {i % 50},City,A{i},Agent {i}" for i in range(20_000)]
    path = tmp_path / "sites.csv"
    path.write_text("\n".join([CSV_HEADER, *lines]) + "\n", encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'rapport.db'}") as store:
        statements: list[str] = []
        event.listen(
            store.engine, "before_cursor_execute", lambda *args: statements.append(args[2])
        )
        report = import_locations(store, path)
        assert len(statements) < 50
        assert (report.locations_added, report.agents_added) == (50, 20_000)
        moved = [f"S{(i + 1) % 50},Site {(i + 1) % 50},City,A{i},Agent {i}" for i in range(100)]
        path.write_text("\n".join([CSV_HEADER, *moved]) + "\n", encoding="utf-8")
        again = import_locations(store, path)
        assert (again.agents_updated, again.locations_unchanged) == (100, 50)
    connection = sqlite3.connect(tmp_path / "rapport.db")
    try:
        moved_to = connection.execute(
            "select location.code from agent join location on location.id = agent.location_id "
            "where agent.code = 'A0'"
        ).fetchone()
    finally:
        connection.close()
    assert moved_to == ("S1",)
