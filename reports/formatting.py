"""Numbers, percentages, dates and times as the reader's locale writes them (Babel).

Report builders format every figure here before it reaches a template, so templates only
ever print strings. A missing figure prints as an en dash, never as "None" or "nan".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent

from forms.errors import RapportError

LARGEST_FIGURE = 1e9
"""No figure Rapport prints comes near this (scores 0 to 100, counts of visits)."""

DEFAULT_LOCALE = "en_US"
LETTER_TERRITORIES = frozenset(
    ["BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"]
)
"""Where paper is US Letter (CLDR's paper-size data, which Babel does not ship); A4 elsewhere."""
MISSING = "–"
"""What a report prints where there is no figure (nothing was counted)."""


class LocaleError(RapportError):
    """A locale or time zone name that Babel or the system does not know."""


@cache
def parse_locale(name: str) -> Locale:
    """The Babel locale for a name such as en_US, fr-FR or de; LocaleError if unknown."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise LocaleError(
            f"locale '{name}' is unknown: use a language and region such as en_US, fr_FR or de_DE"
        ) from None


def parse_time_zone(name: str) -> tzinfo:
    """The time zone called `name` (IANA, e.g. America/New_York); LocaleError if unknown."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LocaleError(
            f"time zone '{name}' is unknown: use an IANA name such as America/New_York or UTC"
        ) from None


@dataclass(frozen=True)
class Formatter:
    """Formats report figures for one locale and time zone."""

    locale_name: str = DEFAULT_LOCALE
    time_zone: tzinfo = field(default=UTC)

    @property
    def locale(self) -> Locale:
        """The Babel locale."""
        return parse_locale(self.locale_name)

    @property
    def language(self) -> str:
        """The document language, for `<html lang>` (e.g. en-US)."""
        territory = self.locale.territory
        return f"{self.locale.language}-{territory}" if territory else self.locale.language

    @property
    def paper(self) -> str:
        """The paper size of the locale's country: "Letter" or "A4". A language without a
        country (en, fr) takes the country it is most often written in (en: US)."""
        territory = self.locale.territory
        if territory is None:
            from babel.core import get_global

            likely = str(get_global("likely_subtags").get(self.locale.language, ""))
            territory = likely.rsplit("_", 1)[-1] if likely.count("_") else None
        return "Letter" if territory in LETTER_TERRITORIES else "A4"

    def number(self, value: float | None, decimals: int = 1) -> str:
        """A number with `decimals` decimals and the locale's separators."""
        if value is None:
            return MISSING
        if not math.isfinite(value) or abs(value) > LARGEST_FIGURE:
            # Only a database changed outside Rapport holds such a value (imports refuse it).
            raise RapportError(
                f"a figure of this report is {value:.3g}, which no form can produce: the "
                "database holds a value changed outside Rapport. Run `rapport db check` to "
                "find it, then restore the database from a backup"
            )
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, pattern, locale=self.locale)

    def as_printed(self, value: float, decimals: int = 1) -> Decimal:
        """`value` rounded exactly as `number` prints it (Babel rounds the decimal text of a
        float half to even), so sums and differences of printed figures add up."""
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals))

    def difference(
        self, now: float | None, before: float | None, decimals: int = 1
    ) -> Decimal | None:
        """`now - before` as the reader would subtract the two printed figures: each is
        rounded to `decimals` first (91.15 - 77.05 prints 91.2 - 77.0 = +14.2, not +14.1).
        None when either is missing."""
        if now is None or before is None:
            return None
        return self.as_printed(now, decimals) - self.as_printed(before, decimals)

    def count(self, value: int) -> str:
        """A whole count with the locale's grouping (1,234)."""
        return format_decimal(value, "#,##0", locale=self.locale)

    def signed(self, value: float | Decimal | None, decimals: int = 0) -> str:
        """A number that can be negative, always with its sign (NPS, changes): +12, -3."""
        if value is None:
            return MISSING
        digits = "." + "0" * decimals if decimals else ""
        pattern = f"+#,##0{digits};-#,##0{digits}"
        text = format_decimal(value, pattern, locale=self.locale)
        # Babel writes a rounded zero as "+0" or "-0"; a change of nothing has no sign.
        return text.lstrip("+-") if set(text.lstrip("+-")) <= set("0.,") else text

    def percent(self, value: float | None, decimals: int = 0) -> str:
        """A share given on the 0..100 scale, as the locale writes a percentage."""
        if value is None:
            return MISSING
        if not math.isfinite(value) or abs(value) > LARGEST_FIGURE:
            # Only a database changed outside Rapport holds such a value (imports refuse it).
            raise RapportError(
                f"a figure of this report is {value:.3g}, which no form can produce: the "
                "database holds a value changed outside Rapport. Run `rapport db check` to "
                "find it, then restore the database from a backup"
            )
        return format_percent(value / 100.0, self._percent_pattern(decimals), locale=self.locale)

    def _percent_pattern(self, decimals: int) -> str:
        """The locale's own percent pattern (72% in en_US, 72 % in es_ES, %72 in tr_TR) with
        `decimals` decimals in place of the locale's."""
        pattern = self.locale.percent_formats[None].pattern.split(";")[0]
        digits = "." + "0" * decimals if decimals else ""
        return _NUMBER_PART.sub(lambda found: found.group(1) + digits, pattern, count=1)

    def counted(self, n: int, one: str, many: str | None = None) -> str:
        """A count with its noun, singular or plural as the number asks: "1 visit",
        "2 visits", "0 visits" (`many` when the plural is not `one` + "s")."""
        return f"{self.count(n)} {plural(n, one, many)}"

    def day(self, value: date | datetime | None) -> str:
        """A day, e.g. Jan 5, 2026 (datetimes are first moved to the report's time zone)."""
        if value is None:
            return MISSING
        if isinstance(value, datetime):
            value = value.astimezone(self.time_zone).date()
        return format_date(value, "medium", locale=self.locale)

    def day_time(self, value: datetime | None) -> str:
        """A day and time of day in the report's time zone, e.g. Jan 5, 2026, 2:30 PM."""
        if value is None:
            return MISSING
        local = value.astimezone(self.time_zone)
        day = format_date(local.date(), "medium", locale=self.locale)
        return f"{day}, {format_time(local.time(), 'short', locale=self.locale)}"

    def month(self, value: date) -> str:
        """A month and year, e.g. Jan 2026."""
        return format_skeleton("yMMM", datetime(value.year, value.month, 1), locale=self.locale)

    def short_month(self, value: date, *, with_year: bool = False) -> str:
        """A month for a chart axis, e.g. Jan (with the year when it is January, or
        `with_year`: the first month of an axis)."""
        if value.month == 1 or with_year:
            return format_skeleton("yMMM", datetime(value.year, value.month, 1), locale=self.locale)
        return format_skeleton("MMM", datetime(value.year, value.month, 1), locale=self.locale)

    def in_zone(self, name: str) -> Formatter:
        """This formatter with times in the time zone called `name` (a site's); itself when
        `name` is empty. LocaleError if the zone is unknown."""
        return replace(self, time_zone=parse_time_zone(name)) if name else self

    def time_zone_name(self) -> str:
        """The time zone as the method appendix names it."""
        return str(getattr(self.time_zone, "key", None) or self.time_zone.tzname(None) or "UTC")


