"""Unexpected errors go to a log file in the user's data folder, never as a traceback on screen."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from forms.storage.urls import data_folder

_logger = logging.getLogger("rapport")


def log_file_path() -> Path:
    """The file unexpected errors are written to."""
    return data_folder() / "rapport.log"


def _ensure_handler() -> None:
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in _logger.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        log_file_path(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)


def log_unexpected(context: str) -> None:
    """Write the exception being handled, with its traceback, to the log file."""
    _ensure_handler()
    _logger.exception("unexpected error in %s", context)
