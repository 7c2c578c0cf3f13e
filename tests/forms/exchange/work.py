"""Realistic work on a Rapport database for the exchange tests, and ways to compare databases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select

from forms.storage import Store
from forms.storage.tables import Assignment, Person, metadata
from forms.storage.values import table_of
from tests.forms.storage.sample_forms import visit_form

PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 3
GOOD = {"greeted": "yes", "smiled": "no", "resolved": "yes", "wait_minutes": 5}


@dataclass
class Work:
    """Ids of what `shopper_work` put in a database."""

    form_id: int
    location_id: int
    agent_id: int
    assignment_id: int
    with_photo: str
    accepted: str
    draft: str
    voided_draft: str


def add_sites(store: Store) -> tuple[int, int]:
    """A site and its agent; returns their ids."""
    location_id = store.upsert_location("LOBBY-1", "Head office lobby", "Leeds")
    agent_id = store.upsert_agent("A-7", "Maria Alvarez", "LOBBY-1")
    return location_id, agent_id


def add_assignment(store: Store, form_id: int, location_id: int, agent_id: int) -> int:
    """An assignment of the visit to the shopper Sam."""
    shopper_id = store.upsert_person("Sam Shopper", "shopper")
    with store.writing() as session:
        table = table_of(Assignment)
        return int(
            session.execute(
                insert(table)
                .values(
                    location_id=location_id,
                    agent_id=agent_id,
                    form_version_id=form_id,
                    shopper_id=shopper_id,
                    due_date=date(2026, 3, 10),
                    scenario="Ask where to report a spill; watch for empathy.",
                    done=False,
                )
                .returning(table.c.id)
            ).scalar_one()
        )


def finished_visit(
    store: Store,
    form_id: int,
    *,
    visit_at: datetime,
    answers: dict[str, object] | None = None,
    comment: str = "",
    photo: bytes | None = None,
    **where: Any,
) -> str:
    """A visit filled and finalized as a shopper does it in the app."""
    submission_id = store.start_submission(
        form_id, visit_at=visit_at, channel="in_person", device_id="laptop-3", **where
    )
    for question, value in (answers or GOOD).items():
        store.save_answer(submission_id, question, value)
    if comment:
        store.save_answer(submission_id, "notes", "Floor was wet", comment=comment)
    if photo is not None:
        store.save_answer(submission_id, "photo", "spill.jpg")
        store.attach(
            submission_id, photo, filename="spill.jpg", media_type="image/jpeg", question="photo"
        )
    store.finalize(submission_id, actor="sam")
    return submission_id


def shopper_work(store: Store) -> Work:
    """A laptop's month: a visit with a photo, an accepted one, a draft and a voided draft."""
    form_id = store.add_form(visit_form())
    location_id, agent_id = add_sites(store)
    assignment_id = add_assignment(store, form_id, location_id, agent_id)
    with_photo = finished_visit(
        store,
        form_id,
        visit_at=datetime(2026, 3, 9, 14, 5, tzinfo=UTC),
        photo=PHOTO,
        location_id=location_id,
        agent_id=agent_id,
        assignment_id=assignment_id,
    )
    accepted = finished_visit(
        store,
        form_id,
        visit_at=datetime(2026, 3, 20, 9, 30, tzinfo=UTC),
        answers={"greeted": "yes", "smiled": "na", "resolved": "no", "wait_minutes": 40},
        comment="Nobody said sorry about the wait — très long",
        location_id=location_id,
    )
    store.review(accepted, actor="Dana Manager", decision="accepted", note="Checked the photo")
    draft = store.start_submission(form_id, location_id=location_id)
    store.save_answer(draft, "greeted", "yes")
    voided_draft = store.start_submission(form_id)
    store.void(voided_draft, actor="sam", reason="started by mistake")
    return Work(
        form_id=form_id,
        location_id=location_id,
        agent_id=agent_id,
        assignment_id=assignment_id,
        with_photo=with_photo,
        accepted=accepted,
        draft=draft,
        voided_draft=voided_draft,
    )


def database_dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order: equal dumps mean an unchanged database."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns)
            dump[table.name] = [
                tuple(row) for row in connection.execute(select(table).order_by(*order))
            ]
    return dump


def submission_view(store: Store, submission_id: str) -> dict[str, Any]:
    """A submission as a user sees it, with database ids replaced by what they stand for."""
    from forms.storage.tables import (
        Agent,
        Answer,
        Attachment,
        Blob,
        FormVersion,
        Location,
        Submission,
    )

    with store.reading() as session:
        row = session.get(Submission, submission_id)
        assert row is not None
        form = session.get(FormVersion, row.form_version_id)
        location = session.get(Location, row.location_id) if row.location_id else None
        agent = session.get(Agent, row.agent_id) if row.agent_id else None
        assignment = session.get(Assignment, row.assignment_id) if row.assignment_id else None
        shopper = (
            session.get(Person, assignment.shopper_id)
            if assignment and assignment.shopper_id
            else None
        )
        answers = session.execute(
            select(Answer).where(Answer.submission_id == submission_id).order_by(Answer.question)  # type: ignore[arg-type]
        ).scalars()
        files = session.execute(
            select(Attachment.filename, Attachment.question, Blob.data)
            .join(Blob, Blob.sha256 == Attachment.sha256)  # type: ignore[arg-type]
            .where(Attachment.submission_id == submission_id)  # type: ignore[arg-type]
        ).all()
        fields = row.model_dump(
            exclude={"form_version_id", "location_id", "agent_id", "assignment_id"}
        )
        return {
            **fields,
            "form": form.sha256 if form else None,
            "location": location.code if location else None,
            "agent": agent.code if agent else None,
            "assignment": (
                assignment.scenario,
                assignment.due_date,
                shopper.name if shopper else None,
            )
            if assignment
            else None,
            "answers": [a.model_dump(exclude={"id", "submission_id"}) for a in answers],
            "files": sorted((f.filename, f.question, bytes(f.data)) for f in files),
        }
