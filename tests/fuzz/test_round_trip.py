"""What validates must load back, for the real forms: the XLSForm workbooks of pyxform's
tests and the built-in forms. Each one `forms validate` accepts is imported into a fresh
database, exported (forms export, YAML and XLSForm), and each export validates, imports
again to the same form and scores; one it refuses is not stored either. The corpus and the
generated forms go through the same round trip in test_corpus_forms and test_generated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from forms.authoring.loader import builtin_form_paths
from tests.fixtures import XLSFORM_WORKBOOKS
from tests.fuzz.corpus import BASE_ANSWERS
from tests.fuzz.real_files import RealFiles
from tests.fuzz.round_trip import assert_round_trip
from tests.fuzz.run_command import ForkServer, check

REAL_FORMS = {
    **{f"xlsform-{path.stem}": path for path in sorted(XLSFORM_WORKBOOKS.glob("*.xlsx"))},
    **{f"builtin-{path.stem}": path for path in builtin_form_paths()},
}


def _round_trip_or_refusal(
    rapport: ForkServer, real_files: RealFiles, work: Path, form: str
) -> None:
    (work / "answers.json").write_text(json.dumps(BASE_ANSWERS), encoding="utf-8")
    validated = check(rapport.run(["forms", "validate", form], work))
    if validated.exit_code == 0:
        assert_round_trip(rapport, real_files, work, form, "answers.json")
        return
    real_files.database_copy(work / "first.db", empty=True)
    refused = check(rapport.run(["--db", "first.db", "forms", "import", form], work))
    assert refused.exit_code == 2, "a form that does not validate was stored"


@pytest.mark.parametrize("name", sorted(REAL_FORMS))
def test_every_real_form_that_validates_loads_back(
    name: str, rapport: ForkServer, real_files: RealFiles, work: Path
) -> None:
    source = REAL_FORMS[name]
    shutil.copyfile(source, work / source.name)
    _round_trip_or_refusal(rapport, real_files, work, source.name)
