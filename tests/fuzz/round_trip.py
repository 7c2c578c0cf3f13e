"""What validates must load back: a form `forms validate` accepts is imported into a fresh
database and is stored as the very same form; it is exported as YAML and as XLSForm, and
each export validates and reads as the same form; the workbook is imported into another
fresh database, stored as the same form again, and scores."""

from __future__ import annotations

import json
from pathlib import Path

from forms.authoring.loader import load_form
from forms.definition.model import FormDefinition
from forms.storage import Store
from tests.fuzz.real_files import RealFiles
from tests.fuzz.run_command import ForkServer, Outcome, check


def strict_json(text: str) -> object:
    """`text` parsed as JSON as other programs parse it: NaN and Infinity are not JSON."""

    def refuse(constant: str) -> object:
        raise AssertionError(f"the output holds {constant}, which is not JSON")

    return json.loads(text, parse_constant=refuse)


def check_score(outcome: Outcome) -> Outcome:
    """A `score` that printed a result printed JSON any program can read."""
    check(outcome)
    if outcome.exit_code == 0:
        strict_json(outcome.stdout)
    return outcome


def stored_form(work: Path, database: str, key: str) -> FormDefinition:
    """The newest version of form `key` in `database` (a file in `work`)."""
    with Store.open(f"sqlite:///{work / database}", create=False) as store:
        version = store.latest_form_version(key)
        assert version is not None, f"{database} holds no form {key}"
        return store.form_definition(version)


def assert_round_trip(
    rapport: ForkServer,
    real_files: RealFiles,
    work: Path,
    form_file: str,
    answers: str,
    *,
    imported_into: str | None = None,
) -> None:
    """`form_file` (in `work`) validated; it and its exports load back as the same form.

    `imported_into`: a fresh database the form was imported into already."""
    original = load_form(work / form_file)
    database = imported_into or "first.db"
    if imported_into is None:
        real_files.database_copy(work / database, empty=True)
        imported = check(rapport.run(["--db", database, "forms", "import", form_file], work))
        assert imported.exit_code == 0, f"validated but not imported: {imported.stderr}"
    assert stored_form(work, database, original.key) == original, "stored as another form"
    for suffix in (".yaml", ".xlsx"):
        export = f"export{suffix}"
        written = check(
            rapport.run(
                ["--db", database, "forms", "export", "-o", export, "--", original.key], work
            )
        )
        assert written.exit_code == 0, f"imported but not exported as {suffix}: {written.stderr}"
        validated = check(rapport.run(["forms", "validate", export], work))
        assert validated.exit_code == 0, (
            f"its {suffix} export does not validate: {validated.stderr}"
        )
        assert load_form(work / export) == original, f"its {suffix} export is another form"
    # Imported again from the workbook (the export that differs most from a YAML file: cells,
    # numbers, sheets), into another fresh database, and scored.
    real_files.database_copy(work / "again.db", empty=True)
    reimported = check(rapport.run(["--db", "again.db", "forms", "import", "export.xlsx"], work))
    assert reimported.exit_code == 0, f"its export does not import: {reimported.stderr}"
    assert stored_form(work, "again.db", original.key) == original, "stored again as another form"
    check_score(rapport.run(["score", "export.xlsx", answers], work))
