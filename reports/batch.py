"""`rapport report all`: a report for every location and agent, written by worker processes.

Each worker opens its own connection to the store, reads the settings and form catalogue
once, and keeps WeasyPrint's parsed stylesheet and font configuration between reports.
Reports are handed out one at a time, longest (locations) first, so workers finish together.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reports.queries.common import Period
from reports.render import ReportError

if TYPE_CHECKING:
    from forms.store import Store
    from reports.kit import ReportKit

REPORT_TIME_LIMIT = 300.0
"""Seconds one report may take before the batch is stopped as stuck."""

BatchProgress = Callable[[int, int, str], None]
"""Called in the parent with (reports done, reports in all, name of the one just done)."""


@dataclass(frozen=True)
class BatchJob:
    """One report of the batch."""

    kind: str
    code: str
    name: str
    target: Path


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one report."""

    job: BatchJob
    pages: int
    error: str = ""


def _file_stem(kind: str, code: str) -> str:
    # Accents are dropped (Ó -> O) rather than the letters, so a name stays recognisable.
    plain = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", plain).strip("-") or "unnamed"
    return f"{kind}-{safe}"


def plan_batch(store: Store, out_dir: Path) -> list[BatchJob]:
    """Every active location, then every active agent, each with its own PDF path in
    `out_dir`: codes that differ only in punctuation, accents or case ("A/B", "A B", "a-b")
    get numbered names, so no report overwrites another (on any file system)."""
    from reports.queries.locations import report_subjects

    taken: set[str] = set()
    jobs = []
    for subject in report_subjects(store):
        stem = _file_stem(subject.kind, subject.code)
        unique, number = stem, 1
        while unique.casefold() in taken:
            number += 1
            unique = f"{stem}-{number}"
        taken.add(unique.casefold())
        jobs.append(BatchJob(subject.kind, subject.code, subject.name, out_dir / f"{unique}.pdf"))
    return jobs


_worker: dict[str, Any] = {}


def _start_worker(database_url: str, period: Period, locale: str | None) -> None:
    from forms.store import Store
    from reports.kit import ReportKit

    store = Store.open(database_url, create=False)
    _worker["kit"] = ReportKit.load(store, locale=locale)
    _worker["period"] = period


def write_one(kit: ReportKit, job: BatchJob, period: Period) -> int:
    """Write one report of the batch atomically (a reader never sees half a PDF)."""
    from forms.files import atomic_output
    from reports.render import html_to_pdf
    from reports.writer import ReportKind, ReportRequest, report_html

    kind: ReportKind = "location" if job.kind == "location" else "agent"
    document = report_html(kit, ReportRequest(kind, job.code, period))
    with atomic_output(job.target) as temporary:
        return html_to_pdf(document, temporary)


def _run_job(job: BatchJob) -> BatchOutcome:
    try:
        return BatchOutcome(job, write_one(_worker["kit"], job, _worker["period"]))
    except ReportError as error:
        return BatchOutcome(job, 0, str(error))


def _context() -> Any:
    # fork starts a worker in milliseconds with the modules already imported; elsewhere
    # (Windows, macOS) spawn is the only safe choice.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def worker_count(asked: int, jobs: int) -> int:
    """The worker processes a batch uses: as asked, but never more than the jobs or the
    machine's cores (more workers than cores only makes every report wait for the others)."""
    return max(1, min(asked, jobs, os.cpu_count() or 1))


def run_batch(
    database_url: str,
    jobs: list[BatchJob],
    *,
    period: Period | None = None,
    workers: int = 2,
    locale: str | None = None,
    progress: BatchProgress | None = None,
) -> list[BatchOutcome]:
    """Write every job's report using `workers` processes; returns the outcomes in job order."""
    if workers < 1:
        raise ReportError("--jobs must be at least 1")
    if not jobs:
        return []
    workers = worker_count(workers, len(jobs))
    outcomes: dict[Path, BatchOutcome] = {}
    with _context().Pool(
        workers, initializer=_start_worker, initargs=(database_url, period or Period(), locale)
    ) as pool:
        results: Iterator[BatchOutcome] = pool.imap_unordered(_run_job, jobs, chunksize=1)
        for done in range(1, len(jobs) + 1):
            try:
                outcome = results.next(REPORT_TIME_LIMIT)  # type: ignore[attr-defined]
            except multiprocessing.TimeoutError:
                pool.terminate()
                raise ReportError(
                    f"a report took more than {REPORT_TIME_LIMIT:.0f} seconds; the batch was "
                    "stopped (the reports already written are complete)"
                ) from None
            outcomes[outcome.job.target] = outcome
            if progress is not None:
                progress(done, len(jobs), outcome.job.name)
    return [outcomes[job.target] for job in jobs]
