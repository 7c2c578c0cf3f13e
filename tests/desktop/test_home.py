"""The home screen: latest figures per location, sorting and filtering, assignments, drafts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from desktop.models.locations import DRAFT_COLUMNS
from desktop.models.table import ROW_ROLE
from desktop.views.dates import date_text
from desktop.views.start_dialog import StartEvaluationDialog
from forms.authoring.builtin import install_builtin_forms
from forms.definition.model import FormDefinition
from forms.period import last_days
from forms.scoring.metrics import nps
from forms.scoring.points import score_submission
from forms.storage import Store
from forms.storage.recording import FinishedSubmission, record_finished_submissions
from reports.queries.screens import agents, assignments, drafts, location_overview

LATEST = datetime(2026, 5, 20, 10, 0, tzinfo=UTC)


def shop_answers(form: FormDefinition, level: int) -> dict[str, object]:
    """A complete mystery-shop visit with every rating at `level` (1-5)."""
    answers: dict[str, object] = {
        "channel": "in_person",
        "wait_minutes": 3,
        "acted_upset": "no",
        "dismissed_customer": "no",
        "hazard_left_unattended": "no",
    }
    for question in form.questions():
        if question.name.endswith("_rating") and question.name != "calming_rating":
            answers[question.name] = str(level)
    return answers


@pytest.fixture
def figures_store(store: Store) -> Store:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    north = store.upsert_location("N", "North Depot", "Leeds")
    south = store.upsert_location("S", "South Quay", "Bristol")
    store.upsert_location("E", "East Annex", "York")
    shop = ids["mystery_shop_empathy"]
    form = store.form_definition(shop)

    def visit(location: int, level: int, days_ago: int) -> FinishedSubmission:
        return FinishedSubmission(
            id=str(uuid.uuid4()),
            form_version_id=shop,
            answers=shop_answers(form, level),
            visit_at=LATEST - timedelta(days=days_ago),
            location_id=location,
        )

    def survey(location: int, recommend: str, days_ago: int) -> FinishedSubmission:
        return FinishedSubmission(
            id=str(uuid.uuid4()),
            form_version_id=ids["customer_survey"],
            answers={"csat": "4", "nps": recommend},
            visit_at=LATEST - timedelta(days=days_ago),
            location_id=location,
        )

    visits = [
        visit(north, 4, 0),
        visit(north, 5, 20),
        visit(north, 2, 120),  # the window before: North is improving
        visit(south, 3, 10),
        visit(south, 5, 130),  # South is falling
        survey(north, "10", 5),
        survey(north, "9", 6),
        survey(north, "3", 7),
        survey(north, "8", 200),  # too old to count
    ]
    record_finished_submissions(store, visits, actor="test")
    return store


def open_home(qtbot: QtBot, store: Store) -> MainWindow:
    """The main window, its Home figures over the 90 days up to LATEST."""
    window = MainWindow(store, actor="shopper")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home.loaded):
        window.home.set_period(last_days(90, LATEST.date()))
    qtbot.waitUntil(lambda: window.home.model.rowCount() > 0)
    return window


def shown(window: MainWindow, column: str) -> dict[str, str]:
    """Location name -> the text shown in a column of the home table."""
    proxy = window.home.proxy
    headers = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]
    at = headers.index(column)
    return {
        proxy.data(proxy.index(row, 0), ROW_ROLE).name: proxy.data(proxy.index(row, at))
        for row in range(proxy.rowCount())
    }


def test_home_shows_score_empathy_nps_and_trend_of_recent_visits(
    qtbot: QtBot, figures_store: Store
) -> None:
    form = figures_store.form_definition(
        figures_store.latest_form_version("mystery_shop_empathy") or 0
    )
    north_scores = [score_submission(form, shop_answers(form, level)) for level in (4, 5)]
    window = open_home(qtbot, figures_store)
    score = sum(s.overall or 0 for s in north_scores) / 2
    empathy = sum(s.empathy_index or 0 for s in north_scores) / 2
    assert shown(window, "Average score")["North Depot"] == f"{score:.1f} †"  # 2 visits: low sample
    assert shown(window, "Empathy Index")["North Depot"] == f"{empathy:.1f} †"
    expected_nps = nps(["10", "9", "3"]).value
    assert expected_nps is not None
    assert shown(window, "NPS")["North Depot"] == f"{expected_nps:+.0f} †"
    assert shown(window, "NPS")["South Quay"] == "–"
    assert shown(window, "Trend") == {"East Annex": "–", "North Depot": "▲", "South Quay": "▼"}
    assert shown(window, "Visits") == {"East Annex": "0", "North Depot": "2", "South Quay": "1"}
    spoken = {
        name: window.home.proxy.data(
            window.home.proxy.index(row, 5), Qt.ItemDataRole.AccessibleTextRole
        )
        for row, name in enumerate(
            window.home.proxy.data(window.home.proxy.index(r, 0), ROW_ROLE).name
            for r in range(window.home.proxy.rowCount())
        )
    }
    assert spoken == {"East Annex": "no trend", "North Depot": "improving", "South Quay": "falling"}


def test_sorting_filtering_and_search_narrow_the_locations(
    qtbot: QtBot, figures_store: Store
) -> None:
    window = open_home(qtbot, figures_store)
    home = window.home
    home.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # by score, best first
    order = [home.proxy.data(home.proxy.index(r, 0)) for r in range(home.proxy.rowCount())]
    assert order == ["North Depot", "South Quay", "East Annex"]
    home.filter_box.setCurrentText("Falling")
    assert home.proxy.rowCount() == 1
    assert home.proxy.data(home.proxy.index(0, 0)) == "South Quay"
    home.filter_box.setCurrentText("All locations")
    qtbot.keyClicks(home.search, "leeds")  # the city matches too
    assert home.proxy.rowCount() == 1
    assert home.proxy.data(home.proxy.index(0, 0)) == "North Depot"


def test_home_models_pass_qt_model_checks(
    qtbot: QtBot, qtmodeltester: ModelTester, figures_store: Store
) -> None:
    north = location_overview(figures_store)[1].id
    form_id = figures_store.latest_form_version("mystery_shop_empathy") or 0
    figures_store.add_assignment(location_id=north, form_version_id=form_id, scenario="Spill")
    figures_store.start_submission(form_id, location_id=north)
    window = open_home(qtbot, figures_store)
    qtbot.waitUntil(lambda: window.home.draft_model.rowCount() == 1)
    for model in (
        window.home.model,
        window.home.proxy,
        window.home.assignment_model,
        window.home.assignment_proxy,
        window.home.draft_model,
        window.home.draft_proxy,
    ):
        qtmodeltester.check(model)


def test_an_assignment_prefills_the_evaluation_and_is_done_once_finalized(
    qtbot: QtBot, figures_store: Store
) -> None:
    north = next(r for r in location_overview(figures_store) if r.code == "N")
    form_id = figures_store.latest_form_version("mystery_shop_empathy") or 0
    agent_id = figures_store.upsert_agent("N-1", "Maria Alvarez", "N")
    figures_store.add_assignment(
        location_id=north.id,
        form_version_id=form_id,
        agent_id=agent_id,
        shopper="shopper",
        due_date=date(2026, 6, 2),
        scenario="Report a spill in the lobby; act upset.",
    )
    figures_store.add_assignment(location_id=north.id, form_version_id=form_id, shopper="other")
    window = open_home(qtbot, figures_store)
    qtbot.waitUntil(lambda: window.home.assignment_model.rowCount() == 1)  # only mine
    assignment = window.home.assignment_model.row_at(0)
    assert assignment.scenario == "Report a spill in the lobby; act upset."
    dialog = StartEvaluationDialog(
        [(form_id, "Mystery shop")],
        location_overview(figures_store),
        agents(figures_store),
        window,
        assignment=assignment,
    )
    qtbot.addWidget(dialog)
    choice = dialog.choice()
    assert (choice.location_id, choice.agent_id, choice.assignment_id) == (
        north.id,
        agent_id,
        assignment.id,
    )
    # The due date is a deadline; the visit happens now unless the shopper changes it.
    assert abs(choice.visit_at - datetime.now(UTC)) < timedelta(minutes=2)
    submission_id = window.start_submission(choice)
    window.open_evaluation(submission_id)
    assert window.evaluation is not None
    form = figures_store.form_definition(form_id)
    for name, value in shop_answers(form, 4).items():
        window.evaluation.filling.set_answer(name, value)
    window.evaluation.finalize()
    assert assignments(figures_store, shopper="shopper") == []


def test_the_respondent_follows_the_kind_of_form(qtbot: QtBot, figures_store: Store) -> None:
    from desktop.views.start_dialog import StartChoice

    window = open_home(qtbot, figures_store)
    north = next(r for r in location_overview(figures_store) if r.code == "N")
    kinds = {}
    for key in ("mystery_shop_empathy", "employee_pulse", "site_inspection"):
        version = figures_store.latest_form_version(key)
        assert version is not None
        choice = StartChoice(version, north.id, None, "in_person", LATEST)
        kinds[key] = figures_store.draft(window.start_submission(choice)).respondent_kind
    assert kinds == {
        "mystery_shop_empathy": "shopper",
        "employee_pulse": "employee",
        "site_inspection": "inspector",
    }


def test_the_employee_pulse_records_no_agent_channel_or_user(
    qtbot: QtBot, figures_store: Store
) -> None:
    window = open_home(qtbot, figures_store)
    pulse = figures_store.latest_form_version("employee_pulse")
    shop = figures_store.latest_form_version("mystery_shop_empathy")
    assert pulse is not None
    assert shop is not None
    north = next(r for r in location_overview(figures_store) if r.code == "N")
    dialog = StartEvaluationDialog(
        [(shop, "Mystery shop"), (pulse, "Employee pulse")],
        location_overview(figures_store),
        agents(figures_store),
        window,
        location_id=north.id,
        form_id=pulse,
        anonymous_forms=frozenset({pulse}),
    )
    qtbot.addWidget(dialog)
    assert not dialog.agent_box.isEnabled()
    assert dialog.agent_box.currentText() == "Anonymous"
    choice = dialog.choice()
    assert (choice.agent_id, choice.channel, choice.anonymous) == (None, None, True)
    submission_id = window.start_submission(choice)
    # Its draft is kept to the day it was started: Home shows no time of day for it.
    started = next(r for r in drafts(figures_store, actor="") if r.submission_id == submission_id)
    assert (started.started_at.hour, started.started_at.minute) == (0, 0)
    assert DRAFT_COLUMNS[0].text(started) == date_text(started.started_at.date())
    window.open_evaluation(submission_id)
    assert window.evaluation is not None
    window.evaluation.filling.set_answer("workload_manageable", "agree")
    window.evaluation.finalize()
    draft = figures_store.draft(submission_id)
    assert (draft.agent_id, draft.channel, draft.status) == (None, None, "final")
    actors = {entry.actor for entry in figures_store.audit_trail(submission_id)}
    assert actors == {"anonymous"}
    # Choosing the mystery shop again asks for the agent.
    dialog.form_box.setCurrentIndex(0)
    assert dialog.agent_box.isEnabled()
    assert dialog.agent_box.currentText() == "Not known"
