"""`rapport score` with hostile answers files, against a form file and a stored form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fuzz.corpus import ANSWER_CASES, BASE_FORM, case_parameters, dump_yaml
from tests.fuzz.real_files import RealFiles
from tests.fuzz.round_trip import check_score
from tests.fuzz.run_command import ForkServer, check


@pytest.fixture(scope="module")
def stored_base_form(
    rapport: ForkServer, real_files: RealFiles, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A database holding the corpus's base form (key fuzz_base)."""
    work = tmp_path_factory.mktemp("answers") / "work"
    work.mkdir()
    (work / "form.yaml").write_bytes(dump_yaml(BASE_FORM))
    real_files.database_copy(work / "rapport.db", empty=True)
    stored = check(rapport.run(["--db", "rapport.db", "forms", "import", "form.yaml"], work))
    assert stored.exit_code == 0, stored.stderr
    return work / "rapport.db"


@pytest.mark.parametrize("name", case_parameters(ANSWER_CASES))
def test_hostile_answers_are_refused_clearly_or_scored(
    name: str, rapport: ForkServer, stored_base_form: Path, work: Path
) -> None:
    answers = ANSWER_CASES[name].write(work).name
    (work / "form.yaml").write_bytes(dump_yaml(BASE_FORM))
    shutil.copyfile(stored_base_form, work / "rapport.db")

    from_file = check_score(rapport.run(["score", "form.yaml", answers], work))
    from_store = check_score(
        rapport.run(["--db", "rapport.db", "score", "fuzz_base", answers], work)
    )

    assert from_file.exit_code == from_store.exit_code
    assert from_file.stdout == from_store.stdout
