"""Regressions found by the fuzz suite in reading and writing XLSForm workbooks
(forms/authoring/xlsform.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from forms.authoring.loader import load_form, save_form
from forms.errors import FormDefinitionError
from tests.fuzz.corpus import FORM_CASES


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("xlsx-encrypted-flag", "this workbook is protected by a password"),
        ("xlsx-unsupported-compression", "packed in a way Rapport cannot read"),
    ],
)
def test_a_workbook_zipfile_cannot_unpack_is_refused(tmp_path: Path, case: str, says: str) -> None:
    # Both were exit 1: zipfile raises RuntimeError and NotImplementedError for them.
    path = FORM_CASES[case].write(tmp_path)
    with pytest.raises(FormDefinitionError, match=says):
        load_form(path)


def test_a_weight_of_seventeen_digits_survives_a_workbook(tmp_path: Path) -> None:
    # Workbooks keep 16 significant digits: 0.30000000000000004 came back as 0.3.
    source = tmp_path / "form.yaml"
    source.write_text(
        "survey:\n  - {type: select_one s, name: q, label: Q, weight: 0.30000000000000004}\n"
        "choices:\n  s:\n    - {name: a, label: A, points: 1.6164105924324526}\n",
        encoding="utf-8",
    )
    form = load_form(source)
    save_form(form, tmp_path / "form.xlsx")
    again = load_form(tmp_path / "form.xlsx")
    assert again == form
    assert again.question("q").weight == 0.30000000000000004


def test_every_number_a_form_can_hold_survives_a_workbook(tmp_path: Path) -> None:
    rng = random.Random(7)
    weights = [rng.uniform(0, 100) for _ in range(30)] + [1e-7, 123456789.123456789, 2.5]
    rows = "".join(
        f"  - {{type: integer, name: q{i}, label: Q, weight: {weight!r}}}\n"
        for i, weight in enumerate(weights)
    )
    source = tmp_path / "form.yaml"
    source.write_text("survey:\n" + rows, encoding="utf-8")
    form = load_form(source)
    save_form(form, tmp_path / "form.xlsx")
    assert load_form(tmp_path / "form.xlsx") == form
