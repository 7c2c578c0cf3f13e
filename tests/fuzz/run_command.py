"""Run one `rapport` command on a hostile file and check how it behaved.

Every command runs in a child process limited to 500 MB of address space (RLIMIT_AS),
stopped after 10 s, with its own peak memory measured (wait4's ru_maxrss, of that child
alone). `fresh_process` starts it as a user does, `python -m desktop.cli ...` in a new
interpreter; `ForkServer` forks it from a process that imported Rapport once, which starts
in milliseconds instead of 0.3 to 1 s and runs desktop.cli the same way (fork_server.py).
`check` then asserts what the issue asks of every command that reads a file:

* the exit status is 0 or 2 (never 1, never killed), within the time and memory budgets;
* no traceback and no "unexpected error ... see the log" on either stream;
* on exit 2, stderr is one clear message: its first line begins "rapport: " and says what
  is wrong; further lines are only the indented list of bad lines some refusals give;
* on exit 2, every file in the working folder (the input, the database and its -wal and
  -shm files) is byte for byte what it was, and no file was added or removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import select
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TIME_LIMIT_SECONDS = 10.0
MEMORY_LIMIT_BYTES = 500 * 2**20
MAX_MESSAGE_LINE = 2_000
"""Characters of one line of a refusal: a message quoting a whole hostile file is no help."""
REPOSITORY = Path(__file__).resolve().parents[2]
_POLL_SECONDS = 0.005


@dataclass(frozen=True)
class Outcome:
    """How one command ended, and what it did to its working folder."""

    args: tuple[str, ...]
    exit_code: int | None
    """None when it was stopped at the time limit."""
    stdout: str
    stderr: str
    seconds: float
    peak_memory_bytes: int
    changed: tuple[str, ...] = ()
    """After a refusal (exit 2), the files of the working folder changed, added or removed."""
    log: str = ""
    """The log file the command wrote (an unexpected error's traceback), if any."""


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _changes(before: dict[str, str], after: dict[str, str]) -> tuple[str, ...]:
    changed = [
        f"{name} {'removed' if name not in after else 'added' if name not in before else 'changed'}"
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    ]
    return tuple(changed)


def child_environment(home: Path) -> dict[str, str]:
    """The environment of a child: this repository first on the path, its own home folder
    (settings and the log file land there, outside the working folder), no RAPPORT_DB."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "RAPPORT_DB" and not key.startswith(("PYTEST_", "COV_CORE_", "COVERAGE_"))
    }
    environment.update(
        PYTHONPATH=os.pathsep.join(
            [str(REPOSITORY), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        QT_QPA_PLATFORM="offscreen",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return environment


def _limit_memory() -> None:  # runs in the child, between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def _read_log(home: Path) -> str:
    logs = sorted(home.rglob("rapport.log*"))
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in logs)


def _home(folder: Path) -> Path:
    """The child's home folder, beside its working folder (so its log is not a change)."""
    home = folder.parent / f"{folder.name}-home"
    home.mkdir(exist_ok=True)
    return home


def _outcome(
    args: Sequence[str],
    folder: Path,
    before: dict[str, str],
    result: dict[str, Any],
) -> Outcome:
    home = _home(folder)
    return Outcome(
        args=tuple(args),
        exit_code=result["exit_code"],
        stdout=(home / "stdout.txt").read_text(encoding="utf-8", errors="replace"),
        stderr=(home / "stderr.txt").read_text(encoding="utf-8", errors="replace"),
        seconds=result["seconds"],
        peak_memory_bytes=result["peak_memory_bytes"],
        # Only a refusal must leave every file as it was: other outcomes need no second look.
        changed=_changes(before, snapshot(folder)) if result["exit_code"] == 2 else (),
        log=_read_log(home),
    )


def fresh_process(args: Sequence[str], folder: Path) -> Outcome:
    """Run `rapport ARGS` as a user does: `python -m desktop.cli ARGS` in a new interpreter,
    its working folder `folder`, limited to 500 MB of address space and stopped after 10 s."""
    home = _home(folder)
    before = snapshot(folder)
    started = time.monotonic()
    with (home / "stdout.txt").open("wb") as out, (home / "stderr.txt").open("wb") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "desktop.cli", *args],
            cwd=folder,
            env=child_environment(home),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            preexec_fn=_limit_memory,
        )
        exit_code: int | None = None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                exit_code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > started + TIME_LIMIT_SECONDS:
                os.kill(child.pid, signal.SIGKILL)
                _pid, _status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(_POLL_SECONDS)
        child.returncode = -1 if exit_code is None else exit_code  # reaped here, not by Popen
    result = {
        "exit_code": exit_code,
        "seconds": time.monotonic() - started,
        "peak_memory_bytes": usage.ru_maxrss * 1024,  # kilobytes on Linux
    }
    return _outcome(args, folder, before, result)


