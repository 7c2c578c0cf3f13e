"""An employee-pulse answer is kept to its day at every way in: answered in the app or at
the kiosk, recorded in bulk, imported from a bundle, and in databases older versions wrote."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from forms.authoring.builtin import install_builtin_forms
from forms.exchange import import_bundle
from forms.exchange.bundle_collect import collect_submissions
from forms.period import Period
from forms.storage import Store
from forms.storage.recording import FinishedSubmission, record_finished_submissions
from tests.postgres_databases import NEEDS_SERVER, fresh_postgres_database

MINUTE = datetime(2026, 3, 10, 14, 37, 21, tzinfo=UTC)
DAY = "2026-03-10 00:00:00.000000"


def _stored_times(path: Path, kind: str) -> dict[str, list[str]]:
    """Every time stored for the submissions of this respondent kind, by column."""
    connection = sqlite3.connect(path)
    try:
        where = "submission_id IN (SELECT id FROM submission WHERE respondent_kind = ?)"
        found: dict[str, list[str]] = {}
        for name, sql in (
            ("started_at", "SELECT started_at FROM submission WHERE respondent_kind = ?"),
            ("finished_at", "SELECT finished_at FROM submission WHERE respondent_kind = ?"),
            ("visit_at", "SELECT visit_at FROM submission WHERE respondent_kind = ?"),
            ("answer", f"SELECT updated_at FROM answer WHERE {where}"),
            ("audit", f"SELECT at FROM auditevent WHERE actor = 'anonymous' AND {where}"),
        ):
            found[name] = [str(row[0]) for row in connection.execute(sql, [kind])]
        return found
    finally:
        connection.close()


def _no_time_of_day(times: dict[str, list[str]]) -> bool:
    return all(value.endswith(" 00:00:00.000000") for values in times.values() for value in values)


def _pulse_store(path: Path) -> tuple[Store, int, int]:
    store = Store.open(f"sqlite:///{path}")
    install_builtin_forms(store)
    pulse = store.latest_form_version("employee_pulse")
    assert pulse is not None
    return store, pulse, store.upsert_location("HPO", "Harbor Point Offices", "Baltimore")


def test_a_pulse_answered_in_the_app_or_at_the_kiosk_is_kept_to_its_day(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    store, pulse, location = _pulse_store(path)
    # Started with a time (the app's start dialog), and without one (the kiosk: when sent).
    dated = store.start_submission(pulse, location_id=location, visit_at=MINUTE, actor="Sam")
    sent = store.start_submission(pulse, location_id=location, device_id="kiosk-1")
    for submission_id in (dated, sent):
        store.save_answer(submission_id, "workload_manageable", "agree")
        store.save_answer(submission_id, "what_would_help", "More time between rounds.")
        store.finalize(submission_id, actor="Sam")
    store.close()

    times = _stored_times(path, "employee")

    assert times["visit_at"][0] == DAY or times["visit_at"][1] == DAY
    assert len(times["audit"]) == 4  # started and finalized, twice, by nobody named
    assert _no_time_of_day(times), times


def test_pulses_recorded_in_bulk_or_imported_from_a_bundle_are_kept_to_their_day(
    tmp_path: Path,
) -> None:
    # An older laptop stored a pulse answer to the second, and put it in a bundle.
    older = tmp_path / "older.db"
    store, pulse, location = _pulse_store(older)
    record_finished_submissions(
        store,
        [
            FinishedSubmission(
                id=str(uuid.uuid4()),
                form_version_id=pulse,
                answers={"workload_manageable": "agree"},
                visit_at=MINUTE,
                location_id=location,
            )
        ],
        actor="Sam",
    )
    assert _no_time_of_day(_stored_times(older, "employee"))
    store.close()
    connection = sqlite3.connect(older)
    with connection:
        for table, column in (
            ("submission", "started_at"),
            ("submission", "finished_at"),
            ("submission", "visit_at"),
            ("answer", "updated_at"),
            ("auditevent", "at"),
        ):
            connection.execute(f"UPDATE {table} SET {column} = '2026-03-10 14:37:21.000000'")
    connection.close()
    store = Store.open(f"sqlite:///{older}")
    bundle = collect_submissions(store, since=None, period=Period())
    store.close()
    assert bundle.submissions[0].visit_at == MINUTE

    office = tmp_path / "office.db"
    with Store.open(f"sqlite:///{office}") as target:
        report = import_bundle(target, bundle, actor="office", source="older.rapport")
        # Importing it again adds nothing: the day matches the day already stored.
        again = import_bundle(target, bundle, actor="office", source="older.rapport")

    assert report.submissions_added == 1
    assert again.submissions_added == 0
    times = _stored_times(office, "employee")
    assert times["visit_at"] == [DAY]
    assert _no_time_of_day(times), times


def test_the_migration_keeps_only_the_day_of_pulses_an_older_version_stored(
    tmp_path: Path, sample_company_file: Path
) -> None:
    from tests.conftest import copy_of_sample_company

    path = copy_of_sample_company(sample_company_file, tmp_path / "old.db")
    # What revision 0005 stored: pulse answers to the second (and visits, as always).
    connection = sqlite3.connect(path)
    with connection:
        stamp = "substr({0}, 1, 10) || ' 14:37:21.000000'"
        connection.execute(
            "UPDATE submission SET "
            + ", ".join(
                f"{column} = {stamp.format(column)}"
                for column in ("started_at", "finished_at", "visit_at")
            )
        )
        connection.execute(f"UPDATE answer SET updated_at = {stamp.format('updated_at')}")
        connection.execute(
            f"UPDATE auditevent SET at = {stamp.format('at')}, actor = 'anonymous' "
            "WHERE submission_id IN (SELECT id FROM submission WHERE respondent_kind = 'employee')"
        )
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
        days = dict(
            connection.execute(
                "SELECT id, substr(visit_at, 1, 10) FROM submission "
                "WHERE respondent_kind = 'employee'"
            ).fetchall()
        )
    connection.close()
    assert days
    assert not _no_time_of_day(_stored_times(path, "employee"))

    Store.open(f"sqlite:///{path}").close()

    times = _stored_times(path, "employee")
    assert _no_time_of_day(times), times
    connection = sqlite3.connect(path)
    kept = dict(
        connection.execute(
            "SELECT id, visit_at FROM submission WHERE respondent_kind = 'employee'"
        ).fetchall()
    )
    visits = connection.execute(
        "SELECT DISTINCT substr(visit_at, 12) FROM submission WHERE respondent_kind = 'shopper'"
    ).fetchall()
    connection.close()
    assert kept == {submission: f"{day} 00:00:00.000000" for submission, day in days.items()}
    # A mystery shopper's visit keeps its time.
    assert visits == [("14:37:21.000000",)]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from fresh_postgres_database("rapport_pulse_day")


@pytest.mark.postgres
@NEEDS_SERVER
def test_the_migration_keeps_only_the_day_of_pulses_on_a_team_server(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    install_builtin_forms(store)
    pulse = store.latest_form_version("employee_pulse")
    assert pulse is not None
    location = store.upsert_location("HPO", "Harbor Point Offices", "Baltimore")
    record_finished_submissions(
        store,
        [
            FinishedSubmission(
                id=str(uuid.uuid4()),
                form_version_id=pulse,
                answers={"workload_manageable": "agree"},
                visit_at=MINUTE,
                location_id=location,
            )
        ],
        actor="Sam",
    )
    # What revision 0005 stored: the second (written as another time zone gives it back).
    with store.engine.begin() as connection:
        late = "'2026-03-10 23:37:21-05'"  # 04:37 UTC on the 11th
        connection.execute(
            text(
                f"UPDATE submission SET started_at = {late}, finished_at = {late}, "
                f"visit_at = {late}"
            )
        )
        connection.execute(text(f"UPDATE answer SET updated_at = {late}"))
        connection.execute(text(f"UPDATE auditevent SET at = {late}"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    store.close()

    with Store.open(postgres_url) as store, store.reading() as session:
        found = [
            *session.execute(
                text("SELECT started_at, finished_at, visit_at FROM submission")
            ).one(),
            *session.execute(text("SELECT updated_at FROM answer")).scalars(),
            *session.execute(text("SELECT at FROM auditevent WHERE actor = 'anonymous'")).scalars(),
        ]

    assert {value.astimezone(UTC) for value in found} == {datetime(2026, 3, 11, tzinfo=UTC)}
