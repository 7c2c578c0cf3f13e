"""The data figures: autosave, report aggregations, and PDFs written by `rapport report`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from tests.bench.app_timing import REPOSITORY, BenchError
from tests.bench.figures import Figure, median, percentile
from tests.bench.workloads import (
    Dataset,
    SqlRecorder,
    Statement,
    agent_report_data,
    location_report_data,
    opened,
    portfolio_data,
)

AUTOSAVE_ANSWERS: tuple[tuple[str, object], ...] = (
    ("greeting_rating", "4"),
    ("listening_rating", "5"),
    ("listening_comment", "Let me finish before answering, then repeated the request back."),
    ("acknowledging_rating", "3"),
    ("wait_minutes", 4),
    ("root_cause_rating", "4"),
    ("overall_comment", "Friendly, but no call back time was offered."),
    ("greeting_rating", "5"),
)


def autosave(database: Path, saves: int) -> list[Figure]:
    """Store.save_answer on a draft, one answer at a time, as the evaluation screen does."""
    from forms.storage import Store

    times: list[float] = []
    with Store.open(f"sqlite:///{database.resolve()}", create=False) as store:
        with store.engine.connect() as connection:
            synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        if synchronous != 2:
            raise BenchError(f"the store runs with synchronous={synchronous}, not FULL (2)")
        form_id = store.latest_form_version("mystery_shop_empathy")
        if form_id is None:
            raise BenchError("the database has no mystery-shop form")
        with store.engine.connect() as connection:
            location_id, agent_id = connection.exec_driver_sql(
                "SELECT location_id, id FROM agent ORDER BY id LIMIT 1"
            ).one()
        draft = store.start_submission(
            form_id,
            location_id=location_id,
            agent_id=agent_id,
            channel="phone",
            visit_at=datetime.now(UTC),
            actor="benchmark",
        )
        try:
            for number in range(saves):
                question, value = AUTOSAVE_ANSWERS[number % len(AUTOSAVE_ANSWERS)]
                started = time.perf_counter()
                store.save_answer(draft, question, value, current_question=question)
                times.append(time.perf_counter() - started)
        finally:
            # The benchmark database stays as generated.
            with store.engine.begin() as connection:
                for table in ("answer", "auditevent", "submission"):
                    column = "id" if table == "submission" else "submission_id"
                    connection.execute(
                        text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": draft}
                    )
    note = f"{saves} saves, journal_mode={journal}, synchronous=FULL"
    return [
        Figure(
            "autosave_median",
            "2. autosave one answer: median",
            median(times) * 1000,
            "ms",
            target=25,
            note=note,
        ),
        Figure(
            "autosave_p99",
            "2. autosave one answer: p99",
            percentile(times, 0.99) * 1000,
            "ms",
            target=100,
        ),
    ]


def timed(
    workload: Callable[[Dataset], object], dataset: Dataset, runs: int
) -> tuple[list[float], list[Statement]]:
    """Run the workload once to warm up, then `runs` times; the statements of the last run."""
    recorder = SqlRecorder(dataset.store.engine)
    try:
        workload(dataset)
        times: list[float] = []
        statements: list[Statement] = []
        for _ in range(runs):
            with recorder.recording() as recorded:
                started = time.perf_counter()
                workload(dataset)
                times.append(time.perf_counter() - started)
            statements = list(recorded)
    finally:
        recorder.close()
    return times, statements


def _queries(statements: list[Statement]) -> str:
    return f"{sum(1 for s in statements if s.is_query)} queries"


def _sql_split(statements: list[Statement]) -> tuple[float, float, Statement | None]:
    queries = [s for s in statements if s.is_query]
    scoped = sum(s.seconds for s in queries if s.scoped)
    everywhere = sum(s.seconds for s in queries if not s.scoped)
    slowest = max(queries, key=lambda s: s.seconds, default=None)
    return scoped, everywhere, slowest


def aggregations(big: Path, reference: Path, runs: int) -> tuple[list[Figure], str]:
    """One location's 12-month report aggregation on both databases; the portfolio on the big."""
    with opened(reference) as small:
        code = small.location.code
        small_times, small_statements = timed(location_report_data, small, runs)
    with opened(big, code) as dataset:
        big_times, statements = timed(location_report_data, dataset, runs)
        agent_runs = max(1, runs - 2)
        agent_times, agent_statements = timed(agent_report_data, dataset, agent_runs)
        portfolio_times, portfolio_statements = timed(portfolio_data, dataset, agent_runs)
        submissions = dataset.submissions
        period = dataset.last_12_months
        agent = dataset.agent.code
    scoped, everywhere, slowest = _sql_split(statements)
    big_value, small_value = median(big_times), median(small_times)
    _, _, portfolio_slowest = _sql_split(portfolio_statements)
    agent_scoped, agent_everywhere, _ = _sql_split(agent_statements)
    breakdown = (
        f"location {code}, {period.label()}, {_queries(statements)} (reference database: "
        f"{_queries(small_statements)}); in its last run SQL for this location took "
        f"{scoped * 1000:.0f} ms and SQL over all locations (the benchmark columns) "
        f"{everywhere * 1000:.0f} ms"
    )
    if slowest is not None:
        breakdown += f"; slowest: {slowest.seconds * 1000:.0f} ms {slowest.short(90)}"
    figures = [
        Figure(
            "location_aggregation",
            "4. one location, 12 months: aggregation",
            big_value * 1000,
            "ms",
            target=100,
            runs=[t * 1000 for t in big_times],
            note=breakdown,
        ),
        Figure(
            "location_aggregation_reference",
            "4. the same on the reference database",
            small_value * 1000,
            "ms",
            runs=[t * 1000 for t in small_times],
            note=f"{reference.name}",
        ),
        Figure(
            "location_aggregation_ratio",
            "4. ratio big / reference database",
            big_value / small_value,
            "x",
            target=2.0,
            note=f"{submissions:,} submissions against the reference database",
        ),
        Figure(
            "agent_aggregation",
            "4. one agent, 12 months: coaching report aggregation",
            median(agent_times) * 1000,
            "ms",
            runs=[t * 1000 for t in agent_times],
            note=f"agent {agent}, {_queries(agent_statements)}; SQL for the agent and their "
            f"location {agent_scoped * 1000:.0f} ms, over all locations "
            f"{agent_everywhere * 1000:.0f} ms",
        ),
        Figure(
            "portfolio_aggregation",
            "5. portfolio over everything: aggregation",
            median(portfolio_times),
            "s",
            target=1.0,
            runs=portfolio_times,
            note=_queries(portfolio_statements)
            + (
                f"; slowest: {portfolio_slowest.seconds * 1000:.0f} ms "
                f"{portfolio_slowest.short(90)}"
                if portfolio_slowest
                else ""
            ),
        ),
    ]
    return figures, code


