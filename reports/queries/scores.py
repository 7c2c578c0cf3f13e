"""Visit scores: averages, trends by month, rankings of agents and locations, critical failures.

A visit is a mystery-shop submission (respondent kind `shopper`). Its score is the form
score after the critical-failure rule; every visit weighs the same in an average.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Integer, and_, cast, func, select

from forms.vocabulary import SubmissionStatus
from reports.queries.catalogue import Catalogue
from reports.queries.common import (
    AGENTS,
    ANSWERS,
    LOCATIONS,
    LOW_SAMPLE,
    SUBMISSIONS,
    Period,
    Scope,
    mean_or_none,
    month_key,
)

if TYPE_CHECKING:
    from forms.storage import Store


@dataclass(frozen=True)
class ScoreSummary:
    """Headline figures of the visits in a scope."""

    visits: int
    average_score: float | None
    average_empathy: float | None
    empathy_visits: int
    """Visits with an Empathy Index (at least one empathy question counted)."""
    critical_failures: int

    @property
    def low_sample(self) -> bool:
        """Fewer than five visits: figures are shown with a low-sample marker."""
        return self.visits < LOW_SAMPLE


EMPTY_SUMMARY = ScoreSummary(0, None, None, 0, 0)


def _summary_columns() -> tuple[ColumnElement[Any], ...]:
    sub = SUBMISSIONS.c
    return (
        func.count(sub.id),
        func.avg(sub.score),
        func.avg(sub.empathy_index),
        func.count(sub.empathy_index),
        func.coalesce(func.sum(cast(sub.critical_failure, Integer)), 0),
    )


def _summary(row: tuple[object, ...]) -> ScoreSummary:
    visits, score, empathy, empathy_visits, failures = row
    return ScoreSummary(
        visits=int(visits),  # type: ignore[call-overload]
        average_score=mean_or_none(score),
        average_empathy=mean_or_none(empathy),
        empathy_visits=int(empathy_visits),  # type: ignore[call-overload]
        critical_failures=int(failures),  # type: ignore[call-overload]
    )


def score_summary(store: Store, scope: Scope) -> ScoreSummary:
    """Visits counted, average score, average Empathy Index and critical failures."""
    query = select(*_summary_columns()).where(*scope.where())
    with store.reading() as session:
        return _summary(tuple(session.execute(query).one()))


def scores_by_location(store: Store, scope: Scope) -> dict[int, ScoreSummary]:
    """The score summary of every location with visits in the scope, by location id."""
    sub = SUBMISSIONS.c
    query = (
        select(sub.location_id, *_summary_columns())
        .where(*scope.where(), sub.location_id.is_not(None))
        .group_by(sub.location_id)
    )
    with store.reading() as session:
        return {int(row[0]): _summary(tuple(row[1:])) for row in session.execute(query).all()}


RANKED_BY = "average score"
"""The figure locations are ranked by: in the portfolio and on each location report."""


def location_ranking(
    by_location: Mapping[int, ScoreSummary], names: Mapping[int, tuple[str, str]]
) -> list[int]:
    """The ids of `names` (id -> code, name), best average score first (ties by name), then
    the locations without a visit."""

    def key(location_id: int) -> tuple[bool, float, str]:
        score = by_location[location_id].average_score if location_id in by_location else None
        return (score is None, -(score or 0.0), names[location_id][1])

    return sorted(names, key=key)


@dataclass(frozen=True)
class SiteRank:
    """Where one location stands among all locations in a scope's period."""

    rank: int | None
    """1 for the best; None when the location has no visit in the period."""
    ranked: int
    """How many locations have a visit in the period (and so a rank)."""


def site_rank(store: Store, scope: Scope, location_id: int) -> SiteRank:
    """The rank of a location among all locations by RANKED_BY, as the portfolio ranks them."""
    by_location = scores_by_location(store, scope.widen(location_id=None))
    order = location_ranking(by_location, location_names(store))
    ranked = [place for place in order if by_location.get(place, EMPTY_SUMMARY).visits]
    rank = ranked.index(location_id) + 1 if location_id in ranked else None
    return SiteRank(rank, len(ranked))


@dataclass(frozen=True)
class AgentScore:
    """One agent's figures in a scope."""

    agent_id: int
    code: str
    name: str
    summary: ScoreSummary


