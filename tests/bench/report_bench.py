"""How fast reports render on the demo data, against the targets of the reports issue.

    .venv/bin/python -m tests.bench.report_bench            # every figure (about 3 minutes)
    .venv/bin/python -m tests.bench.report_bench --quick    # fewer repeats
    .venv/bin/python -m tests.bench.report_bench --cold     # figure 2 alone

Figures, on the sample company (twelve months, 8 locations):
1. one location report, warm (in a process that already wrote one): total seconds and the
   share spent inside WeasyPrint (layout and writing); targets <= 1.5 s and >= 80 %;
2. `rapport report location X -o x.pdf` from a cold start (a fresh process), against the
   `weasyprint` command turning that report's own `--html` output into a PDF with the same
   PDF options (tagged, PDF/UA-1), measured in the same run; target <= 1.2 times as long;
3. `rapport report all --jobs 2` against `--jobs 1`; target >= 1.8 times faster;
4. peak memory (max RSS) of a worker after 10 and after 100 reports; target < 10 % growth.

The machine is shared, so each timing is repeated and the best run is compared (the one
least disturbed by other processes); the median is printed too. Exit status 1 if a figure
misses its target.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SAMPLE_TODAY = date(2026, 6, 30)
LOCATION = "Harbor Point Offices"
SAMPLE_YEAR = ["--from", "2025-07-01", "--to", str(SAMPLE_TODAY)]
"""The sample's twelve months: a full report (without dates, the last 90 days up to today
could hold none of the sample's visits)."""
VENV_BIN = Path(sys.executable).parent


