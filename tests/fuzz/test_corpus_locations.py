"""`rapport import locations` with hostile CSV files, into the sample company's database and
into a database that does not exist yet (which a refusal must not create)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.corpus import LOCATION_CASES, case_parameters
from tests.fuzz.real_files import RealFiles
from tests.fuzz.run_command import ForkServer, check


@pytest.mark.parametrize("name", case_parameters(LOCATION_CASES))
def test_a_hostile_locations_file_is_refused_clearly_or_imported(
    name: str, rapport: ForkServer, real_files: RealFiles, work: Path
) -> None:
    sites = LOCATION_CASES[name].write(work).name
    real_files.database_copy(work / "rapport.db")

    into_sample = check(rapport.run(["--db", "rapport.db", "import", "locations", sites], work))
    into_new = check(rapport.run(["--db", "new.db", "import", "locations", sites], work))

    if into_sample.exit_code == 0:
        # Sites and agents are matched by code: the same file again changes nothing.
        again = check(rapport.run(["--db", "rapport.db", "import", "locations", sites], work))
        assert again.exit_code == 0
        assert "0 added, 0 updated" in again.stdout
        assert again.stdout.count("0 added, 0 updated") == 2, again.stdout
    if into_new.exit_code == 2:
        assert not (work / "new.db").exists()
