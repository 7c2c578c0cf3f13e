"""Storage of Rapport's data: tables, migrations, and the Store that opens and guards them."""

from __future__ import annotations

from forms.store.records import (
    AuditEntry,
    DraftState,
    FormVersionInfo,
    StoreError,
    StoreHealth,
    SubmissionIncomplete,
)
from forms.store.store import Store

__all__ = [
    "AuditEntry",
    "DraftState",
    "FormVersionInfo",
    "Store",
    "StoreError",
    "StoreHealth",
    "SubmissionIncomplete",
]
