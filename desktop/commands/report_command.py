"""`rapport report location|agent|portfolio|visit ...` and `rapport report all`: PDF reports."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from desktop.commands.common import atomic_output, open_store, parse_day
from forms.errors import RapportError
from forms.files import refuse_overwriting
from forms.period import current_day

SINGLE_REPORTS = {
    "location": (
        "one client site: is it slipping, what to do next, scores, customers, agents, comments "
        "(default period: the 90 days up to today, against the 90 days before)",
        "NAME_OR_CODE",
    ),
    "agent": (
        "a coaching card to hand to one agent (default period: the 90 days up to today)",
        "NAME_OR_CODE",
    ),
    "portfolio": (
        "every location ranked, movers, empathy against NPS, pulse (default period: the 90 "
        "days up to today, against the 90 days before)",
        None,
    ),
    "visit": ("one visit: every answer with its points, comments and photos", "VISIT_ID"),
}


def _period_options(parser: argparse.ArgumentParser, *, with_period: bool = True) -> None:
    # The visit report takes --from/--to only to refuse them in words (see _period).
    parser.add_argument(
        "--from",
        dest="date_from",
        metavar="YYYY-MM-DD",
        help="first day (default: 89 days before the last)" if with_period else argparse.SUPPRESS,
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        metavar="YYYY-MM-DD",
        help="last day (default: today)" if with_period else argparse.SUPPRESS,
    )
    parser.add_argument(
        "--locale",
        metavar="LOCALE",
        help="format numbers and dates for this locale, e.g. fr_FR (default: the setting, "
        "else en_US)",
    )


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add `report` and its report kinds."""
    report = subparsers.add_parser(
        "report", parents=[common], help="write a PDF report", description="Write a PDF report."
    )
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    for kind, (summary, subject) in SINGLE_REPORTS.items():
        parser = kinds.add_parser(kind, parents=[common], help=summary, description=summary)
        if subject is not None:
            parser.add_argument("subject", metavar=subject)
        # A visit is one day: its report has no period to choose.
        _period_options(parser, with_period=kind != "visit")
        parser.add_argument("-o", "--output", type=Path, metavar="OUT.pdf")
        parser.add_argument(
            "--html",
            type=Path,
            metavar="OUT.html",
            help="write the exact, self-contained HTML given to WeasyPrint",
        )
        if kind == "location":
            parser.add_argument(
                "--with-contacts",
                action="store_true",
                help="print the e-mail addresses of the customers to call back (for your own "
                "use: leave it out of reports handed to the client site)",
            )
        parser.set_defaults(handler=run_report)
    every = kinds.add_parser(
        "all",
        parents=[common],
        help="a report for every location and agent, in parallel (default period: the 90 "
        "days up to today)",
        description="Write a location report for every location and a coaching card for "
        "every agent into one folder (default period: the 90 days up to today).",
    )
    every.add_argument("--out-dir", type=Path, required=True, metavar="DIR")
    every.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="worker processes"
    )
    _period_options(every)
    every.set_defaults(handler=run_all_reports)


def paper_text(locale: str) -> str:
    """The paper a run's reports are laid out on, and why: "Letter paper, locale en_US"."""
    from reports.formatting import Formatter

    return f"{Formatter(locale).paper} paper, locale {locale}"


def _period(args: argparse.Namespace) -> Any:
    """The period asked for; where an end is left out, the 90 days up to today (or up to
    --to, or from --from): every report with a period covers the same days by default."""
    from reports.queries import Period

    if getattr(args, "report_kind", "") == "visit":
        if args.date_from is not None or args.date_to is not None:
            raise RapportError(
                "a visit report shows one visit and has no period: leave out --from and --to"
            )
        return Period()
    asked = Period(parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to"))
    return asked.or_recent(current_day())


def run_report(args: argparse.Namespace) -> int:
    """Write one report as PDF (-o) and/or HTML (--html)."""
    if args.output is None and args.html is None:
        raise RapportError("say where to write the report: -o OUT.pdf (or --html OUT.html)")
    period = _period(args)
    from reports.pdf_process import HtmlOrder, PdfProcess, fork_context

    # WeasyPrint loads in a child process while this one reads the data and builds the HTML.
    renderer = PdfProcess(fork_context()) if args.output is not None else None
    try:
        from reports.kit import ReportKit
        from reports.writer import ReportRequest, report_html

        with open_store(args) as store:
            if args.output is not None:
                # The child that writes the PDF does not know which database is open here.
                refuse_overwriting(args.output)
            kit = ReportKit.load(store, locale=args.locale)
            request = ReportRequest(
                args.report_kind,
                getattr(args, "subject", ""),
                period,
                with_contacts=getattr(args, "with_contacts", False),
            )
            document = report_html(kit, request)
        if args.html is not None:
            with atomic_output(args.html) as temporary:
                temporary.write_text(document, encoding="utf-8")
            print(f"Wrote {args.html}")
        if renderer is not None:
            subject = getattr(args, "subject", "")
            what = f"writing the {args.report_kind} report" + (f" of {subject}" if subject else "")
            pages = renderer.run(HtmlOrder(document, str(args.output)), what=what)
            print(
                f"Wrote {args.output} ({pages} page{'s' if pages != 1 else ''}, "
                f"{paper_text(kit.settings.locale)})"
            )
    finally:
        if renderer is not None:
            renderer.close()
    return 0


class _ProgressBar:
    """A one-line progress bar on a terminal; plain lines when output is redirected."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.tty:
            print(f"[{done}/{total}] {name}", file=self.stream, flush=True)
            return
        width = 30
        filled = round(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r[{bar}] {done}/{total} {name[:40]:<40}"
        self.stream.write(line + ("\n" if done == total else ""))
        self.stream.flush()


def run_all_reports(args: argparse.Namespace) -> int:
    """Write every location report and coaching card into --out-dir."""
    from reports.batch import plan_batch, run_batch

    period = _period(args)
    if args.jobs < 1:
        raise RapportError(f"--jobs {args.jobs}: give at least 1 worker process")
    out_dir: Path = args.out_dir
    if out_dir.exists() and not out_dir.is_dir():
        raise RapportError(f"--out-dir {out_dir} is a file: give a folder")
    store = open_store(args)
    try:
        if args.locale is not None:
            from reports.formatting import parse_locale

            parse_locale(args.locale)
            locale = args.locale
        else:
            from reports.settings import report_settings

            locale = report_settings(store).locale
        database_url = store.url
        out_dir.mkdir(parents=True, exist_ok=True)
        jobs = plan_batch(store, out_dir)
    finally:
        # Workers open their own connections; none may be inherited across fork.
        store.close()
    if not jobs:
        raise RapportError("there are no locations or agents yet: add them or run `rapport demo`")
    outcomes = run_batch(
        database_url,
        jobs,
        period=period,
        workers=args.jobs,
        locale=args.locale,
        progress=_ProgressBar(sys.stderr),
    )
    failed = [outcome for outcome in outcomes if outcome.error]
    for outcome in failed:
        print(f"rapport: {outcome.job.name}: {outcome.error}", file=sys.stderr)
    written = len({outcome.job.target for outcome in outcomes if not outcome.error})
    print(
        f"Wrote {written} report{'s' if written != 1 else ''} into {out_dir} ({paper_text(locale)})"
    )
    return 2 if failed else 0
