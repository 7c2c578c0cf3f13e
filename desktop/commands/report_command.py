"""`rapport report location NAME -o OUT.pdf`: reports from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.commands.common import atomic_output, open_store, parse_day
from forms.errors import RapportError


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add `report` and its report kinds."""
    report = subparsers.add_parser(
        "report", parents=[common], help="write a PDF report", description="Write a PDF report."
    )
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    location = kinds.add_parser(
        "location",
        parents=[common],
        help="one client site: visits and scores over a period",
        description="Write the report of one location (name or code).",
    )
    location.add_argument("name", metavar="NAME_OR_CODE")
    location.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    location.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    location.add_argument("-o", "--output", type=Path, metavar="OUT.pdf")
    location.add_argument(
        "--html", type=Path, metavar="OUT.html", help="write the HTML given to WeasyPrint instead"
    )
    location.set_defaults(handler=run_location_report)


def run_location_report(args: argparse.Namespace) -> int:
    """Write one location report."""
    from reports.location import write_location_report
    from reports.queries import Period

    if args.output is None and args.html is None:
        raise RapportError("say where to write the report: -o OUT.pdf (or --html OUT.html)")
    period = Period(parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to"))
    if period.start and period.end and period.start > period.end:
        raise RapportError("--from is after --to; swap the two dates")
    store = open_store(args)
    try:
        if args.html is not None:
            with atomic_output(args.html) as temporary:
                write_location_report(store, args.name, period, html=temporary)
            print(f"Wrote {args.html}")
        if args.output is not None:
            with atomic_output(args.output) as temporary:
                write_location_report(store, args.name, period, pdf=temporary)
            print(f"Wrote {args.output}")
    finally:
        store.close()
    return 0
