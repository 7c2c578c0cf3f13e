"""Storage of Rapport's data: tables, migrations, and the Store that opens and guards them.

The names are loaded on first use, so `rapport --version` or `rapport --help` does not pay
for importing SQLAlchemy and SQLModel.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forms.store.records import (
        AuditEntry,
        DraftState,
        FormVersionInfo,
        StoreError,
        StoreHealth,
        SubmissionIncomplete,
    )
    from forms.store.store import Store, restore_backup

_WHERE = {
    "AuditEntry": "forms.store.records",
    "DraftState": "forms.store.records",
    "FormVersionInfo": "forms.store.records",
    "StoreError": "forms.store.records",
    "StoreHealth": "forms.store.records",
    "SubmissionIncomplete": "forms.store.records",
    "Store": "forms.store.store",
    "restore_backup": "forms.store.store",
}

__all__ = [
    "AuditEntry",
    "DraftState",
    "FormVersionInfo",
    "Store",
    "StoreError",
    "StoreHealth",
    "SubmissionIncomplete",
    "restore_backup",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'forms.store' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
