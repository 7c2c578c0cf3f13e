"""`rapport report` without dates: every report with a period covers the same 90 days up to
today, so a manager reads the same figure in the coaching card, the location report and
the portfolio; the visit report has no period and refuses dates in words."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from forms.period import current_day
from forms.storage import Store


def day_text(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def recent_days() -> str:
    today = current_day()
    return f"{day_text(today - timedelta(days=89))} – {day_text(today)}"


@pytest.mark.parametrize(
    "subject", [["location", "HPO"], ["agent", "Daniel Brooks"], ["portfolio"]]
)
def test_every_report_with_a_period_covers_the_last_90_days_by_default(
    sample_store: Store, db_url: str, tmp_path: Path, subject: list[str]
) -> None:
    out = tmp_path / "report.html"
    assert main(["report", *subject, "--db", db_url, "--html", str(out)]) == 0
    assert recent_days() in out.read_text(encoding="utf-8")


def test_report_all_covers_the_last_90_days_by_default(
    sample_store: Store, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reports.batch

    asked: dict[str, Any] = {}

    def run_batch(database_url: str, jobs: list[Any], **options: Any) -> list[Any]:
        asked.update(options)
        return []

    monkeypatch.setattr(reports.batch, "run_batch", run_batch)
    assert main(["report", "all", "--db", db_url, "--out-dir", str(tmp_path / "out")]) == 0
    today = current_day()
    assert asked["period"].start == today - timedelta(days=89)
    assert asked["period"].end == today


def test_the_visit_report_refuses_dates_it_would_not_use(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "visit.pdf"
    command = ["report", "visit", "00000000", "--from", "2026-01-01", "--db", db_url]
    assert main([*command, "-o", str(out)]) == 2
    error = capsys.readouterr().err
    assert "has no period" in error
    assert "--from" in error
    assert not out.exists()
