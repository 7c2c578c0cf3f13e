"""The manager's report settings, read from the Setting table with safe defaults.

The manager's settings are forms.settings.ManagerSettings; this adds what a report derives
from them. Keys (all optional):
- `company_name`: shown on every cover and running header (default "Rapport").
- `brand_colour`: `#rrggbb` for headings and charts; darkened until it reads as text on
  white (WCAG AA, 4.5:1), so a pale brand colour never makes a report hard to read.
- `logo`: the sha256 of a stored blob, `attachment:<id>`, or a `data:image/...;base64,` URL.
- `locale`: e.g. en_US (default), fr_FR, de_DE; `time_zone`: IANA name (default UTC).
- `count_accepted_only`: yes/true/1 to count only visits a manager accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forms.vocabulary import counted_statuses
from reports.formatting import DEFAULT_LOCALE, Formatter, LocaleError, parse_locale, parse_time_zone
from reports.queries.branding import stored_logo

if TYPE_CHECKING:
    from forms.storage import Store

DEFAULT_COMPANY = "Rapport"
DEFAULT_BRAND_COLOUR = "#173f5f"

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class ReportSettings:
    """What every report takes from the manager's settings."""

    company: str = DEFAULT_COMPANY
    brand_colour: str = DEFAULT_BRAND_COLOUR
    logo: str | None = None
    """The logo as a PNG `data:` URL, or None."""
    locale: str = DEFAULT_LOCALE
    time_zone: str = "UTC"
    accepted_only: bool = False

    @property
    def counted_statuses(self) -> tuple[str, ...]:
        """Submission statuses that count in reports."""
        return counted_statuses(self.accepted_only)

    def formatter(self) -> Formatter:
        """The number and date formatter for these settings."""
        return Formatter(self.locale, parse_time_zone(self.time_zone))


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours (1..21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on_white(colour: str, minimum: float = 4.5) -> str:
    """`colour`, darkened in small steps until it has `minimum` contrast against white."""
    if not _HEX_COLOUR.match(colour):
        return DEFAULT_BRAND_COLOUR
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    current = colour.lower()
    while contrast_ratio(current, "#ffffff") < minimum:
        red, green, blue = (int(channel * 0.92) for channel in (red, green, blue))
        current = f"#{red:02x}{green:02x}{blue:02x}"
    return current


def report_settings(store: Store) -> ReportSettings:
    """The settings every report uses; a missing or unusable value falls back to its default.

    An unknown locale or time zone is an error (LocaleError) naming the setting, since
    guessing would print figures in a format the reader does not expect.
    """
    from reports.images import logo_data_url

    settings = store.manager_settings()
    # The typed settings drop a stored locale or time zone that is no longer valid; a report
    # refuses it instead, naming it.
    locale = store.setting("locale").strip() or DEFAULT_LOCALE
    time_zone = store.setting("time_zone").strip() or "UTC"
    try:
        parse_locale(locale)
        parse_time_zone(time_zone)
    except LocaleError as error:
        raise LocaleError(f"setting locale/time_zone: {error}") from None
    logo_bytes = stored_logo(store, settings.logo) if settings.logo else None
    return ReportSettings(
        company=settings.company_name or DEFAULT_COMPANY,
        brand_colour=readable_on_white(settings.brand_colour),
        logo=logo_data_url(logo_bytes) if logo_bytes else None,
        locale=locale,
        time_zone=time_zone,
        accepted_only=settings.count_accepted_only,
    )
