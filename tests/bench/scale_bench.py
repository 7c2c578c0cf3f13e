"""The scale benchmark of issue 7: Rapport on a national company's data, on one laptop.

    make bench         # full: ~150,000 submissions against a ~10,000 reference database
    make bench-small   # CI: tiny databases, one run each, targets shown but not enforced

    .venv/bin/python -m tests.bench.scale_bench --big DB --reference DB [--runs 5] [--ci]

Each figure is the median of several runs. The table is printed and written to
tests/bench/results.json (each figure: value, unit, target, ok); the exit code is 1 when a
figure misses its target or could not be measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from tests.bench.figures import Figure, table, write_results

RESULTS = Path(__file__).with_name("results.json")
PARTS = ("cold", "autosave", "submissions", "aggregation", "pdf", "batch")


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _load() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {
        "system": f"{platform.system()} {platform.release()}",
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "packages": {
            name: _package(name)
            for name in ("PySide6-Essentials", "SQLAlchemy", "sqlmodel", "weasyprint")
        },
    }


def _manifest(database: Path) -> dict[str, object]:
    sidecar = Path(f"{database}.json")
    found: dict[str, object] = {"path": str(database), "bytes": database.stat().st_size}
    if sidecar.exists():
        found.update(json.loads(sidecar.read_text(encoding="utf-8")))
    return found


def _failed(part: str, error: BaseException) -> Figure:
    message = f"{type(error).__name__}: {error}".strip()
    return Figure(f"{part}_error", f"{part}: could not be measured", None, "", note=message)


def run(args: argparse.Namespace) -> list[Figure]:
    """Measure every selected part; a part that breaks becomes a failed figure."""
    from tests.bench import app_timing, data_timing

    ci = args.ci
    runs = 1 if ci else args.runs
    code: str | None = None

    def aggregation() -> list[Figure]:
        nonlocal code
        found, code = data_timing.aggregations(args.big, args.reference, runs)
        return found

    def pdf() -> list[Figure]:
        from tests.bench.workloads import typical_location_code

        return data_timing.location_pdf(
            args.big, code or typical_location_code(args.reference), 1 if ci else 3
        )

    steps: dict[str, Callable[[], list[Figure]]] = {
        "cold": lambda: app_timing.cold_start(args.big, runs, warm_up=not ci),
        "autosave": lambda: data_timing.autosave(args.big, 40 if ci else 300),
        "submissions": lambda: app_timing.submissions_screen(
            args.big, scroll_limit=30.0 if ci else 90.0
        ),
        "aggregation": aggregation,
        "pdf": pdf,
        "batch": lambda: data_timing.batch(
            args.batch_db or args.reference, (2,) if ci else (1, 2), timeout=3600
        ),
    }
    figures: list[Figure] = []
    for part in args.only or PARTS:
        started = time.perf_counter()
        print(f"measuring {part}...", file=sys.stderr, flush=True)
        try:
            measured = steps[part]()
        except Exception as error:  # every failure is reported as a figure
            traceback.print_exc()
            measured = [_failed(part, error)]
        for figure in measured:
            figure.enforced = not ci
        figures.extend(measured)
        print(f"  {part}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when every figure meets its target (CI: when all were measured)."""
    parser = argparse.ArgumentParser(description="Rapport's scale benchmark (issue 7).")
    parser.add_argument("--big", type=Path, required=True, help="the ~150,000-submission database")
    parser.add_argument(
        "--reference", type=Path, required=True, help="the ~10,000-submission database"
    )
    parser.add_argument("--batch-db", type=Path, help="database of the batch (default: reference)")
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--only", nargs="+", choices=PARTS, help="measure only these parts")
    parser.add_argument("--results", type=Path, help=f"default: {RESULTS}")
    parser.add_argument(
        "--ci", action="store_true", help="one run each, targets not enforced, no results.json"
    )
    args = parser.parse_args(argv)
    for database in (args.big, args.reference):
        if not database.exists():
            parser.error(
                f"{database} does not exist: generate it with tests.bench.generate_database"
            )
    load_before = _load()
    began = time.perf_counter()
    figures = run(args)
    print()
    print(table(figures))
    context: dict[str, object] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "ci" if args.ci else "full",
        "seconds": round(time.perf_counter() - began, 1),
        "machine": {**machine(), "load_average_before": load_before, "load_average_after": _load()},
        "databases": {"big": _manifest(args.big), "reference": _manifest(args.reference)},
    }
    target = args.results or (None if args.ci else RESULTS)
    if target is not None:
        write_results(target, figures, context)
        print(f"\nwrote {target}")
    if args.ci:
        return 0 if all(figure.value is not None for figure in figures) else 1
    return 0 if all(figure.ok for figure in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
