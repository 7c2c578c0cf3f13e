"""The layers point one way: desktop -> reports -> forms, and only desktop/ imports Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_forms_and_reports_import_without_qt() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "sys.modules['PySide6'] = None\n"
        "import forms, reports\n"
        "for pkg in (forms, reports):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "loaded = [m for m in ('weasyprint', 'openpyxl', 'pygal') if m in sys.modules]\n"
        "assert not loaded, f'imported at start-up: {loaded}'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_only_forms_opens_a_writing_session() -> None:
    """forms/ owns every write: the read model and the app read through Store.reading()."""
    writers = sorted(
        str(path.relative_to(ROOT))
        for package in ("reports", "desktop")
        for path in (ROOT / package).rglob("*.py")
        if ".writing()" in path.read_text("utf-8")
    )
    assert writers == []


def test_the_app_and_the_reports_never_reach_past_the_store() -> None:
    """No engine or writing session outside forms/: the read model reads through
    Store.reading(), every write is a forms/ service."""
    reached = sorted(
        str(path.relative_to(ROOT))
        for package in ("reports", "desktop")
        for path in (ROOT / package).rglob("*.py")
        if ".engine" in path.read_text("utf-8")
    )
    assert reached == []
