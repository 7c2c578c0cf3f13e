"""Opening hostile database files: `db check`, `forms list`, and a command that writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.corpus import CSV_GOOD, CSV_HEADER, DATABASE_CASES, case_parameters
from tests.fuzz.real_files import RealFiles
from tests.fuzz.run_command import ForkServer, check


@pytest.mark.parametrize("name", case_parameters(DATABASE_CASES))
def test_a_hostile_database_file_is_refused_clearly_or_opened(
    name: str, rapport: ForkServer, real_files: RealFiles, work: Path
) -> None:
    DATABASE_CASES[name].write(work, real_files.sample_database)
    (work / "sites.csv").write_text("\n".join([CSV_HEADER, *CSV_GOOD]) + "\n", encoding="utf-8")

    # db check says 1 when it opened the file and found it unsound (restore a backup).
    checked = check(rapport.run(["--db", "rapport.db", "db", "check"], work), allowed=(0, 1, 2))
    if checked.exit_code == 1:
        assert "Integrity: PROBLEMS FOUND" in checked.stdout
    check(rapport.run(["--db", "rapport.db", "forms", "list"], work))
    check(rapport.run(["--db", "rapport.db", "import", "locations", "sites.csv"], work))
