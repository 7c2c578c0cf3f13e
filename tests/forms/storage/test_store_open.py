"""Opening a database: new, older, newer, damaged or foreign files; backups; health checks."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from forms.storage import Store, StoreError
from forms.storage.migrations import newest_revision, upgrade
from forms.storage.sqlite import create_store_engine, writer
from forms.storage.tables import metadata
from tests.forms.storage.sample_forms import visit_form

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(600)


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def make_rapport_file(path: Path) -> str:
    """A Rapport database holding one draft with one answer; returns the submission id."""
    with Store.open(url_of(path)) as store:
        submission_id = store.start_submission(store.add_form(visit_form()))
        store.save_answer(submission_id, "notes", "kept")
    return submission_id


def test_a_new_file_is_created_at_the_newest_schema_with_safe_settings(db_path: Path) -> None:
    with Store.open(url_of(db_path)) as store:
        health = store.check(full=True)
        with store.engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }

    assert health.ok
    assert health.revision == newest_revision()
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10000,
    }
    assert [p.name for p in db_path.parent.iterdir() if p.name.endswith(".new")] == []


def test_open_without_create_does_not_make_a_file(db_path: Path) -> None:
    with pytest.raises(StoreError, match="no Rapport database at"):
        Store.open(url_of(db_path), create=False)

    assert not db_path.exists()


def test_an_existing_file_opens_with_its_data(db_path: Path) -> None:
    submission_id = make_rapport_file(db_path)

    with Store.open(url_of(db_path), create=False) as store:
        assert store.draft(submission_id).answers == {"notes": "kept"}


def test_a_file_from_a_newer_rapport_is_refused_and_left_unchanged(db_path: Path) -> None:
    make_rapport_file(db_path)
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0999'")
    raw.close()
    before = db_path.read_bytes()

    with pytest.raises(StoreError, match=r"newer Rapport .* update Rapport") as refused:
        Store.open(url_of(db_path))

    assert str(db_path) in str(refused.value)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*.backup-*"))


def test_an_older_file_is_backed_up_then_upgraded(db_path: Path) -> None:
    engine = create_store_engine(url_of(db_path), foreign_keys=False, single_use=True)
    with writer(engine).connect() as connection, connection.begin():
        upgrade(connection, "0001")
        connection.execute(
            text("INSERT INTO location (code, name, city, active) VALUES ('L1', 'Lobby', '', 1)")
        )
    engine.dispose()

    with Store.open(url_of(db_path)) as store:
        health = store.check()
        assert store.upsert_location("L1", "Lobby") == 1

    assert health.ok
    assert health.counts["location"] == 1
    backups = list(db_path.parent.glob("rapport.backup-0001-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert copy.execute("SELECT name FROM location").fetchall() == [("Lobby",)]
    copy.close()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(JPEG, "not a SQLite file", id="jpeg"),
        pytest.param(b"Visit notes\nGreeted: yes\n", "not a SQLite file", id="text"),
        pytest.param(b"", "empty file", id="empty-file"),
    ],
)
def test_a_file_that_is_not_a_database_is_reported_and_unchanged(
    db_path: Path, content: bytes, expected: str
) -> None:
    db_path.write_bytes(content)

    with pytest.raises(StoreError, match=expected) as refused:
        Store.open(url_of(db_path))

    assert str(db_path) in str(refused.value)
    assert db_path.read_bytes() == content


@pytest.mark.parametrize(
    "statements",
    [
        pytest.param(["PRAGMA user_version = 3"], id="no-tables"),
        pytest.param(
            ["CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('x')"], id="other"
        ),
    ],
)
def test_a_sqlite_database_of_another_program_is_reported_and_unchanged(
    db_path: Path, statements: list[str]
) -> None:
    with sqlite3.connect(db_path) as raw:
        for statement in statements:
            raw.execute(statement)
    raw.close()
    before = db_path.read_bytes()

    with pytest.raises(StoreError, match="not a Rapport one") as refused:
        Store.open(url_of(db_path))

    assert str(db_path) in str(refused.value)
    assert db_path.read_bytes() == before


def test_a_damaged_database_is_reported_and_unchanged(db_path: Path) -> None:
    make_rapport_file(db_path)
    damaged = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(damaged[16:18], "big")
    # Scribble over the second and third pages (table b-trees), keeping the header intact.
    damaged[page_size : 3 * page_size] = bytes([0xA5]) * (2 * page_size)
    db_path.write_bytes(bytes(damaged))

    with pytest.raises(StoreError) as refused:
        Store.open(url_of(db_path))

    assert str(db_path) in str(refused.value)
    assert "damaged" in str(refused.value) or "cannot be read" in str(refused.value)
    assert db_path.read_bytes() == bytes(damaged)


def test_a_backup_opens_with_the_same_data(db_path: Path, tmp_path: Path) -> None:
    submission_id = make_rapport_file(db_path)
    target = tmp_path / "copies" / "monday.db"

    with Store.open(url_of(db_path)) as store:
        store.save_answer(submission_id, "greeted", "yes")
        store.backup(target)
        with pytest.raises(StoreError, match="onto itself"):
            store.backup(db_path)

    with Store.open(url_of(target), create=False) as copy:
        assert copy.draft(submission_id).answers == {"notes": "kept", "greeted": "yes"}
        assert copy.check(full=True).ok


def test_check_counts_the_rows_of_every_table(store: Store) -> None:
    store.upsert_location("L1", "Lobby")
    store.upsert_location("L2", "Canteen")

    health = store.check()

    assert health.ok
    assert health.problems == ()
    assert health.counts["location"] == 2
    assert set(health.counts) == set(metadata.tables)


def test_the_migrations_build_exactly_the_tables(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)

    assert differences == []


def test_every_backend_refuses_a_newer_schema_and_upgrades_an_older_one(store_url: str) -> None:
    engine = create_store_engine(store_url, foreign_keys=False, single_use=True)
    with writer(engine).connect() as connection, connection.begin():
        upgrade(connection, "0001")

    with Store.open(store_url) as store:
        assert store.check().revision == newest_revision()
    with writer(engine).connect() as connection, connection.begin():
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))

    with pytest.raises(StoreError, match="newer Rapport"):
        Store.open(store_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            ("0999",)
        ]
    engine.dispose()


def test_files_left_by_a_killed_creation_are_cleaned_up(db_path: Path) -> None:
    stale = db_path.with_name(f".{db_path.name}.4242-0badc0de.new")
    stale.write_bytes(b"half made")
    os.utime(stale, (1_000_000_000, 1_000_000_000))
    recent = db_path.with_name(f".{db_path.name}.4343-0badc0de.new")
    recent.write_bytes(b"another Rapport is creating it right now")

    Store.open(url_of(db_path)).close()

    assert not stale.exists()
    assert recent.exists()


def test_a_relative_path_is_remembered_as_an_absolute_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with Store.open("sqlite:///visits.db") as store:
        monkeypatch.chdir("/")
        store.backup(tmp_path / "copy.db")
        assert store.url == f"sqlite:///{(tmp_path / 'visits.db').resolve()}"

    assert (tmp_path / "copy.db").exists()


def test_the_quick_revision_reading_agrees_with_alembic() -> None:
    # Opening an up-to-date database reads the revisions without Alembic; both must agree.
    from forms.storage.migrations import revision_chain, script_directory

    scripts = script_directory()
    assert newest_revision() == scripts.get_current_head()
    assert revision_chain() == {s.revision: s.down_revision for s in scripts.walk_revisions()}


def test_surveys_an_older_version_stored_undated_count_from_when_they_were_sent(
    tmp_path: Path, sample_company_file: Path
) -> None:
    from reports.queries.submissions import SubmissionFilter, count_submissions
    from tests.conftest import copy_of_sample_company

    path = copy_of_sample_company(sample_company_file, tmp_path / "old.db")
    wanted = SubmissionFilter(respondent_kind="customer", start=date(2026, 4, 1))
    with Store.open(url_of(path)) as store:
        surveys = count_submissions(store, wanted)
    assert surveys > 0
    # What revision 0004 stored for a kiosk survey: no visit time.
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE submission SET visit_at = NULL WHERE respondent_kind = 'customer'")
        raw.execute("UPDATE alembic_version SET version_num = '0004'")
    raw.close()
    with Store.open(url_of(path)) as store:
        assert count_submissions(store, wanted) == surveys
    with sqlite3.connect(path) as raw:
        undated = raw.execute(
            "SELECT count(*) FROM submission WHERE visit_at IS NULL AND finished_at IS NOT NULL"
        ).fetchone()
    raw.close()
    assert undated == (0,)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _tuesdays_log(
    tmp_path: Path, sample_company_file: Path, *copies: str, monday_in_the_file: bool
) -> tuple[Path, list[Path]]:
    """The sample company changed on Monday (every answer's comment: written into the file
    when `monday_in_the_file`, else still in the log) and on Tuesday (every visit's review
    note, in the log); then the power is cut, and each of `copies` is a folder holding
    rapport.db and its -wal as the laptop left them. Returns the live file (its log written
    into it since) and the copies."""
    live = tmp_path / "live.db"
    live.write_bytes(sample_company_file.read_bytes())
    connection = sqlite3.connect(live)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("UPDATE answer SET comment = 'listened, then explained it'")
    connection.commit()
    if monday_in_the_file:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("UPDATE submission SET review_note = 'written on Tuesday'")
    connection.commit()
    images = []
    for name in copies:
        image = tmp_path / name / "rapport.db"
        image.parent.mkdir()
        image.write_bytes(live.read_bytes())
        image.with_name("rapport.db-wal").write_bytes(live.with_name("live.db-wal").read_bytes())
        images.append(image)
    connection.close()
    return live, images


def _tuesday_notes(image: Path) -> int:
    with Store.open(url_of(image)) as store, store.reading() as session:
        assert store.check().ok
        return int(
            session.execute(
                text("SELECT count(*) FROM submission WHERE review_note = 'written on Tuesday'")
            ).scalar_one()
        )


def test_a_backup_copied_over_the_database_beside_its_old_log_is_refused_untouched(
    tmp_path: Path, sample_company_file: Path
) -> None:
    _, (laptop, crashed) = _tuesdays_log(
        tmp_path, sample_company_file, "laptop", "crashed", monday_in_the_file=True
    )
    # The shopper copies the office's Sunday backup over rapport.db; Tuesday's log stays.
    laptop.write_bytes(sample_company_file.read_bytes())
    before = _files(laptop.parent)
    with pytest.raises(StoreError, match="was not written on this file") as refused:
        Store.open(url_of(laptop))
    assert "rapport db restore" in str(refused.value)
    assert _files(laptop.parent) == before
    # The same log beside the file it was written on is a crash to recover from.
    assert _tuesday_notes(crashed) == 983


def test_an_old_log_beside_a_newer_copy_that_would_lose_visits_is_refused(
    tmp_path: Path, sample_company_file: Path
) -> None:
    live, (old,) = _tuesdays_log(tmp_path, sample_company_file, "old", monday_in_the_file=False)
    # Later that week more visits are added to the file the log was written into.
    connection = sqlite3.connect(live)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(submission)")]
    copied = ", ".join("upper(id)" if name == "id" else name for name in columns)
    connection.execute(
        f"INSERT INTO submission ({', '.join(columns)}) SELECT {copied} FROM submission"
    )
    connection.commit()
    connection.close()
    newer = tmp_path / "newer" / "rapport.db"
    newer.parent.mkdir()
    newer.write_bytes(live.read_bytes())
    newer.with_name("rapport.db-wal").write_bytes(old.with_name("rapport.db-wal").read_bytes())
    before = _files(newer.parent)
    # Replayed, Tuesday's pages would land on a file that has moved on since.
    with pytest.raises(StoreError, match="was not written on this file"):
        Store.open(url_of(newer))
    assert _files(newer.parent) == before


def test_the_command_line_refuses_a_foreign_log_too(
    tmp_path: Path, sample_company_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.cli import main

    _, (laptop,) = _tuesdays_log(tmp_path, sample_company_file, "laptop", monday_in_the_file=True)
    laptop.write_bytes(sample_company_file.read_bytes())
    before = _files(laptop.parent)
    out = tmp_path / "portfolio.pdf"
    assert main(["report", "portfolio", "--db", str(laptop), "-o", str(out)]) == 2
    assert "was not written on this file" in capsys.readouterr().err
    assert _files(laptop.parent) == before


def _checkpoint_halfway(database: Path) -> None:
    """What a power cut halfway through a checkpoint leaves: the first half of the log's
    pages (in page order, as SQLite writes them) copied into the file, the log intact."""
    wal = database.with_name(database.name + "-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big")
    newest: dict[int, bytes] = {}
    offset = 32
    while offset + 24 + page_size <= len(wal):
        page = int.from_bytes(wal[offset : offset + 4], "big")
        newest[page] = wal[offset + 24 : offset + 24 + page_size]
        offset += 24 + page_size
    pages = sorted(newest)
    with database.open("r+b") as handle:
        for page in pages[: len(pages) // 2]:
            handle.seek((page - 1) * page_size)
            handle.write(newest[page])


def test_a_crash_during_a_checkpoint_is_recovered_not_refused(
    tmp_path: Path, sample_company_file: Path
) -> None:
    _, (laptop,) = _tuesdays_log(tmp_path, sample_company_file, "laptop", monday_in_the_file=False)
    _checkpoint_halfway(laptop)
    assert _tuesday_notes(laptop) == 983


def test_sites_of_an_older_file_get_no_time_zone_and_can_be_given_one(db_path: Path) -> None:
    engine = create_store_engine(url_of(db_path), foreign_keys=False, single_use=True)
    with writer(engine).connect() as connection, connection.begin():
        upgrade(connection, "0006")
        connection.execute(
            text(
                "INSERT INTO location (code, name, city, active) "
                "VALUES ('HPO', 'Harbor Point Offices', 'Baltimore', 1)"
            )
        )
    engine.dispose()

    with Store.open(url_of(db_path)) as store:
        assert store.check().revision == newest_revision()
        with store.reading() as session:
            before = session.execute(text("SELECT time_zone FROM location")).all()
        store.upsert_location("HPO", "Harbor Point Offices", "Baltimore", "America/New_York")
        with store.reading() as session:
            after = session.execute(text("SELECT name, time_zone FROM location")).all()

    assert before == [("",)]
    assert after == [("Harbor Point Offices", "America/New_York")]
