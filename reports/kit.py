"""What every report needs besides its subject: the store, settings, formatter, catalogue.

Loaded once and reused when one process writes many reports (`rapport report all`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reports.formatting import Formatter
from reports.queries.catalogue import Catalogue
from reports.settings import ReportSettings, report_settings

if TYPE_CHECKING:
    from forms.store import Store


@dataclass(frozen=True)
class ReportKit:
    """The store and what is read from it once for any number of reports."""

    store: Store
    settings: ReportSettings
    fmt: Formatter
    catalogue: Catalogue
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    """When the reports are generated (printed in their footers)."""

    @classmethod
    def load(cls, store: Store, *, locale: str | None = None) -> ReportKit:
        """Read the settings and the form catalogue; `locale` overrides the setting."""
        settings = report_settings(store)
        if locale is not None:
            from dataclasses import replace

            from reports.formatting import parse_locale

            parse_locale(locale)
            settings = replace(settings, locale=locale)
        return cls(store, settings, settings.formatter(), Catalogue.load(store))
