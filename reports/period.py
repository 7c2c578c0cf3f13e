"""The period a report covers: light to import, so a command can parse its dates before the
database library is loaded (reports.queries.common re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta


@dataclass(frozen=True)
class Period:
    """A reporting period, both days included; None = open-ended."""

    start: date | None = None
    end: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as UTC datetimes: start of the first day, end of the last day."""
        start = datetime.combine(self.start, time.min, UTC) if self.start else None
        end = datetime.combine(self.end, time.max, UTC) if self.end else None
        return start, end

    def label(self) -> str:
        """The period in ISO dates (reports print it with the reader's locale instead)."""
        if self.start and self.end:
            return f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.start:
            return f"from {self.start.isoformat()}"
        if self.end:
            return f"up to {self.end.isoformat()}"
        return "all time"

    @property
    def bounded(self) -> bool:
        """Both ends are known."""
        return self.start is not None and self.end is not None

    def previous(self) -> Period | None:
        """The period of the same length just before this one (None if open-ended)."""
        if self.start is None or self.end is None:
            return None
        length = (self.end - self.start).days + 1
        return Period(self.start - timedelta(days=length), self.start - timedelta(days=1))
