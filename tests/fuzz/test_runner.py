"""The runner itself: the fork server runs a command as a fresh `python -m desktop.cli`
does, and `problems` catches every way a command can misbehave."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.corpus import FORM_CASES
from tests.fuzz.run_command import MEMORY_LIMIT_BYTES, ForkServer, Outcome, fresh_process, problems


@pytest.mark.parametrize("name", ["yaml-base", "yaml-truncated-50", "xlsx-flipped-sheet-0"])
def test_the_fork_server_runs_a_command_as_a_new_process_does(
    name: str, rapport: ForkServer, work: Path
) -> None:
    form = FORM_CASES[name].write(work).name
    forked = rapport.run(["forms", "validate", form], work)
    fresh = fresh_process(["forms", "validate", form], work)
    assert (forked.exit_code, forked.stdout, forked.stderr) == (
        fresh.exit_code,
        fresh.stdout,
        fresh.stderr,
    )
    assert 0 < forked.peak_memory_bytes < MEMORY_LIMIT_BYTES
    assert 0 < fresh.peak_memory_bytes < MEMORY_LIMIT_BYTES


def outcome(**changes: object) -> Outcome:
    base = {
        "args": ("forms", "validate", "x.yaml"),
        "exit_code": 2,
        "stdout": "",
        "stderr": "rapport: x.yaml: this file is empty; choose the file that holds the form\n",
        "seconds": 0.1,
        "peak_memory_bytes": 50 * 2**20,
    }
    return Outcome(**{**base, **changes})  # type: ignore[arg-type]


def test_a_clear_refusal_has_no_problem() -> None:
    assert problems(outcome()) == []
    listed = "rapport: x.csv was not imported; fix these lines:\n  line 2: ...\n  line 3: ...\n"
    assert problems(outcome(stderr=listed)) == []


@pytest.mark.parametrize(
    ("changes", "found"),
    [
        (
            {"exit_code": 1, "stderr": "rapport: unexpected error; the details are in x\n"},
            "exit status 1",
        ),
        ({"exit_code": None}, "still running"),
        ({"seconds": 11.0}, "took 11.0 s"),
        ({"peak_memory_bytes": 600 * 2**20}, "peak memory 600 MB"),
        ({"exit_code": 0, "stderr": "Traceback (most recent call last):\n"}, "traceback"),
        ({"stderr": "Error: bad\n"}, "does not begin with 'rapport: '"),
        ({"stderr": "rapport: one\nrapport: two\n"}, "more than one message"),
        ({"stderr": "rapport: " + "x" * 3000 + "\n"}, "characters long"),
        ({"changed": ("rapport.db changed",)}, "refused, yet changed files: rapport.db changed"),
    ],
)
def test_each_way_to_misbehave_is_caught(changes: dict[str, object], found: str) -> None:
    assert any(found in problem for problem in problems(outcome(**changes)))
