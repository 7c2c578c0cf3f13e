"""Sites and agents from CSV: every bad line named, nothing stored unless all is well."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from forms.exchange import ExchangeError
from forms.exchange.locations_import import import_locations
from forms.storage import Store
from forms.storage.tables import Agent, Location
from tests.forms.exchange.work import database_dump

GOOD = """\
location_code,location_name,city,agent_code,agent_name
HPO,Harbor Point Offices,Baltimore,A-1,Maria Alvarez
HPO,,,A-2,Tomás Herrera
RMP,Riverside Medical Plaza,Richmond,,
"NTC","North Terminal Concourse, Gate B",Pittsburgh,A-3,Linh Tran
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "sites.csv"
    path.write_bytes(text.encode(encoding))
    return path


def sites(store: Store) -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    with store.reading() as session:
        found = {}
        for location in session.scalars(select(Location)):
            staff = session.scalars(select(Agent).where(Agent.location_id == location.id))  # type: ignore[arg-type]
            found[location.code] = (
                location.name,
                location.city,
                sorted((agent.code, agent.name) for agent in staff),
            )
        return found


def test_sites_and_agents_are_added_then_updated_by_code(store: Store, tmp_path: Path) -> None:
    report = import_locations(store, write(tmp_path, "\ufeff" + GOOD))
    assert (report.locations_added, report.agents_added) == (3, 3)
    assert sites(store) == {
        "HPO": (
            "Harbor Point Offices",
            "Baltimore",
            [("A-1", "Maria Alvarez"), ("A-2", "Tomás Herrera")],
        ),
        "RMP": ("Riverside Medical Plaza", "Richmond", []),
        "NTC": ("North Terminal Concourse, Gate B", "Pittsburgh", [("A-3", "Linh Tran")]),
    }

    moved = (
        "Location Code;Location Name;Agent Code;Agent Name\n"
        "RMP;Riverside Medical;A-2;Tomás Herrera\n"
    )
    again = import_locations(store, write(tmp_path, moved))

    assert (again.locations_updated, again.agents_updated) == (1, 1)
    assert sites(store)["RMP"] == ("Riverside Medical", "Richmond", [("A-2", "Tomás Herrera")])
    assert import_locations(store, write(tmp_path, moved)).locations_unchanged == 1


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        pytest.param(
            "code,name\nHPO,Harbor\n",
            ["line 1: unknown column(s) code, name", "location_code, location_name, city"],
            id="wrong columns",
        ),
        pytest.param(
            "location_code,city\nHPO,Baltimore\n",
            ["line 1: missing column(s) location_name"],
            id="missing column",
        ),
        pytest.param(
            GOOD + ",Nameless Site,Dover,,\nGVM,Greenview Mall,Raleigh,A-9,\nXYZ,,,A-4,Ann Lee\n",
            [
                "line 6: location_code is empty",
                "line 7: agent A-9 has no agent_name",
                "line 8: location_name is empty and XYZ is a new site",
            ],
            id="empty required cells",
        ),
        pytest.param(
            GOOD + "HPO,Harbour Point,Baltimore,,\nRMP,Riverside Medical Plaza,Richmond,A-1,Mara\n",
            [
                "line 6: location code HPO is named 'Harbour Point' here but 'Harbor Point "
                "Offices' on line 2",
                "line 7: agent code A-1 is Mara at RMP here but Maria Alvarez at HPO on line 2",
            ],
            id="duplicate codes with different names",
        ),
        pytest.param("", ["is empty: its first line must name the columns"], id="empty file"),
    ],
)
def test_every_bad_line_is_named_and_nothing_is_stored(
    store: Store, tmp_path: Path, text: str, messages: list[str]
) -> None:
    before = database_dump(store)
    with pytest.raises(ExchangeError) as refused:
        import_locations(store, write(tmp_path, text))
    for message in messages:
        assert message in str(refused.value)
    assert database_dump(store) == before


def test_a_file_saved_in_another_encoding_says_how_to_save_it(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD, encoding="cp1252")
    with pytest.raises(ExchangeError, match=r"line 3 .*CSV UTF-8") as refused:
        import_locations(store, path)
    assert "not UTF-8" in str(refused.value)
    assert sites(store) == {}


def test_an_excel_workbook_is_not_taken_for_csv(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes(b"PK\x03\x04 an xlsx file")
    with pytest.raises(ExchangeError, match=r"Excel workbook, not a CSV file.*CSV UTF-8"):
        import_locations(store, path)


def test_a_new_agent_may_join_a_stored_site_without_repeating_its_name(
    store: Store, tmp_path: Path
) -> None:
    store.upsert_location("HPO", "Harbor Point Offices", "Baltimore")
    import_locations(
        store,
        write(
            tmp_path, "location_code,location_name,agent_code,agent_name\nHPO,,A-5,Ana Pereira\n"
        ),
    )
    assert sites(store)["HPO"] == ("Harbor Point Offices", "Baltimore", [("A-5", "Ana Pereira")])


def test_a_stray_quote_is_refused_with_its_line_instead_of_swallowing_the_file(
    store: Store, tmp_path: Path
) -> None:
    text = GOOD.replace("RMP,Riverside Medical Plaza", 'RMP,"Riverside Medical Plaza')
    before = database_dump(store)
    with pytest.raises(ExchangeError) as caught:
        import_locations(store, write(tmp_path, text))
    message = str(caught.value)
    assert "line 4: a quote" in message
    assert "Close the quote on the same line" in message
    assert database_dump(store) == before


def test_a_nul_character_is_refused_with_its_line(store: Store, tmp_path: Path) -> None:
    text = GOOD.replace("Maria Alvarez", "Maria\x00Alvarez")
    before = database_dump(store)
    with pytest.raises(ExchangeError, match="line 2 holds a NUL character"):
        import_locations(store, write(tmp_path, text))
    assert database_dump(store) == before


def zones(store: Store) -> dict[str, str]:
    with store.reading() as session:
        return {site.code: site.time_zone for site in session.scalars(select(Location))}


def test_a_sites_time_zone_is_imported_and_kept_where_a_line_leaves_it_empty(
    store: Store, tmp_path: Path
) -> None:
    first = (
        "location_code,location_name,city,time_zone\n"
        "HPO,Harbor Point Offices,Baltimore,America/New_York\n"
        "RMP,Riverside Medical Plaza,Richmond,\n"
    )
    import_locations(store, write(tmp_path, first))
    assert zones(store) == {"HPO": "America/New_York", "RMP": ""}

    later = (
        "location_code,location_name,time_zone,agent_code,agent_name\n"
        "HPO,Harbor Point Offices,,A-1,Maria Alvarez\n"
        "RMP,,America/Chicago,,\n"
    )
    report = import_locations(store, write(tmp_path, later))
    assert zones(store) == {"HPO": "America/New_York", "RMP": "America/Chicago"}
    assert report.agents_added == 1


def test_an_unknown_time_zone_refuses_the_file_naming_the_line(
    store: Store, tmp_path: Path
) -> None:
    text = (
        "location_code,location_name,time_zone\n"
        "HPO,Harbor Point Offices,America/New_York\n"
        "RMP,Riverside Medical Plaza,Eastern Time\n"
    )
    with pytest.raises(ExchangeError) as refused:
        import_locations(store, write(tmp_path, text))

    assert "line 3: time zone 'Eastern Time' is unknown" in str(refused.value)
    assert "America/New_York" in str(refused.value)
    assert zones(store) == {}
