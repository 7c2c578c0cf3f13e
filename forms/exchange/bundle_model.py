"""What a bundle holds, as pydantic models that also check the shape of each JSON member.

A bundle is a zip: manifest.json (format, schema revision, sha256 of every member),
forms.json, locations.json, agents.json, people.json, assignments.json, submissions.json,
and blobs/<sha256> with the bytes of each attached photo or file. Records refer to each
other by natural keys (form sha256, location and agent codes, person names), never by
database ids, so a bundle merges into any Rapport database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, field_validator

from forms.definition.limits import MAX_TEXT_ANSWER, answer_limit_problem
from forms.exchange.common import FINISHED_STATUSES
from forms.storage.records import StoreError
from forms.storage.sites import site_time_zone
from forms.vocabulary import Channel, RespondentKind

RESPONDENT_KINDS = tuple(kind.value for kind in RespondentKind)
CHANNELS = tuple(channel.value for channel in Channel)

FORMAT_NAME = "rapport-bundle"
FORMAT_VERSION = 1
"""The bundle format this Rapport writes; it reads this version and older ones."""
MANIFEST = "manifest.json"
BLOB_FOLDER = "blobs/"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BundleForm(_Record):
    """A form version; `definition` is its canonical JSON, whose sha256 is `sha256`."""

    key: str = Field(min_length=1)
    version: str = Field(min_length=1)
    title: str
    kind: str | None = None
    sha256: str = Field(pattern=SHA256_PATTERN)
    created_at: AwareDatetime
    definition: str


class BundleLocation(_Record):
    """A client site, known by its code."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    city: str = ""
    active: bool = True
    time_zone: str | None = None
    """The site's IANA time zone ("" for none); None in a bundle from a Rapport that kept
    none, which leaves the zone stored here as it is."""

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        try:
            return None if value is None else site_time_zone(value)
        except StoreError as error:
            raise ValueError(str(error)) from None


class BundleAgent(_Record):
    """A customer-facing employee, known by their code."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    location: str = Field(min_length=1)
    """The code of the agent's location."""
    active: bool = True


class BundlePerson(_Record):
    """A shopper or manager, known by name (PIN hashes never leave the database)."""

    name: str = Field(min_length=1)
    role: str = "shopper"


class BundleAssignment(_Record):
    """A visit a shopper is asked to make; `ref` numbers it inside the bundle."""

    ref: int
    location: str
    agent: str | None = None
    form: str = Field(pattern=SHA256_PATTERN)
    shopper: str | None = None
    due_date: date | None = None
    scenario: str = ""
    done: bool = False


class BundleAnswer(_Record):
    """One stored answer with the points it earned when it was finalized."""

    question: str = Field(min_length=1, max_length=200)
    value: JsonValue = None
    points: Points | None = None
    possible: Points | None = None
    not_applicable: bool = False
    comment: str = Field("", max_length=MAX_TEXT_ANSWER)
    updated_at: AwareDatetime

    @field_validator("value")
    @classmethod
    def _within_limits(cls, value: JsonValue) -> JsonValue:
        problem = answer_limit_problem("this question", value)
        if problem is not None:
            raise ValueError(problem)
        return value


