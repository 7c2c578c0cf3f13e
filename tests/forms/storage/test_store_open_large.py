"""Opening a large SQLite file: cheap checks at open, the whole check before the first write.

The size above which a file counts as large is lowered to 0 bytes through
RAPPORT_FULL_CHECK_LIMIT, so that a small test file takes the large-file path.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from forms.storage import Store, StoreError
from forms.storage.sqlite import FULL_CHECK_LIMIT_VARIABLE
from tests.forms.storage.sample_forms import visit_form


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def make_rapport_file(path: Path, drafts: int = 40) -> list[str]:
    """A Rapport database with drafts that each hold answers; returns their ids."""
    with Store.open(url_of(path)) as store:
        form_id = store.add_form(visit_form())
        ids = [store.start_submission(form_id) for _ in range(drafts)]
        for number, submission_id in enumerate(ids):
            store.save_answer(submission_id, "notes", f"note {number} " + "x" * 200)
    return ids


def scribble_over_the_answers(path: Path) -> bytes:
    """Damage the first page of the answer table, leaving every other table intact."""
    with sqlite3.connect(path) as raw:
        (root,) = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'answer'").fetchone()
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    damaged = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    damaged[start : start + page_size] = bytes([0xA5]) * page_size
    path.write_bytes(bytes(damaged))
    return bytes(damaged)


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as large."""
    monkeypatch.setenv(FULL_CHECK_LIMIT_VARIABLE, "0")


def test_a_sound_large_file_opens_at_once_and_is_checked_before_the_first_write(
    db_path: Path, large: None
) -> None:
    ids = make_rapport_file(db_path)

    with Store.open(url_of(db_path), create=False) as store:
        assert store.integrity_pending
        assert store.draft(ids[0]).answers["notes"].startswith("note 0")
        store.save_answer(ids[0], "greeted", "yes")
        assert not store.integrity_pending

    with Store.open(url_of(db_path), create=False) as store:
        store.finish_integrity_check()
        assert not store.integrity_pending
        assert store.draft(ids[0]).answers["greeted"] == "yes"


def test_a_small_file_is_checked_in_full_at_open(db_path: Path) -> None:
    make_rapport_file(db_path, drafts=2)

    with Store.open(url_of(db_path), create=False) as store:
        assert not store.integrity_pending


def test_a_large_file_damaged_where_open_does_not_look_is_never_written(
    db_path: Path, large: None
) -> None:
    ids = make_rapport_file(db_path)
    damaged = scribble_over_the_answers(db_path)

    with Store.open(url_of(db_path), create=False) as store:
        assert store.integrity_pending
        with pytest.raises(StoreError, match="damaged") as refused:
            store.save_answer(ids[0], "greeted", "yes")
        assert str(db_path) in str(refused.value)
        # Once found, the damage is reported to every later writer too.
        with pytest.raises(StoreError, match="will not write"):
            store.upsert_location("L1", "Lobby")
        with pytest.raises(StoreError, match="damaged"):
            store.finish_integrity_check()

    assert db_path.read_bytes() == damaged


def test_the_same_damage_is_refused_at_open_in_a_small_file(db_path: Path) -> None:
    make_rapport_file(db_path)
    damaged = scribble_over_the_answers(db_path)

    with pytest.raises(StoreError, match="damaged"):
        Store.open(url_of(db_path), create=False)

    assert db_path.read_bytes() == damaged


def test_a_large_file_damaged_in_a_small_table_is_refused_at_open(
    db_path: Path, large: None
) -> None:
    make_rapport_file(db_path)
    with sqlite3.connect(db_path) as raw:
        (root,) = raw.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'formversion'"
        ).fetchone()
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    damaged = bytearray(db_path.read_bytes())
    damaged[(root - 1) * page_size : root * page_size] = bytes([0xA5]) * page_size
    db_path.write_bytes(bytes(damaged))

    with pytest.raises(StoreError) as refused:
        Store.open(url_of(db_path), create=False)

    assert "damaged" in str(refused.value) or "cannot be read" in str(refused.value)
    assert db_path.read_bytes() == bytes(damaged)


def test_a_large_file_cut_short_is_refused_at_open(db_path: Path, large: None) -> None:
    make_rapport_file(db_path)
    whole = db_path.read_bytes()
    page_size = int.from_bytes(whole[16:18], "big")
    db_path.write_bytes(whole[: len(whole) - 2 * page_size])

    with pytest.raises(StoreError, match="shorter than SQLite recorded"):
        Store.open(url_of(db_path), create=False)


def test_a_limit_that_is_not_a_number_is_named(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_rapport_file(db_path, drafts=1)
    monkeypatch.setenv(FULL_CHECK_LIMIT_VARIABLE, "64MB")

    with pytest.raises(StoreError, match=f"{FULL_CHECK_LIMIT_VARIABLE}='64MB' is not a number"):
        Store.open(url_of(db_path), create=False)
