"""What the benchmark runs against a database: the aggregations behind reports and screens.

Each workload calls the same functions the app and `rapport report` call, so a figure
moves when the product moves. A recorder times every SQL statement for the breakdown
that names what is slow, and for the query-plan report (query_plans.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, func, select

from tests.bench.synthetic_company import MONTHS, month_start

if TYPE_CHECKING:
    from forms.storage import Store
    from reports.kit import ReportKit
    from reports.queries.common import AgentRef, LocationRef, Period

SCOPED = re.compile(r"submission\.(location_id|agent_id) = \?")
"""A statement restricted to one location or agent (the rest cover every location)."""


@dataclass(frozen=True)
class Statement:
    """One SQL statement the workload ran, and how long its execute call took."""

    seconds: float
    sql: str
    params: Any

    @property
    def scoped(self) -> bool:
        """Restricted to one location or agent."""
        return SCOPED.search(self.sql) is not None

    @property
    def is_query(self) -> bool:
        """A SELECT (not BEGIN, PRAGMA or a write)."""
        return self.sql.lstrip().upper().startswith(("SELECT", "WITH"))

    def short(self, width: int = 110) -> str:
        """The statement on one line, cut to `width` characters."""
        text = " ".join(self.sql.split())
        text = re.sub(r"VALUES (\(\?(, \?)*\), )+\(\?(, \?)*\)", "VALUES (...)", text)
        return text if len(text) <= width else text[: width - 1] + "…"


class SqlRecorder:
    """Times each statement run on an engine while `recording()` is active."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[Statement] = []
        self._active = False
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
        conn.info["rapport_bench_started"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if self._active:
            began = conn.info.pop("rapport_bench_started", time.perf_counter())
            self.statements.append(Statement(time.perf_counter() - began, sql, params))

    @contextmanager
    def recording(self) -> Iterator[list[Statement]]:
        """Collect the statements run inside the block (a fresh list each time)."""
        self.statements = []
        self._active = True
        try:
            yield self.statements
        finally:
            self._active = False

    def close(self) -> None:
        """Stop listening to the engine."""
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


@dataclass(frozen=True)
class Dataset:
    """An opened benchmark database and the subjects measured on it."""

    path: Path
    store: Store
    kit: ReportKit
    first_day: date
    last_day: date
    location: LocationRef
    agent: AgentRef
    submissions: int

    @property
    def last_12_months(self) -> Period:
        """The twelve calendar months up to the newest visit."""
        from reports.queries.common import Period

        return Period(month_start(self.last_day, MONTHS - 12), self.last_day)

    @property
    def everything(self) -> Period:
        """From the oldest visit to the newest."""
        from reports.queries.common import Period

        return Period(self.first_day, self.last_day)


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise TypeError(f"expected a visit time, got {value!r}")


def typical_location_code(path: Path) -> str:
    """The location with the median number of counted visits in the database's last year."""
    with opened(path) as dataset:
        return dataset.location.code


def _visits_by_location(store: Store, period: Period) -> list[tuple[int, int]]:
    from reports.queries.common import Scope
    from reports.queries.scores import scores_by_location

    counts = scores_by_location(store, Scope(period))
    return sorted(((summary.visits, location) for location, summary in counts.items()))


@contextmanager
def opened(path: Path, location_code: str | None = None) -> Iterator[Dataset]:
    """Open a benchmark database; the location is `location_code` or the typical one."""
    from forms.storage import Store
    from forms.storage.tables import Submission
    from reports.kit import ReportKit
    from reports.queries.common import (
        Period,
        Scope,
        find_agent,
        find_location,
        location_by_id,
    )
    from reports.queries.scores import scores_by_agent

    store = Store.open(f"sqlite:///{path.resolve()}", create=False)
    try:
        visit_at = Submission.__table__.c.visit_at  # type: ignore[attr-defined]
        with store.reading() as session:
            first, last, count = session.execute(
                select(func.min(visit_at), func.max(visit_at), func.count())
            ).one()
        last_day = _day(last)
        year = Period(month_start(last_day, MONTHS - 12), last_day)
        if location_code is None:
            ranked = _visits_by_location(store, year)
            location = location_by_id(store, ranked[len(ranked) // 2][1])
        else:
            location = find_location(store, location_code)
        agents = scores_by_agent(store, Scope(year), location.id)
        busiest = max(agents, key=lambda a: (a.summary.visits, a.code))
        yield Dataset(
            path=path,
            store=store,
            kit=ReportKit.load(store),
            first_day=_day(first),
            last_day=last_day,
            location=location,
            agent=find_agent(store, busiest.code),
            submissions=int(count),
        )
    finally:
        store.close()


def location_report_data(dataset: Dataset) -> object:
    """Everything the location report computes for one location's last twelve months."""
    from reports.location import location_context

    return location_context(dataset.kit, dataset.location, dataset.last_12_months)


def agent_report_data(dataset: Dataset) -> object:
    """Everything an agent's coaching report computes for the last twelve months."""
    from reports.agent import agent_context

    return agent_context(dataset.kit, dataset.agent, dataset.last_12_months)


def portfolio_data(dataset: Dataset) -> object:
    """Everything the portfolio report computes over every location and every visit."""
    from reports.portfolio import portfolio_context

    return portfolio_context(dataset.kit, dataset.everything, today=dataset.last_day)


def home_screen_data(dataset: Dataset) -> object:
    """The figures the home screen lists for every location."""
    try:
        from reports.queries.screens import location_overview
    except ImportError:
        from reports.queries.locations import location_rows

        return location_rows(dataset.store)
    return location_overview(dataset.store)


WORKLOADS: dict[str, Callable[[Dataset], object]] = {
    "location report (12 months)": location_report_data,
    "agent report (12 months)": agent_report_data,
    "portfolio (everything)": portfolio_data,
    "home screen": home_screen_data,
}
