"""A crash loses nothing that was reported saved: workers are killed with SIGKILL mid-autosave."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import IO

import pytest

from forms.storage import Store
from tests.forms.storage.sample_forms import counter_form

CHILD = Path(__file__).with_name("autosave_child.py")
ROOT = Path(__file__).resolve().parents[3]
AUTOSAVE_KILLS = 60
CREATE_KILLS = 15


class Child:
    """The autosave_child process, with its output lines read in the background."""

    def __init__(self, errors: Path) -> None:
        self.errors = errors
        with errors.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(CHILD)],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
            )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self.lines.put(raw.decode().rstrip("\n"))

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((command + "\n").encode())
        self.process.stdin.flush()

    def until(self, prefix: str, seen: list[str], timeout: float = 30.0) -> str:
        """Collect lines into `seen` up to the first that starts with `prefix`; return it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no '{prefix}' from the child; stderr: {self.errors.read_text()}")
            seen.append(line)
            if line.startswith(prefix):
                return line

    def kill(self, pid: int, seen: list[str]) -> None:
        """SIGKILL a worker (they never end on their own) and wait until it is gone."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pytest.fail(f"worker {pid} ended before it was killed: {seen}")
        self.until(f"died {pid}", seen)

    def close(self) -> None:
        self.send("quit")
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def child(tmp_path: Path) -> object:
    started = Child(tmp_path / "child-stderr.txt")
    yield started
    started.close()


def stored_answers(path: Path, submission_id: str) -> dict[str, int]:
    """Check the file's integrity and read the answers, with plain sqlite3 (not the Store)."""
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = raw.execute(
            "SELECT question, value FROM answer WHERE submission_id = ?", (submission_id,)
        ).fetchall()
    # The JSON column has NUMERIC affinity in SQLite: a number comes back as a number.
    return {q: json.loads(v) if isinstance(v, str) else v for q, v in rows}


def test_every_answer_reported_saved_survives_a_kill(tmp_path: Path, child: Child) -> None:
    path = tmp_path / "rapport.db"
    url = f"sqlite:///{path}"
    form = counter_form(8)
    with Store.open(url) as store:
        submission_id = store.start_submission(store.add_form(form))
    questions = ",".join(question.name for question in form.questions())
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    reported: dict[str, int] = {}
    saves = 0

    for kill in range(AUTOSAVE_KILLS):
        seen: list[str] = []
        child.send(f"save {url} {submission_id} {questions} {kill * 1_000_000}")
        pid = int(child.until("worker", seen).split()[1])
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.0, 0.03))  # often still opening the database
        else:
            child.until("saved", seen)
            time.sleep(rng.uniform(0.0, 0.05))
        child.kill(pid, seen)

        assert not [line for line in seen if line.startswith("error")], (seed, seen)
        for line in seen:
            if line.startswith("saved "):
                _, question, value = line.split()
                reported[question] = int(value)
                saves += 1
        stored = stored_answers(path, submission_id)
        lost = {q: v for q, v in reported.items() if stored.get(q, -1) < v}
        assert not lost, f"kill {kill} (seed {seed}) lost answers reported saved: {lost}"

    assert saves >= AUTOSAVE_KILLS, "the workers were killed before saving anything"
    with Store.open(url) as store:
        assert store.check(full=True).ok
        assert dict(store.draft(submission_id).answers) == stored_answers(path, submission_id)


def test_a_kill_while_creating_a_database_never_leaves_a_half_made_file(
    tmp_path: Path, child: Child
) -> None:
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    seen: list[str] = []
    child.send(f"open sqlite:///{tmp_path / 'calibrate.db'}")
    calibrating = int(child.until("worker", seen).split()[1])
    started = time.monotonic()
    child.until("opened", seen)
    creating = time.monotonic() - started
    child.kill(calibrating, seen)
    interrupted = 0

    for kill in range(CREATE_KILLS):
        url = f"sqlite:///{tmp_path / f'new-{kill}.db'}"
        seen = []
        child.send(f"open {url}")
        pid = int(child.until("worker", seen).split()[1])
        time.sleep(rng.uniform(0.0, creating))
        child.kill(pid, seen)
        interrupted += "opened" not in seen

        with Store.open(url) as store:
            assert store.check().ok, f"kill {kill} (seed {seed})"

    assert interrupted, "every kill came after the database was complete: nothing was tested"
