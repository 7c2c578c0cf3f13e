"""The real files the fuzz corpus starts from (made once per test run in conftest.py)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RealFiles:
    """Files made by Rapport itself, which the corpus cases start from."""

    sample_database: Path
    """The sample company (983 visits)."""
    empty_database: Path
    """A new Rapport database with no data."""
    bundle: Path
    """A bundle of the sample company's last ten days (23 visits, 3 forms)."""
    whole_bundle: Path
    """`rapport export bundle` of the whole sample company."""

    def database_copy(self, target: Path, *, empty: bool = False) -> Path:
        shutil.copyfile(self.empty_database if empty else self.sample_database, target)
        return target
