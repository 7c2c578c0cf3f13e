"""What the app's screens read besides report figures: the home screen's locations with their
figures, agents, assignments and drafts, and the plain lists of choosers. The figures come from
the same queries as the reports (scores_by_location, customer_metrics_by_location), over the
same scope, so a site reads the same on Home and in its location report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, func, select

from forms.anonymity import anonymous_respondent
from forms.period import RECENT_DAYS, current_day, last_days
from forms.storage.drafts import (
    DraftContents,
    deletion_refusal,
    draft_contents,
    open_draft_of,
    started_by_of,
)
from forms.vocabulary import EDITABLE_STATUSES, RespondentKind
from reports.queries.common import (
    AGENTS,
    ANSWERS,
    ASSIGNMENTS,
    ATTACHMENTS,
    FORM_VERSIONS,
    LOCATIONS,
    PEOPLE,
    SUBMISSIONS,
    Period,
    Scope,
)

if TYPE_CHECKING:
    from forms.storage import Store

HOME_WINDOW_DAYS = RECENT_DAYS
"""Days of visits the home screen's figures cover by default, up to today: a period of the
calendar, so a new visit at one site never moves another site's figures (as a window ending
on the newest visit would)."""
TREND_STEP = 2.0
"""Score points a period must move by, against the one before, for the trend to count."""

Trend = Literal["up", "down", "flat"]


@dataclass(frozen=True)
class LocationOverview:
    """A location with its figures over a period, as the home screen lists it.

    The figures are the location report's own (the same queries over the same scope), so a
    site reads the same on Home and in its report for the same dates and counted statuses.
    """

    id: int
    code: str
    name: str
    city: str
    active: bool
    visits: int
    """Counted mystery-shop visits in the period."""
    score: float | None
    empathy_index: float | None
    nps: float | None
    """NPS of the customer surveys in the period (customers only, as in the reports)."""
    nps_n: int
    trend: Trend | None
    last_visit: datetime | None
    time_zone: str = ""
    """The site's time zone (IANA name); empty: the report setting's."""


def _trend(current: float | None, previous: float | None) -> Trend | None:
    if current is None or previous is None:
        return None
    if current - previous >= TREND_STEP:
        return "up"
    if previous - current >= TREND_STEP:
        return "down"
    return "flat"


def location_overview(
    store: Store,
    *,
    period: Period | None = None,
    statuses: tuple[str, ...] | None = None,
    include_inactive: bool = True,
) -> list[LocationOverview]:
    """Every location with its visits, score, Empathy Index, NPS and trend, by name.

    `statuses` defaults to what the manager's settings count (accepted only, or finalized
    and accepted); `period` to the HOME_WINDOW_DAYS up to today. The trend compares the
    period's score with the period of the same length before it.
    """
    from reports.queries.catalogue import Catalogue
    from reports.queries.customers import customer_metrics_by_location
    from reports.queries.scores import scores_by_location

    counted = statuses if statuses is not None else store.counted_statuses()
    chosen = period if period is not None else last_days(HOME_WINDOW_DAYS, current_day())
    sub, loc = SUBMISSIONS.c, LOCATIONS.c
    with store.reading() as session:
        query = select(loc.id, loc.code, loc.name, loc.city, loc.active).order_by(loc.name)
        if not include_inactive:
            query = query.where(loc.active.is_(True))
        locations = session.execute(query).all()
        last = dict(
            session.execute(
                select(sub.location_id, func.max(sub.visit_at))
                .where(*Scope(statuses=counted).where())
                .group_by(sub.location_id)
            ).all()
        )
    scope = Scope(chosen, counted)
    scores = scores_by_location(store, scope)
    earlier = chosen.previous()
    before = scores_by_location(store, Scope(earlier, counted)) if earlier else {}
    customers = customer_metrics_by_location(store, scope, Catalogue.load(store))
    rows = []
    for location_id, code, name, city, active in locations:
        summary = scores.get(location_id)
        previous = before.get(location_id)
        metrics = customers.get(location_id)
        score = summary.average_score if summary else None
        rows.append(
            LocationOverview(
                id=location_id,
                code=code,
                name=name,
                city=city,
                active=bool(active),
                visits=summary.visits if summary else 0,
                score=score,
                empathy_index=summary.average_empathy if summary else None,
                nps=metrics.nps.value if metrics else None,
                nps_n=metrics.nps.n if metrics else 0,
                trend=_trend(score, previous.average_score if previous else None),
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
    with store.reading() as session:
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
    open_draft: str | None
    """The id of its visit already started and still open: starting it again resumes that."""


def assignments(
    store: Store, *, shopper: str | None = None, include_done: bool = False
) -> list[AssignmentRow]:
    """Assignments by due date (undated last); only `shopper`'s (or unassigned) when given."""
    a, loc, agent, form, person = ASSIGNMENTS.c, LOCATIONS.c, AGENTS.c, FORM_VERSIONS.c, PEOPLE.c
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
            open_draft_of(a.id),
        )
        .join(LOCATIONS, loc.id == a.location_id)
        .join(FORM_VERSIONS, form.id == a.form_version_id)
        .outerjoin(AGENTS, agent.id == a.agent_id)
        .outerjoin(PEOPLE, person.id == a.shopper_id)
        .order_by(a.due_date.is_(None), a.due_date, loc.name)
    )
    if not include_done:
        query = query.where(a.done.is_(False))
    if shopper is not None:
        query = query.where((person.name == shopper) | a.shopper_id.is_(None))
    with store.reading() as session:
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
                open_draft=row[11],
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
    contents: DraftContents
    """The answers, comments and photos given so far: what deleting the draft loses."""
    review_note: str
    deletion_refused: str
    """Why the user reading this may not delete it ("" when they may), as forms/ decides."""
    day_only: bool = False
    """An anonymous answer (a pulse), kept to its day: it has no time of day to show."""

    @property
    def deletable(self) -> bool:
        """Whether the user reading this may delete the draft."""
        return not self.deletion_refused


