"""Sync with a team server: push finalized work, pull forms, sites and assignments; a sync cut
off at any point leaves both sides whole and the next one completes it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from forms.exchange import ExchangeError
from forms.exchange import sync as sync_module
from forms.exchange.bundle_merge import _Merge
from forms.exchange.sync import sync_with_server
from forms.storage import Store
from forms.storage.tables import Assignment, Location
from forms.storage.values import table_of
from tests.forms.exchange.work import (
    PHOTO,
    add_assignment,
    add_sites,
    database_dump,
    finished_visit,
    submission_view,
)
from tests.forms.storage.sample_forms import visit_form


def prepare_server(server: Store) -> None:
    """What a manager sets up on the team server before shoppers go out."""
    form_id = server.add_form(visit_form())
    location_id, agent_id = add_sites(server)
    add_assignment(server, form_id, location_id, agent_id)


def visit_assigned_work(laptop: Store) -> str:
    """The shopper's visit on the laptop, made for the assignment pulled from the server."""
    with laptop.reading() as session:
        task = session.scalars(select(Assignment)).one()
    return finished_visit(
        laptop,
        task.form_version_id,
        visit_at=datetime(2026, 3, 9, 14, 5, tzinfo=UTC),
        photo=PHOTO,
        location_id=task.location_id,
        agent_id=task.agent_id,
        assignment_id=task.id,
    )


def location_names(store: Store) -> dict[str, str]:
    with store.reading() as session:
        return {row.code: row.name for row in session.scalars(select(Location))}


def test_a_shopper_pulls_assignments_and_pushes_finished_visits(
    laptop: Store, store: Store
) -> None:
    prepare_server(store)
    first = sync_with_server(laptop, store, actor="sam")
    assert (first.pulled.forms_added, first.pulled.assignments_added) == (1, 1)
    assert first.pushed.submissions_added == 0

    visit = visit_assigned_work(laptop)
    second = sync_with_server(laptop, store, actor="sam")

    assert second.pushed.submissions_added == 1
    assert submission_view(store, visit) == submission_view(laptop, visit)
    assert not second.pulled.changed


def test_syncing_again_changes_nothing_on_either_side(laptop: Store, store: Store) -> None:
    prepare_server(store)
    sync_with_server(laptop, store, actor="sam")
    visit_assigned_work(laptop)
    sync_with_server(laptop, store, actor="sam")
    server_before, laptop_before = database_dump(store), database_dump(laptop)

    again = sync_with_server(laptop, store, actor="sam")

    assert not again.pushed.changed
    assert not again.pulled.changed
    assert database_dump(store) == server_before
    assert database_dump(laptop) == laptop_before


def test_a_sync_cut_off_between_push_and_pull_is_completed_by_the_next(
    laptop: Store, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_server(store)
    sync_with_server(laptop, store, actor="sam")
    visit = visit_assigned_work(laptop)
    store.upsert_location("RMP", "Riverside Medical Plaza", "Richmond")

    def network_lost(server: Store, local: Store, *, actor: str) -> None:
        raise ConnectionError("network lost")

    monkeypatch.setattr(sync_module, "pull", network_lost)
    with pytest.raises(ConnectionError):
        sync_with_server(laptop, store, actor="sam")
    assert submission_view(store, visit) == submission_view(laptop, visit)
    assert "RMP" not in location_names(laptop)
    server_after_push = database_dump(store)

    monkeypatch.undo()
    completed = sync_with_server(laptop, store, actor="sam")

    assert completed.pulled.locations_added == 1
    assert location_names(laptop)["RMP"] == "Riverside Medical Plaza"
    assert database_dump(store) == server_after_push


def test_a_push_that_fails_midway_leaves_the_server_as_it_was(
    laptop: Store, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_server(store)
    sync_with_server(laptop, store, actor="sam")
    visit = visit_assigned_work(laptop)
    server_before = database_dump(store)

    def connection_dropped(self: _Merge) -> None:
        raise ConnectionError("server went away")

    monkeypatch.setattr(_Merge, "flush", connection_dropped)
    with pytest.raises(ConnectionError):
        sync_with_server(laptop, store, actor="sam")
    assert database_dump(store) == server_before

    monkeypatch.undo()
    assert sync_with_server(laptop, store, actor="sam").pushed.submissions_added == 1
    assert submission_view(store, visit) == submission_view(laptop, visit)


def test_the_server_names_sites_and_the_laptop_follows(laptop: Store, store: Store) -> None:
    prepare_server(store)
    sync_with_server(laptop, store, actor="sam")
    laptop.upsert_location("LOBBY-1", "Lobby (my note)", "Leeds")
    store.upsert_location("LOBBY-1", "Head office lobby, north entrance", "Leeds")

    report = sync_with_server(laptop, store, actor="sam")

    assert report.pulled.locations_updated == 1
    assert location_names(laptop)["LOBBY-1"] == "Head office lobby, north entrance"
    assert location_names(store)["LOBBY-1"] == "Head office lobby, north entrance"


def test_a_sites_time_zone_set_on_the_server_reaches_the_laptop(
    laptop: Store, store: Store
) -> None:
    prepare_server(store)
    sync_with_server(laptop, store, actor="sam")
    store.upsert_location("LOBBY-1", "Head office lobby", "Baltimore", "America/New_York")

    report = sync_with_server(laptop, store, actor="sam")

    assert report.pulled.locations_updated == 1
    with laptop.reading() as session:
        site = session.scalars(select(Location).where(Location.code == "LOBBY-1")).one()
    assert (site.city, site.time_zone) == ("Baltimore", "America/New_York")


def test_a_form_changed_without_a_new_version_stops_the_push(laptop: Store, store: Store) -> None:
    prepare_server(store)
    form_id = laptop.add_form(visit_form(greeting_label="Greeted warmly?"))
    finished_visit(laptop, form_id, visit_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    server_before = database_dump(store)

    with pytest.raises(ExchangeError, match="form 'store_visit' version 1 is stored here with"):
        sync_with_server(laptop, store, actor="sam")

    assert database_dump(store) == server_before


def test_a_laptop_cannot_sync_with_itself(laptop: Store) -> None:
    with pytest.raises(ExchangeError, match="this database itself"):
        sync_with_server(laptop, Store(laptop.url, laptop.engine), actor="sam")
    with laptop.reading() as session:
        assert session.execute(select(table_of(Location).c.id)).first() is None
