"""The tables of a Rapport database (SQLModel).

Submissions and attachments have UUID keys so that work from many laptops merges
without clashes. Schema changes go through the Alembic migrations beside this file;
a change here without a migration fails the test that compares the two.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, LargeBinary, MetaData, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Named constraints let Alembic's batch mode rebuild SQLite tables reliably.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC and read back aware (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"{value} has no timezone: Rapport stores timezone-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def new_uuid() -> str:
    """A new random UUID as text: the key of submissions and attachments."""
    return str(uuid.uuid4())


class Location(SQLModel, table=True):
    """A client site."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str = Field(index=True)
    city: str = ""
    active: bool = True
    time_zone: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """The site's IANA time zone (America/New_York); empty: the reports' time zone setting."""


class Agent(SQLModel, table=True):
    """A customer-facing employee; belongs to a location."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    location_id: int = Field(foreign_key="location.id", index=True)
    active: bool = True


class Person(SQLModel, table=True):
    """A shopper or manager who uses the app."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    role: str = "shopper"
    pin_hash: str | None = None


class FormVersion(SQLModel, table=True):
    """One immutable version of a form definition."""

    __table_args__ = (UniqueConstraint("key", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)
    version: str
    title: str
    kind: str | None = None
    definition: str
    """The definition as canonical JSON (FormDefinition.canonical_json)."""
    sha256: str = Field(index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Assignment(SQLModel, table=True):
    """A visit a shopper is asked to make."""

    id: int | None = Field(default=None, primary_key=True)
    location_id: int = Field(foreign_key="location.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    form_version_id: int = Field(foreign_key="formversion.id")
    shopper_id: int | None = Field(default=None, foreign_key="person.id")
    due_date: date | None = None
    scenario: str = ""
    done: bool = False


class Submission(SQLModel, table=True):
    """One filled form: a visit, a survey response or a pulse answer."""

    # Reports select a location's or an agent's visits by date, and every location's counted
    # visits of a kind by status and date; review lists filter by status; the Submissions
    # screen lists visits newest first, ties broken by id. No index on the form version: a
    # handful of values, which SQLite would take for a selective index.
    __table_args__ = (
        Index("ix_submission_location_visit", "location_id", "visit_at"),
        Index("ix_submission_agent_visit", "agent_id", "visit_at"),
        Index("ix_submission_status_kind_visit", "status", "respondent_kind", "visit_at"),
        Index("ix_submission_visit_id", "visit_at", "id"),
    )

    id: str = Field(default_factory=new_uuid, primary_key=True)
    form_version_id: int = Field(foreign_key="formversion.id")
    location_id: int | None = Field(default=None, foreign_key="location.id")
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id")
    respondent_kind: str = "shopper"
    respondent_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="draft")
    channel: str | None = None
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    visit_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    device_id: str = ""
    language: str | None = None
    current_question: str | None = None
    """Where the respondent was, so a draft resumes at the same question."""
    score: float | None = None
    """Form score after critical-failure rules (0 on a critical failure)."""
    raw_score: float | None = None
    empathy_index: float | None = None
    band: str | None = None
    critical_failure: bool = False
    content_hash: str | None = None
    review_note: str = ""
    revision: int = 0
    """How many times the submission was reopened and finalized again."""


class Answer(SQLModel, table=True):
    """One answer of a submission."""

    # The unique index also finds a submission's answers: no second index on submission_id.
    __table_args__ = (UniqueConstraint("submission_id", "question"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: str = Field(foreign_key="submission.id")
    question: str
    # none_as_null: a cleared value is SQL NULL, never the JSON text 'null'.
    value: object | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    """The raw value as XLSForm data stores it (choice name, list, number, ISO text)."""
    points: float | None = None
    possible: float | None = None
    not_applicable: bool = False
    comment: str = ""
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Attachment(SQLModel, table=True):
    """A photo or file attached to a submission; the bytes are stored once per sha256."""

    id: str = Field(default_factory=new_uuid, primary_key=True)
    submission_id: str = Field(foreign_key="submission.id", index=True)
    question: str | None = None
    filename: str
    media_type: str
    sha256: str = Field(foreign_key="blob.sha256", index=True)


class Blob(SQLModel, table=True):
    """Attachment bytes, keyed by their sha256 so the same photo is stored once."""

    sha256: str = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size: int


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, and when."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True, sa_type=UTCDateTime)
    actor: str
    action: str
    submission_id: str | None = Field(default=None, foreign_key="submission.id", index=True)
    detail: str = ""


class SubmissionRevision(SQLModel, table=True):
    """A finalized version of a submission, kept when a manager sends it back for revision."""

    __table_args__ = (UniqueConstraint("submission_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: str = Field(foreign_key="submission.id", index=True)
    revision: int
    """The submission's revision number while this version was current."""
    status: str
    """The status the version had when it was reopened (final, accepted or rejected)."""
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answers: str
    """Canonical JSON: question -> {value, comment, points, possible, not_applicable}."""
    attachments: str = "[]"
    """Canonical JSON list of the attachments' sha256 at that time."""
    score: float | None = None
    raw_score: float | None = None
    empathy_index: float | None = None
    band: str | None = None
    critical_failure: bool = False
    content_hash: str | None = None
    reopened_at: datetime = Field(sa_type=UTCDateTime)
    reopened_by: str
    note: str = ""


class Setting(SQLModel, table=True):
    """A manager's setting stored with the data (branding, counting rules)."""

    key: str = Field(primary_key=True)
    value: str
