"""Surveys a customer walks away from at a kiosk are discarded, never left among the drafts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from forms.storage import Store, StoreError
from forms.storage.tables import Answer, Attachment, AuditEvent, Blob, Submission

KIOSK = "kiosk:lobby"


def started_long_ago(store: Store, submission_id: str) -> None:
    """As if the survey was begun (and last answered) two hours ago."""
    earlier = datetime.now(UTC) - timedelta(hours=2)
    with store.writing() as session:
        session.execute(
            update(Submission).where(col(Submission.id) == submission_id).values(started_at=earlier)
        )
        session.execute(
            update(Answer)
            .where(col(Answer.submission_id) == submission_id)
            .values(updated_at=earlier)
        )


def exists(store: Store, submission_id: str) -> bool:
    try:
        store.draft(submission_id)
    except StoreError:
        return False
    return True


def test_an_unfinished_kiosk_survey_is_removed_with_its_answers_and_files(
    store: Store, form_id: int, location_id: int
) -> None:
    left = store.start_submission(form_id, location_id=location_id, device_id=KIOSK, actor="kiosk")
    store.save_answer(left, "greeted", "yes")
    store.attach(left, b"\x89PNG only here", filename="a.png", media_type="image/png")
    assert store.discard_kiosk_draft(left, device_id=KIOSK)
    assert not exists(store, left)
    with store.reading() as session:
        assert list(session.scalars(select(Answer).where(col(Answer.submission_id) == left))) == []
        assert list(session.scalars(select(Attachment))) == []
        assert list(session.scalars(select(Blob))) == []
        (event,) = session.scalars(select(AuditEvent).where(col(AuditEvent.action) == "discarded"))
    assert left in event.detail  # the audit trail still says which survey went, and why


def test_only_a_kiosk_draft_of_that_device_is_discarded(
    store: Store, form_id: int, location_id: int
) -> None:
    shopper = store.start_submission(form_id, location_id=location_id, actor="ann")
    other_kiosk = store.start_submission(form_id, location_id=location_id, device_id="kiosk:b")
    sent = store.start_submission(form_id, location_id=location_id, device_id=KIOSK)
    for question, value in {"greeted": "yes", "smiled": "na", "resolved": "yes"}.items():
        store.save_answer(sent, question, value)
    store.save_answer(sent, "wait_minutes", 5)
    store.finalize(sent, actor="kiosk")
    for kept in (shopper, other_kiosk, sent):
        assert not store.discard_kiosk_draft(kept, device_id=KIOSK)
        assert exists(store, kept)
    assert not store.discard_kiosk_draft(shopper, device_id="")  # a shopper's device: none


@pytest.mark.parametrize("touched_recently", [False, True])
def test_a_starting_kiosk_discards_the_surveys_left_when_it_was_switched_off(
    store: Store, form_id: int, location_id: int, touched_recently: bool
) -> None:
    left = store.start_submission(form_id, location_id=location_id, device_id=KIOSK)
    store.save_answer(left, "greeted", "yes")
    started_long_ago(store, left)
    if touched_recently:  # a customer may be answering it right now
        store.save_answer(left, "smiled", "yes")
    fresh = store.start_submission(form_id, location_id=location_id, device_id=KIOSK)
    shopper = store.start_submission(form_id, location_id=location_id, actor="ann")
    started_long_ago(store, shopper)
    removed = store.discard_abandoned_kiosk_drafts(device_id=KIOSK, idle=timedelta(hours=1))
    assert removed == (0 if touched_recently else 1)
    assert exists(store, left) is touched_recently
    assert exists(store, fresh)
    assert exists(store, shopper)


def test_the_next_customers_survey_replaces_an_unfinished_one_in_one_step(
    store: Store, form_id: int, location_id: int
) -> None:
    left = store.start_submission(form_id, location_id=location_id, device_id=KIOSK)
    store.save_answer(left, "greeted", "no")
    following = store.start_submission(
        form_id, location_id=location_id, device_id=KIOSK, replacing=left
    )
    assert not exists(store, left)
    assert exists(store, following)
    # A survey of another kiosk is never replaced.
    other = store.start_submission(form_id, location_id=location_id, device_id="kiosk:b")
    store.start_submission(form_id, location_id=location_id, device_id=KIOSK, replacing=other)
    assert exists(store, other)
