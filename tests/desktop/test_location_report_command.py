"""`rapport report location` as a site manager runs it: the last 90 days by default, and the
customers' e-mail addresses only when asked for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.cli import main
from forms.storage import Store
from tests.reports.conftest import copy_of_visit
from tests.reports.expected import query


def day_text(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def words(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def test_without_dates_the_report_covers_the_90_days_up_to_today_against_the_90_before(
    sample_store: Store, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "hpo.pdf"
    assert main(["report", "location", "HPO", "--db", db_url, "-o", str(out)]) == 0
    today = date.today()
    text = words(out)
    start, before = today - timedelta(days=89), today - timedelta(days=90)
    assert f"Period: {day_text(start)} – {day_text(today)}" in text
    assert f"Compared with: {day_text(before - timedelta(days=89))} – {day_text(before)}" in text


def test_with_contacts_prints_the_email_of_customers_to_call_back(
    sample_store: Store, db_url: str, tmp_path: Path
) -> None:
    db = tmp_path / "rapport.db"
    (source,) = query(
        db,
        "SELECT s.id FROM submission s JOIN location l ON l.id = s.location_id "
        "WHERE s.respondent_kind = 'customer' AND l.code = 'HPO' LIMIT 1",
    )[0]
    copy_of_visit(
        sample_store,
        source,
        visit_at=datetime(2026, 6, 30, 9, 0, tzinfo=UTC),
        changes={"nps": "1", "contact_consent": "yes", "contact_email": "sam@example.com"},
    )
    dates = ["--from", "2026-06-01", "--to", "2026-06-30"]
    handed_out, own = tmp_path / "client.pdf", tmp_path / "own.pdf"
    assert main(["report", "location", "HPO", *dates, "--db", db_url, "-o", str(handed_out)]) == 0
    command = ["report", "location", "HPO", *dates, "--with-contacts", "--db", db_url]
    assert main([*command, "-o", str(own)]) == 0
    assert "sam@example.com" not in words(handed_out)
    assert "e-mail on file in Rapport" in words(handed_out)
    assert "sam@example.com" in words(own)


def test_with_contacts_is_refused_for_reports_without_a_callback_list(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.pdf"
    with pytest.raises(SystemExit) as stopped:
        main(["report", "portfolio", "--with-contacts", "--db", db_url, "-o", str(out)])
    assert stopped.value.code == 2
    assert "--with-contacts" in capsys.readouterr().err
    assert not out.exists()