def _run(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run_with_cpu(command: list[str]) -> tuple[float, float]:
    """Seconds waited for `command`, and the CPU seconds it and its children used."""
    before = _cpu_of_children()
    waited = _run(command)
    return waited, _cpu_of_children() - before


def _best(times: list[float]) -> str:
    return f"best {min(times):.2f} s, median {statistics.median(times):.2f} s"


def make_database(folder: Path) -> str:
    """A fresh database with the sample company; returns its URL."""
    from forms.sample.company import load_sample_data
    from forms.storage import Store

    url = f"sqlite:///{folder / 'demo.db'}"
    store = Store.open(url)
    try:
        load_sample_data(store, today=SAMPLE_TODAY)
    finally:
        store.close()
    return url


def warm_location_report(url: str, folder: Path, repeats: int) -> tuple[float, float]:
    """Seconds per warm location report, and the share of it inside WeasyPrint."""
    from forms.storage import Store
    from reports import render
    from reports.kit import ReportKit
    from reports.writer import ReportRequest, report_html

    store = Store.open(url)
    request = ReportRequest("location", LOCATION)
    totals: list[float] = []
    shares: list[float] = []
    try:
        for attempt in range(repeats + 1):
            started = time.perf_counter()
            kit = ReportKit.load(store)
            document = report_html(kit, request)
            built = time.perf_counter()
            render.html_to_pdf(document, folder / "warm.pdf")
            finished = time.perf_counter()
            if attempt:  # the first one warms the process up
                totals.append(finished - started)
                shares.append((finished - built) / (finished - started))
    finally:
        store.close()
    best = totals.index(min(totals))
    print(f"1. warm location report: {_best(totals)}; inside WeasyPrint {shares[best]:.0%}")
    return totals[best], shares[best]


COLD_TARGET = 1.2
"""How many times as long as WeasyPrint alone a cold `rapport report location` may take."""


def cold_command_line(url: str, folder: Path, repeats: int) -> float:
    """Best cold `rapport report location` time over best `weasyprint` time on its HTML."""
    from reports.render import PDF_OPTIONS

    rapport, weasyprint = str(VENV_BIN / "rapport"), str(VENV_BIN / "weasyprint")
    html = folder / "cold.html"
    subprocess.run(
        [rapport, "report", "location", LOCATION, *SAMPLE_YEAR, "--db", url, "--html", str(html)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    ours: list[float] = []
    theirs: list[float] = []
    our_cpu: list[float] = []
    their_cpu: list[float] = []
    command = [rapport, "report", "location", LOCATION, *SAMPLE_YEAR, "--db", url, "-o"]
    # The same PDF as Rapport writes: WeasyPrint's own work includes tagging it.
    plain = [weasyprint, "--pdf-variant", PDF_OPTIONS["pdf_variant"], str(html)]
    for attempt in range(repeats):
        target = folder / f"cold-{attempt}.pdf"
        waited, cpu = _run_with_cpu([*command, str(target)])
        ours.append(waited)
        our_cpu.append(cpu)
        waited, cpu = _run_with_cpu([*plain, str(folder / f"plain-{attempt}.pdf")])
        theirs.append(waited)
        their_cpu.append(cpu)
    ratio = min(ours) / min(theirs)
    print(f"2. cold: {shlex.join(command)} OUT.pdf")
    print(f"   against {shlex.join(plain)} OUT.pdf")
    print(
        f"   rapport {_best(ours)}, CPU {min(our_cpu):.2f} s; weasyprint {_best(theirs)}, "
        f"CPU {min(their_cpu):.2f} s; ratio {ratio:.2f} (target <= {COLD_TARGET:.1f}); "
        f"CPU ratio {min(our_cpu) / min(their_cpu):.2f}"
    )
    return ratio


def report_all(url: str, folder: Path, rounds: int) -> float:
    """How many times faster `report all` is with two worker processes than with one."""
    rapport = str(VENV_BIN / "rapport")
    one: list[float] = []
    two: list[float] = []
    for number in range(rounds):
        for jobs, times in (("1", one), ("2", two)):
            out = folder / f"all-{jobs}-{number}"
            times.append(
                _run([rapport, "report", "all", "--db", url, "--out-dir", str(out), "--jobs", jobs])
            )
    count = len(list((folder / "all-1-0").glob("*.pdf")))
    speedup = min(one) / min(two)
    print(
        f"3. report all ({count} reports): --jobs 1 {_best(one)}; --jobs 2 {_best(two)}; "
        f"speedup {speedup:.2f}"
    )
    return speedup


def _worker_memory(url: str, folder: str, reports: int) -> None:
    """Child process: write `reports` reports in one process; print max RSS at 10 and at the end."""
    from forms.storage import Store
    from reports.batch import plan_batch
    from reports.pdf_process import KitCache, ReportOrder, carry_out

    store = Store.open(url)
    jobs = plan_batch(store, Path(folder))
    store.close()
    kits = KitCache()  # what a child of `report all` keeps between its reports
    peaks = []
    for number in range(reports):
        job = jobs[number % len(jobs)]
        sent: list[tuple[str, int, str]] = []
        order = ReportOrder(url, job.kind, job.code, None, None, str(job.target))
        carry_out(order, kits, sent.append)
        if sent[-1][0] != "done":
            raise RuntimeError(f"report {job.name} failed: {sent[-1][2]}")
        if number + 1 in (10, reports):
            peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(" ".join(str(peak) for peak in peaks))


def worker_memory(url: str, folder: Path, reports: int) -> float:
    """Growth of a worker's peak memory between its 10th and its last report."""
    out = folder / "memory"
    out.mkdir()
    found = subprocess.run(
        [sys.executable, "-m", "tests.bench.report_bench", "--memory-child", url, str(out),
         str(reports)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()  # fmt: skip
    at_ten, at_end = (int(value) for value in found[-2:])
    growth = at_end / at_ten - 1
    print(
        f"4. worker peak memory: {at_ten / 1024:.0f} MB after 10 reports, "
        f"{at_end / 1024:.0f} MB after {reports}; growth {growth:.1%}"
    )
    return growth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--cold", action="store_true", help="measure figure 2 alone")
    parser.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        url, folder, reports = args.memory_child
        _worker_memory(url, folder, int(reports))
        return 0
    repeats = 3 if args.quick else 7
    print(f"Machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    checks: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as name:
        folder = Path(name)
        url = make_database(folder)
        if args.cold:
            ratio = cold_command_line(url, folder, repeats)
            return 0 if ratio <= COLD_TARGET else 1
        total, share = warm_location_report(url, folder, repeats)
        checks.append(("warm location report <= 1.5 s", total <= 1.5))
        checks.append(("WeasyPrint >= 80 % of it", share >= 0.8))
        ratio = cold_command_line(url, folder, repeats)
        checks.append((f"cold command line <= {COLD_TARGET} x weasyprint", ratio <= COLD_TARGET))
        speedup = report_all(url, folder, 1 if args.quick else 2)
        checks.append(("report all --jobs 2 >= 1.8 x faster", speedup >= 1.8))
        growth = worker_memory(url, folder, 30 if args.quick else 100)
        checks.append(("worker peak memory grows < 10 %", growth < 0.10))
    for label, ok in checks:
        print(f"  {'ok  ' if ok else 'MISS'} {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
