"""The days a figure, report, export or bundle covers: one definition for all of them.

Light to import (no database library), so a command can parse its dates first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from forms.errors import RapportError

RECENT_DAYS = 90
"""A report with no dates given covers this many days up to today (against as many before)."""


def current_day() -> date:
    """Today as periods count days: the UTC date (a period's day runs from midnight to
    midnight UTC, see Period.bounds), so a visit made this evening west of Greenwich is in a
    period ending "today" and its day is the one `day_of` names."""
    return datetime.now(UTC).date()


def day_of(moment: datetime) -> date:
    """The day of the periods a moment falls on (its UTC date): the day a screen names for a
    visit, so "Last visit" is always a day whose period holds that visit."""
    return moment.astimezone(UTC).date()


@dataclass(frozen=True)
class Period:
    """A period of visit days, both included, in UTC; None = open-ended. A submission is in
    it when its visit time is (`forms.storage.values.dated_visit`)."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise RapportError(
                f"the period starts on {self.start.isoformat()}, after it ends on "
                f"{self.end.isoformat()}: swap the two dates"
            )

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as UTC datetimes: start of the first day, end of the last day."""
        start = datetime.combine(self.start, time.min, UTC) if self.start else None
        end = datetime.combine(self.end, time.max, UTC) if self.end else None
        return start, end

    @property
    def open(self) -> bool:
        """True when the period has no bounds at all."""
        return self.start is None and self.end is None

    @property
    def bounded(self) -> bool:
        """Both ends are known."""
        return self.start is not None and self.end is not None

    def label(self) -> str:
        """The period in ISO dates (reports print it with the reader's locale instead)."""
        if self.start and self.end:
            return f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.start:
            return f"from {self.start.isoformat()}"
        if self.end:
            return f"up to {self.end.isoformat()}"
        return "all time"

    def previous(self) -> Period | None:
        """The period of the same length just before this one (None if open-ended)."""
        if self.start is None or self.end is None:
            return None
        length = (self.end - self.start).days + 1
        return Period(self.start - timedelta(days=length), self.start - timedelta(days=1))

    def or_recent(self, today: date) -> Period:
        """This period where both ends are given; else the RECENT_DAYS days up to its end
        (today when it has none), or from its start up to today."""
        if self.bounded:
            return self
        end = self.end or today
        start = self.start or end - timedelta(days=RECENT_DAYS - 1)
        return Period(start, end)


def last_days(days: int, today: date) -> Period:
    """The `days` days up to and including `today`."""
    return Period(today - timedelta(days=days - 1), today)


def _months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has fewer)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


class NamedPeriod(StrEnum):
    """A period the manager picks by name on Home or the Reports screen; it ends today."""

    LAST_90_DAYS = "last_90_days"
    LAST_30_DAYS = "last_30_days"
    LAST_12_MONTHS = "last_12_months"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"
    ALL_TIME = "all_time"

    @property
    def label(self) -> str:
        """How the choice reads in the screens' period boxes."""
        return _NAMED_PERIOD_LABELS[self]

    def period(self, today: date) -> Period:
        """The days this choice covers when the day is `today` (calendar months and years:
        the last 12 months of 30 June 2026 start on 1 July 2025, whatever leap day falls
        between)."""
        if self is NamedPeriod.LAST_90_DAYS:
            return last_days(RECENT_DAYS, today)
        if self is NamedPeriod.LAST_30_DAYS:
            return last_days(30, today)
        if self is NamedPeriod.LAST_12_MONTHS:
            return Period(_months_before(today, 12) + timedelta(days=1), today)
        if self is NamedPeriod.THIS_YEAR:
            return Period(date(today.year, 1, 1), today)
        if self is NamedPeriod.LAST_YEAR:
            return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
        return Period()


_NAMED_PERIOD_LABELS = {
    NamedPeriod.LAST_90_DAYS: f"Last {RECENT_DAYS} days",
    NamedPeriod.LAST_30_DAYS: "Last 30 days",
    NamedPeriod.LAST_12_MONTHS: "Last 12 months",
    NamedPeriod.THIS_YEAR: "This year",
    NamedPeriod.LAST_YEAR: "Last year",
    NamedPeriod.ALL_TIME: "All time",
}
