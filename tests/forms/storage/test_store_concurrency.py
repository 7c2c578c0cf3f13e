"""Two processes write to the same database at once: no error, nothing lost."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from sqlmodel import col, func, select

from forms.storage import Store
from forms.storage.tables import Attachment, Blob, FormVersion, Location
from tests.forms.storage.concurrent_writer import PHOTO
from tests.forms.storage.sample_forms import counter_form

WRITER = "tests.forms.storage.concurrent_writer"
ROOT = Path(__file__).resolve().parents[3]
STEPS = 150


def test_two_processes_write_at_once_without_errors_or_losses(store: Store, store_url: str) -> None:
    form_id = store.add_form(counter_form(10))
    shared = store.start_submission(form_id)
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", WRITER, store_url, str(form_id), shared, str(n), str(STEPS)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outcomes = [writer.communicate(timeout=120) for writer in writers]

    for writer, (_, err) in zip(writers, outcomes, strict=True):
        assert writer.returncode == 0, err
        assert err == ""
    reports = [json.loads(out) for out, _ in outcomes]
    for report in reports:
        assert store.draft(report["own"]).answers == report["own_last"]
    shared_answers = store.draft(shared).answers
    first, second = (report["shared_last"] for report in reports)
    for question in [f"q{n}" for n in range(8)]:
        assert shared_answers[question] == {**first, **second}[question]
    assert shared_answers["q9"] in (first["q9"], second["q9"])
    with store.reading() as session:
        photo = hashlib.sha256(PHOTO).hexdigest()
        assert session.exec(select(func.count()).select_from(Blob)).one() == 1
        attached = select(func.count()).where(col(Attachment.sha256) == photo)
        assert session.exec(attached).one() == 2 * len(range(0, STEPS, 25))
        assert session.exec(select(func.count()).select_from(Location)).one() == 1
        versions = select(func.count()).where(col(FormVersion.key) == "store_counters")
        assert session.exec(versions).one() == 2
    assert store.check().ok
