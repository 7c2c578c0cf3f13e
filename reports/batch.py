"""`rapport report all`: a report for every location and agent, written by worker processes.

Each worker opens its own connection to the store, reads the settings and form catalogue
once, and keeps WeasyPrint's parsed stylesheet and font configuration between reports.
Reports are handed out one at a time, longest (locations) first, so workers finish together.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reports.pdf_process import ReportOrder, pages_written
from reports.queries.common import Period
from reports.render import ReportError

if TYPE_CHECKING:
    from forms.storage import Store

FULL_DISK_BYTES = 1_000_000
"""Less free than this after a report failed: the disk is full (a report takes 0.1-1 MB)."""

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
    """Write every job's report using `workers` child processes (the one PDF writer of
    reports.pdf_process); returns the outcomes in job order."""
    from reports.pdf_process import (
        REPORT_TIME_LIMIT,
        PdfProcess,
        ReportTimeLimitError,
        fork_context,
        time_limit_message,
    )

    if workers < 1:
        raise ReportError("--jobs must be at least 1")
    if not jobs:
        return []
    period = period or Period()
    context = fork_context() or multiprocessing.get_context("spawn")
    children = [PdfProcess(context) for _ in range(worker_count(workers, len(jobs)))]
    waiting = list(reversed(jobs))
    working: dict[PdfProcess, tuple[BatchJob, float]] = {}
    outcomes: dict[Path, BatchOutcome] = {}
    try:
        while waiting or working:
            for child in children:
                if child not in working and waiting:
                    job = waiting.pop()
                    working[child] = (job, time.monotonic())
                    with contextlib.suppress(ReportError):  # a dead child: found below
                        child.send(_order(database_url, job, period, locale))
            oldest = min(started for _, started in working.values())
            ready = multiprocessing.connection.wait(
                [child.connection for child in working],
                timeout=max(0.0, oldest + REPORT_TIME_LIMIT - time.monotonic()),
            )
            if not ready:
                stuck = min(working.values(), key=lambda running: running[1])[0]
                raise ReportTimeLimitError(
                    time_limit_message(
                        f"the {stuck.kind} report of {stuck.name}", REPORT_TIME_LIMIT
                    )
                    + f" (the {len(outcomes)} reports already written are complete)"
                )
            for child in [child for child in working if child.connection in ready]:
                try:
                    message = child.receive(0)
                except ReportError as ended:
                    # The child died (killed, out of memory): its report failed, a new
                    # child takes the next one.
                    job, _ = working.pop(child)
                    outcomes[job.target] = BatchOutcome(job, 0, str(ended))
                    child.close()
                    children[children.index(child)] = PdfProcess(context)
                    if progress is not None:
                        progress(len(outcomes), len(jobs), job.name)
                    continue
                if message is None or message.kind == "page":
                    continue
                job, _ = working.pop(child)
                try:
                    outcome = BatchOutcome(job, pages_written(message))
                except ReportError as error:
                    outcome = BatchOutcome(job, 0, str(error))
                    _stop_on_a_full_disk(job.target.parent, len(outcomes), len(jobs))
                outcomes[job.target] = outcome
                if progress is not None:
                    progress(len(outcomes), len(jobs), job.name)
    finally:
        for child in children:
            child.close()
    return [outcomes[job.target] for job in jobs]


def _stop_on_a_full_disk(folder: Path, written: int, jobs: int) -> None:
    """ReportError when the folder's disk is full: every report after would fail the same."""
    from forms.files import free_space, megabytes

    if free_space(folder) < FULL_DISK_BYTES:
        raise ReportError(
            f"the disk that holds {folder} is full ({megabytes(free_space(folder))} free): "
            f"the batch stopped after {written} of {jobs} reports (those are complete). Free "
            "some space (or choose another --out-dir) and run it again"
        )


def _order(database_url: str, job: BatchJob, period: Period, locale: str | None) -> ReportOrder:
    return ReportOrder(
        database_url, job.kind, job.code, period.start, period.end, str(job.target), locale
    )
