"""Figures over tagged questions when visits answer only some of a tag's questions: each
visit counts once per behaviour or pulse signal, and the all-locations benchmark a run reuses
is the one of each report's own period."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from forms.definition.model import FormDefinition
from forms.storage import Store
from reports.kit import ReportKit
from reports.location import location_context
from reports.queries import Period
from reports.queries.behaviours import behaviour_scores
from reports.queries.catalogue import NOT_BEHAVIOURS
from reports.queries.common import Scope, find_location
from reports.queries.pulse import pulse_signals
from tests.reports.expected import COUNTED, query

END = date(2026, 6, 30)


def tagged(db: Path, kind: str) -> dict[str, list[str]]:
    """Tag -> names of the questions with it in the stored form of this kind."""
    (definition,) = query(db, "SELECT definition FROM formversion WHERE kind = ?", [kind])[0]
    found: dict[str, list[str]] = defaultdict(list)
    for question in FormDefinition.from_json(definition).questions():
        for tag in question.tags:
            found[tag].append(question.name)
    return found


def leave_out_some_answers(db: Path, kind: str, questions: list[str]) -> None:
    """Mark the first question N/A on every 3rd submission and delete the second on every
    4th, so that some visits rate one question of the tag, some the other, some neither."""
    first, second = questions[:2]
    connection = sqlite3.connect(db)
    try:
        ids = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM submission WHERE respondent_kind = ? ORDER BY id", [kind]
            )
        ]
        with connection:
            connection.executemany(
                "UPDATE answer SET not_applicable = 1 WHERE submission_id = ? AND question = ?",
                [(sid, first) for sid in ids[::3]],
            )
            connection.executemany(
                "DELETE FROM answer WHERE submission_id = ? AND question = ?",
                [(sid, second) for sid in ids[::4]],
            )
    finally:
        connection.close()


def expected_behaviours(
    db: Path, tags: dict[str, list[str]], location_id: int | None
) -> dict[str, tuple[float, int]]:
    """Tag -> (score, visits) over the counted shopper answers, straight from the rows."""
    where, params = "", []
    if location_id is not None:
        where, params = "AND s.location_id = ?", [location_id]
    found: dict[str, tuple[float, int]] = {}
    for tag, questions in tags.items():
        if tag in NOT_BEHAVIOURS:
            continue
        marks = ",".join("?" * len(questions))
        earned, possible, visits = query(
            db,
            "SELECT sum(a.points), sum(a.possible), count(DISTINCT s.id) FROM answer a "
            f"JOIN submission s ON s.id = a.submission_id WHERE {COUNTED} "
            f"AND s.respondent_kind = 'shopper' {where} AND a.question IN ({marks}) "
            "AND a.not_applicable = 0 AND a.points IS NOT NULL AND a.possible > 0",
            [*params, *questions],
        )[0]
        if visits:
            found[tag] = (earned / possible * 100, visits)
    return found


@pytest.mark.parametrize("one_location", [False, True])
def test_a_visit_counts_once_for_a_behaviour_rated_by_several_questions(
    sample_store: Store, db_path: Path, one_location: bool
) -> None:
    tags = tagged(db_path, "mystery_shop")
    assert len(tags["greeting"]) >= 2
    leave_out_some_answers(db_path, "shopper", tags["greeting"])
    kit = ReportKit.load(sample_store)
    location = find_location(sample_store, "Harbor Point Offices").id if one_location else None

    found = behaviour_scores(sample_store, Scope(Period(), location_id=location), kit.catalogue)

    expected = expected_behaviours(db_path, tags, location)
    assert {tag: (s.score, s.visits) for tag, s in found.items()} == {
        tag: (pytest.approx(score), visits) for tag, (score, visits) in expected.items()
    }
    # Some visits rated only one greeting question: a sum of per-question counts is wrong.
    per_question = sum(
        query(
            db_path,
            "SELECT count(*) FROM answer a JOIN submission s ON s.id = a.submission_id "
            f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND a.question = ? "
            "AND a.not_applicable = 0 AND a.possible > 0"
            + (" AND s.location_id = ?" if location else ""),
            [question, *([location] if location else [])],
        )[0][0]
        for question in tags["greeting"]
    )
    assert found["greeting"].visits < per_question


def test_pulse_respondents_count_each_employee_once_per_signal(
    sample_store: Store, db_path: Path
) -> None:
    tags = tagged(db_path, "employee_pulse")
    assert len(tags["burnout"]) >= 2
    leave_out_some_answers(db_path, "employee", tags["burnout"])
    kit = ReportKit.load(sample_store)

    found = pulse_signals(sample_store, Scope(Period()), kit.catalogue)

    marks = ",".join("?" * len(tags["burnout"]))
    # Each employee once, favourable when their answers to the signal earn 80 % together.
    respondents, favourable = query(
        db_path,
        "SELECT count(*), sum(earned >= 0.8 * possible) FROM (SELECT s.id, "
        "sum(a.points) AS earned, sum(a.possible) AS possible FROM answer a "
        "JOIN submission s ON s.id = a.submission_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'employee' AND a.question IN ({marks}) "
        "AND a.not_applicable = 0 AND a.possible > 0 AND s.location_id IS NOT NULL "
        "GROUP BY s.id)",
        tags["burnout"],
    )[0]
    answers = query(
        db_path,
        "SELECT count(*) FROM answer a JOIN submission s ON s.id = a.submission_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'employee' AND a.question IN ({marks}) "
        "AND a.not_applicable = 0 AND a.possible > 0",
        tags["burnout"],
    )[0][0]
    assert respondents < answers  # some employees answered both questions
    signal = found.everywhere["burnout"]
    assert (signal.favourable, signal.respondents) == (
        pytest.approx(favourable / respondents * 100),
        respondents,
    )
    # Every site has fewer than five: none of them is shown.
    assert all(signals["burnout"].hidden for signals in found.by_location.values())


def _benchmark(context: dict[str, object]) -> list[tuple[str, str]]:
    rows = [*context["top_behaviours"], *context["bottom_behaviours"]]  # type: ignore[misc]
    return [(row["label"], row["bench_text"]) for row in rows]


def test_one_kit_gives_every_report_the_benchmark_of_its_own_period(
    sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    year, month = Period(date(2025, 7, 1), END), Period(date(2026, 6, 1), END)
    names = ["Harbor Point Offices", "Greenview Mall"]
    locations = [find_location(sample_store, name) for name in names]
    alone = {
        (name, period): _benchmark(location_context(ReportKit.load(sample_store), place, period))
        for name, place in zip(names, locations, strict=True)
        for period in (year, month)
    }
    assert alone[(names[0], year)] != alone[(names[0], month)]

    import reports.location

    benchmark_runs: list[Period] = []

    def counted(store: Store, scope: Scope, catalogue: object) -> object:
        if scope.location_id is None:
            benchmark_runs.append(scope.period)
        return behaviour_scores(store, scope, catalogue)  # type: ignore[arg-type]

    monkeypatch.setattr(reports.location, "behaviour_scores", counted)
    kit = ReportKit.load(sample_store)
    for period in (year, month):
        for name, place in zip(names, locations, strict=True):
            assert _benchmark(location_context(kit, place, period)) == alone[(name, period)]
    assert benchmark_runs == [year, month]
