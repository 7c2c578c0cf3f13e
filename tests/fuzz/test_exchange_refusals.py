"""Regressions found by the fuzz suite in importing bundles (forms/exchange,
desktop/commands/data_command.py)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from forms.exchange import ExchangeError, read_bundle
from forms.exchange.bundle_check import check_bundle
from tests.fuzz.corpus import BUNDLE_CASES
from tests.fuzz.real_files import RealFiles
from tests.fuzz.run_command import ForkServer, check


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("bundle-forged-definition-broken-expression", "'${' is never closed"),
        ("bundle-forged-definition-unknown-list", "choice list 'nowhere' is not defined"),
        ("bundle-forged-definition-cycle", "unknown type 'calculate csat_5'"),
        ("bundle-forged-definition-nan-weight", "weight must be a number of 0 or more"),
        ("bundle-forged-definition-deep", "at most 20 deep"),
    ],
)
def test_a_bundle_cannot_bring_in_a_form_rapport_would_refuse(
    real_files: RealFiles, tmp_path: Path, case: str, says: str
) -> None:
    # Each was merged (exit 0), and the form then failed `forms validate` once exported.
    bundle = read_bundle(BUNDLE_CASES[case].write(tmp_path, real_files.bundle))
    with pytest.raises(ExchangeError) as caught:
        check_bundle(bundle, "b.zip")
    assert "its definition is not a form Rapport can use" in str(caught.value)
    assert says in str(caught.value)


def test_a_definition_of_the_wrong_shape_is_refused_in_one_line(
    real_files: RealFiles, tmp_path: Path
) -> None:
    bundle = read_bundle(
        BUNDLE_CASES["bundle-forged-definition-unknown-type"].write(tmp_path, real_files.bundle)
    )
    with pytest.raises(ExchangeError) as caught:
        check_bundle(bundle, "b.zip")
    assert "\n" not in str(caught.value)
    assert "its definition is not a valid form (at children.0." in str(caught.value)


def test_a_manifest_nested_thousands_deep_is_refused(real_files: RealFiles, tmp_path: Path) -> None:
    # json.loads raised RecursionError: exit 1.
    path = BUNDLE_CASES["bundle-deep-manifest"].write(tmp_path, real_files.bundle)
    with pytest.raises(ExchangeError, match=r"has a manifest\.json that Rapport did not write"):
        read_bundle(path)


def test_a_bundle_refused_for_its_contents_leaves_the_database_as_it_was(
    rapport: ForkServer, real_files: RealFiles, work: Path
) -> None:
    # Checked only once the database was open, a refused bundle left rapport.db-wal and
    # rapport.db-shm beside the database.
    bundle = BUNDLE_CASES["bundle-duplicate-location"].write(work, real_files.bundle).name
    real_files.database_copy(work / "rapport.db")
    refused = check(rapport.run(["--db", "rapport.db", "import", "bundle", bundle], work))
    assert refused.exit_code == 2
    assert "location code" in refused.stderr
    assert sorted(path.name for path in work.iterdir()) == ["bundle.zip", "rapport.db"]


def test_a_bundle_of_ones_own_sample_company_still_merges(
    real_files: RealFiles, tmp_path: Path
) -> None:
    # The new check of every form in a bundle accepts every form Rapport itself wrote.
    with zipfile.ZipFile(real_files.whole_bundle) as archive:
        forms = json.loads(archive.read("forms.json"))
    assert len(forms) == 3
    check_bundle(read_bundle(real_files.whole_bundle), "all.zip")
