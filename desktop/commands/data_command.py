"""Moving data in and out: `rapport export`, `rapport import`, `rapport db` and `rapport sync`."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from desktop.commands.common import atomic_output, open_store, parse_day
from forms.errors import RapportError

LOCATIONS_HELP = """\
The CSV file's first line names its columns (any order; case and spaces ignored):
  location_code   required: the site's code, e.g. HPO
  location_name   the site's name (may be left empty on further lines of the same site)
  city            optional
  time_zone       optional: the site's time zone, e.g. America/New_York (its visit
                  reports print times in it; empty: kept, or the report setting's)
  agent_code      optional: an agent (customer-facing employee) at that site
  agent_name      required when agent_code is given
Example:
  location_code,location_name,city,agent_code,agent_name
  HPO,Harbor Point Offices,Baltimore,A-1,Maria Alvarez
  HPO,,,A-2,Tomás Herrera
Sites and agents are matched by code: known ones are renamed or moved, new ones added.
Save the file from Excel as "CSV UTF-8 (Comma delimited)". Every bad line is listed with
its line number, and nothing is stored unless the whole file is right."""


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first visit day")
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last visit day")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add `export`, `import`, `db` and `sync`."""
    export = subparsers.add_parser(
        "export",
        parents=[common],
        help="write finalized work as a bundle (for another laptop) or a spreadsheet",
        description="Write finalized submissions to a file.",
    )
    kinds = export.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    bundle = kinds.add_parser(
        "bundle",
        parents=[common],
        help="a .zip of finalized work to import on another laptop or the office computer",
        description="Write the finalized submissions (not drafts) with their forms, photos, "
        "locations and agents to one file. Without options: what was finalized, reviewed or "
        "imported since the last export from this database; --all: everything; --from/--to: "
        "the visits of those days (UTC).",
    )
    bundle.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.zip")
    bundle.add_argument("--all", action="store_true", help="every finalized submission")
    _period_options(bundle)
    bundle.set_defaults(handler=run_export_bundle)
    for kind, handler in (("csv", run_export_csv), ("xlsx", run_export_xlsx)):
        sheet = kinds.add_parser(
            kind,
            parents=[common],
            help=f"a .{kind} file: one row per submission, one column per question",
            description="One row per finalized submission (drafts and void ones left out), "
            "one column per question, plus id, location, agent, status, visit time (UTC), "
            "score, raw score, band, critical failure and Empathy Index. Answers are written as "
            "XLSForm data stores them (choice names; several choices separated by spaces). "
            + (
                "CSV is UTF-8 with a byte order mark, readable by Excel and pandas; it holds "
                "one form: give --form when several forms have data."
                if kind == "csv"
                else "Without --form, one sheet per form that has data."
            ),
        )
        sheet.add_argument("-o", "--output", type=Path, required=True, metavar=f"FILE.{kind}")
        sheet.add_argument("--form", metavar="KEY", help="the form's key (see: rapport forms list)")
        _period_options(sheet)
        sheet.set_defaults(handler=handler)

    imports = subparsers.add_parser(
        "import",
        parents=[common],
        help="merge a bundle, or read locations and agents from CSV",
        description="Read data into this database; everything is checked first and written "
        "in one transaction, so a bad file changes nothing.",
    )
    sources = imports.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    merge = sources.add_parser(
        "bundle",
        parents=[common],
        help="merge a bundle written by `rapport export bundle`",
        description="Check the bundle (every sum, its shape, forms, references and each "
        "submission's content hash), then merge it. Submissions keep their status, scores "
        "and history; importing the same bundle again changes nothing. A damaged, changed, "
        "newer or foreign file is refused with exit status 2 and changes nothing.",
    )
    merge.add_argument("file", type=Path, metavar="FILE.zip")
    merge.set_defaults(handler=run_import_bundle)
    sites = sources.add_parser(
        "locations",
        parents=[common],
        help="add or update sites and agents from a CSV file",
        description=LOCATIONS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sites.add_argument("file", type=Path, metavar="FILE.csv")
    sites.set_defaults(handler=run_import_locations)

    database = subparsers.add_parser(
        "db",
        parents=[common],
        help="back up, restore or check the database",
        description="Look after the database file.",
    )
    actions = database.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    backup = actions.add_parser(
        "backup",
        parents=[common],
        help="copy the database safely, even while Rapport is running",
        description="Copy the SQLite database with SQLite's online backup API; the copy is "
        "complete or absent. Back a PostgreSQL server up with pg_dump.",
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.set_defaults(handler=run_db_backup)
    restore = actions.add_parser(
        "restore",
        parents=[common],
        help="put a backup's data back into the database",
        description="Replace the database's data with a backup made by `rapport db backup`. "
        "The data it replaces is kept first, in a file beside the database named "
        "NAME.before-restore-TIME.db. Use this rather than copying the backup over the file: "
        "a copy would let the write-ahead log (NAME.db-wal) left beside it replay old changes "
        "into the restored data. Exit status 2 when the file is not a Rapport backup.",
    )
    restore.add_argument("file", type=Path, metavar="BACKUP")
    restore.set_defaults(handler=run_db_restore)
    check = actions.add_parser(
        "check",
        parents=[common],
        help="check the database's integrity and schema version",
        description="Print the integrity check, the schema version and how many rows each "
        "table holds. Exit status: 0 sound and up to date; 1 problems found (restore a "
        "backup); 2 the file cannot be opened as a Rapport database (the message says why).",
    )
    check.add_argument(
        "--full", action="store_true", help="the slow, complete check (integrity_check)"
    )
    check.set_defaults(handler=run_db_check)

    sync = subparsers.add_parser(
        "sync",
        parents=[common],
        help="push finalized work to the team server and pull forms, sites and assignments",
        description="Push this database's finalized submissions to the team's server, then "
        "pull its forms, locations, agents and assignments (the server's names win). Each "
        "direction is one transaction; if a sync is cut off, run it again to complete it.",
    )
    sync.add_argument(
        "--server",
        required=True,
        metavar="URL",
        help="the team database, e.g. postgresql+psycopg://user@host/rapport",
    )
    sync.add_argument(
        "--init", action="store_true", help="set up an empty server database for Rapport first"
    )
    sync.set_defaults(handler=run_sync)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment (some containers)
        return "rapport"


def _period(args: argparse.Namespace) -> Any:
    from forms.period import Period

    return Period(parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to"))


def _suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise RapportError(f"{path}: name the output file *{suffix} (for example visits{suffix})")


def run_export_bundle(args: argparse.Namespace) -> int:
    """Write a bundle and remember the export."""
    from forms.exchange import export_bundle, remember_bundle_export

    period = _period(args)
    if args.all and not period.open:
        raise RapportError("give either --all or --from/--to, not both")
    with open_store(args) as store:
        with atomic_output(args.output) as temporary:
            result = export_bundle(store, temporary, period=period, everything=args.all)
        remember_bundle_export(store, result)
    counts = result.counts
    chosen = (
        f"visits {period.label()}"
        if not period.open
        else f"since {result.since:%Y-%m-%d %H:%M} UTC"
        if result.since
        else "all finalized work"
    )
    print(
        f"Wrote {args.output}: {counts['submissions']} submissions ({chosen}), "
        f"{counts['files']} photos or files, {counts['forms']} forms."
    )
    return 0


def run_export_csv(args: argparse.Namespace) -> int:
    """Write one form's submissions as CSV."""
    from forms.exchange.spreadsheet_export import export_csv

    _suffix(args.output, ".csv")
    period = _period(args)
    with open_store(args) as store, atomic_output(args.output) as temporary:
        sheet = export_csv(store, temporary, form_key=args.form, period=period)
    print(f"Wrote {args.output}: {len(sheet.rows)} submissions of '{sheet.title}'.")
    return 0


def run_export_xlsx(args: argparse.Namespace) -> int:
    """Write submissions as an Excel workbook, one sheet per form."""
    from forms.exchange.spreadsheet_export import export_xlsx

    _suffix(args.output, ".xlsx")
    period = _period(args)
    with open_store(args) as store, atomic_output(args.output) as temporary:
        sheets = export_xlsx(store, temporary, form_key=args.form, period=period)
    listed = ", ".join(f"{sheet.form_key} ({len(sheet.rows)})" for sheet in sheets)
    print(f"Wrote {args.output}: {listed}.")
    return 0


def _space_for(source: Path, *, unpacked: bool = False) -> int:
    """Bytes an import of `source` may need on the database's disk: its data three times
    over (the rows, their indexes, the write-ahead log), and a megabyte of room."""
    size = source.stat().st_size
    if unpacked:
        import zipfile

        with zipfile.ZipFile(source) as archive:  # read_bundle has checked it already
            size = sum(member.file_size for member in archive.infolist())
    return 3 * size + 1_000_000


def run_import_bundle(args: argparse.Namespace) -> int:
    """Check and merge a bundle."""
    from forms.exchange import ExchangeError, import_bundle, read_bundle
    from forms.exchange.bundle_check import check_bundle

    # The file is checked whole, its contents too, before any database is opened (or
    # created for it): opening one, even to refuse the bundle, can leave its -wal and -shm
    # files behind.
    try:
        bundle = read_bundle(args.file)
        check_bundle(bundle, str(args.file))
    except ExchangeError as error:
        raise ExchangeError(f"{error}. Nothing was imported.") from error
    store = open_store(
        args, create=True, needs=_space_for(args.file, unpacked=True), what=f"importing {args.file}"
    )
    try:
        report = import_bundle(store, bundle, actor=_actor(), source=str(args.file))
    except ExchangeError as error:
        raise ExchangeError(f"{error}. Nothing was imported.") from error
    finally:
        store.close()
    print(f"Imported {args.file}: {report.summary()}.")
    return 0


def run_import_locations(args: argparse.Namespace) -> int:
    """Read sites and agents from CSV."""
    from forms.exchange.locations_import import import_locations, read_locations_csv

    read_locations_csv(args.file)  # checked before a database is opened, or created for it
    with open_store(
        args, create=True, needs=_space_for(args.file), what=f"importing {args.file}"
    ) as store:
        report = import_locations(store, args.file)
    print(
        f"Imported {args.file}: locations {report.locations_added} added, "
        f"{report.locations_updated} updated, {report.locations_unchanged} unchanged; agents "
        f"{report.agents_added} added, {report.agents_updated} updated, "
        f"{report.agents_unchanged} unchanged."
    )
    return 0


def run_db_backup(args: argparse.Namespace) -> int:
    """Copy the database file with SQLite's online backup API."""
    from forms.storage.sqlite import sqlite_path

    with open_store(args) as store:
        source = sqlite_path(store.url)
        if source is not None and args.file.resolve() == source:
            raise RapportError(f"cannot back {source} up onto itself: choose another file")
        with atomic_output(args.file) as temporary:
            store.backup(temporary)
    print(f"Backed up {source} to {args.file}")
    return 0


def run_db_restore(args: argparse.Namespace) -> int:
    """Put a backup's data back into the database, keeping the data it replaces."""
    from forms.storage import restore_backup
    from forms.storage.urls import resolve_database_url, shown_url

    url = resolve_database_url(getattr(args, "db", None))
    kept = restore_backup(url, args.file)
    print(f"Restored {shown_url(url)} from {args.file}.")
    if kept is not None:
        print(f"The data it held before is kept in {kept}.")
    return 0


def run_db_check(args: argparse.Namespace) -> int:
    """Print the database's health; exit status 1 when it is not sound."""

    with open_store(args) as store:
        health = store.check(full=args.full)
    print(f"Database: {store.shown_url}")
    print(f"Integrity: {'ok' if not health.problems else 'PROBLEMS FOUND'}")
    for problem in health.problems:
        print(f"  {problem}")
    print(f"Schema: {health.revision} (this Rapport writes {health.newest_revision})")
    for table, count in sorted(health.counts.items()):
        print(f"  {table}: {count} rows")
    if health.ok:
        return 0
    print("The database is not sound: restore it from a backup (rapport db backup makes one).")
    return 1


def run_sync(args: argparse.Namespace) -> int:
    """Push finalized work to the team server, then pull from it."""
    from forms.exchange.sync import sync_with_server
    from forms.storage import Store, StoreError
    from forms.storage.urls import resolve_database_url

    with open_store(args, create=True) as store:
        try:
            server = Store.open(resolve_database_url(args.server), create=args.init)
        except StoreError as error:
            if "is empty" not in str(error) or args.init:
                raise
            raise StoreError(
                f"{error}; to set up a new team database, run: rapport sync --init --server URL"
            ) from error
        try:
            report = sync_with_server(store, server, actor=_actor())
        finally:
            server.close()
    print(f"Synced with {server.shown_url}")
    print(f"  pushed: {report.pushed.summary()}")
    print(f"  pulled: {report.pulled.summary()}")
    return 0
