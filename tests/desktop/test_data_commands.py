"""`rapport export|import|db|sync` as a manager uses them: files that open, clear refusals,
exit status 2 for bad input with the database unchanged."""

from __future__ import annotations

import csv
import os
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from forms.storage import Store
from tests.reports.conftest import pdf_text


def sqlite_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def dump(url: str) -> list[str]:
    """The whole database as SQL text: equal dumps, unchanged database."""
    connection = sqlite3.connect(sqlite_file(url))
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def count(url: str, table: str, where: str = "1=1") -> int:
    connection = sqlite3.connect(sqlite_file(url))
    try:
        return int(connection.execute(f"select count(*) from {table} where {where}").fetchone()[0])
    finally:
        connection.close()


FINALIZED = "status in ('final', 'accepted', 'rejected', 'void') and content_hash is not null"


@pytest.fixture
def office_url(tmp_path: Path) -> str:
    """The office computer's database, where the laptops' bundles are imported."""
    return f"sqlite:///{tmp_path / 'office.db'}"


def test_a_bundle_moves_the_work_once(
    sample_store: Store,
    db_url: str,
    office_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle = tmp_path / "june.zip"
    assert main(["export", "bundle", "-o", str(bundle), "--db", db_url]) == 0
    finalized = count(db_url, "submission", FINALIZED)
    assert f"{finalized} submissions (all finalized work)" in capsys.readouterr().out

    assert main(["import", "bundle", str(bundle), "--db", office_url]) == 0
    assert f"{finalized} submissions added" in capsys.readouterr().out
    assert count(office_url, "submission") == finalized
    before = dump(office_url)

    assert main(["import", "bundle", str(bundle), "--db", office_url]) == 0
    assert f"0 submissions added; 0 updated; {finalized} already there" in capsys.readouterr().out
    assert dump(office_url) == before

    again = tmp_path / "nothing-new.zip"
    assert main(["export", "bundle", "-o", str(again), "--db", db_url]) == 0
    assert "0 submissions (since" in capsys.readouterr().out


def test_a_changed_bundle_is_refused_with_status_2_and_changes_nothing(
    sample_store: Store,
    db_url: str,
    office_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle = tmp_path / "june.zip"
    assert main(["export", "bundle", "-o", str(bundle), "--db", db_url]) == 0
    Store.open(office_url).close()
    before = dump(office_url)
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("submissions.json")
    data[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0x55
    changed = tmp_path / "changed.zip"
    changed.write_bytes(bytes(data))
    capsys.readouterr()

    assert main(["import", "bundle", str(changed), "--db", office_url]) == 2

    error = capsys.readouterr().err
    assert str(changed) in error
    assert "Nothing was imported" in error
    assert dump(office_url) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"%PDF-1.7 a report", "not a Rapport bundle (it is not a zip file)", id="pdf"),
        pytest.param(None, "does not exist", id="missing"),
    ],
)
def test_what_is_not_a_bundle_is_refused(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / "bundle.zip"
    if content is not None:
        path.write_bytes(content)
    assert main(["import", "bundle", str(path), "--db", db_url]) == 2
    assert message in capsys.readouterr().err


def test_csv_export_needs_a_form_when_several_have_data(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "visits.csv"
    assert main(["export", "csv", "-o", str(out), "--db", db_url]) == 2
    assert "--form KEY" in capsys.readouterr().err
    assert not out.exists()

    key = sample_store.list_forms()[0].key
    assert main(["export", "csv", "--form", key, "-o", str(out), "--db", db_url]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = count(
        db_url,
        "submission s join formversion f on f.id = s.form_version_id",
        f"f.key = '{key}' and s.status in ('final', 'accepted', 'rejected')",
    )
    assert len(rows) == expected > 0
    assert {"submission_id", "location_name", "score", "empathy_index"} <= set(rows[0])


def test_xlsx_export_has_a_sheet_per_form_with_data(
    sample_store: Store, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "all.xlsx"
    assert main(["export", "xlsx", "-o", str(out), "--from", "2026-01-01", "--db", db_url]) == 0
    used = count(
        db_url,
        "(select distinct f.key from submission s join formversion f on f.id = s.form_version_id"
        " where s.status in ('final', 'accepted', 'rejected') and s.visit_at >= '2026-01-01')",
    )
    assert len(load_workbook(out, read_only=True).sheetnames) == used > 1


def test_export_with_the_wrong_file_name_or_dates_is_bad_input(
    store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "visits.xlsx"
    assert main(["export", "csv", "-o", str(out), "--db", db_url]) == 2
    assert "*.csv" in capsys.readouterr().err
    bundle = tmp_path / "b.zip"
    arguments = ["export", "bundle", "-o", str(bundle), "--from", "2026-05-01"]
    assert main([*arguments, "--to", "2026-04-01", "--db", db_url]) == 2
    assert "swap the two dates" in capsys.readouterr().err
    assert main(["export", "bundle", "-o", str(tmp_path / "no" / "b.zip"), "--db", db_url]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.glob("*.zip")) == []


def test_locations_csv_is_imported_or_refused_whole(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "sites.csv"
    good.write_text(
        "location_code,location_name,city,agent_code,agent_name\n"
        "HPO,Harbor Point Offices,Baltimore,A-1,Maria Alvarez\n"
        "HPO,,,A-2,James Okafor\n",
        encoding="utf-8-sig",
    )
    assert main(["import", "locations", str(good), "--db", db_url]) == 0
    assert "locations 1 added" in capsys.readouterr().out
    before = dump(db_url)

    bad = tmp_path / "more.csv"
    bad.write_text(
        "location_code,location_name\nGVM,Greenview Mall\n,No code\nGVM,Green View\n",
        encoding="utf-8",
    )
    assert main(["import", "locations", str(bad), "--db", db_url]) == 2
    error = capsys.readouterr().err
    assert "line 3: location_code is empty" in error
    assert "line 4: location code GVM is named 'Green View' here but 'Greenview Mall'" in error
    assert dump(db_url) == before


def test_import_locations_help_documents_the_columns(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "locations", "--help"])
    shown = capsys.readouterr().out
    for column in ("location_code", "location_name", "city", "agent_code", "agent_name"):
        assert column in shown
    assert "CSV UTF-8" in shown


def test_backup_copies_a_database_that_opens(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "backup.db"
    assert main(["db", "backup", str(copy), "--db", db_url]) == 0
    restored = f"sqlite:///{copy}"
    assert count(restored, "submission") == count(db_url, "submission") > 0
    assert main(["db", "check", "--db", restored]) == 0

    assert main(["db", "backup", str(sqlite_file(db_url)), "--db", db_url]) == 2
    assert "onto itself" in capsys.readouterr().err


def test_check_reports_integrity_and_schema(
    store: Store, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "check", "--db", db_url]) == 0
    shown = capsys.readouterr().out
    assert "Integrity: ok" in shown
    revision = (
        sqlite3.connect(sqlite_file(db_url))
        .execute("select version_num from alembic_version")
        .fetchone()[0]
    )
    assert f"Schema: {revision}" in shown


def test_check_exits_1_when_the_database_has_problems(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.open(db_url).close()
    connection = sqlite3.connect(sqlite_file(db_url))
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute(
        "insert into agent (code, name, location_id, active) values ('X', 'X', 99, 1)"
    )
    connection.commit()
    connection.close()

    assert main(["db", "check", "--full", "--db", db_url]) == 1
    shown = capsys.readouterr().out
    assert "PROBLEMS FOUND" in shown
    assert "agent row" in shown


def test_sync_with_a_new_team_database(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = tmp_path / "team.db"
    assert main(["sync", "--server", str(server), "--db", db_url]) == 2
    assert "there is no Rapport database" in capsys.readouterr().err

    assert main(["sync", "--init", "--server", str(server), "--db", db_url]) == 0
    server_url = f"sqlite:///{server}"
    assert count(server_url, "submission") == count(db_url, "submission", FINALIZED)
    before = dump(server_url)
    capsys.readouterr()

    assert main(["sync", "--server", str(server), "--db", db_url]) == 0
    assert "pushed: 0 submissions added; 0 updated; 0 already there" in capsys.readouterr().out
    assert dump(server_url) == before


def test_sync_with_a_bad_server_url_is_bad_input(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--server", "postgres+nodriver://host/rapport", "--db", db_url]) == 2
    assert "postgresql+psycopg://" in capsys.readouterr().err


def test_a_password_in_a_database_url_is_never_printed(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server = "postgres+nodriver://rapport:s3cret-pass@host/rapport"
    assert main(["sync", "--server", server, "--db", db_url]) == 2
    said = capsys.readouterr()
    assert "s3cret-pass" not in said.out + said.err
    assert "rapport:***@host" in said.err


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (["export", "bundle", "-o", "{db}"], "would destroy it"),
        (["export", "xlsx", "-o", "{db}"], "name the output file *.xlsx"),
        (["report", "location", "HPO", "-o", "{db}"], "would destroy it"),
        (["report", "location", "HPO", "--html", "{db}"], "would destroy it"),
        (["report", "location", "HPO", "-o", "{db}-wal"], "would destroy it"),
        (["export", "bundle", "-o", "{db}-shm"], "would destroy it"),
    ],
    ids=["bundle", "xlsx", "pdf", "html", "pdf over -wal", "bundle over -shm"],
)
def test_no_command_writes_over_the_open_database(
    sample_store: Store,
    db_url: str,
    command: list[str],
    says: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = sqlite_file(db_url)
    sample_store.close()
    before = database.read_bytes()
    argv = [part.format(db=database) for part in command]
    assert main([*argv, "--db", db_url]) == 2
    assert says in capsys.readouterr().err
    assert database.read_bytes() == before
    assert count(db_url, "submission") > 900


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "command",
    [
        ["import", "bundle", "{file}"],
        ["import", "locations", "{file}"],
        ["forms", "validate", "{file}.yaml"],
        ["score", "{file}.yaml", "{file}"],
    ],
    ids=["bundle", "locations", "form", "answers"],
)
def test_a_pipe_or_a_folder_is_refused_at_once(
    db_url: str, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    pipe = tmp_path / "incoming"
    os.mkfifo(pipe)
    os.mkfifo(tmp_path / "incoming.yaml")
    argv = [part.format(file=pipe) for part in command]
    assert main([*argv, "--db", db_url]) == 2  # a reader would wait for ever
    assert "not an ordinary file" in capsys.readouterr().err

    folder = tmp_path / "answers"
    folder.mkdir()
    (tmp_path / "answers.yaml").mkdir()
    argv = [part.format(file=folder) for part in command]
    assert main([*argv, "--db", db_url]) == 2
    assert "is a folder" in capsys.readouterr().err


AFTER_THE_BACKUP = "review_note = 'written after the backup'"


def crash_image_with_a_log(source: Path, image: Path) -> None:
    """`image` (and its -wal) as a laptop left it when it lost power mid-session: the last
    changes are still in the write-ahead log, not yet in the file."""
    writer = sqlite3.connect(source)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE submission SET review_note = 'written after the backup'")
    writer.commit()
    image.write_bytes(source.read_bytes())
    image.with_name(image.name + "-wal").write_bytes(
        source.with_name(source.name + "-wal").read_bytes()
    )
    writer.close()


def test_restore_puts_the_backup_back_and_never_replays_an_old_log(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = sqlite_file(db_url)
    backup = tmp_path / "monday.db"
    assert main(["db", "backup", str(backup), "--db", db_url]) == 0
    sample_store.close()
    laptop = tmp_path / "laptop" / "rapport.db"
    laptop.parent.mkdir()
    crash_image_with_a_log(database, laptop)
    laptop_url = f"sqlite:///{laptop}"
    assert count(laptop_url, "submission", AFTER_THE_BACKUP) > 900
    capsys.readouterr()

    assert main(["db", "restore", str(backup), "--db", laptop_url]) == 0
    said = capsys.readouterr().out
    assert "Restored" in said
    assert dump(laptop_url) == dump(f"sqlite:///{backup}")
    kept = next(laptop.parent.glob("rapport.before-restore-*.db"))
    assert str(kept) in said
    assert (
        count(f"sqlite:///{kept}", "submission", "review_note = 'written after the backup'") > 900
    )
    assert main(["db", "check", "--db", laptop_url]) == 0


def test_restore_refuses_a_file_that_is_not_a_rapport_backup(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "holiday.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0JFIF" + bytes(300))
    assert main(["db", "restore", str(photo), "--db", db_url]) == 2
    assert "holiday.jpg" in capsys.readouterr().err
    assert not sqlite_file(db_url).exists()


def test_a_database_that_cannot_be_made_is_named_and_nothing_is_left_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        for where, says in (
            (a_file / "rapport.db", "Not a directory"),
            (tmp_path / ("x" * 300) / "rapport.db", "cannot"),
            *(
                []
                if os.geteuid() == 0  # root may write anywhere
                else [(locked / "rapport.db", "cannot create a database at")]
            ),
        ):
            assert main(["demo", "--db", str(where)]) == 2, where
            assert says in capsys.readouterr().err
        assert list(locked.iterdir()) == []
        assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "locked", "notes.txt"]
    finally:
        locked.chmod(0o700)


def test_an_output_that_is_a_folder_or_a_date_out_of_range_is_bad_input(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    assert main(["report", "location", "HPO", "-o", str(folder), "--db", db_url]) == 2
    assert "is a folder" in capsys.readouterr().err
    out = tmp_path / "x.pdf"
    command = ["report", "location", "HPO", "--from", "0001-01-01", "-o", str(out)]
    assert main([*command, "--db", db_url]) == 2
    assert "outside the dates Rapport reports on" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["db", "check"],
        ["report", "location", "HPO", "-o", "{tmp}/x.pdf"],
        ["export", "bundle", "-o", "{tmp}/x.zip"],
        ["forms", "list"],
        ["score", "mystery_shop_empathy", "{tmp}/answers.json"],
        ["import", "locations", "{tmp}/missing.csv"],
    ],
    ids=["db check", "report", "export", "forms list", "score", "import a missing CSV"],
)
def test_a_typo_in_db_never_creates_a_database(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "answers.json").write_text("{}", encoding="utf-8")
    typo = tmp_path / "offce" / "rapport.db"
    argv = [part.format(tmp=tmp_path) for part in command]
    assert main([*argv, "--db", str(typo)]) == 2
    said = capsys.readouterr().err
    assert "there is no Rapport database" in said or "does not exist" in said
    assert not typo.parent.exists()


def test_a_command_that_makes_a_database_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("location_code,location_name\nHPO,Harbor Point Offices\n", encoding="utf-8")
    new = tmp_path / "office.db"
    assert main(["import", "locations", str(sites), "--db", str(new)]) == 0
    assert f"created a new Rapport database at {new}" in capsys.readouterr().err
    assert main(["import", "locations", str(sites), "--db", str(new)]) == 0
    assert "created a new" not in capsys.readouterr().err


def fingerprint(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture
def read_only_disk(
    sample_company_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The sample company on a disk nobody may write to (a CD, a locked USB stick, a share
    opened read-only). The tests run as any user, root included, so the disk's refusal is
    what the operating system's access check answers for that folder."""
    disk = tmp_path / "stick"
    disk.mkdir()
    path = disk / "rapport.db"
    path.write_bytes(sample_company_file.read_bytes())
    real_access = os.access

    def access(target: Any, mode: int, **options: Any) -> bool:
        if mode & os.W_OK and Path(target).resolve().is_relative_to(disk):
            return False
        return real_access(target, mode, **options)

    monkeypatch.setattr(os, "access", access)
    return path


def test_a_database_on_a_read_only_disk_is_read_reported_and_backed_up(
    read_only_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(read_only_disk.parent)
    db = ["--db", str(read_only_disk)]
    assert main(["db", "check", *db]) == 0
    pdf = tmp_path / "hpo.pdf"
    assert main(["report", "location", "HPO", *db, "-o", str(pdf)]) == 0
    assert "Harbor Point Offices" in pdf_text(pdf)
    copy = tmp_path / "copy.db"
    assert main(["db", "backup", str(copy), *db]) == 0
    assert count(f"sqlite:///{copy}", "submission") == 983
    capsys.readouterr()
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text("location_code,location_name\nNEW,New site\n", encoding="utf-8")
    assert main(["import", "locations", str(csv_file), *db]) == 2
    said = capsys.readouterr().err
    assert "read-only" in said
    assert "copy it to a folder you may write in" in said
    # Not a byte changed, and no -wal or -shm file was made beside it.
    assert fingerprint(read_only_disk.parent) == before


def test_a_read_only_uri_reads_the_file_and_makes_no_folder(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_file(db_url)
    sample_store.close()
    uri = f"sqlite:///file:{path}?mode=ro&uri=true"
    before = fingerprint(path.parent)
    assert main(["db", "check", "--db", uri]) == 0
    assert main(["forms", "import", str(tmp_path / "none.yaml"), "--db", uri]) == 2
    capsys.readouterr()
    assert main(["demo", "--db", uri]) == 2
    assert "opened read-only" in capsys.readouterr().err
    assert fingerprint(path.parent) == before
    assert not (Path.cwd() / "file:").exists()


def test_a_schema_revision_rewritten_to_an_older_one_is_refused_untouched(
    sample_store: Store, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_file(db_url)
    sample_store.close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0002'")
    raw.close()
    before = fingerprint(path.parent)
    assert main(["db", "check", "--db", db_url]) == 2
    said = capsys.readouterr().err
    assert "records schema revision 0002, but its tables and indexes are not those" in said
    assert "restore it from a backup" in said
    # Not migrated halfway, no backup of it made, no -wal or -shm left beside it.
    assert fingerprint(path.parent) == before


def test_a_stored_score_no_form_can_produce_is_named_not_an_unexpected_error(
    sample_store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_file(db_url)
    sample_store.close()
    with sqlite3.connect(path) as raw:
        (visit,) = raw.execute(
            "SELECT s.id FROM submission s JOIN location l ON l.id = s.location_id "
            "WHERE l.code = 'HPO' AND s.score IS NOT NULL AND s.respondent_kind = 'shopper' "
            "ORDER BY s.visit_at DESC LIMIT 1"
        ).fetchone()
        raw.execute("UPDATE submission SET score = 1e300 WHERE id = ?", (visit,))
    raw.close()
    pdf = tmp_path / "hpo.pdf"
    # The sample's last year, not the default 90 days up to today (after the sample ends).
    sample_year = ["--from", "2025-07-01", "--to", "2026-06-30"]
    assert main(["report", "location", "HPO", *sample_year, "--db", db_url, "-o", str(pdf)]) == 2
    said = capsys.readouterr().err
    assert "which no form can produce" in said
    assert "rapport db check" in said
    assert not pdf.exists()
    assert main(["db", "check", "--db", db_url]) == 1
    assert f"submission {visit} has a score of 1e+300, outside 0 to 100" in capsys.readouterr().out


def test_a_read_only_uri_is_never_taken_for_a_new_database(
    sample_store: Store, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_file(db_url)
    sample_store.close()
    capsys.readouterr()
    assert main(["demo", "--db", f"sqlite:///file:{path}?mode=ro&uri=true"]) == 2
    assert "created a new Rapport database" not in capsys.readouterr().err
    assert path.exists()
