"""What forms/ decides for a shopper's visits: the manager's note on a visit sent back, what
starting an assignment records, and deleting a draft of one's own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, select

from forms.authoring.builtin import install_builtin_forms
from forms.storage import Store, StoreError
from forms.storage.tables import Answer, AuditEvent, Blob, Submission

COMPLETE = {"greeted": "yes", "smiled": "na", "resolved": "yes", "wait_minutes": 5}


def finalized(store: Store, form_id: int, location_id: int, *, actor: str = "sam") -> str:
    submission_id = store.start_submission(form_id, location_id=location_id, actor=actor)
    for question, value in COMPLETE.items():
        store.save_answer(submission_id, question, value)
    store.finalize(submission_id, actor=actor)
    return submission_id


def test_a_visit_sent_back_carries_who_sent_it_when_and_the_note(
    store: Store, form_id: int, location_id: int
) -> None:
    submission_id = finalized(store, form_id, location_id)
    assert store.draft(submission_id).sent_back is None
    before = datetime.now(UTC)
    store.review(
        submission_id, actor="Dana (site manager)", decision="revision_requested", note="Name?"
    )
    sent_back = store.draft(submission_id).sent_back
    assert sent_back is not None
    assert (sent_back.by, sent_back.note) == ("Dana (site manager)", "Name?")
    assert before - timedelta(seconds=1) <= sent_back.at <= datetime.now(UTC)
    # Finalized again and reopened: the newest note is the one that counts.
    store.finalize(submission_id, actor="sam")
    assert store.draft(submission_id).sent_back is None
    store.reopen(submission_id, actor="Lee", note="The wait was 15 minutes, not 5")
    sent_back = store.draft(submission_id).sent_back
    assert sent_back is not None
    assert (sent_back.by, sent_back.note) == ("Lee", "The wait was 15 minutes, not 5")


@pytest.fixture
def shop_form(store: Store) -> int:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    return ids["mystery_shop_empathy"]


def test_starting_an_assignment_dates_the_visit_now_and_keeps_its_scenario(
    store: Store, shop_form: int, location_id: int
) -> None:
    agent_id = store.upsert_agent("A1", "Maria Alvarez", "LOBBY-1")
    due = date.today() + timedelta(days=7)
    assignment_id = store.add_assignment(
        location_id=location_id,
        form_version_id=shop_form,
        agent_id=agent_id,
        shopper="sam",
        due_date=due,
        scenario="Report a spill in the lobby; act upset.",
    )
    submission_id = store.start_assignment(assignment_id, actor="sam")
    draft = store.draft(submission_id)
    assert draft.visit_at is not None
    assert abs(draft.visit_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert (draft.form_version_id, draft.location_id, draft.agent_id, draft.assignment_id) == (
        shop_form,
        location_id,
        agent_id,
        assignment_id,
    )
    assert draft.answers["scenario"] == "Report a spill in the lobby; act upset."
    assert draft.scenario == "Report a spill in the lobby; act upset."


def test_the_shopper_can_correct_an_assignments_visit_time_and_agent(
    store: Store, shop_form: int, location_id: int
) -> None:
    agent_id = store.upsert_agent("A1", "Maria Alvarez", "LOBBY-1")
    assignment_id = store.add_assignment(
        location_id=location_id, form_version_id=shop_form, agent_id=agent_id, scenario="Spill"
    )
    when = datetime(2026, 6, 29, 9, 15, tzinfo=UTC)
    submission_id = store.start_assignment(
        assignment_id, visit_at=when, agent_id=None, channel="phone"
    )
    draft = store.draft(submission_id)
    assert (draft.visit_at, draft.agent_id, draft.channel) == (when, None, "phone")


def test_a_form_without_a_scenario_question_keeps_the_brief_beside_it(
    store: Store, form_id: int, location_id: int
) -> None:
    assignment_id = store.add_assignment(
        location_id=location_id, form_version_id=form_id, scenario="Spill"
    )
    draft = store.draft(store.start_assignment(assignment_id))
    assert draft.answers == {}
    assert draft.scenario == "Spill"


def test_a_done_assignment_cannot_be_started_again(
    store: Store, form_id: int, location_id: int
) -> None:
    assignment_id = store.add_assignment(location_id=location_id, form_version_id=form_id)
    submission_id = store.start_assignment(assignment_id)
    for question, value in COMPLETE.items():
        store.save_answer(submission_id, question, value)
    store.finalize(submission_id, actor="sam")
    with pytest.raises(StoreError, match="is done"):
        store.start_assignment(assignment_id)


def submission_exists(store: Store, submission_id: str) -> bool:
    with store.reading() as session:
        return session.get(Submission, submission_id) is not None


def test_a_shopper_deletes_a_draft_of_their_own_with_its_answers_and_photos(
    store: Store, form_id: int, location_id: int
) -> None:
    kept = store.start_submission(form_id, location_id=location_id, actor="sam")
    kept_photo = store.attach(kept, b"shared photo", filename="a.jpg", media_type="image/jpeg")
    draft = store.start_submission(form_id, location_id=location_id, actor="sam")
    store.save_answer(draft, "greeted", "yes")
    store.attach(draft, b"shared photo", filename="a.jpg", media_type="image/jpeg")
    store.attach(draft, b"only this draft's", filename="b.jpg", media_type="image/jpeg")
    store.delete_draft(draft, actor="sam")
    assert not submission_exists(store, draft)
    with store.reading() as session:
        assert not list(session.scalars(select(Answer).where(col(Answer.submission_id) == draft)))
        assert len(list(session.scalars(select(Blob)))) == 1  # the other draft's photo stays
        events = list(session.scalars(select(AuditEvent).where(col(AuditEvent.actor) == "sam")))
    assert [e.action for e in events if e.submission_id is None] == ["draft_deleted"]
    assert draft in next(e.detail for e in events if e.action == "draft_deleted")
    assert submission_exists(store, kept)
    # The photo both drafts held is still whole for the one kept.
    assert store.attachment_bytes(kept_photo) == b"shared photo"


def test_only_a_draft_can_be_deleted(store: Store, form_id: int, location_id: int) -> None:
    submission_id = finalized(store, form_id, location_id)
    with pytest.raises(StoreError, match="only a draft"):
        store.delete_draft(submission_id, actor="sam")
    store.review(submission_id, actor="Dana", decision="revision_requested", note="Name?")
    with pytest.raises(StoreError, match="sent back for revision"):
        store.delete_draft(submission_id, actor="sam")
    assert submission_exists(store, submission_id)


def test_a_draft_someone_else_started_is_theirs_to_delete(
    store: Store, form_id: int, location_id: int
) -> None:
    submission_id = store.start_submission(form_id, location_id=location_id, actor="lee")
    with pytest.raises(StoreError, match="lee started it"):
        store.delete_draft(submission_id, actor="sam")
    assert submission_exists(store, submission_id)


def test_deleting_a_draft_of_an_anonymous_form_names_no_one(store: Store, location_id: int) -> None:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    pulse = store.start_submission(ids["employee_pulse"], location_id=location_id, actor="sam")
    store.delete_draft(pulse, actor="sam")
    with store.reading() as session:
        events = list(session.scalars(select(AuditEvent)))
    deleted = [e for e in events if e.action == "draft_deleted"]
    assert [e.actor for e in deleted] == ["anonymous"]
    assert all("sam" not in (e.actor, e.detail) for e in events)
    # Nor where the employee works: the entry says a pulse draft went, nothing more.
    assert "location" not in deleted[0].detail


def test_starting_an_assignment_again_resumes_its_open_draft(
    store: Store, form_id: int, location_id: int
) -> None:
    assignment_id = store.add_assignment(location_id=location_id, form_version_id=form_id)
    first = store.start_assignment(assignment_id, actor="sam")
    store.save_answer(first, "greeted", "yes")
    assert store.start_assignment(assignment_id, actor="sam") == first
    with store.reading() as session:
        visits = list(
            session.scalars(
                select(col(Submission.id)).where(col(Submission.assignment_id) == assignment_id)
            )
        )
    assert visits == [first]
    assert store.draft(first).answers == {"greeted": "yes"}
    # Once it is deleted, the assignment starts afresh.
    store.delete_draft(first, actor="sam")
    assert store.start_assignment(assignment_id, actor="sam") != first


def test_a_deleted_drafts_audit_line_counts_what_its_shopper_gave(
    store: Store, form_id: int, location_id: int
) -> None:
    draft = store.start_submission(form_id, location_id=location_id, actor="sam")
    store.save_answer(draft, "greeted", "yes", comment="Smiled at once")
    store.save_answer(draft, "wait_minutes", None, comment="No clock in the hall")
    store.attach(draft, b"photo", filename="a.jpg", media_type="image/jpeg")
    store.delete_draft(draft, actor="sam")
    with store.reading() as session:
        detail = session.scalars(
            select(col(AuditEvent.detail)).where(col(AuditEvent.action) == "draft_deleted")
        ).one()
    assert '"answers":1' in detail
    assert '"comments":2' in detail
    assert '"photos":1' in detail