class ForkServer:
    """Runs commands through tests/fuzz/fork_server.py: each in a child forked from a process
    that imported Rapport once, with the same folder, environment and limits as
    `fresh_process` (test_runner.py checks that both give the same outcomes)."""

    def __init__(self) -> None:
        self._server = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.fork_server"],
            cwd=REPOSITORY,
            env=child_environment(Path(os.devnull)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._reply(timeout=120.0) == {"ready": True}

    def _reply(self, timeout: float) -> dict[str, Any]:
        assert self._server.stdout is not None
        ready, _, _ = select.select([self._server.stdout], [], [], timeout)
        line = self._server.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"the fork server stopped answering (status {self._server.poll()})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def run(self, args: Sequence[str], folder: Path) -> Outcome:
        """Run `rapport ARGS` in a child whose working folder is `folder`."""
        assert self._server.stdin is not None
        home = _home(folder)
        before = snapshot(folder)
        request = {
            "args": list(args),
            "cwd": str(folder),
            "env": child_environment(home),
            "stdout": str(home / "stdout.txt"),
            "stderr": str(home / "stderr.txt"),
            "timeout": TIME_LIMIT_SECONDS,
            "memory": MEMORY_LIMIT_BYTES,
        }
        self._server.stdin.write(json.dumps(request) + "\n")
        self._server.stdin.flush()
        return _outcome(args, folder, before, self._reply(timeout=TIME_LIMIT_SECONDS + 60))

    def close(self) -> None:
        if self._server.stdin is not None:
            self._server.stdin.close()
        try:
            self._server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._server.kill()
            self._server.wait()
        if self._server.stdout is not None:
            self._server.stdout.close()


def problems(outcome: Outcome, *, allowed: Sequence[int] = (0, 2)) -> list[str]:
    """What is wrong with how a command behaved; empty when it behaved."""
    found: list[str] = []
    if outcome.exit_code is None:
        found.append(f"still running after the {TIME_LIMIT_SECONDS:.0f} s budget: stopped")
    elif outcome.exit_code not in allowed:
        found.append(f"exit status {outcome.exit_code}, expected one of {list(allowed)}")
    if outcome.seconds > TIME_LIMIT_SECONDS:
        found.append(f"took {outcome.seconds:.1f} s (budget {TIME_LIMIT_SECONDS:.0f} s)")
    if outcome.peak_memory_bytes > MEMORY_LIMIT_BYTES:
        found.append(
            f"peak memory {outcome.peak_memory_bytes / 2**20:.0f} MB "
            f"(budget {MEMORY_LIMIT_BYTES / 2**20:.0f} MB)"
        )
    if "Traceback" in outcome.stderr or "Traceback" in outcome.stdout:
        found.append("printed a traceback")
    if "unexpected error" in outcome.stderr or "see the log" in outcome.stderr:
        found.append("reported an unexpected error")
    if outcome.exit_code == 2:
        found.extend(_refusal_problems(outcome))
    return found


def _refusal_problems(outcome: Outcome) -> list[str]:
    found: list[str] = []
    lines = outcome.stderr.rstrip("\n").split("\n")
    first = lines[0]
    if not first.startswith("rapport: ") or len(first.strip()) <= len("rapport:"):
        found.append(f"the refusal does not begin with 'rapport: ' and a message: {first!r}")
    others = [line for line in lines[1:] if not line.startswith("  ")]
    if others:
        found.append(f"the refusal is more than one message: {others[0]!r}")
    longest = max(lines, key=len)
    if len(longest) > MAX_MESSAGE_LINE:
        found.append(
            f"a line of the refusal is {len(longest):,} characters long (at most "
            f"{MAX_MESSAGE_LINE:,}): {longest[:200]!r}..."
        )
    if outcome.changed:
        found.append(f"refused, yet changed files: {', '.join(outcome.changed)}")
    return found


def check(outcome: Outcome, *, allowed: Sequence[int] = (0, 2)) -> Outcome:
    """Fail the test, saying everything that went wrong, unless the command behaved."""
    found = problems(outcome, allowed=allowed)
    if found:
        shown_log = outcome.log[-3000:]
        pytest.fail(
            f"rapport {' '.join(outcome.args)}:\n  "
            + "\n  ".join(found)
            + f"\n--- stderr ---\n{outcome.stderr[-3000:]}"
            + (f"\n--- log ---\n{shown_log}" if shown_log else ""),
            pytrace=False,
        )
    return outcome
