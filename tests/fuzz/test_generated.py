"""Generated files (strategies.py), many small ones: YAML forms through validate, import,
export and score, and locations CSV files through import locations."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from tests.fuzz.corpus import BASE_ANSWERS
from tests.fuzz.real_files import RealFiles
from tests.fuzz.round_trip import assert_round_trip, check_score
from tests.fuzz.run_command import ForkServer, check
from tests.fuzz.strategies import csv_files, form_documents, yaml_text


# A failing example is shrunk to its simplest form, which takes minutes: more than the
# run's usual 180 s a test may take.
@pytest.mark.timeout(900)
@settings(settings.get_profile("fuzz"), max_examples=35)
@given(document=form_documents())
def test_a_generated_form_is_refused_clearly_or_loads_back(
    rapport: ForkServer, real_files: RealFiles, document: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "work"
        work.mkdir()
        (work / "form.yaml").write_bytes(yaml_text(document))
        answers = {f"q{i}": value for i, value in enumerate(["1", 2, "a", "yes"])}
        (work / "answers.json").write_text(json.dumps({**BASE_ANSWERS, **answers}), "utf-8")
        validated = check(rapport.run(["forms", "validate", "form.yaml"], work))
        check_score(rapport.run(["score", "form.yaml", "answers.json"], work))
        if validated.exit_code == 0:
            assert_round_trip(rapport, real_files, work, "form.yaml", "answers.json")
        else:
            real_files.database_copy(work / "rapport.db", empty=True)
            refused = check(
                rapport.run(["--db", "rapport.db", "forms", "import", "form.yaml"], work)
            )
            assert refused.exit_code == 2


@pytest.mark.timeout(900)
@settings(settings.get_profile("fuzz"), max_examples=30)
@given(content=csv_files())
def test_a_generated_locations_file_is_refused_clearly_or_imported_once(
    rapport: ForkServer, real_files: RealFiles, content: bytes
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "work"
        work.mkdir()
        (work / "sites.csv").write_bytes(content)
        real_files.database_copy(work / "rapport.db")
        imported = check(
            rapport.run(["--db", "rapport.db", "import", "locations", "sites.csv"], work)
        )
        if imported.exit_code == 0:
            again = check(
                rapport.run(["--db", "rapport.db", "import", "locations", "sites.csv"], work)
            )
            assert again.stdout.count("0 added, 0 updated") == 2, again.stdout
