"""Print the SQL each benchmark workload runs, slowest first, with SQLite's query plan.

    .venv/bin/python -m tests.bench.query_plans build/bench/rapport-full.db [--top 8]

This is how the indexes of migration 0003 were chosen: a plan that SCANs a big table, or
SEARCHes it once per row of a small one, names the statement and the index it lacks.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.bench.workloads import WORKLOADS, SqlRecorder, Statement, opened


def explain(dataset_engine: object, statement: Statement) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN lines for a recorded statement."""
    from sqlalchemy import Engine

    assert isinstance(dataset_engine, Engine)
    with dataset_engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement.sql, statement.params
        ).all()
    return [str(row[3]) for row in rows]


def main(argv: Sequence[str] | None = None) -> int:
    """Run each workload twice (the second run is shown) and explain its slowest statements."""
    parser = argparse.ArgumentParser(description="Explain the benchmark workloads' SQL.")
    parser.add_argument("database", type=Path)
    parser.add_argument("--location", metavar="CODE", help="default: the typical location")
    parser.add_argument("--top", type=int, default=6, help="statements shown per workload")
    args = parser.parse_args(argv)
    with opened(args.database, args.location) as dataset:
        subjects = f"location {dataset.location.code}, agent {dataset.agent.code}"
        print(f"{args.database}: {dataset.submissions} submissions, {subjects}")
        recorder = SqlRecorder(dataset.store.engine)
        for name, workload in WORKLOADS.items():
            workload(dataset)
            with recorder.recording() as statements:
                workload(dataset)
            queries = [s for s in statements if s.is_query]
            total = sum(s.seconds for s in queries) * 1000
            print(f"\n== {name}: {len(queries)} queries, {total:.0f} ms in SQL")
            for statement in sorted(queries, key=lambda s: -s.seconds)[: args.top]:
                where = "one subject" if statement.scoped else "all locations"
                print(f"{statement.seconds * 1000:9.1f} ms  [{where}] {statement.short()}")
                for line in explain(dataset.store.engine, statement):
                    print(f"{'':14}{line}")
        recorder.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