def scores_by_agent(store: Store, scope: Scope, location_id: int) -> list[AgentScore]:
    """Every agent of a location with their figures, best average first, then no visits."""
    sub, agent = SUBMISSIONS.c, AGENTS.c
    on_visit = and_(sub.agent_id == agent.id, *scope.widen(location_id=None).where())
    query = (
        select(agent.id, agent.code, agent.name, *_summary_columns())
        .select_from(AGENTS)
        .outerjoin(SUBMISSIONS, on_visit)
        .where(agent.location_id == location_id)
        .group_by(agent.id, agent.code, agent.name)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    found = [AgentScore(int(row[0]), row[1], row[2], _summary(tuple(row[3:]))) for row in rows]
    found.sort(
        key=lambda a: (
            a.summary.average_score is None,
            -(a.summary.average_score or 0.0),
            a.name,
        )
    )
    return found


@dataclass(frozen=True)
class MonthPoint:
    """Figures of one calendar month (UTC)."""

    month: str
    """YYYY-MM."""
    visits: int
    average_score: float | None
    average_empathy: float | None


def monthly_trend(store: Store, scope: Scope) -> list[MonthPoint]:
    """Visits, average score and Empathy Index per month, oldest first (months with visits)."""
    sub = SUBMISSIONS.c
    month = month_key(sub.visit_at, store.dialect_name).label("month")
    query = (
        select(month, func.count(sub.id), func.avg(sub.score), func.avg(sub.empathy_index))
        .where(*scope.where(), sub.visit_at.is_not(None))
        .group_by(month)
        .order_by(month)
    )
    with store.reading() as session:
        return [
            MonthPoint(str(row[0]), int(row[1]), mean_or_none(row[2]), mean_or_none(row[3]))
            for row in session.execute(query).all()
        ]


@dataclass(frozen=True)
class CriticalFailure:
    """A visit scored 0 because a critical question was failed."""

    submission_id: str
    visit_at: datetime | None
    agent: str
    raw_score: float | None
    failed: tuple[str, ...]
    """Labels of the critical questions answered with 0 points."""


def critical_failures(
    store: Store, scope: Scope, catalogue: Catalogue, *, limit: int = 12
) -> tuple[list[CriticalFailure], int]:
    """The newest critical failures in the scope (up to `limit`) and how many there are."""
    sub, agent, answer = SUBMISSIONS.c, AGENTS.c, ANSWERS.c
    failed_visits = (*scope.where(), sub.critical_failure.is_(True))
    query = (
        select(sub.id, sub.visit_at, agent.name, sub.raw_score, sub.form_version_id)
        .select_from(SUBMISSIONS)
        .outerjoin(AGENTS, agent.id == sub.agent_id)
        .where(*failed_visits)
        .order_by(sub.visit_at.desc(), sub.id)
        .limit(limit)
    )
    with store.reading() as session:
        total = int(session.execute(select(func.count(sub.id)).where(*failed_visits)).scalar_one())
        rows = session.execute(query).all()
        ids = [str(row[0]) for row in rows]
        zero_answers = session.execute(
            select(answer.submission_id, answer.question).where(
                answer.submission_id.in_(ids), answer.points == 0, answer.possible > 0
            )
        ).all()
    failed_by_visit: dict[str, list[str]] = {}
    version_of = {str(row[0]): int(row[4]) for row in rows}
    for submission_id, question in zero_answers:
        facts = catalogue.facts(version_of[str(submission_id)], str(question))
        if facts is not None and facts.critical:
            failed_by_visit.setdefault(str(submission_id), []).append(facts.label)
    failures = [
        CriticalFailure(
            submission_id=str(row[0]),
            visit_at=row[1],
            agent=row[2] or "",
            raw_score=mean_or_none(row[3]),
            failed=tuple(failed_by_visit.get(str(row[0]), ())),
        )
        for row in rows
    ]
    return failures, total


OPEN_STATUS = SubmissionStatus.FINAL
"""A critical failure is open while its visit is finalized and no manager has reviewed it
(accepted, rejected or sent it back)."""


@dataclass(frozen=True)
class OpenFailures:
    """The critical failures of a scope that wait for a manager's review."""

    count: int
    oldest: datetime | None


def open_critical_failures(store: Store, scope: Scope) -> OpenFailures:
    """Visits of the scope's period and place that failed a critical question and are still
    OPEN_STATUS, whichever statuses the scope counts."""
    sub = SUBMISSIONS.c
    query = select(func.count(sub.id), func.min(sub.visit_at)).where(
        *scope.widen(statuses=(OPEN_STATUS.value,)).where(), sub.critical_failure.is_(True)
    )
    with store.reading() as session:
        count, oldest = session.execute(query).one()
    return OpenFailures(int(count), oldest)


def newest_form_version(store: Store, scope: Scope) -> int | None:
    """The form version of the newest visit in the scope (its bands name the averages)."""
    sub = SUBMISSIONS.c
    query = (
        select(sub.form_version_id)
        .where(*scope.where())
        .order_by(sub.visit_at.desc(), sub.id)
        .limit(1)
    )
    with store.reading() as session:
        found = session.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


def location_names(store: Store) -> dict[int, tuple[str, str]]:
    """Every location's (code, name) by id."""
    loc = LOCATIONS.c
    with store.reading() as session:
        rows = session.execute(select(loc.id, loc.code, loc.name)).all()
    return {int(row[0]): (str(row[1]), str(row[2])) for row in rows}


def latest_activity(store: Store, scope: Scope) -> datetime | None:
    """When the newest counted visit or survey in the scope (any period) took place."""
    sub = SUBMISSIONS.c
    query = select(func.max(sub.visit_at)).where(
        *scope.widen(period=Period()).where(("shopper", "customer"))
    )
    with store.reading() as session:
        found: datetime | None = session.execute(query).scalar_one_or_none()
    return found


def not_applicable_answers(store: Store, scope: Scope) -> int:
    """How many answers of the visits in the scope were marked N/A (left out of scores)."""
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    query = (
        select(func.count(answer.id))
        .select_from(ANSWERS)
        .join(SUBMISSIONS, sub.id == answer.submission_id)
        .where(*scope.where(), answer.not_applicable.is_(True))
    )
    with store.reading() as session:
        return int(session.execute(query).scalar_one())
