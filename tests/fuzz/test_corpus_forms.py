"""Every hostile form in the corpus, through every command that reads a form file:
`forms validate`, `forms import` and `score`; a form that validates must also load back
(round_trip.py): imported, exported as YAML and XLSForm, and each export the same form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fuzz.corpus import BASE_ANSWERS, FORM_CASES, case_parameters
from tests.fuzz.real_files import RealFiles
from tests.fuzz.round_trip import assert_round_trip, check_score
from tests.fuzz.run_command import ForkServer, check


@pytest.mark.parametrize("name", case_parameters(FORM_CASES))
def test_a_hostile_form_is_refused_clearly_or_read(
    name: str, rapport: ForkServer, real_files: RealFiles, work: Path
) -> None:
    form = FORM_CASES[name].write(work).name
    real_files.database_copy(work / "rapport.db", empty=True)
    (work / "answers.json").write_text(json.dumps(BASE_ANSWERS), encoding="utf-8")

    validated = check(rapport.run(["forms", "validate", form], work))
    imported = check(rapport.run(["--db", "rapport.db", "forms", "import", form], work))
    check_score(rapport.run(["score", form, "answers.json"], work))

    assert (validated.exit_code == 0) == (imported.exit_code == 0), (
        "forms validate and forms import disagree about this form:\n"
        f"validate: {validated.stderr or validated.stdout}\nimport: {imported.stderr}"
    )
    if validated.exit_code == 0:
        assert_round_trip(
            rapport, real_files, work, form, "answers.json", imported_into="rapport.db"
        )
