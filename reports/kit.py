"""What every report needs besides its subject: the store, settings, formatter, catalogue.

Loaded once and reused when one process writes many reports (`rapport report all`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from reports.formatting import Formatter
from reports.queries.catalogue import Catalogue
from reports.settings import ReportSettings, report_settings

if TYPE_CHECKING:
    from forms.storage import Store

T = TypeVar("T")


@dataclass(frozen=True)
class ReportKit:
    """The store and what is read from it once for any number of reports."""

    store: Store
    settings: ReportSettings
    fmt: Formatter
    catalogue: Catalogue
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    """When the reports are generated (printed in their footers)."""
    _shared: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` the first time `key` is asked for, the same value after that.

        For figures many reports of one run show alike, such as the all-locations benchmark
        of a period: every location and agent report of `rapport report all` reuses them. A
        kit lives for one run, so the data does not change under it.
        """
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]  # type: ignore[no-any-return]

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
