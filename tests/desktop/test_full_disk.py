"""A disk that fills up: every command says which disk, how much is free and (where it can
know) how much it needs, exits 2, and leaves nothing half-written.

The disk is a small tmpfs mounted for the test, which needs the rights to mount (root, as
in CI); without them these tests are skipped with that reason.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli import main
from forms.storage import Store

DISK_BYTES = 4_000_000


def _mount(folder: Path) -> bool:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB disk of its own (mounted at tmp_path/disk)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if shutil.which("mount") is None or not _mount(folder):
        pytest.skip("needs the rights to mount a small tmpfs disk (run as root, as CI does)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path, *, leave: int = 0) -> None:
    """Take all the disk's free space but `leave` bytes (a file nobody else reads)."""
    free = shutil.disk_usage(disk).free - leave
    with (disk / "filler").open("wb") as handle:
        try:
            handle.write(b"\0" * max(0, free))
            handle.flush()
        except OSError:
            pass


def state(folder: Path) -> dict[str, str]:
    """Every file of `folder` and what it holds: equal states, nothing written."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(argv) == 2
    said = capsys.readouterr().err
    assert said.startswith("rapport: the disk that holds ")
    assert " is full" in said
    assert "Traceback" not in said
    assert "Exception ignored" not in said
    return said


@pytest.fixture
def database(sample_company_file: Path, tmp_path: Path) -> Path:
    """The sample company, on the computer's own disk (with room)."""
    path = tmp_path / "rapport.db"
    path.write_bytes(sample_company_file.read_bytes())
    return path


def test_demo_into_a_new_database_on_a_full_disk_says_what_it_needs_and_leaves_nothing(
    disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(disk, leave=2_000_000)
    before = state(disk)
    said = refused(["demo", "--db", str(disk / "new.db")], capsys)
    assert "it needs about 8.0 MB" in said
    assert state(disk) == before


@pytest.mark.parametrize(
    "command",
    [
        ["report", "location", "HPO", "-o", "{disk}/hpo.pdf"],
        ["report", "location", "HPO", "--html", "{disk}/hpo.html"],
        ["export", "bundle", "-o", "{disk}/work.zip"],
        ["export", "xlsx", "-o", "{disk}/all.xlsx"],
        ["export", "csv", "--form", "mystery_shop_empathy", "-o", "{disk}/visits.csv"],
        ["forms", "export", "mystery_shop_empathy", "-o", "{disk}/form.xlsx"],
        ["db", "backup", "{disk}/copy.db"],
    ],
    ids=["report pdf", "report html", "export bundle", "export xlsx", "export csv",
         "forms export", "db backup"],
)  # fmt: skip
def test_an_output_on_a_full_disk_is_refused_and_no_partial_file_is_left(
    disk: Path, database: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    fill(disk, leave=8_000)
    before = state(disk)
    argv = [part.replace("{disk}", str(disk)) for part in command]
    said = refused([*argv, "--db", str(database)], capsys)
    assert "Nothing was written" in said
    # Not even a temporary file or the backup's journal.
    assert state(disk) == before
    assert sorted(path.name for path in disk.iterdir()) == ["filler"]


def test_report_all_stops_at_a_full_disk_with_the_reports_written_complete(
    disk: Path, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(disk, leave=8_000)
    said = refused(["report", "all", "--db", str(database), "--out-dir", str(disk)], capsys)
    assert "the batch stopped after 0 of 48 reports" in said
    assert sorted(path.name for path in disk.iterdir()) == ["filler"]


def test_an_import_that_would_not_fit_is_refused_before_it_starts(
    disk: Path, sample_company_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = disk / "office.db"
    office.write_bytes(sample_company_file.read_bytes())
    bundle = tmp_path / "work.zip"
    assert main(["export", "bundle", "-o", str(bundle), "--db", str(office)]) == 0
    empty = disk / "empty.db"
    with Store.open(f"sqlite:///{empty}"):
        pass
    sites = tmp_path / "sites.csv"
    sites.write_text("location_code,location_name\nNEW,New site\n", encoding="utf-8")
    fill(disk, leave=200_000)
    before = state(disk)
    said = refused(["import", "bundle", str(bundle), "--db", str(empty)], capsys)
    assert "importing" in said
    assert "it needs about" in said
    refused(["import", "locations", str(sites), "--db", str(empty)], capsys)
    refused(["forms", "import", str(Path("forms/authoring/library/employee_pulse.yaml")),
             "--db", str(empty)], capsys)  # fmt: skip
    assert state(disk) == before


def test_an_import_that_runs_out_of_space_halfway_is_undone(
    disk: Path,
    sample_company_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "laptop.db"
    source.write_bytes(sample_company_file.read_bytes())
    bundle = tmp_path / "work.zip"
    assert main(["export", "bundle", "-o", str(bundle), "--db", str(source)]) == 0
    office = disk / "office.db"
    with Store.open(f"sqlite:///{office}"):
        pass
    fill(disk, leave=300_000)
    before = state(disk)
    # As if the estimate had been too low: the import starts, and the disk fills under it.
    monkeypatch.setattr("forms.files.require_free_space", lambda *_args: None)
    said = refused(["import", "bundle", str(bundle), "--db", str(office)], capsys)
    assert "Nothing was changed" in said
    assert {name: digest for name, digest in state(disk).items() if name != "office.db-wal"} == {
        name: digest for name, digest in before.items() if name != "office.db-wal"
    }
    with Store.open(f"sqlite:///{office}") as store:
        assert store.check().counts["submission"] == 0
