"""Dates as the user's system writes them (QLocale's short date format, with four-digit
years), and a date field that may be left empty: typed like any text, or picked from a
calendar that opens at the field's date or today.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.questions import problem_colour

_PLAUSIBLE_YEARS = (1900, 2199)
"""A year outside these is a date still being typed ("1/1/202"), not a day to filter on."""


Day = date
"""A calendar day (DateField's own `date` method hides the name `date` inside the class)."""


def date_format() -> str:
    """The locale's short date format, with the year written in full ("dd/MM/yyyy")."""
    written = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in written:
        written = written.replace("yy", "yyyy")
    return written


def date_text(day: date) -> str:
    """A day as the user's system writes it."""
    return QLocale().toString(QDate(day.year, day.month, day.day), date_format())


def datetime_text(moment: datetime, zone: tzinfo | None = None) -> str:
    """A moment in `zone` (default: the user's time zone): the locale's date, then hours
    and minutes."""
    local = moment.astimezone(zone)
    return f"{date_text(local.date())} {local.strftime('%H:%M')}"


def _lenient(written: str) -> str:
    """The format with one-digit days and months accepted too ("2.3.2026" for dd.MM.yyyy)."""
    return re.sub(r"(?<!M)MM(?!M)", "M", re.sub(r"(?<!d)dd(?!d)", "d", written))


def _century_start(today: date) -> int:
    """The first year a two-digit year can mean: "99" is 1999 and "30" is 2030 in 2026, the
    year nearest today (within 50 years either way)."""
    return today.year - 49


def parse_date(text: str, *, finished: bool = True, today: date | None = None) -> date | None:
    """The day `text` names in the locale's format (or as 2026-06-30); None if it names none.

    While the user is still typing (`finished` False) only a four-digit year counts, so
    "3/4/20" on its way to "3/4/2026" is no day yet; once typing is done a two-digit year
    ("3/4/26") is read as the year of that name nearest `today`.
    """
    text = text.strip()
    formats = [date_format(), _lenient(date_format())]
    short = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    if finished and short not in formats:
        formats += [short, _lenient(short)]
    century = _century_start(today or date.today())
    for written in formats:
        found = QLocale().toDate(text, written, century)
        if found.isValid() and _PLAUSIBLE_YEARS[0] <= found.year() <= _PLAUSIBLE_YEARS[1]:
            return date(found.year(), found.month(), found.day())
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class DateField(QWidget):
    """A day, or no day at all: a text box in the locale's format beside a calendar button.

    `date_changed` is emitted when the day it holds changes (typing a whole date with its
    four-digit year, finishing a short one with Enter or Tab, picking one, or emptying the
    box); text that is no date yet changes nothing and is marked once typing is done.
    """

    date_changed = Signal()

    def __init__(self, name: str, *, empty_text: str = "") -> None:
        super().__init__()
        self.setAccessibleName(name)
        self._day: Day | None = None
        self.empty_text = empty_text
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit()
        self.line.setAccessibleName(name)
        self.line.setClearButtonEnabled(True)
        example = date_text(date(2026, 6, 30))
        self.line.setPlaceholderText(empty_text or example)
        self.hint = f"Type a date like {example}" + (
            f", or leave it empty for {empty_text}." if empty_text else "."
        )
        self.line.setToolTip(self.hint)
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance(example) + 40)
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setAccessibleName(f"{name}: pick a day on a calendar")
        self.button.setToolTip("Pick a day on a calendar")
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.popup = QWidget(self, Qt.WindowType.Popup)
        popup_layout = QVBoxLayout(self.popup)
        popup_layout.setContentsMargins(0, 0, 0, 0)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        popup_layout.addWidget(self.calendar)
        self.line.textChanged.connect(self._typed)
        self.line.editingFinished.connect(self.finish_typing)
        self.button.clicked.connect(self.open_calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

    def date(self) -> Day | None:
        """The day held, or None when the box is empty."""
        return self._day

    def set_date(self, day: Day | None) -> None:
        """Hold `day` (None empties the box); emits date_changed if it changed."""
        self.line.setText(date_text(day) if day is not None else "")
        self._mark(ok=True)
        self._hold(day)

    def valid(self) -> bool:
        """False while the box holds text that names no day."""
        text = self.line.text().strip()
        return not text or parse_date(text) is not None

    def open_calendar(self) -> None:
        """Show the calendar at the day held, or at today's month when empty."""
        shown = self._day or date.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.calendar.setFocus()

    def _picked(self, picked: QDate) -> None:
        self.popup.hide()
        self.set_date(date(picked.year(), picked.month(), picked.day()))
        self.line.setFocus()

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._mark(ok=True)
            self._hold(None)
            return
        day = parse_date(text, finished=False)
        if day is not None:
            self._mark(ok=True)
            self._hold(day)

    def finish_typing(self) -> None:
        """Once typing is done (Enter, leaving the box, or a button's shortcut that does not
        move the focus), read a short year too ("3/4/26"), hold that day, and write it back in
        the locale's own way; text that names no day is marked."""
        text = self.line.text()
        if not text.strip():
            return
        day = parse_date(text)
        self._mark(ok=day is not None)
        if day is None:
            return
        self._hold(day)
        self.line.blockSignals(True)  # the same day, written out: nothing to read again
        self.line.setText(date_text(day))
        self.line.blockSignals(False)

    def _mark(self, *, ok: bool) -> None:
        self.line.setStyleSheet("" if ok else f"border: 2px solid {problem_colour(self)};")
        self.line.setToolTip(self.hint if ok else f"Not a date. {self.hint}")

    def _hold(self, day: Day | None) -> None:
        if day != self._day:
            self._day = day
            self.date_changed.emit()
