"""The `rapport` command line: no arguments starts the app; subcommands work headless.

Exit codes are the same for every subcommand: 0 done, 2 bad input (one clear message on
stderr, nothing written), 1 unexpected error (details in the log file).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from forms.errors import ExplainedFailureError, RapportError

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    """The parser of every subcommand, with --db shared by all."""
    from desktop import commands

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        # SUPPRESS: a subcommand's own --db default must not erase `rapport --db X COMMAND`.
        default=argparse.SUPPRESS,
        help="database: a SQLite file path or a URL such as postgresql+psycopg://host/rapport "
        "(default: RAPPORT_DB, else rapport.db in your data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="rapport",
        description="Rapport measures empathy in customer service. "
        "Without a command it starts the desktop app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"Rapport {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands.ALL:
        module.register(subparsers, common)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rapport")
    except PackageNotFoundError:
        return "development"


def app_database(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether `argv` only starts the app (nothing, or `--db URL`), and the URL if given.

    The app then starts without building every subcommand's parser, which imports the
    command modules (about 50 ms before the first window); anything else, `--help`
    included, goes through the full parser.
    """
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return True, argv[0][len("--db=") :]
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (`argv`, default sys.argv[1:]); returns the process exit code."""
    if argv is not None:
        return _run(list(argv))
    try:
        return _run(sys.argv[1:])
    finally:
        # Run as the program, which exits next: the interpreter's last garbage collection
        # would walk every object the database and report libraries made (0.15 s).
        import gc

        gc.freeze()


def _run(arguments: list[str]) -> int:
    starts_app, database = app_database(arguments)
    args = None if starts_app else build_parser().parse_args(arguments)
    try:
        if args is None or args.command is None:
            from desktop.app import run_app

            return run_app(database if args is None else getattr(args, "db", None))
        from desktop.commands.common import (
            keep_new_databases,
            protected_database,
            remove_new_databases,
        )

        handler = args.handler
        keep_new_databases()
        try:
            with protected_database(getattr(args, "db", None)):
                result: int = handler(args)
        except BaseException:
            remove_new_databases()
            raise
        keep_new_databases()
        return result
    except RapportError as error:
        print(f"rapport: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("rapport: stopped.", file=sys.stderr)
        return EXIT_UNEXPECTED
    except ExplainedFailureError as error:
        print(f"rapport: {error}", file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as error:
        from forms.files import is_disk_full

        if is_disk_full(error):
            # Reached only where no layer below could say more (which file, how much).
            print(
                "rapport: the disk is full: the command stopped and its changes were undone. "
                "Free some space and run it again.",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        from desktop.errorlog import log_file_path, log_unexpected

        log_unexpected("command line")
        print(
            f"rapport: unexpected error; the details are in {log_file_path()}",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    finally:
        # Flush the log file if anything logged (logging is not imported just for this).
        logging = sys.modules.get("logging")
        if logging is not None:
            logging.shutdown()


if __name__ == "__main__":
    sys.exit(main())
