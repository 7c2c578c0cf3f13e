"""What the app's screens read from the store: locations with their latest figures, agents,
assignments and drafts. No Qt, so it runs in worker threads and is tested headless.

Location figures cover the WINDOW_DAYS up to the most recent finished visit in the
database (so a laptop that was offline for weeks still shows its latest figures); the
trend compares that window's average score with the window before it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Table, and_, func, select

from forms.metrics import nps
from forms.store.records import EDITABLE_STATUSES
from forms.store.tables import (
    Agent,
    Answer,
    Assignment,
    FormVersion,
    Location,
    Person,
    Submission,
)

if TYPE_CHECKING:
    from forms.store import Store

WINDOW_DAYS = 90
TREND_STEP = 2.0
"""Score points a window must move by for the trend arrow to point up or down."""
COUNTED = ("final", "accepted")

SUBMISSIONS: Table = Submission.__table__  # type: ignore[attr-defined]
ANSWERS: Table = Answer.__table__  # type: ignore[attr-defined]
LOCATIONS: Table = Location.__table__  # type: ignore[attr-defined]
AGENTS: Table = Agent.__table__  # type: ignore[attr-defined]
ASSIGNMENTS: Table = Assignment.__table__  # type: ignore[attr-defined]
FORMS: Table = FormVersion.__table__  # type: ignore[attr-defined]
PEOPLE: Table = Person.__table__  # type: ignore[attr-defined]

Trend = Literal["up", "down", "flat"]


@dataclass(frozen=True)
class LocationOverview:
    """A location with its latest figures (None where nothing was measured)."""

    id: int
    code: str
    name: str
    city: str
    active: bool
    visits: int
    """Finished mystery-shop visits in the window."""
    score: float | None
    empathy_index: float | None
    nps: float | None
    nps_n: int
    trend: Trend | None
    last_visit: datetime | None


def _window(store: Store) -> tuple[datetime, datetime, datetime] | None:
    """(start of the previous window, start of the current one, end) or None without visits."""
    sub = SUBMISSIONS.c
    with store.unit_of_work(write=False) as session:
        anchor = session.execute(
            select(func.max(sub.visit_at)).where(sub.status.in_(COUNTED))
        ).scalar_one_or_none()
    if anchor is None:
        return None
    start = anchor - timedelta(days=WINDOW_DAYS)
    return start - timedelta(days=WINDOW_DAYS), start, anchor + timedelta(seconds=1)


def nps_questions(store: Store) -> set[tuple[int, str]]:
    """(form version id, question name) of every question tagged `nps`."""
    found: set[tuple[int, str]] = set()
    for info in store.list_forms():
        form = store.form_definition(info.id)
        found.update((info.id, q.name) for q in form.questions() if "nps" in q.tags)
    return found


def _trend(current: float | None, previous: float | None) -> Trend | None:
    if current is None or previous is None:
        return None
    if current - previous >= TREND_STEP:
        return "up"
    if previous - current >= TREND_STEP:
        return "down"
    return "flat"


def location_overview(store: Store, *, include_inactive: bool = True) -> list[LocationOverview]:
    """Every location with its visits, score, Empathy Index, NPS and trend, by name."""
    sub, loc = SUBMISSIONS.c, LOCATIONS.c
    window = _window(store)
    shop = and_(sub.status.in_(COUNTED), sub.respondent_kind == "shopper")
    current: dict[int, tuple[int, float | None, float | None]] = {}
    previous: dict[int, float | None] = {}
    promoters: dict[int, list[object]] = defaultdict(list)
    with store.unit_of_work(write=False) as session:
        query = select(loc.id, loc.code, loc.name, loc.city, loc.active).order_by(loc.name)
        if not include_inactive:
            query = query.where(loc.active.is_(True))
        locations = session.execute(query).all()
        last = dict(
            session.execute(
                select(sub.location_id, func.max(sub.visit_at))
                .where(shop)
                .group_by(sub.location_id)
            ).all()
        )
        if window is not None:
            before, start, end = window
            for row in session.execute(
                select(
                    sub.location_id,
                    func.count(),
                    func.avg(sub.score),
                    func.avg(sub.empathy_index),
                )
                .where(shop, sub.visit_at >= start, sub.visit_at < end)
                .group_by(sub.location_id)
            ):
                current[row[0]] = (int(row[1]), row[2], row[3])
            for row in session.execute(
                select(sub.location_id, func.avg(sub.score))
                .where(shop, sub.visit_at >= before, sub.visit_at < start)
                .group_by(sub.location_id)
            ):
                previous[row[0]] = row[1]
            wanted = nps_questions(store)
            if wanted:
                ans = ANSWERS.c
                for location_id, form_id, question, value in session.execute(
                    select(sub.location_id, sub.form_version_id, ans.question, ans.value)
                    .join(ANSWERS, ans.submission_id == sub.id)
                    .where(
                        sub.status.in_(COUNTED),
                        sub.visit_at >= start,
                        sub.visit_at < end,
                        ans.question.in_({name for _, name in wanted}),
                    )
                ):
                    if (form_id, question) in wanted:
                        promoters[location_id].append(value)
    rows = []
    for location_id, code, name, city, active in locations:
        visits, score, empathy = current.get(location_id, (0, None, None))
        metric = nps(promoters.get(location_id, []))
        rows.append(
            LocationOverview(
                id=location_id,
                code=code,
                name=name,
                city=city,
                active=bool(active),
                visits=visits,
                score=None if score is None else float(score),
                empathy_index=None if empathy is None else float(empathy),
                nps=metric.value,
                nps_n=metric.n,
                trend=_trend(score, previous.get(location_id)),
                last_visit=last.get(location_id),
            )
        )
    return rows


@dataclass(frozen=True)
class AgentRow:
    """A customer-facing employee and where they work."""

    id: int
    code: str
    name: str
    location_id: int
    location_name: str
    active: bool


def agents(store: Store, *, active_only: bool = True) -> list[AgentRow]:
    """Agents by location then name."""
    agent, loc = AGENTS.c, LOCATIONS.c
    query = (
        select(agent.id, agent.code, agent.name, loc.id, loc.name, agent.active)
        .join(LOCATIONS, loc.id == agent.location_id)
        .order_by(loc.name, agent.name)
    )
    if active_only:
        query = query.where(agent.active.is_(True))
    with store.unit_of_work(write=False) as session:
        return [
            AgentRow(row[0], row[1], row[2], row[3], row[4], bool(row[5]))
            for row in session.execute(query)
        ]


@dataclass(frozen=True)
class AssignmentRow:
    """A visit a shopper is asked to make, with its scenario brief."""

    id: int
    location_id: int
    location_name: str
    agent_id: int | None
    agent_name: str
    form_version_id: int
    form_title: str
    shopper: str
    due_date: date | None
    scenario: str
    done: bool


def assignments(
    store: Store, *, shopper: str | None = None, include_done: bool = False
) -> list[AssignmentRow]:
    """Assignments by due date (undated last); only `shopper`'s (or unassigned) when given."""
    a, loc, agent, form, person = ASSIGNMENTS.c, LOCATIONS.c, AGENTS.c, FORMS.c, PEOPLE.c
    query = (
        select(
            a.id,
            loc.id,
            loc.name,
            agent.id,
            agent.name,
            form.id,
            form.title,
            person.name,
            a.due_date,
            a.scenario,
            a.done,
        )
        .join(LOCATIONS, loc.id == a.location_id)
        .join(FORMS, form.id == a.form_version_id)
        .outerjoin(AGENTS, agent.id == a.agent_id)
        .outerjoin(PEOPLE, person.id == a.shopper_id)
        .order_by(a.due_date.is_(None), a.due_date, loc.name)
    )
    if not include_done:
        query = query.where(a.done.is_(False))
    if shopper is not None:
        query = query.where((person.name == shopper) | a.shopper_id.is_(None))
    with store.unit_of_work(write=False) as session:
        return [
            AssignmentRow(
                id=row[0],
                location_id=row[1],
                location_name=row[2],
                agent_id=row[3],
                agent_name=row[4] or "",
                form_version_id=row[5],
                form_title=row[6],
                shopper=row[7] or "",
                due_date=row[8],
                scenario=row[9],
                done=bool(row[10]),
            )
            for row in session.execute(query)
        ]