_NUMBER_PART = re.compile(r"([#,0]*0)(?:\.[0#]+)?")
"""The number in a CLDR pattern such as #,##0.0 %: its integer digits and its decimals."""

ENGLISH = Locale("en")
"""The language of the reports' words (figures follow the reader's locale)."""


def plural(n: int | float, one: str, many: str | None = None) -> str:
    """The noun for `n` things, by the plural rule of the reports' language: `one` for 1,
    else `many` (`one` + "s" unless given): plural(1, "visit") is "visit"."""
    if ENGLISH.plural_form(n) == "one":
        return one
    return many if many is not None else one + "s"


QUOTE_CHARS = 300
"""The most characters of a comment that a summary report (location, coaching card,
portfolio) prints: about four lines, so one long comment never pushes a page of blank space
before it. The visit report prints every comment whole."""

CUT_MARK = "…"


def short_reference(submission_id: str) -> str:
    """The reference of a submission: the first characters of its id, which `rapport report
    visit` and the Submissions screen's search accept. A table prints it under a heading
    that says what it is (Visit, Survey)."""
    return submission_id[:8]


def submission_word(respondent_kind: str) -> str:
    """What reports call a submission: a customer's is a "survey", a mystery shop (or an
    inspection) a "visit"."""
    return "survey" if respondent_kind == "customer" else "visit"


def named_reference(submission_id: str, respondent_kind: str) -> str:
    """A submission as a sentence names it: "survey 0a92ef78", "visit 93f4ff9c"."""
    return f"{submission_word(respondent_kind)} {short_reference(submission_id)}"


def cut_comment(text: str, limit: int = QUOTE_CHARS) -> tuple[str, bool]:
    """A comment as a summary report prints it, and whether it was cut: its runs of white
    space (line breaks too) made single spaces, and if it is still longer than `limit`
    characters, cut at the last word that fits and ended with "…" (a single word longer
    than the limit is cut inside it)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat, False
    kept = flat[: limit - len(CUT_MARK)]
    last_space = kept.rfind(" ")
    if last_space > limit // 2:
        kept = kept[:last_space]
    return kept.rstrip(" ,;:.-–—") + CUT_MARK, True
