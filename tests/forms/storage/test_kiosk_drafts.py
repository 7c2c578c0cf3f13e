"""Surveys a customer walks away from at a kiosk are discarded, never left among the drafts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from forms.authoring.builtin import install_builtin_forms
from forms.storage import Store, StoreError
from forms.storage.lifecycle import KIOSK_ALIVE_PREFIX
from forms.storage.tables import Answer, Attachment, AuditEvent, Blob, Setting, Submission

KIOSK = "kiosk:lobby"
HOUR = timedelta(hours=1)


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
    removed = store.discard_abandoned_kiosk_drafts(device_prefix="kiosk:", idle=HOUR)
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


def heartbeat_long_ago(store: Store, device_id: str) -> None:
    """As if the kiosk session `device_id` stopped two hours ago (switched off)."""
    earlier = datetime.now(UTC) - timedelta(hours=2)
    with store.writing() as session:
        session.execute(
            update(Setting)
            .where(col(Setting.key) == KIOSK_ALIVE_PREFIX + device_id)
            .values(value=earlier.isoformat())
        )


def test_a_pulse_answered_now_at_a_running_kiosk_is_never_taken_for_abandoned(
    store: Store,
) -> None:
    # A pulse keeps its times to the day (00:00), so they look hours old by lunchtime.
    install_builtin_forms(store)
    pulse = store.latest_form_version("employee_pulse")
    assert pulse is not None
    location = store.upsert_location("HPO", "Harbor Point Offices")
    running, stopped = "kiosk:lobby:1a2b3c4d", "kiosk:lobby:9f8e7d6c"
    for device in (running, stopped):
        store.kiosk_alive(device)
    answering = store.start_submission(pulse, location_id=location, device_id=running)
    store.save_answer(answering, "workload_manageable", "agree")  # this very second
    left = store.start_submission(pulse, location_id=location, device_id=stopped)
    store.save_answer(left, "workload_manageable", "disagree")
    heartbeat_long_ago(store, stopped)
    assert store.discard_abandoned_kiosk_drafts(device_prefix="kiosk:", idle=HOUR) == 1
    assert exists(store, answering)
    assert not exists(store, left)  # its kiosk is provably gone
    with store.reading() as session:
        (event,) = session.scalars(select(AuditEvent).where(col(AuditEvent.action) == "discarded"))
        beats = set(session.scalars(select(Setting.key).where(col(Setting.key).contains("kiosk"))))
    # The line names no kiosk and keeps the day only, as the pulse itself does.
    assert event.actor == "anonymous"
    assert (event.at.hour, event.at.minute, event.at.second, event.at.microsecond) == (0, 0, 0, 0)
    assert beats == {KIOSK_ALIVE_PREFIX + running}  # the stopped kiosk's heartbeat is cleared


@pytest.mark.parametrize("days_ago", [0, 1])
def test_a_pulse_of_a_kiosk_without_a_heartbeat_goes_only_from_an_earlier_day(
    store: Store, days_ago: int
) -> None:
    install_builtin_forms(store)
    pulse = store.latest_form_version("employee_pulse")
    assert pulse is not None
    left = store.start_submission(pulse, device_id=KIOSK)
    store.save_answer(left, "workload_manageable", "agree")
    earlier = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    earlier -= timedelta(days=days_ago)
    with store.writing() as session:
        session.execute(update(Submission).values(started_at=earlier))
        session.execute(update(Answer).values(updated_at=earlier))
    store.discard_abandoned_kiosk_drafts(device_prefix="kiosk:", idle=HOUR)
    assert exists(store, left) is (days_ago == 0)