@dataclass(frozen=True)
class DraftRow:
    """An evaluation started but not finalized (or sent back for changes)."""

    submission_id: str
    form_title: str
    location_name: str
    agent_name: str
    status: str
    started_at: datetime
    answered: int
    review_note: str


def drafts(store: Store) -> list[DraftRow]:
    """Evaluations to resume, newest first (customers' unfinished kiosk surveys are not)."""
    sub, loc, agent, form, ans = SUBMISSIONS.c, LOCATIONS.c, AGENTS.c, FORMS.c, ANSWERS.c
    answered = (
        select(func.count())
        .where(ans.submission_id == sub.id, ans.value.is_not(None))
        .scalar_subquery()
    )
    query = (
        select(
            sub.id,
            form.title,
            loc.name,
            agent.name,
            sub.status,
            sub.started_at,
            answered,
            sub.review_note,
        )
        .join(FORMS, form.id == sub.form_version_id)
        .outerjoin(LOCATIONS, loc.id == sub.location_id)
        .outerjoin(AGENTS, agent.id == sub.agent_id)
        .where(sub.status.in_(EDITABLE_STATUSES), sub.respondent_kind != "customer")
        .order_by(sub.started_at.desc())
    )
    with store.unit_of_work(write=False) as session:
        rows = session.execute(query).all()
    return [
        DraftRow(
            submission_id=row[0],
            form_title=row[1],
            location_name=row[2] or "",
            agent_name=row[3] or "",
            status=row[4],
            started_at=row[5],
            answered=int(row[6]),
            review_note=row[7] or "",
        )
        for row in rows
    ]


def visit_summary(store: Store, location_id: int | None, agent_id: int | None) -> str:
    """ "Harbor Point Offices · Maria Alvarez": where a visit is and whom it is about."""
    parts: list[str] = []
    with store.unit_of_work(write=False) as session:
        if location_id is not None:
            found = session.get(Location, location_id)
            parts.append(found.name if found else "")
        if agent_id is not None:
            agent = session.get(Agent, agent_id)
            parts.append(agent.name if agent else "")
    return " · ".join(part for part in parts if part)


def site_list(store: Store, *, include_inactive: bool = True) -> list[LocationOverview]:
    """Every location by name, without figures (cheap: for choosers and administration)."""
    loc = LOCATIONS.c
    query = select(loc.id, loc.code, loc.name, loc.city, loc.active).order_by(loc.name)
    if not include_inactive:
        query = query.where(loc.active.is_(True))
    with store.unit_of_work(write=False) as session:
        return [
            LocationOverview(
                id=row[0],
                code=row[1],
                name=row[2],
                city=row[3],
                active=bool(row[4]),
                visits=0,
                score=None,
                empathy_index=None,
                nps=None,
                nps_n=0,
                trend=None,
                last_visit=None,
            )
            for row in session.execute(query)
        ]
