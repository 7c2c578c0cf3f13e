"""Moving data in and out of Rapport: bundles between laptops, spreadsheets for analysis,
sites and agents from CSV, and sync with a team server."""

from __future__ import annotations

from forms.exchange.bundle_file import BundleRefused, read_bundle, write_bundle
from forms.exchange.bundle_merge import ImportReport, import_bundle
from forms.exchange.bundles import (
    BundleExport,
    export_bundle,
    import_bundle_file,
    last_bundle_export,
    remember_bundle_export,
)
from forms.exchange.common import ExchangeError

__all__ = [
    "BundleExport",
    "BundleRefused",
    "ExchangeError",
    "ImportReport",
    "export_bundle",
    "import_bundle",
    "import_bundle_file",
    "last_bundle_export",
    "read_bundle",
    "remember_bundle_export",
    "write_bundle",
]
