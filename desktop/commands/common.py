"""What every subcommand shares: opening the store, reading dates, writing files safely."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from forms.errors import RapportError
from forms.files import atomic_output as atomic_output
from forms.storage.urls import resolve_database_url

if TYPE_CHECKING:
    from forms.storage import Store


_created: list[Path] = []
"""Databases this command created: a command that fails removes them again."""


def open_store(
    args: argparse.Namespace, *, create: bool = False, needs: int = 0, what: str = ""
) -> Store:
    """The store named by --db, RAPPORT_DB, or the default file.

    Only the commands that put data in (demo, imports, sync) create a database that is not
    there: any other command would turn a typo in --db into a new, empty database that then
    looks fine. They say there is none instead. A command that will write about `needs`
    bytes (`what`) is refused before it starts when the database's disk has less free.
    """
    from forms.files import require_free_space
    from forms.storage import Store

    url = resolve_database_url(getattr(args, "db", None))
    path = _sqlite_file(url)
    try:
        new = create and path is not None and not path.exists()
    except OSError:  # a path the system cannot take: Store.open says why
        new = False
    if needs and path is not None:
        require_free_space(what, path.parent, needs)
    store = Store.open(url, create=create)
    if new and path is not None:
        _created.append(path)
        print(f"rapport: created a new Rapport database at {path}", file=sys.stderr)
    return store


def keep_new_databases() -> None:
    """The command succeeded: the databases it created stay."""
    _created.clear()


def remove_new_databases() -> None:
    """The command failed: a database it created (with its -wal and -shm files) goes, so a
    failed command leaves nothing behind."""
    from forms.storage.wal import in_use_elsewhere

    for path in _created:
        if in_use_elsewhere(path):
            continue  # the app opened it meanwhile: what it saved there stays
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    _created.clear()


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (the Store's own reading, URI form included), else None."""
    from forms.storage.sqlite import is_sqlite, sqlite_path

    try:
        return sqlite_path(url) if is_sqlite(url) else None
    except Exception:  # not a URL at all: Store.open says what is wrong with it
        return None


@contextmanager
def protected_database(db: str | None) -> Iterator[None]:
    """While a command runs, no file it writes may land on its database (or the database's
    -wal, -shm and -journal files), whether or not the database is open at that moment."""
    from forms.files import protect_database, release_database

    path = _sqlite_file(resolve_database_url(db))
    if path is None:
        yield
        return
    protect_database(path)
    try:
        yield
    finally:
        release_database(path)


EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD date from an option, or a clear error naming the option."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise RapportError(
            f"{option} '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31"
        ) from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        # Periods are compared with the period before them: year 1 has none.
        raise RapportError(
            f"{option} {value} is outside the dates Rapport reports on: give a day from "
            f"{EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"
        )
    return day


Handler = Callable[[argparse.Namespace], int]
