"""Locations and agents as the app's lists and pickers show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select

from reports.queries.common import (
    AGENTS,
    LOCATIONS,
    LOW_SAMPLE,
    SUBMISSIONS,
    Period,
    Scope,
    find_location,
)
from reports.queries.scores import score_summary

if TYPE_CHECKING:
    from forms.storage import Store


@dataclass(frozen=True)
class LocationRow:
    """A location with its latest figures, as the home screen lists it."""

    id: int
    code: str
    name: str
    city: str
    visits: int
    average_score: float | None
    last_visit: datetime | None


@dataclass(frozen=True)
class LocationSummary:
    """The headline figures of one location over a period."""

    id: int
    code: str
    name: str
    city: str
    visits: int
    average_score: float | None

    @property
    def low_sample(self) -> bool:
        """Fewer than five visits: the average is shown with a low-sample marker."""
        return self.visits < LOW_SAMPLE


def location_summary(store: Store, name_or_code: str, period: Period) -> LocationSummary:
    """Visits counted and average score of one location over a period."""
    location = find_location(store, name_or_code)
    summary = score_summary(store, Scope(period, location_id=location.id))
    return LocationSummary(
        id=location.id,
        code=location.code,
        name=location.name,
        city=location.city,
        visits=summary.visits,
        average_score=summary.average_score,
    )


def location_rows(store: Store) -> list[LocationRow]:
    """Every active location with its visit count, average score and latest visit."""
    sub, loc = SUBMISSIONS.c, LOCATIONS.c
    query = (
        select(
            loc.id,
            loc.code,
            loc.name,
            loc.city,
            func.count(sub.id),
            func.avg(sub.score),
            func.max(sub.visit_at),
        )
        .select_from(LOCATIONS)
        .outerjoin(SUBMISSIONS, and_(sub.location_id == loc.id, *Scope().where()))
        .where(loc.active.is_(True))
        .group_by(loc.id)
        .order_by(loc.name)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    return [
        LocationRow(
            id=row[0],
            code=row[1],
            name=row[2],
            city=row[3],
            visits=int(row[4]),
            average_score=None if row[5] is None else float(row[5]),
            last_visit=row[6],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class AgentChoice:
    """An agent as pickers list them."""

    id: int
    name: str
    location_id: int


def active_agents(store: Store) -> list[AgentChoice]:
    """Every active agent, by location then name."""
    agent = AGENTS.c
    query = (
        select(agent.id, agent.name, agent.location_id)
        .where(agent.active.is_(True))
        .order_by(agent.location_id, agent.name)
    )
    with store.reading() as session:
        return [AgentChoice(*row) for row in session.execute(query).all()]


@dataclass(frozen=True)
class ReportSubject:
    """A location or agent that `rapport report all` writes a report for."""

    kind: str
    """"location" or "agent"."""
    id: int
    code: str
    name: str


def report_subjects(store: Store) -> list[ReportSubject]:
    """Every active location, then every active agent."""
    loc, agent = LOCATIONS.c, AGENTS.c
    with store.reading() as session:
        locations = session.execute(
            select(loc.id, loc.code, loc.name).where(loc.active.is_(True)).order_by(loc.name)
        ).all()
        agents = session.execute(
            select(agent.id, agent.code, agent.name)
            .where(agent.active.is_(True))
            .order_by(agent.name)
        ).all()
    return [ReportSubject("location", int(r[0]), r[1], r[2]) for r in locations] + [
        ReportSubject("agent", int(r[0]), r[1], r[2]) for r in agents
    ]
