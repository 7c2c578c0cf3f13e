"""`rapport demo`: fill the database with the sample janitorial company."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.commands.common import open_store


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add `demo`."""
    demo = subparsers.add_parser(
        "demo",
        parents=[common],
        help="load sample data: 8 client sites, their agents, a year of visits and surveys",
        description="Load Rapport's sample data. Running it again adds nothing.",
    )
    demo.set_defaults(handler=run_demo)


DEMO_SPACE = 8_000_000
"""Bytes the sample company takes while it loads: its 3.2 MB database and as much again in
the write-ahead log, with room to spare (measured with `rapport demo` on an empty file)."""


def run_demo(args: argparse.Namespace) -> int:
    """Load the sample data and say what was added."""
    from forms.sample.company import COMPANY, load_sample_data

    with open_store(
        args, create=True, needs=DEMO_SPACE, what="loading the sample company"
    ) as store:
        report = load_sample_data(store)
    print(
        f"{COMPANY}: {report.locations} locations, {report.agents} agents; "
        f"{report.added} submissions added, {report.already_there} already there. "
        f"Data: {store.shown_url}"
    )
    return 0
