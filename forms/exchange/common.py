"""What moving data in and out of Rapport shares: its error, periods, remembered settings."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ColumnElement, Row, Table, select
from sqlmodel import Session

from forms.errors import RapportError
from forms.period import Period
from forms.storage.tables import Submission
from forms.storage.values import table_of
from forms.vocabulary import FINISHED_STATUSES as FINISHED

if TYPE_CHECKING:
    from forms.storage import Store

FINISHED_STATUSES = tuple(sorted(status.value for status in FINISHED))
"""Statuses of submissions that were finalized: what bundles carry and spreadsheets list."""


class ExchangeError(RapportError):
    """A file or server cannot be read, written or merged; the message says why and what to do."""


def in_period(period: Period) -> list[ColumnElement[bool]]:
    """WHERE conditions selecting submissions whose visit falls in `period`."""
    start, end = period.bounds()
    conditions: list[ColumnElement[bool]] = []
    # Every sent submission has a visit time (dated_visit, and migration 0005 for older ones).
    when = table_of(Submission).c.visit_at
    if start is not None:
        conditions.append(when >= start)
    if end is not None:
        conditions.append(when <= end)
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
