"""Test set-up shared by every package's tests.

With RAPPORT_NO_QT=1 (`make pytest-no-qt`) PySide6 cannot be imported at all, which
proves that forms/ and reports/ work on a machine, or in a process, without Qt.
"""

from __future__ import annotations

import importlib.abc
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from forms.storage import Store

# Qt tests run offscreen, with or without a display, whoever starts pytest.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

_BLOCKED = ("PySide6", "shiboken6")


class _QtBlocker(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if fullname.split(".")[0] in _BLOCKED:
            raise ImportError(f"{fullname} is blocked: forms/ and reports/ must not import Qt")
        return None


if os.environ.get("RAPPORT_NO_QT") == "1":
    if any(name.split(".")[0] in _BLOCKED for name in sys.modules):
        raise RuntimeError("Qt was imported before the blocker was installed")
    sys.meta_path.insert(0, _QtBlocker())


SAMPLE_TODAY = date(2026, 6, 30)
"""The sample data's last day: twelve months of visits up to it."""


@pytest.fixture(scope="session")
def sample_company_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the sample company (983 visits), built once per test run.

    Tests never use it directly: `sample_store` gives each test a copy of its own."""
    from forms.sample.company import load_sample_data
    from forms.storage import Store

    path = tmp_path_factory.mktemp("sample-company") / "rapport.db"
    with Store.open(f"sqlite:///{path}") as store:
        load_sample_data(store, today=SAMPLE_TODAY)
    # Closing the last connection checkpoints the write-ahead log into the file itself.
    assert not path.with_name(path.name + "-wal").exists()
    return path


def copy_of_sample_company(sample_company_file: Path, target: Path) -> Path:
    """A fresh copy of the sample company at `target`, for one test to change as it likes."""
    shutil.copyfile(sample_company_file, target)
    return target


@pytest.fixture
def sample_store(tmp_path: Path, sample_company_file: Path) -> Iterator[Store]:
    """A Store on this test's own copy of the sample company (tmp_path / "rapport.db")."""
    from forms.storage import Store

    path = copy_of_sample_company(sample_company_file, tmp_path / "rapport.db")
    with Store.open(f"sqlite:///{path}") as opened:
        yield opened