def _rapport() -> list[str]:
    script = Path(sys.executable).with_name("rapport")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop.cli"]


def _run_rapport(arguments: list[str], timeout: float) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        _rapport() + arguments,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(
            f"rapport {' '.join(arguments[:3])} failed (exit {done.returncode}): "
            f"{(done.stderr or done.stdout).strip()[-400:]}"
        )
    return time.perf_counter() - started


def _period_arguments(database: Path) -> list[str]:
    with opened(database) as dataset:
        period = dataset.last_12_months
    assert period.start is not None
    assert period.end is not None
    return ["--from", period.start.isoformat(), "--to", period.end.isoformat()]


def location_pdf(database: Path, code: str, runs: int) -> list[Figure]:
    """`rapport report location CODE -o OUT.pdf` end to end, a process per run."""
    period = _period_arguments(database)
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="rapport-bench-pdf-") as folder:
        target = Path(folder) / "location.pdf"
        arguments = ["report", "location", code, *period, "-o", str(target), "--db", str(database)]
        for _ in range(runs):
            times.append(_run_rapport(arguments, timeout=600))
        size = target.stat().st_size
    return [
        Figure(
            "location_pdf",
            "6. one location report PDF, end to end",
            median(times),
            "s",
            target=5.0,
            runs=times,
            note=f"rapport report location {code} (12 months, {database.name}): {size:,} bytes",
        )
    ]


def _report_count(folder: Path) -> int:
    return sum(1 for _ in folder.glob("*.pdf"))


def batch(database: Path, jobs: tuple[int, ...], timeout: float) -> list[Figure]:
    """`rapport report all --jobs N` for each N: every location and agent report."""
    help_text = subprocess.run(
        [*_rapport(), "report", "all", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if help_text.returncode != 0 or "--jobs" not in help_text.stdout:
        reason = "not measured: `rapport report all --jobs` does not exist"
        return [
            Figure(f"batch_jobs_{n}", f"6. batch, --jobs {n}", None, "s", note=reason) for n in jobs
        ]
    period = _period_arguments(database)
    figures: list[Figure] = []
    seconds: dict[int, float] = {}
    for count in jobs:
        folder = Path(tempfile.mkdtemp(prefix="rapport-bench-batch-"))
        try:
            arguments = ["report", "all", "--out-dir", str(folder), "--jobs", str(count)]
            seconds[count] = _run_rapport([*arguments, *period, "--db", str(database)], timeout)
            reports = _report_count(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        figures.append(
            Figure(
                f"batch_jobs_{count}",
                f"6. batch of {reports} reports, --jobs {count}",
                seconds[count],
                "s",
                note=f"{database.name}: {reports / seconds[count]:.2f} reports/s",
            )
        )
    if 1 in seconds and 2 in seconds:
        figures.append(
            Figure(
                "batch_speedup",
                "6. batch speed-up --jobs 2 / --jobs 1",
                seconds[1] / seconds[2],
                "x",
                target=1.5,
                bound="min",
                note="2 cores; other work on the machine lowers it",
            )
        )
    return figures
