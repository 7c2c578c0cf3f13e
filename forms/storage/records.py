"""Errors and plain records the Store hands out (no database objects leave the Store)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from forms.errors import RapportError
from forms.vocabulary import EDITABLE_STATUSES


class StoreError(RapportError):
    """The database cannot do what was asked; the message says why and what to do."""


class SubmissionIncomplete(StoreError):  # noqa: N818 - the name says what happened
    """A submission cannot be finalized yet: required answers missing or constraints broken.

    `problems` lists (question name, message) in form order; nothing was changed.
    """

    def __init__(self, problems: list[tuple[str, str]], *, submission_id: str = "") -> None:
        self.problems = problems
        self.submission_id = submission_id
        listed = "; ".join(f"{question}: {message}" for question, message in problems)
        which = f"submission {submission_id}" if submission_id else "the submission"
        super().__init__(f"{which} cannot be finalized until these are fixed: {listed}")


@dataclass(frozen=True)
class FormVersionInfo:
    """One stored form version, without its definition."""

    id: int
    key: str
    version: str
    title: str
    kind: str | None
    sha256: str


@dataclass(frozen=True)
class SentBack:
    """Why a visit is back with its shopper: who sent it back for revision, when, and the note."""

    by: str
    at: datetime
    note: str


@dataclass(frozen=True)
class DraftState:
    """Everything needed to show a submission again exactly where it was left."""

    submission_id: str
    form_version_id: int
    status: str
    answers: Mapping[str, object]
    """Question name -> raw value, for the questions that have one."""
    comments: Mapping[str, str]
    """Question name -> the respondent's comment, for the questions that have one."""
    current_question: str | None
    location_id: int | None
    agent_id: int | None
    assignment_id: int | None
    respondent_kind: str
    channel: str | None
    language: str | None
    device_id: str
    started_at: datetime
    visit_at: datetime | None
    finished_at: datetime | None
    revision: int
    review_note: str
    score: float | None
    content_hash: str | None
    sent_back: SentBack | None = None
    """While the visit is sent back for revision: the manager's word on what to change."""
    scenario: str = ""
    """The scenario brief of the assignment the visit was started from ("" without one)."""

    @property
    def editable(self) -> bool:
        """True while the respondent may still change answers (draft or sent back)."""
        return self.status in EDITABLE_STATUSES


@dataclass(frozen=True)
class AuditEntry:
    """One audited action on a submission."""

    at: datetime
    actor: str
    action: str
    submission_id: str | None
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class StoreHealth:
    """The result of Store.check(): integrity, schema revision and what the database holds."""

    problems: tuple[str, ...]
    """Integrity problems found (empty when the database is sound)."""
    revision: str | None
    newest_revision: str
    counts: Mapping[str, int]
    """Table name -> number of rows."""

    @property
    def ok(self) -> bool:
        """True when the database is sound and at the newest schema."""
        return not self.problems and self.revision == self.newest_revision
