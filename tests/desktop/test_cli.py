"""The `rapport` command line as a manager uses it: demo data, reports, clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from desktop.cli import main
from forms.storage import Store


def submission_count(db_url: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        count = connection.execute(text("select count(*) from submission")).scalar_one()
    engine.dispose()
    return int(count)


def test_demo_twice_adds_nothing_the_second_time(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", db_url]) == 0
    first = submission_count(db_url)
    assert first > 8 * 12 * 2  # at least two visits a month at each of the 8 sites
    assert main(["demo", "--db", db_url]) == 0
    assert submission_count(db_url) == first
    assert f"0 submissions added, {first} already there" in capsys.readouterr().out


def test_location_report_pdf_shows_name_visits_and_average(
    sample_store: Store, db_url: str, tmp_path: Path
) -> None:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        visits, average = connection.execute(
            text(
                "select count(*), avg(s.score) from submission s join location l "
                "on l.id = s.location_id where l.name = 'Harbor Point Offices' "
                "and s.respondent_kind = 'shopper' and s.status in ('final', 'accepted')"
            )
        ).one()
    engine.dispose()
    out = tmp_path / "harbor.pdf"
    # Every visit: the sample's twelve months, not the default 90 days up to today.
    every_day = ["--from", "2000-01-01", "--to", "2026-06-30"]
    command = ["report", "location", "Harbor Point Offices", *every_day, "--db", db_url]
    assert main([*command, "-o", str(out)]) == 0
    words = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Harbor Point Offices" in words
    assert str(visits) in words
    assert f"{average:.1f}" in words


def test_unknown_location_names_the_closest_and_writes_nothing(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["report", "location", "Harbor Pt Offices", "--db", db_url, "-o", str(out)]) == 2
    assert "Harbor Point Offices" in capsys.readouterr().err
    assert not out.exists()
    assert list(tmp_path.glob(".x.*")) == []


def test_bad_date_is_bad_input(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    code = main(
        ["report", "location", "HPO", "--from", "31/01/2026", "--db", db_url, "-o", str(out)]
    )
    assert code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert not out.exists()


def test_database_that_is_not_rapport_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "holiday.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"JFIF" + bytes(200))
    before = photo.read_bytes()
    assert main(["demo", "--db", str(photo)]) == 2
    assert "holiday.jpg" in capsys.readouterr().err
    assert photo.read_bytes() == before


def test_app_without_display_says_so_and_names_headless_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 2
    message = capsys.readouterr().err
    assert "no display" in message
    assert "rapport demo" in message


@pytest.mark.parametrize("before_command", [True, False])
def test_db_option_works_before_or_after_the_command(
    tmp_path: Path, before_command: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "chosen.db"
    argv = ["--db", str(target), "demo"] if before_command else ["demo", "--db", str(target)]
    assert main(argv) == 0
    assert str(target) in capsys.readouterr().out
    assert submission_count(f"sqlite:///{target}") > 0


def test_rapport_db_environment_variable_chooses_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("RAPPORT_DB", str(target))
    assert main(["demo"]) == 0
    assert str(target) in capsys.readouterr().out


def test_report_file_is_readable_like_any_new_file(
    sample_store: Store, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "harbor.pdf"
    assert main(["report", "location", "HPO", "--db", db_url, "-o", str(out)]) == 0
    current_umask = os.umask(0)
    os.umask(current_umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~current_umask
    assert "Brightwell Facility Services" in PdfReader(out).pages[0].extract_text()


def test_a_report_past_its_time_limit_is_an_unexpected_failure_not_bad_input(
    sample_store: Store,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The request was fine (the same one succeeds on a less busy computer): exit 1, with
    what took too long and what to try, and no file."""
    import reports.pdf_process

    monkeypatch.setattr(reports.pdf_process, "REPORT_TIME_LIMIT", 0.001)
    out = tmp_path / "harbor.pdf"
    assert main(["report", "location", "HPO", "--db", db_url, "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert "writing the location report of HPO took more than 0 seconds" in error
    assert "Try a shorter period" in error
    assert not out.exists()


def test_each_report_run_says_its_paper_and_the_pdf_is_laid_out_on_it(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter, a4 = tmp_path / "letter.pdf", tmp_path / "a4.pdf"
    assert main(["report", "location", "HPO", "--db", db_url, "-o", str(letter)]) == 0
    assert "Letter paper, locale en_US)" in capsys.readouterr().out
    command = ["report", "location", "HPO", "--db", db_url, "--locale", "fr_FR", "-o", str(a4)]
    assert main(command) == 0
    assert "A4 paper, locale fr_FR)" in capsys.readouterr().out
    sizes = [
        tuple(round(float(side)) for side in PdfReader(pdf).pages[0].mediabox[2:])
        for pdf in (letter, a4)
    ]
    assert sizes == [(612, 792), (595, 842)]
