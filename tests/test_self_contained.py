"""A new user's clone holds everything its tests, scripts and builds read.

The team's own checkouts sit beside a folder of reference material that a clone of the
repository does not have; a file that reads from there passes here and fails for everyone else.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("tests", "forms", "reports", "desktop", "packaging", ".ci", "Makefile", "pyproject.toml")
# Spelled in pieces so that this file does not name the path it looks for.
OUTSIDE_FOLDER = "sha" + "red"
NAMES_THE_OUTSIDE_FOLDER = re.compile(
    r"\.\.[/\\]" + OUTSIDE_FOLDER + r"\b"  # a relative path out of the checkout
    r"|/\s*[\"']" + OUTSIDE_FOLDER + r"[\"']"  # a pathlib join: ... / "that folder"
    r"|[\"']" + OUTSIDE_FOLDER + r"[\"']\s*/"
)


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *CHECKED],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    return [ROOT / name.decode() for name in listed if name]


def test_the_pattern_finds_each_way_of_naming_the_outside_folder() -> None:
    for line in (
        "cp ../" + OUTSIDE_FOLDER + "/fixtures/x.xlsx .",
        'Path(__file__).parents[2].parent / "' + OUTSIDE_FOLDER + '" / "fixtures"',
        "root / '" + OUTSIDE_FOLDER + "'",
    ):
        assert NAMES_THE_OUTSIDE_FOLDER.search(line), line
    assert not NAMES_THE_OUTSIDE_FOLDER.search("figures are shared by every report of a run")


def test_no_file_of_the_repository_reads_outside_the_checkout() -> None:
    files = tracked_files()
    assert len(files) > 100  # the listing worked
    offenders = [
        str(path.relative_to(ROOT))
        for path in files
        if path.is_file()
        and NAMES_THE_OUTSIDE_FOLDER.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []


def test_the_xlsform_workbooks_are_in_the_repository_with_their_licence() -> None:
    folder = ROOT / "tests" / "fixtures" / "xlsform"
    assert (folder / "LICENSE-pyxform").read_text(encoding="utf-8").startswith("Copyright")
    assert len(list(folder.glob("*.xlsx"))) == 15
