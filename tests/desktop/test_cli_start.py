"""Starting the app from the command line: `rapport` and `rapport --db FILE` open the window on
the chosen database without loading the subcommands first; help and version are unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import desktop.app
from desktop.cli import main

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["--db", "chosen.db"], "chosen.db"),
        (["--db=chosen.db"], "chosen.db"),
        (["--db", "postgresql+psycopg://server/rapport"], "postgresql+psycopg://server/rapport"),
    ],
)
def test_app_opens_on_the_database_named_on_the_command_line(
    argv: list[str], expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str | None] = []
    monkeypatch.setattr(desktop.app, "run_app", lambda db: opened.append(db) or 0)
    assert main(argv) == 0
    assert opened == [expected]


def test_starting_the_app_does_not_load_the_subcommands() -> None:
    # A fresh interpreter: what `rapport` imports before its first window is shown.
    program = (
        "import sys, desktop.app\n"
        "desktop.app.run_app = lambda db: 0\n"
        "from desktop.cli import main\n"
        "assert main(['--db', 'x.db']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('desktop.commands')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_help_lists_the_commands_and_version_names_rapport(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as helped:
        main(["--help"])
    assert helped.value.code == 0
    text = capsys.readouterr().out
    for command in ("demo", "forms", "score", "report", "export", "import", "db", "sync"):
        assert f"\n    {command} " in text
    with pytest.raises(SystemExit) as versioned:
        main(["--version"])
    assert versioned.value.code == 0
    assert capsys.readouterr().out.startswith("Rapport ")


@pytest.mark.parametrize("argv", [["--db"], ["--db", "--version"], ["--nonsense"]])
def test_incomplete_or_unknown_options_are_bad_input(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        main(argv)
    assert refused.value.code == 2
    assert "rapport" in capsys.readouterr().err
