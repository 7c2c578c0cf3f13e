"""What every query shares: the tables, the period and scope of a report, and look-ups.

Queries use SQLAlchemy Core over the tables' `__table__` so that results are plain rows,
never ORM objects, and aggregation happens in the database.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Table, func, select

from forms.period import Period as Period
from forms.scoring.metrics import LOW_SAMPLE_MARK as LOW_SAMPLE_MARK
from forms.scoring.metrics import LOW_SAMPLE_THRESHOLD
from forms.storage.tables import (
    Agent,
    Answer,
    Assignment,
    Attachment,
    Blob,
    FormVersion,
    Location,
    Person,
    Submission,
)
from forms.vocabulary import counted_statuses
from reports.render import ReportError

if TYPE_CHECKING:
    from forms.storage import Store

COUNTED_STATUSES: tuple[str, ...] = counted_statuses(accepted_only=False)
"""Finished visits count in reports unless the manager chose "accepted only"."""

LOW_SAMPLE = LOW_SAMPLE_THRESHOLD
"""Figures over fewer responses than this carry the low-sample marker (the threshold of the
customer metrics, `forms.scoring.metrics`: one rule for every figure)."""


def low_sample(n: int) -> bool:
    """Whether a figure over `n` responses carries the low-sample marker: some, but fewer
    than LOW_SAMPLE (a figure over none is not shown at all)."""
    return 0 < n < LOW_SAMPLE


SUBMISSIONS: Table = Submission.__table__  # type: ignore[attr-defined]
ANSWERS: Table = Answer.__table__  # type: ignore[attr-defined]
LOCATIONS: Table = Location.__table__  # type: ignore[attr-defined]
AGENTS: Table = Agent.__table__  # type: ignore[attr-defined]
FORM_VERSIONS: Table = FormVersion.__table__  # type: ignore[attr-defined]
ATTACHMENTS: Table = Attachment.__table__  # type: ignore[attr-defined]
BLOBS: Table = Blob.__table__  # type: ignore[attr-defined]
ASSIGNMENTS: Table = Assignment.__table__  # type: ignore[attr-defined]
PEOPLE: Table = Person.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Scope:
    """Which submissions a figure is computed over."""

    period: Period = field(default_factory=Period)
    statuses: tuple[str, ...] = COUNTED_STATUSES
    location_id: int | None = None
    agent_id: int | None = None

    def where(
        self, respondent_kind: str | tuple[str, ...] | None = "shopper"
    ) -> list[ColumnElement[bool]]:
        """Conditions on the submission table for this scope and respondent kind(s)."""
        sub = SUBMISSIONS.c
        conditions: list[ColumnElement[bool]] = [sub.status.in_(self.statuses)]
        if isinstance(respondent_kind, str):
            conditions.append(sub.respondent_kind == respondent_kind)
        elif respondent_kind is not None:
            conditions.append(sub.respondent_kind.in_(respondent_kind))
        start, end = self.period.bounds()
        if start is not None:
            conditions.append(sub.visit_at >= start)
        if end is not None:
            conditions.append(sub.visit_at <= end)
        if self.location_id is not None:
            conditions.append(sub.location_id == self.location_id)
        if self.agent_id is not None:
            conditions.append(sub.agent_id == self.agent_id)
        return conditions

    def widen(self, **changes: Any) -> Scope:
        """The same scope with some fields changed (e.g. location_id=None for all sites)."""
        return replace(self, **changes)


def month_key(column: Any, dialect: str) -> ColumnElement[str]:
    """The UTC month of a datetime column as 'YYYY-MM', in the database's own SQL."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def mean_or_none(value: object) -> float | None:
    """A SQL average as a float (None when nothing was averaged)."""
    return None if value is None else float(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LocationRef:
    """A location as reports name it."""

    id: int
    code: str
    name: str
    city: str


@dataclass(frozen=True)
class AgentRef:
    """An agent and their location."""

    id: int
    code: str
    name: str
    location: LocationRef


def folded(text: str) -> str:
    """A name as lookups compare it: case folded for all of Unicode (Ó = ó, ß = ss), in
    one normal form. SQLite's lower() folds ASCII only, so the folding is done here, the
    same on every database."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def _closest(wanted: str, candidates: list[str], what: str) -> ReportError:
    by_folded = {folded(name): name for name in candidates}
    close = difflib.get_close_matches(folded(wanted), list(by_folded), n=3, cutoff=0.4)
    if close:
        hint = " Did you mean: " + ", ".join(by_folded[name] for name in close) + "?"
    elif candidates:
        hint = f" Known {what}s: " + ", ".join(sorted(candidates)[:8]) + "."
    else:
        hint = f" There are no {what}s yet: add them first, or load the sample data (rapport demo)."
    return ReportError(f"no {what} called '{wanted}'.{hint}")


def find_location(store: Store, name_or_code: str) -> LocationRef:
    """The location with this name or code (case-insensitive for every alphabet);
    ReportError names close matches."""
    wanted = folded(name_or_code)
    loc = LOCATIONS.c
    with store.reading() as session:
        rows = session.execute(select(loc.id, loc.code, loc.name, loc.city)).all()
    for row in rows:
        if wanted in (folded(row[1]), folded(row[2])):
            return LocationRef(int(row[0]), row[1], row[2], row[3])
    raise _closest(name_or_code.strip(), [str(row[2]) for row in rows], "location")


def location_by_id(store: Store, location_id: int) -> LocationRef:
    """The location with this id."""
    loc = LOCATIONS.c
    with store.reading() as session:
        found = session.execute(
            select(loc.id, loc.code, loc.name, loc.city).where(loc.id == location_id)
        ).first()
    if found is None:
        raise ReportError(f"there is no location with id {location_id}")
    return LocationRef(int(found[0]), found[1], found[2], found[3])


def find_agent(store: Store, name_or_code: str) -> AgentRef:
    """The agent with this name or code (case-insensitive for every alphabet); ReportError
    names close matches."""
    wanted = folded(name_or_code)
    agent, loc = AGENTS.c, LOCATIONS.c
    query = select(agent.id, agent.code, agent.name, loc.id, loc.code, loc.name, loc.city).join(
        LOCATIONS, loc.id == agent.location_id
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    for row in rows:
        if wanted in (folded(row[1]), folded(row[2])):
            location = LocationRef(int(row[3]), row[4], row[5], row[6])
            return AgentRef(int(row[0]), row[1], row[2], location)
    raise _closest(name_or_code.strip(), [str(row[2]) for row in rows], "agent")


def find_submission(store: Store, id_or_prefix: str) -> str:
    """The full id of the finished submission whose id is or starts with `id_or_prefix`."""
    # A visit id may be written in capitals or braces; ids are stored in lower case.
    wanted = id_or_prefix.strip().strip("{}").lower()
    if len(wanted) < 6:
        raise ReportError(
            f"'{id_or_prefix}' is too short to name a visit: give its id or at least its "
            "first 6 characters"
        )
    sub = SUBMISSIONS.c
    with store.reading() as session:
        found = [
            str(row[0])
            for row in session.execute(
                select(sub.id).where(sub.id.startswith(wanted, autoescape=True)).limit(3)
            ).all()
        ]
    if not found:
        raise ReportError(f"there is no visit whose id starts with '{id_or_prefix}'")
    if len(found) > 1:
        raise ReportError(
            f"'{id_or_prefix}' matches several visits ({', '.join(found[:2])}, ...): "
            "give more of the id"
        )
    return found[0]
