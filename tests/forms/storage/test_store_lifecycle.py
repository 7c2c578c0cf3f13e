"""A submission's life in the store: autosave, finalize, review, reopen, void, attachments."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, func, select

from forms.definition.model import FormDefinition
from forms.storage import Store, StoreError, SubmissionIncomplete
from forms.storage.tables import Answer, Attachment, Blob, Submission, SubmissionRevision

COMPLETE = {"greeted": "yes", "smiled": "na", "resolved": "yes", "wait_minutes": 5}


def fill(store: Store, submission_id: str, answers: dict[str, object]) -> None:
    for question, value in answers.items():
        store.save_answer(submission_id, question, value)


def answer_row(store: Store, submission_id: str, question: str) -> Answer:
    with store.reading() as session:
        row = session.exec(
            select(Answer).where(
                col(Answer.submission_id) == submission_id, col(Answer.question) == question
            )
        ).one()
        return row


def test_a_draft_resumes_exactly_where_it_stopped(
    store: Store, form_id: int, location_id: int
) -> None:
    visit_at = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
    submission_id = store.start_submission(
        form_id, location_id=location_id, channel="in_person", visit_at=visit_at, actor="ann"
    )
    store.save_answer(submission_id, "greeted", "yes", comment="Warm hello at the door")
    store.save_answer(submission_id, "wait_minutes", 7, current_question="wait_minutes")

    draft = store.draft(submission_id)

    assert draft.status == "draft"
    assert draft.editable
    assert draft.answers == {"greeted": "yes", "wait_minutes": 7}
    assert draft.comments == {"greeted": "Warm hello at the door"}
    assert draft.current_question == "wait_minutes"
    assert draft.location_id == location_id
    assert draft.visit_at == visit_at
    assert draft.started_at.tzinfo is not None


def test_clearing_an_answer_removes_its_value_but_keeps_the_comment(
    store: Store, form_id: int
) -> None:
    submission_id = store.start_submission(form_id)
    store.save_answer(submission_id, "notes", "dusty shelves", comment="see photo")
    store.save_answer(submission_id, "greeted", "no")

    store.save_answer(submission_id, "notes", None)
    store.save_answer(submission_id, "greeted", None)

    draft = store.draft(submission_id)
    assert draft.answers == {}
    assert draft.comments == {"notes": "see photo"}


def test_answers_to_unknown_or_unanswerable_questions_are_refused(
    store: Store, form_id: int
) -> None:
    submission_id = store.start_submission(form_id)

    with pytest.raises(StoreError, match="no question 'greeting_typo'"):
        store.save_answer(submission_id, "greeting_typo", "yes")
    with pytest.raises(StoreError, match=r"'intro' .* note"):
        store.save_answer(submission_id, "intro", "hello")
    with pytest.raises(StoreError, match="cannot be stored"):
        store.save_answer(submission_id, "notes", object())

    assert store.draft(submission_id).answers == {}


def test_finalize_refuses_missing_required_answers_and_changes_nothing(
    store: Store, form_id: int
) -> None:
    submission_id = store.start_submission(form_id, actor="ann")
    store.save_answer(submission_id, "wait_minutes", 500)
    trail_before = store.audit_trail(submission_id)

    with pytest.raises(SubmissionIncomplete) as refused:
        store.finalize(submission_id, actor="ann")

    assert refused.value.problems == [
        ("greeted", "This question needs an answer."),
        ("resolved", "Say whether the issue was resolved."),
        ("wait_minutes", "Give the wait in minutes, at most 120."),
    ]
    draft = store.draft(submission_id)
    assert draft.status == "draft"
    assert draft.score is None
    assert draft.content_hash is None
    assert draft.answers == {"wait_minutes": 500}
    assert store.audit_trail(submission_id) == trail_before


def test_finalize_stores_score_band_points_and_content_hash(store: Store, form_id: int) -> None:
    submission_id = store.start_submission(form_id, actor="ann")
    fill(store, submission_id, {**COMPLETE, "greeted": "no"})

    result = store.finalize(submission_id, actor="ann")

    draft = store.draft(submission_id)
    # greeted 0 of 2, smiled N/A (left out), resolved 2 of 2: 2 of 4 points.
    assert result.overall == pytest.approx(50.0)
    assert draft.status == "final"
    assert draft.score == pytest.approx(result.overall)
    assert draft.finished_at is not None
    with store.reading() as session:
        row = session.get(Submission, submission_id)
        assert row is not None
        assert row.band == "Below"
        assert row.empathy_index == pytest.approx(0.0)
        assert not row.critical_failure
    greeted = answer_row(store, submission_id, "greeted")
    assert (greeted.points, greeted.possible) == (0.0, 2.0)
    assert answer_row(store, submission_id, "smiled").not_applicable
    assert draft.content_hash is not None
    assert len(draft.content_hash) == 64
    assert [entry.action for entry in store.audit_trail(submission_id)] == [
        "started",
        "finalized",
    ]


def test_the_content_hash_follows_the_content(store: Store, form_id: int) -> None:
    hashes = []
    for answers in (COMPLETE, COMPLETE, {**COMPLETE, "wait_minutes": 6}):
        submission_id = store.start_submission(form_id)
        fill(store, submission_id, answers)
        store.finalize(submission_id, actor="ann")
        hashes.append(store.draft(submission_id).content_hash)

    assert hashes[0] == hashes[1]
    assert hashes[0] != hashes[2]


def test_a_critical_failure_scores_zero_and_keeps_the_raw_score(store: Store, form_id: int) -> None:
    submission_id = store.start_submission(form_id)
    fill(store, submission_id, {**COMPLETE, "resolved": "no"})

    result = store.finalize(submission_id, actor="ann")

    with store.reading() as session:
        row = session.get(Submission, submission_id)
        assert row is not None
        assert row.critical_failure
        assert row.score == 0.0
        assert row.raw_score == pytest.approx(50.0)
    assert result.critical_failure


def test_a_final_submission_is_read_only(store: Store, form_id: int) -> None:
    submission_id = store.start_submission(form_id)
    fill(store, submission_id, COMPLETE)
    store.finalize(submission_id, actor="ann")

    with pytest.raises(StoreError, match="final and read-only"):
        store.save_answer(submission_id, "greeted", "no")
    with pytest.raises(StoreError, match="read-only"):
        store.attach(submission_id, b"\xff\xd8photo", filename="a.jpg", media_type="image/jpeg")
    with pytest.raises(StoreError, match="read-only"):
        store.finalize(submission_id, actor="ann")

    assert store.draft(submission_id).answers["greeted"] == "yes"


def test_reopen_keeps_the_earlier_version_and_is_audited(store: Store, form_id: int) -> None:
    submission_id = store.start_submission(form_id, actor="ann")
    fill(store, submission_id, COMPLETE)
    store.finalize(submission_id, actor="ann")
    first = store.draft(submission_id)

    with pytest.raises(StoreError, match="note"):
        store.reopen(submission_id, actor="maria", note="  ")
    before = datetime.now(UTC)
    store.reopen(submission_id, actor="maria", note="The wait looks wrong: check the receipt")

    reopened = store.draft(submission_id)
    assert reopened.status == "revision_requested"
    assert reopened.revision == 1
    assert reopened.review_note == "The wait looks wrong: check the receipt"
    entry = store.audit_trail(submission_id)[-1]
    assert (entry.action, entry.actor) == ("reopened", "maria")
    assert before - timedelta(seconds=1) <= entry.at <= datetime.now(UTC) + timedelta(seconds=1)
    assert entry.detail["content_hash"] == first.content_hash
    with store.reading() as session:
        kept = session.exec(
            select(SubmissionRevision).where(col(SubmissionRevision.submission_id) == submission_id)
        ).one()
    assert kept.revision == 0
    assert kept.content_hash == first.content_hash
    assert kept.reopened_by == "maria"
    assert json.loads(kept.answers)["wait_minutes"]["value"] == 5

    store.save_answer(submission_id, "wait_minutes", 12)
    store.finalize(submission_id, actor="ann")

    again = store.draft(submission_id)
    assert again.status == "final"
    assert again.content_hash not in (None, first.content_hash)
    assert again.answers["wait_minutes"] == 12


def test_review_decisions_come_after_final_only(store: Store, form_id: int) -> None:
    submission_id = store.start_submission(form_id)
    with pytest.raises(StoreError, match="only final"):
        store.review(submission_id, actor="maria", decision="accepted")
    fill(store, submission_id, COMPLETE)
    store.finalize(submission_id, actor="ann")

    with pytest.raises(StoreError, match="note"):
        store.review(submission_id, actor="maria", decision="revision_requested")
    store.review(submission_id, actor="maria", decision="accepted", note="Clear evidence")

    assert store.draft(submission_id).status == "accepted"
    entry = store.audit_trail(submission_id)[-1]
    assert (entry.action, entry.actor, entry.detail["note"]) == (
        "accepted",
        "maria",
        "Clear evidence",
    )
    with pytest.raises(StoreError, match="only final"):
        store.review(submission_id, actor="maria", decision="rejected")


def test_a_review_can_send_the_visit_back(store: Store, form_id: int) -> None:
    submission_id = store.start_submission(form_id)
    fill(store, submission_id, COMPLETE)
    store.finalize(submission_id, actor="ann")

    store.review(submission_id, actor="maria", decision="revision_requested", note="Add a photo")

    draft = store.draft(submission_id)
    assert (draft.status, draft.revision, draft.review_note) == (
        "revision_requested",
        1,
        "Add a photo",
    )
    store.save_answer(submission_id, "notes", "photo added")
    assert store.draft(submission_id).answers["notes"] == "photo added"


def test_void_needs_a_reason_and_is_audited(store: Store, form_id: int) -> None:
    submission_id = store.start_submission(form_id)

    with pytest.raises(StoreError, match="reason"):
        store.void(submission_id, actor="maria", reason="")
    store.void(submission_id, actor="maria", reason="Shopper visited the wrong site")

    assert store.draft(submission_id).status == "void"
    entry = store.audit_trail(submission_id)[-1]
    assert (entry.action, entry.detail["reason"]) == ("voided", "Shopper visited the wrong site")
    with pytest.raises(StoreError, match="already void"):
        store.void(submission_id, actor="maria", reason="again")
    with pytest.raises(StoreError, match="read-only"):
        store.save_answer(submission_id, "notes", "late")


def test_a_void_reason_or_note_is_kept_stripped_and_refused_beyond_the_limit(
    store: Store, form_id: int
) -> None:
    from forms.definition.limits import MAX_NOTE

    finalized = store.start_submission(form_id)
    fill(store, finalized, COMPLETE)
    store.finalize(finalized, actor="ann")
    voided = store.start_submission(form_id)

    with pytest.raises(StoreError, match=f"at most {MAX_NOTE:,}"):
        store.void(voided, actor="maria", reason="x" * (MAX_NOTE + 1))
    with pytest.raises(StoreError, match=f"at most {MAX_NOTE:,}"):
        store.reopen(finalized, actor="maria", note="y" * (MAX_NOTE + 1))
    with pytest.raises(StoreError, match=f"at most {MAX_NOTE:,}"):
        store.review(finalized, actor="maria", decision="rejected", note="z" * (MAX_NOTE + 1))
    assert store.draft(voided).status == "draft"
    assert store.draft(finalized).status == "final"

    store.void(voided, actor="maria", reason="  Wrong site\n")
    store.review(finalized, actor="maria", decision="rejected", note=" No evidence ")
    assert store.audit_trail(voided)[-1].detail["reason"] == "Wrong site"
    assert store.draft(finalized).review_note == "No evidence"


def test_the_same_photo_attached_twice_is_stored_once(store: Store, form_id: int) -> None:
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    submission_id = store.start_submission(form_id)
    other_id = store.start_submission(form_id)

    first = store.attach(
        submission_id, photo, filename="door.jpg", media_type="image/jpeg", question="photo"
    )
    second = store.attach(other_id, photo, filename="door-copy.jpg", media_type="image/jpeg")

    assert first != second
    assert store.attachment_bytes(first) == photo
    assert store.attachment_bytes(second) == photo
    with store.reading() as session:
        assert session.exec(select(func.count()).select_from(Blob)).one() == 1
        assert session.exec(select(func.count()).select_from(Attachment)).one() == 2
        blob = session.get(Blob, hashlib.sha256(photo).hexdigest())
        assert blob is not None
        assert blob.size == len(photo)
    with pytest.raises(StoreError, match="no attachment"):
        store.attachment_bytes("not-an-attachment")


def test_an_attached_photo_is_part_of_the_content_hash(store: Store, form_id: int) -> None:
    hashes = []
    for photo in (None, b"\xff\xd8one", b"\xff\xd8two"):
        submission_id = store.start_submission(form_id)
        fill(store, submission_id, COMPLETE)
        if photo is not None:
            store.attach(submission_id, photo, filename="p.jpg", media_type="image/jpeg")
        store.finalize(submission_id, actor="ann")
        hashes.append(store.draft(submission_id).content_hash)

    assert len(set(hashes)) == 3


def test_forms_are_stored_once_and_never_change(store: Store, visit: FormDefinition) -> None:
    first = store.add_form(visit)

    assert store.add_form(visit_form_copy(visit)) == first
    with pytest.raises(StoreError, match="bump version"):
        store.add_form(visit.model_copy(update={"title": {"default": "Changed"}}))
    second = store.add_form(visit.model_copy(update={"version": "2"}))

    assert store.form_definition(first) == visit
    assert store.latest_form_version("store_visit") == second
    assert store.latest_form_version("no_such_form") is None
    listed = store.list_forms()
    assert [(info.id, info.version) for info in listed] == [(first, "1"), (second, "2")]
    assert listed[0].sha256 == visit.sha256()
    with pytest.raises(StoreError, match="no form version"):
        store.form_definition(9999)


def visit_form_copy(form: FormDefinition) -> FormDefinition:
    return FormDefinition.from_json(form.canonical_json())


def test_sites_and_people_are_upserted_by_their_codes(store: Store) -> None:
    lobby = store.upsert_location("L1", "Lobby", "York")
    assert store.upsert_location("L1", "Main lobby", "York") == lobby
    agent = store.upsert_agent("A7", "Sam", "L1")
    assert store.upsert_agent("A7", "Samira", "L1") == agent
    shopper = store.upsert_person("Ann Shopper")
    assert store.upsert_person("Ann Shopper", "manager") == shopper

    with pytest.raises(StoreError, match="no location with code 'L9'"):
        store.upsert_agent("A8", "Kim", "L9")
    with pytest.raises(StoreError, match="role 'boss'"):
        store.upsert_person("Kim", "boss")


def test_starting_a_submission_checks_what_it_refers_to(store: Store, form_id: int) -> None:
    with pytest.raises(StoreError, match="no location with id 42"):
        store.start_submission(form_id, location_id=42)
    with pytest.raises(StoreError, match="channel 'fax'"):
        store.start_submission(form_id, channel="fax")
    with pytest.raises(StoreError, match="timezone"):
        store.start_submission(form_id, visit_at=datetime(2025, 1, 1, 9, 0))
    with pytest.raises(StoreError, match="no form version"):
        store.start_submission(404)

    chosen = "5b0c6a52-3a5e-4a63-9c39-0e2f4d4a1e11"
    assert store.start_submission(form_id, submission_id=chosen) == chosen
    with pytest.raises(StoreError, match="already exists"):
        store.start_submission(form_id, submission_id=chosen)


def test_a_failed_unit_of_work_leaves_nothing_behind(store: Store) -> None:
    def interrupted_work() -> None:
        with store.writing() as session:
            session.add(Blob(sha256="abc", data=b"x", size=1))
            session.flush()
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted_work()

    with store.writing() as session:
        assert session.get(Blob, "abc") is None
        # A savepoint rolls back alone, inside a transaction that commits.
        session.add(Blob(sha256="kept", data=b"k", size=1))
        nested = session.begin_nested()
        session.add(Blob(sha256="dropped", data=b"d", size=1))
        session.flush()
        nested.rollback()

    with store.reading() as session:
        assert session.get(Blob, "kept") is not None
        assert session.get(Blob, "dropped") is None


def test_a_reading_session_cannot_write(store: Store) -> None:
    from forms.storage.tables import Location

    with store.reading() as session:
        session.add(Location(code="NEW", name="New site"))
        with pytest.raises(RuntimeError, match="read-only"):
            session.flush()
    with store.reading() as session:
        assert session.scalars(select(Location.code)).all() == []
