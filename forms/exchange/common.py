"""What moving data in and out of Rapport shares: its error, periods, remembered settings."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ColumnElement, Row, Table, select
from sqlmodel import Session

from forms.errors import RapportError
from forms.storage.tables import Submission
from forms.storage.values import table_of
from forms.vocabulary import FINISHED_STATUSES as FINISHED

if TYPE_CHECKING:
    from forms.storage import Store

FINISHED_STATUSES = tuple(sorted(status.value for status in FINISHED))
"""Statuses of submissions that were finalized: what bundles carry and spreadsheets list."""


class ExchangeError(RapportError):
    """A file or server cannot be read, written or merged; the message says why and what to do."""


@dataclass(frozen=True)
class DayRange:
    """A period of visit days, both included; None = open-ended. Days are UTC days."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ExchangeError("--from is after --to; swap the two dates")

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Start of the first day and end of the last day, in UTC."""
        start = datetime.combine(self.start, time.min, UTC) if self.start else None
        end = datetime.combine(self.end, time.max, UTC) if self.end else None
        return start, end

    @property
    def open(self) -> bool:
        """True when the period has no bounds at all."""
        return self.start is None and self.end is None

    def label(self) -> str:
        """The period in ISO dates."""
        first = self.start.isoformat() if self.start else "the first visit"
        last = self.end.isoformat() if self.end else "the last visit"
        return f"{first} to {last}"


def in_period(period: DayRange) -> list[ColumnElement[bool]]:
    """WHERE conditions selecting submissions whose visit falls in `period`."""
    start, end = period.bounds()
    conditions: list[ColumnElement[bool]] = []
    when = table_of(Submission).c.visit_at
    finished = table_of(Submission).c.finished_at
    # Comparing the coalesced value would bypass the column type that stores UTC text.
    if start is not None:
        conditions.append((when >= start) | (when.is_(None) & (finished >= start)))
    if end is not None:
        conditions.append((when <= end) | (when.is_(None) & (finished <= end)))
    return conditions


def read_time_setting(store: Store, key: str) -> datetime | None:
    """A timestamp kept in the Setting table (ISO 8601, UTC)."""
    value = store.setting(key)
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None  # an unreadable mark is treated as never set: everything is exported again
    return found if found.tzinfo else found.replace(tzinfo=UTC)


CHUNK = 500
"""Keys per IN (...) list: well under SQLite's limit of bound parameters."""


def _chunks(values: Collection[Any]) -> Iterator[list[Any]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def rows_where(
    session: Session, table: Table, column: str, keys: Collection[Any]
) -> list[Row[Any]]:
    """Rows of `table` whose `column` is one of `keys`, ordered by the table's key per chunk
    (so rows sharing a `column` value come out in key order)."""
    found: list[Row[Any]] = []
    where: Column[Any] = table.c[column]
    order = list(table.primary_key.columns)
    for chunk in _chunks(keys):
        found.extend(session.execute(select(table).where(where.in_(chunk)).order_by(*order)))
    return found
