"""A site's time zone: an IANA name this computer knows, or none (the report setting's)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from forms.storage import Store, StoreError


def stored_zone(store: Store) -> list[tuple[str, str]]:
    with store.reading() as session:
        return [
            (str(c), str(z))
            for c, z in session.execute(text("SELECT code, time_zone FROM location"))
        ]


def test_a_site_keeps_its_time_zone_until_it_is_changed(store: Store) -> None:
    store.upsert_location("HPO", "Harbor Point Offices", "Baltimore", " America/New_York ")
    store.upsert_location("HPO", "Harbor Point Offices (east wing)", "Baltimore")
    assert stored_zone(store) == [("HPO", "America/New_York")]

    store.upsert_location("HPO", "Harbor Point Offices", "Baltimore", "")
    assert stored_zone(store) == [("HPO", "")]


@pytest.mark.parametrize("zone", ["America/Baltimore", "EST-5", "new york", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused_naming_it_and_an_example(store: Store, zone: str) -> None:
    with pytest.raises(StoreError) as refused:
        store.upsert_location("HPO", "Harbor Point Offices", "Baltimore", zone)

    assert f"time zone '{zone}' is unknown" in str(refused.value)
    assert "America/New_York" in str(refused.value)
    assert stored_zone(store) == []
