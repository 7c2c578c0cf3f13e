"""The words Rapport stores and shows: submission statuses and how they may change, channels,
form kinds and who answers each. Each is defined once here, with its label, so every screen,
report and export spells it the same way.

The values are the strings stored in the database and in bundles; the members compare equal
to them (StrEnum), so stored rows and these names mix freely.
"""

from __future__ import annotations

from enum import StrEnum


class SubmissionStatus(StrEnum):
    """Where a submission is in its life: draft -> final -> reviewed, or void at any time."""

    DRAFT = "draft"
    FINAL = "final"
    ACCEPTED = "accepted"
    REVISION_REQUESTED = "revision_requested"
    REJECTED = "rejected"
    VOID = "void"

    @property
    def label(self) -> str:
        """How the status reads on every screen and in every report."""
        return _STATUS_LABELS[self]

    @property
    def editable(self) -> bool:
        """Whether answers may still change (a draft, or a visit sent back to its shopper)."""
        return self in EDITABLE_STATUSES

    def can_become(self, target: SubmissionStatus) -> bool:
        """Whether a submission in this status may move to `target`."""
        return target in TRANSITIONS[self]


_STATUS_LABELS = {
    SubmissionStatus.DRAFT: "Draft",
    SubmissionStatus.FINAL: "Finalized",
    SubmissionStatus.ACCEPTED: "Accepted",
    SubmissionStatus.REVISION_REQUESTED: "Sent back for revision",
    SubmissionStatus.REJECTED: "Rejected",
    SubmissionStatus.VOID: "Void",
}

CRITICAL_FAILURE_LABEL = "Critical failure"
"""How a visit failed by a critical question reads where its band would be, on every screen."""


def band_label(band: str | None, critical_failure: bool) -> str:
    """The band a visit shows: its form's band name, or "Critical failure" (scored 0)."""
    return CRITICAL_FAILURE_LABEL if critical_failure else (band or "")


EDITABLE_STATUSES = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.REVISION_REQUESTED})
"""Statuses in which answers may change; everything else is read-only."""

FINISHED_STATUSES = frozenset(
    {
        SubmissionStatus.FINAL,
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.REJECTED,
        SubmissionStatus.VOID,
    }
)
"""Statuses of finalized work: what leaves a laptop in a bundle."""

TRANSITIONS: dict[SubmissionStatus, frozenset[SubmissionStatus]] = {
    SubmissionStatus.DRAFT: frozenset({SubmissionStatus.FINAL, SubmissionStatus.VOID}),
    SubmissionStatus.FINAL: frozenset(
        {
            SubmissionStatus.ACCEPTED,
            SubmissionStatus.REJECTED,
            SubmissionStatus.REVISION_REQUESTED,
            SubmissionStatus.VOID,
        }
    ),
    SubmissionStatus.ACCEPTED: frozenset(
        {SubmissionStatus.REVISION_REQUESTED, SubmissionStatus.VOID}
    ),
    SubmissionStatus.REJECTED: frozenset(
        {SubmissionStatus.REVISION_REQUESTED, SubmissionStatus.VOID}
    ),
    SubmissionStatus.REVISION_REQUESTED: frozenset({SubmissionStatus.FINAL, SubmissionStatus.VOID}),
    SubmissionStatus.VOID: frozenset(),
}
"""Which status each may move to: one way, as in ODK; void at any time, and for good."""


class Channel(StrEnum):
    """How the customer reached the agent in a mystery-shop visit."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    EMAIL = "email"
    CHAT = "chat"

    @property
    def label(self) -> str:
        """How the channel reads on screens and in reports."""
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.PHONE: "Phone",
    Channel.IN_PERSON: "In person",
    Channel.EMAIL: "Email",
    Channel.CHAT: "Chat",
}


class RespondentKind(StrEnum):
    """Who answered a submission; figures count each kind on its own."""

    SHOPPER = "shopper"
    CUSTOMER = "customer"
    EMPLOYEE = "employee"
    INSPECTOR = "inspector"

    @property
    def label(self) -> str:
        """How the respondent reads on screens and in reports."""
        return self.value.capitalize()

    @property
    def anonymous(self) -> bool:
        """Answers anonymously: the respondent of an anonymous form kind (the employee)."""
        return any(kind.anonymous for kind in FormKind if kind.respondent is self)


class FormKind(StrEnum):
    """What a form is for (its `kind` setting); decides who answers it and how."""

    MYSTERY_SHOP = "mystery_shop"
    CUSTOMER_SURVEY = "customer_survey"
    EMPLOYEE_PULSE = "employee_pulse"
    INSPECTION = "inspection"

    @property
    def label(self) -> str:
        """How the kind reads on screens."""
        return _KIND_LABELS[self]

    @property
    def respondent(self) -> RespondentKind:
        """Who fills a form of this kind: mystery-shop figures count shoppers only."""
        return _RESPONDENT_OF_KIND[self]

    @property
    def anonymous(self) -> bool:
        """Answered anonymously: no agent, channel or user name is stored with it."""
        return self is FormKind.EMPLOYEE_PULSE


_KIND_LABELS = {
    FormKind.MYSTERY_SHOP: "Mystery shop",
    FormKind.CUSTOMER_SURVEY: "Customer survey",
    FormKind.EMPLOYEE_PULSE: "Employee pulse",
    FormKind.INSPECTION: "Site inspection",
}
_RESPONDENT_OF_KIND = {
    FormKind.MYSTERY_SHOP: RespondentKind.SHOPPER,
    FormKind.CUSTOMER_SURVEY: RespondentKind.CUSTOMER,
    FormKind.EMPLOYEE_PULSE: RespondentKind.EMPLOYEE,
    FormKind.INSPECTION: RespondentKind.INSPECTOR,
}


def form_kind(kind: str | None) -> FormKind | None:
    """The kind a form's `kind` setting names, or None for a form without a known kind."""
    try:
        return FormKind(kind) if kind is not None else None
    except ValueError:
        return None


def respondent_for(kind: str | None) -> RespondentKind:
    """Who answers a form of this kind; a form without a kind is filled by a shopper."""
    known = form_kind(kind)
    return known.respondent if known is not None else RespondentKind.SHOPPER


def is_anonymous(kind: str | None) -> bool:
    """Whether a form of this kind is answered anonymously."""
    known = form_kind(kind)
    return known is not None and known.anonymous


COUNT_ACCEPTED_ONLY = "count_accepted_only"
"""The manager's setting (yes / no) that makes figures count only visits a manager accepted."""


def counted_statuses(accepted_only: bool) -> tuple[str, ...]:
    """The statuses every figure, screen and export counts: accepted visits, and finalized
    ones too unless the manager counts accepted ones only."""
    if accepted_only:
        return (SubmissionStatus.ACCEPTED.value,)
    return (SubmissionStatus.FINAL.value, SubmissionStatus.ACCEPTED.value)


def is_yes(value: str) -> bool:
    """Whether a yes / no setting says yes (yes, true, on or 1, in any case)."""
    return value.strip().lower() in ("1", "yes", "true", "on")


ANONYMOUS_ACTOR = "anonymous"
"""What the audit trail records as the actor of an anonymous answer."""
