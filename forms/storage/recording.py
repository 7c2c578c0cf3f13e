"""Record many finished submissions at once, in one transaction.

Used for data that arrives complete rather than answer by answer (the sample company).
Each submission is checked and scored exactly as `Store.finalize` does, so its stored
score, per-answer points and content hash are the same as if it had been filled in the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from forms.anonymity import recorded_time
from forms.storage.tables import Answer, AuditEvent, FormVersion, Submission
from forms.storage.values import (
    canonical_json,
    finalize_answers,
    json_value,
    table_of,
    utc_now,
)
from forms.vocabulary import ANONYMOUS_ACTOR, is_anonymous, respondent_for

if TYPE_CHECKING:
    from forms.storage.store import Store


@dataclass(frozen=True)
class FinishedSubmission:
    """A submission whose answers are all known: to be checked, scored and stored as final."""

    id: str
    form_version_id: int
    answers: Mapping[str, object]
    visit_at: datetime
    location_id: int | None = None
    agent_id: int | None = None
    channel: str | None = None
    language: str | None = None
    comments: Mapping[str, str] = field(default_factory=dict)


def existing_submission_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Which of these submission ids the store already holds."""
    wanted = list(ids)
    found: set[str] = set()
    column = table_of(Submission).c.id
    with store.reading() as session:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found.update(session.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def record_finished_submissions(
    store: Store,
    submissions: Iterable[FinishedSubmission],
    *,
    actor: str,
    today: date | None = None,
) -> int:
    """Check, score and store each submission as final, all or nothing; returns how many.

    Submissions already in the store are left as they are, so recording twice adds nothing.
    Raises SubmissionIncomplete, and stores nothing, if any submission misses an answer.
    """
    pending = list(submissions)
    known = existing_submission_ids(store, (s.id for s in pending))
    pending = [s for s in pending if s.id not in known]
    if not pending:
        return 0
    now = utc_now()
    submission_rows: list[dict[str, object]] = []
    answer_rows: list[dict[str, object]] = []
    audit_rows: list[dict[str, object]] = []
    with store.writing() as session:
        form_hashes: dict[int, str] = {}
        for item in pending:
            form = store.form_definition(item.form_version_id)
            if item.form_version_id not in form_hashes:
                version = session.get(FormVersion, item.form_version_id)
                form_hashes[item.form_version_id] = version.sha256 if version else form.sha256()
            answers = {
                name: json_value(name, value)
                for name, value in item.answers.items()
                if value is not None
            }
            comments = {name: text for name, text in item.comments.items() if text}
            anonymous = is_anonymous(form.kind)
            # An anonymous answer is dated to its day, its audit entry too (forms.anonymity).
            when = recorded_time(item.visit_at, anonymous=anonymous)
            sealed = finalize_answers(
                form,
                form_hashes[item.form_version_id],
                answers,
                comments,
                [],
                today=today,
                language=item.language,
                submission_id=item.id,
            )
            submission_rows.append(
                {
                    "id": item.id,
                    "form_version_id": item.form_version_id,
                    "location_id": item.location_id,
                    # Who answered, and what an anonymous form keeps, follow from its kind.
                    "agent_id": None if anonymous else item.agent_id,
                    "respondent_kind": respondent_for(form.kind).value,
                    "channel": None if anonymous else item.channel,
                    "started_at": when,
                    "finished_at": when,
                    "visit_at": when,
                    "device_id": "",
                    "language": item.language,
                    **sealed.submission_columns(),
                    "review_note": "",
                    "revision": 0,
                }
            )
            for name in sorted(set(answers) | set(comments)):
                answer_rows.append(
                    {
                        "submission_id": item.id,
                        "question": name,
                        "value": answers.get(name),
                        **sealed.answer_columns(name),
                        "comment": comments.get(name, ""),
                        "updated_at": when,
                    }
                )
            audit_rows.append(
                {
                    "at": recorded_time(now, anonymous=anonymous),
                    "actor": ANONYMOUS_ACTOR if anonymous else actor,
                    "action": "finalized",
                    "submission_id": item.id,
                    "detail": canonical_json(
                        {"score": sealed.result.overall, "content_hash": sealed.content_hash}
                    ),
                }
            )
        session.execute(insert(table_of(Submission)), submission_rows)
        session.execute(insert(table_of(Answer)), answer_rows)
        session.execute(insert(table_of(AuditEvent)), audit_rows)
    return len(pending)
