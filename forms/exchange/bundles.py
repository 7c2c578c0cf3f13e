"""Bundles: a laptop's finalized work in one self-describing file, merged into another database.

`export_bundle` writes the finalized submissions touched since the last export (or those of
a period) with everything they refer to; `import_bundle_file` checks a bundle completely and
merges it in one transaction. See bundle_model for the format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from forms.exchange.bundle_collect import collect_submissions
from forms.exchange.bundle_file import read_bundle, write_bundle
from forms.exchange.bundle_merge import ImportReport, import_bundle
from forms.exchange.common import read_time_setting
from forms.period import Period
from forms.storage.values import utc_now

if TYPE_CHECKING:
    from forms.storage import Store

LAST_EXPORT_SETTING = "exchange.last_bundle_export_at"
"""Setting key: when the last bundle of new work was exported from this database."""


@dataclass(frozen=True)
class BundleExport:
    """What export_bundle wrote."""

    started_at: datetime
    """Submissions touched from this moment on go into the next export."""
    since: datetime | None
    period: Period
    counts: dict[str, int]


def last_bundle_export(store: Store) -> datetime | None:
    """When new work was last exported from this database (None: never)."""
    return read_time_setting(store, LAST_EXPORT_SETTING)


def export_bundle(
    store: Store, target: Path, *, period: Period | None = None, everything: bool = False
) -> BundleExport:
    """Write a bundle to `target`: without a period (and unless `everything`), the finalized
    submissions touched since the last export; with a period, those visited in it.

    Call remember_bundle_export once the file is in its place.
    """
    period = period or Period()
    started = utc_now()
    since = None if everything or not period.open else last_bundle_export(store)
    bundle = collect_submissions(store, since=since, period=period)
    write_bundle(bundle, target)
    return BundleExport(started_at=started, since=since, period=period, counts=bundle.counts())


def remember_bundle_export(store: Store, export: BundleExport) -> None:
    """Record the export as the last one, unless it covered only a period."""
    if export.period.open:
        store.set_setting(LAST_EXPORT_SETTING, export.started_at.isoformat())


def import_bundle_file(store: Store, path: Path, *, actor: str) -> ImportReport:
    """Check the bundle file completely, then merge it in one transaction.

    Raises ExchangeError (BundleRefused for the file itself) and changes nothing if anything
    is wrong.
    """
    bundle = read_bundle(path)
    return import_bundle(store, bundle, actor=actor, source=str(path))
