"""Storage of Rapport's data: tables, migrations, and the Store that opens and guards them.

The names are loaded on first use, so `rapport --version` or `rapport --help` does not pay
for importing SQLAlchemy and SQLModel.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forms.storage.records import (
        AuditEntry,
        DraftState,
        FormVersionInfo,
        SentBack,
        StoreError,
        StoreHealth,
        SubmissionIncomplete,
    )
    from forms.storage.store import Store, restore_backup

_WHERE = {
    "AuditEntry": "forms.storage.records",
    "DraftState": "forms.storage.records",
    "FormVersionInfo": "forms.storage.records",
    "SentBack": "forms.storage.records",
    "StoreError": "forms.storage.records",
    "StoreHealth": "forms.storage.records",
    "SubmissionIncomplete": "forms.storage.records",
    "Store": "forms.storage.store",
    "restore_backup": "forms.storage.store",
}

__all__ = [
    "AuditEntry",
    "DraftState",
    "FormVersionInfo",
    "SentBack",
    "Store",
    "StoreError",
    "StoreHealth",
    "SubmissionIncomplete",
    "restore_backup",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'forms.storage' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
