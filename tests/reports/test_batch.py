"""`rapport report all` and the report commands as a manager runs them from a terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.cli import main
from forms.files import normal_file_mode
from forms.storage import Store
from reports.batch import plan_batch, run_batch, worker_count
from tests.reports.conftest import pdf_text
from tests.reports.expected import query


def test_batch_writes_one_report_per_job_with_two_workers(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    jobs = plan_batch(sample_store, out)
    locations = query(db_path, "SELECT count(*) FROM location WHERE active = 1")[0][0]
    agents = query(db_path, "SELECT count(*) FROM agent WHERE active = 1")[0][0]
    assert len(jobs) == locations + agents
    assert [job.kind for job in jobs[:locations]] == ["location"] * locations
    chosen = [jobs[0], jobs[-1], jobs[-2]]
    seen: list[tuple[int, int]] = []
    outcomes = run_batch(
        sample_store.url,
        chosen,
        workers=2,
        progress=lambda done, total, _: seen.append((done, total)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert [outcome.error for outcome in outcomes] == ["", "", ""]
    for job in chosen:
        assert job.name in pdf_text(job.target)
    assert sorted(path.name for path in out.iterdir()) == sorted(job.target.name for job in chosen)


def test_report_commands_write_pdf_or_html_and_refuse_unknown_names(
    sample_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", sample_store.url]
    pdf, html = tmp_path / "hpo.pdf", tmp_path / "hpo.html"
    assert main(["report", "location", "HPO", "--from", "2026-06-01", *db, "-o", str(pdf)]) == 0
    assert "Harbor Point Offices" in pdf_text(pdf)
    assert main(["report", "portfolio", "--to", "2026-06-30", *db, "--html", str(html)]) == 0
    assert html.read_text("utf-8").startswith("<!DOCTYPE html>")
    capsys.readouterr()
    missing = tmp_path / "x.pdf"
    assert main(["report", "agent", "Lin Tarn", *db, "-o", str(missing)]) == 2
    assert "Did you mean: Linh Tran" in capsys.readouterr().err
    assert not missing.exists()


def test_report_all_writes_every_location_and_agent(
    sample_store: Store, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One location and its agents keep the test short; the rest are deactivated.
    sample_store.engine.dispose()
    import sqlite3

    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("UPDATE location SET active = 0 WHERE code != 'CST'")
        connection.execute(
            "UPDATE agent SET active = 0 WHERE location_id != "
            "(SELECT id FROM location WHERE code = 'CST')"
        )
    agents = [row[0] for row in connection.execute("SELECT code FROM agent WHERE active = 1")]
    connection.close()
    out = tmp_path / "all"
    code = main(["report", "all", "--db", sample_store.url, "--out-dir", str(out), "--jobs", "2"])
    assert code == 0
    expected = {"location-CST.pdf", *(f"agent-{agent}.pdf" for agent in agents)}
    assert {path.name for path in out.iterdir()} == expected
    # Readable like any file the manager makes (mkstemp alone would make them private).
    assert {path.stat().st_mode & 0o777 for path in out.iterdir()} == {normal_file_mode()}
    captured = capsys.readouterr()
    assert f"Wrote {len(expected)} reports into {out}" in captured.out
    assert f"[{len(expected)}/{len(expected)}]" in captured.err


def test_codes_that_differ_only_in_punctuation_accents_or_case_get_files_of_their_own(
    store: Store, tmp_path: Path
) -> None:
    for code in ("A/B", "A B", "A-B", "a-b", "Óscar", "Oscar"):
        store.upsert_location(code, f"Site {code}")
    jobs = plan_batch(store, tmp_path)
    names = [job.target.name for job in jobs]
    assert len({name.casefold() for name in names}) == len(names) == 6
    assert "location-Oscar.pdf" in names  # the accent goes, the letter stays


def test_more_workers_than_cores_are_never_started() -> None:
    cores = os.cpu_count() or 1
    assert worker_count(1000, 136) == cores
    assert worker_count(2, 1) == 1
    assert worker_count(0, 10) == 1
