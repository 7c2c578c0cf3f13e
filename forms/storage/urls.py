"""Where the database is: a `--db` value, RAPPORT_DB, or the file in the user's data folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "Rapport"


def data_folder() -> Path:
    """The user's Rapport data folder (created on first use)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database_path() -> Path:
    """The SQLite file used when neither --db nor RAPPORT_DB says otherwise."""
    return data_folder() / "rapport.db"


def resolve_database_url(value: str | None = None) -> str:
    """A SQLAlchemy URL from a --db value (URL or file path), RAPPORT_DB, or the default file."""
    chosen = value or os.environ.get("RAPPORT_DB") or ""
    if not chosen:
        return f"sqlite:///{default_database_path()}"
    if "://" in chosen:
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


def shown_url(url: str) -> str:
    """A database URL fit to print or show: the password hidden (a file path stays as is),
    even when the URL is not one SQLAlchemy can read."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.query.get("uri") == "true":
            # A file opened read-only: its path, not SQLite's URI options.
            from forms.storage.sqlite import sqlite_path

            return f"sqlite:///{sqlite_path(url)} (read-only)"
        return parsed.render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(//[^/:@]*):[^@/]*@", r"\1:***@", url)
