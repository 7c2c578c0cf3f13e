"""What forms/ decides for every caller (window, kiosk, command line): who answered, when the
visit was, what an anonymous form keeps, and that finishing an assigned visit closes it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select

from forms.definition.model import FormDefinition
from forms.storage import Store
from forms.storage.tables import Assignment, AuditEvent, Submission
from forms.vocabulary import (
    TRANSITIONS,
    FormKind,
    RespondentKind,
    SubmissionStatus,
    respondent_for,
)

COMPLETE = {"greeted": "yes", "smiled": "na", "resolved": "yes", "wait_minutes": 5}


def finish(store: Store, submission_id: str, *, actor: str = "sam") -> None:
    for question, value in COMPLETE.items():
        store.save_answer(submission_id, question, value)
    store.finalize(submission_id, actor=actor)


def row(store: Store, submission_id: str) -> Submission:
    with store.reading() as session:
        found = session.get(Submission, submission_id)
        assert found is not None
        session.expunge(found)
        return found


def test_a_survey_started_without_a_visit_time_is_dated_when_it_is_sent(
    store: Store, form_id: int, location_id: int
) -> None:
    # The kiosk starts a survey for the next customer long before anyone answers it.
    submission_id = store.start_submission(form_id, location_id=location_id)
    assert row(store, submission_id).visit_at is None
    finish(store, submission_id)
    sent = row(store, submission_id)
    assert sent.visit_at is not None
    assert sent.visit_at == sent.finished_at


def test_a_visit_time_given_by_the_shopper_is_kept(
    store: Store, form_id: int, location_id: int
) -> None:
    when = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
    submission_id = store.start_submission(form_id, location_id=location_id, visit_at=when)
    finish(store, submission_id)
    assert row(store, submission_id).visit_at == when


def test_who_answers_follows_the_form_kind_whoever_starts_it(
    store: Store, visit: FormDefinition, location_id: int
) -> None:
    for kind in FormKind:
        form = visit.model_copy(update={"key": f"visit_{kind.value}", "kind": kind.value})
        submission_id = store.start_submission(store.add_form(form), location_id=location_id)
        assert row(store, submission_id).respondent_kind == kind.respondent
    assert respondent_for(None) is RespondentKind.SHOPPER


def test_an_employee_pulse_keeps_no_agent_channel_or_user_name(
    store: Store, visit: FormDefinition, location_id: int
) -> None:
    pulse = visit.model_copy(update={"key": "pulse", "kind": FormKind.EMPLOYEE_PULSE.value})
    agent_id = store.upsert_agent("A1", "Maria Alvarez", "LOBBY-1")
    submission_id = store.start_submission(
        store.add_form(pulse),
        location_id=location_id,
        agent_id=agent_id,
        channel="phone",
        actor="maria",
    )
    finish(store, submission_id, actor="maria")
    kept = row(store, submission_id)
    assert (kept.respondent_kind, kept.agent_id, kept.channel) == ("employee", None, None)
    with store.reading() as session:
        actors = set(
            session.scalars(
                select(col(AuditEvent.actor)).where(col(AuditEvent.submission_id) == submission_id)
            )
        )
    assert actors == {"anonymous"}


def test_finalizing_an_assigned_visit_marks_the_assignment_done(
    store: Store, form_id: int, location_id: int
) -> None:
    assignment_id = store.add_assignment(
        location_id=location_id, form_version_id=form_id, shopper="sam", scenario="Spill"
    )
    submission_id = store.start_submission(
        form_id, location_id=location_id, assignment_id=assignment_id
    )

    def done() -> bool:
        with store.reading() as session:
            found = session.get(Assignment, assignment_id)
            assert found is not None
            return found.done

    assert not done()
    finish(store, submission_id)
    assert done()


def test_every_status_has_a_label_and_void_is_for_good() -> None:
    assert {status.label for status in SubmissionStatus} >= {"Draft", "Sent back for revision"}
    assert set(TRANSITIONS) == set(SubmissionStatus)
    assert TRANSITIONS[SubmissionStatus.VOID] == frozenset()
    assert SubmissionStatus.DRAFT.can_become(SubmissionStatus.FINAL)
    assert not SubmissionStatus.ACCEPTED.can_become(SubmissionStatus.DRAFT)
