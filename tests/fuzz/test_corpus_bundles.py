"""`rapport import bundle` with hostile bundles: into a copy of the sample company (which
holds the same work already) and into a database that does not exist yet. A bundle that is
imported must leave a sound database; one that changes forms.json must not bring in a form
that `forms validate` would refuse."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.fuzz.corpus import BUNDLE_CASES, case_parameters
from tests.fuzz.real_files import RealFiles
from tests.fuzz.run_command import ForkServer, check


@pytest.mark.parametrize("name", case_parameters(BUNDLE_CASES))
def test_a_hostile_bundle_is_refused_clearly_or_merged(
    name: str, rapport: ForkServer, real_files: RealFiles, work: Path
) -> None:
    case = BUNDLE_CASES[name]
    valid = real_files.whole_bundle if case.whole else real_files.bundle
    bundle = case.write(work, valid).name
    changes_forms = forms_member(work / bundle) != forms_member(valid)
    real_files.database_copy(work / "rapport.db")

    into_sample = check(rapport.run(["--db", "rapport.db", "import", "bundle", bundle], work))
    into_new = check(rapport.run(["--db", "new.db", "import", "bundle", bundle], work))

    if into_new.exit_code == 2:
        assert not (work / "new.db").exists()
    for database, outcome in (("rapport.db", into_sample), ("new.db", into_new)):
        if outcome.exit_code == 0:
            checked = check(rapport.run(["--db", database, "db", "check"], work))
            assert checked.exit_code == 0, checked.stdout
    if into_new.exit_code == 0 and changes_forms:
        assert_forms_load_back(rapport, work, "new.db")


def forms_member(path: Path) -> bytes | None:
    """The bytes of forms.json in a bundle, or None when the zip cannot give them."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read("forms.json")
    except Exception:  # any damage: then it was not imported with changed forms
        return None


def assert_forms_load_back(rapport: ForkServer, work: Path, database: str) -> None:
    """Every form of the database exports to a file that validates: a bundle cannot bring
    in a form that Rapport would refuse from a file."""
    listed = check(rapport.run(["--db", database, "forms", "list"], work))
    assert listed.exit_code == 0
    for number, line in enumerate(listed.stdout.splitlines()):
        key = line.split("\t")[0]
        export = f"export-{number}.yaml"
        written = check(
            rapport.run(["--db", database, "forms", "export", "-o", export, "--", key], work)
        )
        assert written.exit_code == 0, written.stderr
        validated = check(rapport.run(["forms", "validate", export], work))
        assert validated.exit_code == 0, (
            f"form {key} from the bundle does not validate: {validated.stderr}"
        )
