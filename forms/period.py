"""The days a figure, report, export or bundle covers: one definition for all of them.

Light to import (no database library), so a command can parse its dates first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from forms.errors import RapportError

RECENT_DAYS = 90
"""A report with no dates given covers this many days up to today (against as many before)."""


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
