"""Bundles: a laptop's finalized work moves to another database exactly, once, all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from forms.exchange import (
    ExchangeError,
    export_bundle,
    import_bundle_file,
    last_bundle_export,
    read_bundle,
    remember_bundle_export,
)
from forms.exchange.bundle_merge import _Merge
from forms.period import Period
from forms.storage import Store
from forms.storage.tables import Submission, SubmissionRevision
from forms.storage.values import table_of
from tests.forms.exchange.work import (
    GOOD,
    PHOTO,
    database_dump,
    finished_visit,
    shopper_work,
    submission_view,
)
from tests.forms.storage.sample_forms import visit_form


def export(store: Store, path: Path, **options: object) -> Path:
    result = export_bundle(store, path, **options)  # type: ignore[arg-type]
    remember_bundle_export(store, result)
    return path


def submission_ids(store: Store) -> set[str]:
    with store.reading() as session:
        return set(session.execute(select(table_of(Submission).c.id)).scalars())


def test_finalized_work_arrives_exactly_as_it_was_finalized(
    laptop: Store, store: Store, tmp_path: Path
) -> None:
    work = shopper_work(laptop)
    bundle = export(laptop, tmp_path / "march.zip")

    report = import_bundle_file(store, bundle, actor="dana")

    assert report.submissions_added == 2
    assert submission_ids(store) == {work.with_photo, work.accepted}
    for submission_id in (work.with_photo, work.accepted):
        assert submission_view(store, submission_id) == submission_view(laptop, submission_id)
    arrived = submission_view(store, work.with_photo)
    assert arrived["files"] == [("spill.jpg", "photo", PHOTO)]
    assert arrived["assignment"] == (
        "Ask where to report a spill; watch for empathy.",
        date(2026, 3, 10),
        "Sam Shopper",
    )
    assert submission_view(store, work.accepted)["status"] == "accepted"
    trail = [entry.action for entry in store.audit_trail(work.accepted)]
    assert trail == ["started", "finalized", "accepted", "imported"]


def test_importing_the_same_bundle_twice_changes_nothing(
    laptop: Store, store: Store, tmp_path: Path
) -> None:
    shopper_work(laptop)
    bundle = export(laptop, tmp_path / "march.zip")
    import_bundle_file(store, bundle, actor="dana")
    before = database_dump(store)

    again = import_bundle_file(store, bundle, actor="dana")

    assert not again.changed
    assert again.submissions_unchanged == 2
    assert database_dump(store) == before


def test_each_export_holds_only_what_changed_since_the_last(
    laptop: Store, store: Store, tmp_path: Path
) -> None:
    work = shopper_work(laptop)
    assert last_bundle_export(laptop) is None
    first = export(laptop, tmp_path / "first.zip")
    assert last_bundle_export(laptop) is not None
    import_bundle_file(store, first, actor="dana")

    later = finished_visit(laptop, work.form_id, visit_at=datetime(2026, 4, 2, 11, 0, tzinfo=UTC))
    laptop.review(work.with_photo, actor="Dana Manager", decision="rejected", note="Blurred")
    second = export(laptop, tmp_path / "second.zip")

    assert {s.id for s in read_bundle(second).submissions} == {later, work.with_photo}
    report = import_bundle_file(store, second, actor="dana")
    assert (report.submissions_added, report.submissions_updated) == (1, 1)
    assert submission_view(store, work.with_photo)["status"] == "rejected"
    assert submission_view(store, work.with_photo)["review_note"] == "Blurred"
    assert read_bundle(export(laptop, tmp_path / "third.zip")).submissions == []


def test_a_period_export_takes_the_visits_of_those_days_and_keeps_the_mark(
    laptop: Store, tmp_path: Path
) -> None:
    work = shopper_work(laptop)
    export(laptop, tmp_path / "all.zip")
    mark = last_bundle_export(laptop)

    period = Period(date(2026, 3, 9), date(2026, 3, 9))
    chosen = read_bundle(export(laptop, tmp_path / "ninth.zip", period=period)).submissions

    assert [s.id for s in chosen] == [work.with_photo]
    assert last_bundle_export(laptop) == mark
    everything = export(laptop, tmp_path / "again.zip", everything=True)
    assert len(read_bundle(everything).submissions) == 2


def test_a_later_revision_replaces_the_earlier_one_which_is_kept(
    laptop: Store, store: Store, tmp_path: Path
) -> None:
    work = shopper_work(laptop)
    import_bundle_file(store, export(laptop, tmp_path / "first.zip"), actor="dana")
    laptop.reopen(work.with_photo, actor="Dana Manager", note="The wait was 50 minutes")
    laptop.save_answer(work.with_photo, "wait_minutes", 50)
    laptop.finalize(work.with_photo, actor="sam")

    report = import_bundle_file(store, export(laptop, tmp_path / "second.zip"), actor="dana")

    assert report.submissions_updated == 1
    assert submission_view(store, work.with_photo) == submission_view(laptop, work.with_photo)
    assert submission_view(store, work.with_photo)["revision"] == 1
    with store.reading() as session:
        kept = session.execute(select(table_of(SubmissionRevision).c.revision)).scalars().all()
    assert kept == [0]


def test_the_same_submission_finalized_with_other_answers_is_refused(
    laptop: Store, store: Store, tmp_path: Path
) -> None:
    work = shopper_work(laptop)
    form_id = store.add_form(visit_form())
    store.start_submission(form_id, submission_id=work.with_photo)
    for question, value in {**GOOD, "wait_minutes": 9}.items():
        store.save_answer(work.with_photo, question, value)
    store.finalize(work.with_photo, actor="kim")
    before = database_dump(store)

    with pytest.raises(ExchangeError, match=f"submission {work.with_photo}.*different answers"):
        import_bundle_file(store, export(laptop, tmp_path / "b.zip"), actor="dana")

    assert database_dump(store) == before


def test_a_changed_form_with_the_same_version_is_refused(
    laptop: Store, store: Store, tmp_path: Path
) -> None:
    shopper_work(laptop)
    store.add_form(visit_form(greeting_label="Did they greet you warmly?"))
    before = database_dump(store)

    with pytest.raises(ExchangeError, match=r"form 'store_visit' version 1 .*new version"):
        import_bundle_file(store, export(laptop, tmp_path / "b.zip"), actor="dana")

    assert database_dump(store) == before


def test_a_failure_while_writing_leaves_the_database_as_it_was(
    laptop: Store, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shopper_work(laptop)
    bundle = export(laptop, tmp_path / "b.zip")
    before = database_dump(store)

    def power_cut(self: _Merge) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(_Merge, "flush", power_cut)
    with pytest.raises(OSError, match="unplugged"):
        import_bundle_file(store, bundle, actor="dana")

    assert database_dump(store) == before
    monkeypatch.undo()
    assert import_bundle_file(store, bundle, actor="dana").submissions_added == 2


def test_drafts_never_leave_the_laptop(laptop: Store, tmp_path: Path) -> None:
    work = shopper_work(laptop)
    laptop.reopen(work.accepted, actor="Dana Manager", note="Add the wait time")
    bundle = read_bundle(export(laptop, tmp_path / "b.zip"))
    assert [s.id for s in bundle.submissions] == [work.with_photo], (
        "drafts, voided drafts and visits sent back for changes stay on the laptop"
    )


def test_a_void_travels_and_an_older_bundle_never_undoes_it(
    laptop: Store, store: Store, tmp_path: Path
) -> None:
    work = shopper_work(laptop)
    older = export(laptop, tmp_path / "older.zip")
    import_bundle_file(store, older, actor="dana")
    laptop.void(work.with_photo, actor="Dana Manager", reason="Visited the wrong site")

    import_bundle_file(store, export(laptop, tmp_path / "newer.zip"), actor="dana")
    assert submission_view(store, work.with_photo)["status"] == "void"
    before = database_dump(store)

    report = import_bundle_file(store, older, actor="dana")

    assert not report.changed
    assert database_dump(store) == before
