"""Home's drafts as the read model gives them: what deleting each would lose."""

from __future__ import annotations

import pytest

from forms.authoring.builtin import install_builtin_forms
from forms.storage import Store, StoreError
from reports.queries.screens import DraftRow, draft_row, drafts


@pytest.fixture
def shop_form(store: Store) -> int:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    return ids["mystery_shop_empathy"]


@pytest.fixture
def location_id(store: Store) -> int:
    return store.upsert_location("LOBBY-1", "Head office lobby", "Leeds")


def row_of(store: Store, submission_id: str) -> DraftRow:
    found = draft_row(store, submission_id, actor="sam")
    assert found is not None
    assert found in drafts(store, actor="sam")
    return found


def test_answers_filled_in_from_the_visits_details_are_not_the_shoppers(
    store: Store, shop_form: int, location_id: int
) -> None:
    assignment_id = store.add_assignment(
        location_id=location_id, form_version_id=shop_form, scenario="Report a spill"
    )
    started = store.start_assignment(assignment_id, channel="phone", actor="sam")
    store.save_answer(started, "channel", "phone")  # as the window fills it in
    contents = row_of(store, started).contents
    assert (contents.answers, contents.comments, contents.photos) == (0, 0, 0)
    store.save_answer(started, "scenario", "Report a spill; then ask for the manager")
    store.save_answer(started, "wait_minutes", 4)
    assert row_of(store, started).contents.answers == 2


def test_comments_and_photos_count_even_without_an_answer(
    store: Store, shop_form: int, location_id: int
) -> None:
    draft = store.start_submission(shop_form, location_id=location_id, actor="sam")
    store.save_answer(draft, "wait_minutes", None, comment="The phone rang out twice")
    store.attach(draft, b"photo", filename="a.jpg", media_type="image/jpeg")
    store.attach(draft, b"photo", filename="b.jpg", media_type="image/jpeg")
    contents = row_of(store, draft).contents
    assert (contents.answers, contents.comments, contents.photos) == (0, 1, 2)
    store.delete_draft(draft, actor="sam")
    assert draft_row(store, draft, actor="sam") is None


def test_a_draft_is_deletable_by_whoever_started_it_and_anyone_when_anonymous(
    store: Store, shop_form: int, location_id: int
) -> None:
    draft = store.start_submission(shop_form, location_id=location_id, actor="lee")
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    pulse = store.start_submission(ids["employee_pulse"], location_id=location_id, actor="lee")
    for actor, deletable in (("lee", True), ("sam", False)):
        found = draft_row(store, draft, actor=actor)
        assert found is not None
        assert found.deletable == deletable
        assert found.deletion_refused == (
            "" if deletable else "lee started it, and only they can delete it."
        )
        anonymous = draft_row(store, pulse, actor=actor)
        assert anonymous is not None
        assert anonymous.deletable
    # What the list says is what the Store does.
    with pytest.raises(StoreError, match="lee started it, and only they can delete it"):
        store.delete_draft(draft, actor="sam")
    store.delete_draft(pulse, actor="sam")