def canonical_uuid(value: str) -> str:
    """A UUID in its one stored spelling (lower case, hyphens, no braces), or ValueError.

    Laptops and spreadsheets may spell a UUID in capitals or braces; stored as given, the
    same visit would be counted twice."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"'{value[:40]}' is not a UUID") from None


Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
"""A 0..100 score as finalizing computes it; anything else no form can produce."""
Points = Annotated[float, Field(ge=-1_000_000, le=1_000_000, allow_inf_nan=False)]
Revision = Annotated[int, Field(ge=0, le=100_000)]


class BundleAttachment(_Record):
    """A photo or file; its bytes are the member blobs/<sha256>."""

    id: str = Field(min_length=1)
    question: str | None = None
    filename: str
    media_type: str
    sha256: str = Field(pattern=SHA256_PATTERN)

    @field_validator("id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_uuid(value)


class BundleRevision(_Record):
    """An earlier finalized version of a submission, kept when it was sent back."""

    revision: Revision
    status: str
    finished_at: AwareDatetime | None = None
    answers: str
    attachments: str = "[]"
    score: Score | None = None
    raw_score: Score | None = None
    empathy_index: Score | None = None
    band: str | None = None
    critical_failure: bool = False
    content_hash: str | None = None
    reopened_at: AwareDatetime
    reopened_by: str
    note: str = ""


class BundleAuditEvent(_Record):
    """Something done to a submission, as recorded where it was done."""

    at: AwareDatetime
    actor: str
    action: str
    detail: str = ""


class BundleSubmission(_Record):
    """A finalized submission exactly as it is stored: status, scores, hash, history."""

    id: str = Field(min_length=1)
    form: str = Field(pattern=SHA256_PATTERN)
    location: str | None = None
    agent: str | None = None
    assignment: int | None = None
    respondent_kind: str
    respondent: str | None = None
    status: str
    channel: str | None = None
    started_at: AwareDatetime
    finished_at: AwareDatetime | None = None
    visit_at: AwareDatetime | None = None
    device_id: str = ""
    language: str | None = None
    current_question: str | None = None
    score: Score | None = None
    raw_score: Score | None = None
    empathy_index: Score | None = None
    band: str | None = None
    critical_failure: bool = False
    content_hash: str = Field(pattern=SHA256_PATTERN)
    review_note: str = ""
    revision: Revision
    answers: tuple[BundleAnswer, ...] = ()
    attachments: tuple[BundleAttachment, ...] = ()
    revisions: tuple[BundleRevision, ...] = ()
    audit: tuple[BundleAuditEvent, ...] = ()

    @field_validator("id")
    @classmethod
    def _canonical_id(cls, value: str) -> str:
        return canonical_uuid(value)

    @field_validator("status")
    @classmethod
    def _finished(cls, value: str) -> str:
        if value not in FINISHED_STATUSES:
            raise ValueError(f"status must be one of {', '.join(FINISHED_STATUSES)}")
        return value

    @field_validator("respondent_kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in RESPONDENT_KINDS:
            raise ValueError(f"respondent_kind must be one of {', '.join(RESPONDENT_KINDS)}")
        return value

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str | None) -> str | None:
        if value is not None and value not in CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(CHANNELS)}")
        return value


class ManifestMember(_Record):
    """A file of the bundle and the sha256 of its bytes."""

    sha256: str = Field(pattern=SHA256_PATTERN)
    size: int = Field(ge=0)


class Manifest(_Record):
    """manifest.json: what the bundle is, what made it, and the sums of its members."""

    format: str
    format_version: int
    schema_revision: str
    bundle_id: str
    created_at: AwareDatetime
    selection: dict[str, str | None] = Field(default_factory=dict)
    counts: dict[str, int] = Field(default_factory=dict)
    members: dict[str, ManifestMember]


@dataclass
class Bundle:
    """The contents of a bundle, in memory: records and the attached files' bytes."""

    bundle_id: str
    schema_revision: str
    forms: list[BundleForm] = field(default_factory=list)
    locations: list[BundleLocation] = field(default_factory=list)
    agents: list[BundleAgent] = field(default_factory=list)
    people: list[BundlePerson] = field(default_factory=list)
    assignments: list[BundleAssignment] = field(default_factory=list)
    submissions: list[BundleSubmission] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)
    """sha256 -> bytes."""
    selection: dict[str, str | None] = field(default_factory=dict)
    """How the submissions were chosen (since, from, to), for people reading the manifest."""

    def counts(self) -> dict[str, int]:
        """How many records of each kind the bundle holds."""
        return {
            "forms": len(self.forms),
            "locations": len(self.locations),
            "agents": len(self.agents),
            "people": len(self.people),
            "assignments": len(self.assignments),
            "submissions": len(self.submissions),
            "files": len(self.blobs),
        }


JSON_MEMBERS: dict[str, type[_Record]] = {
    "forms.json": BundleForm,
    "locations.json": BundleLocation,
    "agents.json": BundleAgent,
    "people.json": BundlePerson,
    "assignments.json": BundleAssignment,
    "submissions.json": BundleSubmission,
}
"""Each JSON member of a bundle (a list of records) and the model of its records."""
