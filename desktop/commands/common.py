"""What every subcommand shares: opening the store, reading dates, writing files safely."""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from forms.errors import RapportError
from forms.store.urls import resolve_database_url

if TYPE_CHECKING:
    from forms.store import Store


def open_store(args: argparse.Namespace) -> Store:
    """The store named by --db, RAPPORT_DB, or the default file."""
    from forms.store import Store

    return Store.open(resolve_database_url(getattr(args, "db", None)))


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD date from an option, or a clear error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RapportError(
            f"{option} '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31"
        ) from None


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` that replaces it only if the block succeeds.

    A reader never sees a half-written file, and a failure leaves no file behind.
    """
    folder = target.resolve().parent
    if not folder.is_dir():
        raise RapportError(f"cannot write {target}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=folder
    )
    os.close(handle)
    temp_path = Path(temporary)
    # mkstemp makes the file private (0600); give it the mode any new file would get.
    current_umask = os.umask(0)
    os.umask(current_umask)
    temp_path.chmod(0o666 & ~current_umask)
    try:
        yield temp_path
        os.replace(temp_path, target)
    finally:
        temp_path.unlink(missing_ok=True)


Handler = Callable[[argparse.Namespace], int]