def drafts(store: Store, *, actor: str) -> list[DraftRow]:
    """Evaluations to resume, newest first (customers' unfinished kiosk surveys are not);
    whether each can be deleted is said for `actor`."""
    return _draft_rows(store, actor)


def draft_row(store: Store, submission_id: str, *, actor: str) -> DraftRow | None:
    """One draft as Home lists it for `actor` (None once it is finalized or gone)."""
    found = _draft_rows(store, actor, SUBMISSIONS.c.id == submission_id)
    return found[0] if found else None


def _draft_rows(store: Store, actor: str, *where: ColumnElement[bool]) -> list[DraftRow]:
    sub, loc, agent, form, ans = SUBMISSIONS.c, LOCATIONS.c, AGENTS.c, FORM_VERSIONS.c, ANSWERS.c
    open_drafts = [
        sub.status.in_([status.value for status in EDITABLE_STATUSES]),
        sub.respondent_kind != RespondentKind.CUSTOMER.value,
        *where,
    ]
    photos = select(func.count()).where(ATTACHMENTS.c.submission_id == sub.id).scalar_subquery()
    query = (
        select(
            sub.id,
            form.title,
            loc.name,
            agent.name,
            sub.status,
            sub.started_at,
            sub.review_note,
            sub.channel,
            ASSIGNMENTS.c.scenario,
            photos,
            started_by_of(sub.id),
            sub.respondent_kind,
        )
        .join(FORM_VERSIONS, form.id == sub.form_version_id)
        .outerjoin(LOCATIONS, loc.id == sub.location_id)
        .outerjoin(AGENTS, agent.id == sub.agent_id)
        .outerjoin(ASSIGNMENTS, ASSIGNMENTS.c.id == sub.assignment_id)
        .where(*open_drafts)
        .order_by(sub.started_at.desc())
    )
    answers = (
        select(ans.submission_id, ans.question, ans.value, ans.comment)
        .join(SUBMISSIONS, sub.id == ans.submission_id)
        .where(*open_drafts)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
        answered: dict[str, list[tuple[str, object, str]]] = {}
        for submission_id, question, value, comment in session.execute(answers):
            answered.setdefault(submission_id, []).append((question, value, comment or ""))
    return [
        DraftRow(
            submission_id=row[0],
            form_title=row[1],
            location_name=row[2] or "",
            agent_name=row[3] or "",
            status=row[4],
            started_at=row[5],
            review_note=row[6] or "",
            contents=draft_contents(
                answered.get(row[0], []), int(row[9]), channel=row[7], scenario=row[8] or ""
            ),
            deletion_refused=deletion_refusal(row[4], row[10], actor),
            day_only=anonymous_respondent(row[11]),
        )
        for row in rows
    ]


def visit_summary(store: Store, location_id: int | None, agent_id: int | None) -> str:
    """ "Harbor Point Offices · Maria Alvarez": where a visit is and whom it is about."""
    parts: list[str] = []
    with store.reading() as session:
        if location_id is not None:
            name = session.execute(
                select(LOCATIONS.c.name).where(LOCATIONS.c.id == location_id)
            ).scalar_one_or_none()
            parts.append(name or "")
        if agent_id is not None:
            name = session.execute(
                select(AGENTS.c.name).where(AGENTS.c.id == agent_id)
            ).scalar_one_or_none()
            parts.append(name or "")
    return " · ".join(part for part in parts if part)


def site_list(store: Store, *, include_inactive: bool = True) -> list[LocationOverview]:
    """Every location by name, without figures (cheap: for choosers and administration)."""
    loc = LOCATIONS.c
    query = select(loc.id, loc.code, loc.name, loc.city, loc.active, loc.time_zone).order_by(
        loc.name
    )
    if not include_inactive:
        query = query.where(loc.active.is_(True))
    with store.reading() as session:
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
                time_zone=str(row[5] or ""),
            )
            for row in session.execute(query)
        ]
