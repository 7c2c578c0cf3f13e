"""A mystery shopper's whole visit, with the keyboard alone: the assignment on Home, started,
answered page by page, one required question skipped and found again through Finalize,
finalized, and gone from both the assignments and the drafts."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QListWidget
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from desktop.views.evaluation import EvaluationView
from desktop.views.start_dialog import StartEvaluationDialog
from forms.storage import Store
from reports.queries.screens import assignments, drafts, location_overview
from tests.desktop.keyboard import focused, press, show_active, tab, type_text
from tests.desktop.test_evaluation_keyboard import choose, next_page, question_with_focus

Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier
BRIEF = "Phone about the restroom on floor 2 not restocked; stay calm."


def start_from_home(qtbot: QtBot, window: MainWindow) -> list[str]:
    """Enter on the assignment opens the start dialog; Enter there starts the visit.
    Returns what the dialog showed of the scenario."""
    seen: list[str] = []

    def answer_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, StartEvaluationDialog):
            QTimer.singleShot(20, answer_dialog)
            return
        brief = dialog.findChild(QLabel, "scenario_brief")
        seen.append(brief.text() if brief is not None else "")
        qtbot.keyClick(dialog, Key.Key_Return)  # Start is the default button

    window.home.assignments.setFocus()
    window.home.assignments.selectRow(0)
    QTimer.singleShot(0, answer_dialog)
    press(qtbot, Key.Key_Return)
    return seen


def test_a_shopper_walks_an_assignment_from_home_to_finalized(
    qtbot: QtBot, sample_store: Store
) -> None:
    north = location_overview(sample_store)[0]
    form_id = sample_store.latest_form_version("mystery_shop_empathy")
    assert form_id is not None
    sample_store.add_assignment(
        location_id=north.id,
        form_version_id=form_id,
        shopper="shopper",
        due_date=date.today() + timedelta(days=7),
        scenario=BRIEF,
    )
    window = MainWindow(sample_store, actor="shopper")
    qtbot.addWidget(window)
    window.resize(1024, 768)
    show_active(qtbot, window)
    home = window.home
    qtbot.waitUntil(lambda: home.assignment_model.rowCount() == 1)
    drafts_before = {d.submission_id for d in drafts(sample_store, actor="shopper")}

    assert start_from_home(qtbot, window) == [f"Scenario brief: {BRIEF}"]
    view = window.evaluation
    assert isinstance(view, EvaluationView)
    qtbot.waitUntil(lambda: window.current_view() is view)
    show_active(qtbot, window)  # the desktop gives the window back its keyboard
    submission_id = view.filling.submission_id
    assert view.scenario.text() == f"Scenario: {BRIEF}"

    # About the visit: the channel came from the dialog, the scenario from the assignment.
    assert question_with_focus() == "channel"
    tab(qtbot, 2)
    assert question_with_focus() == "scenario"
    assert focused().property("text") == BRIEF
    tab(qtbot)
    assert question_with_focus() == "wait_minutes"
    type_text(qtbot, "3")
    tab(qtbot, 2)
    assert question_with_focus() == "acted_upset"
    choose(qtbot, 1)  # No: the calming question is not asked
    next_page(qtbot)

    # One behaviour per page; the listening page is left blank on purpose.
    ratings = {
        "greeting_rating": 3,
        "listening_rating": None,
        "acknowledging_rating": 2,
        "personalisation_rating": 3,
        "root_cause_rating": 2,
    }
    for name, level in ratings.items():
        assert question_with_focus() == name
        if level is None:
            next_page(qtbot)
            assert view.notice.isVisible()  # said, and the shopper goes on
            assert "1 required question on page 3 not answered yet" in view.notice.text()
            continue
        choose(qtbot, level)
        next_page(qtbot)
    assert question_with_focus() == "ownership_rating"
    choose(qtbot, 3)
    tab(qtbot, 2)
    assert question_with_focus() == "dismissed_customer"
    choose(qtbot, 0)
    next_page(qtbot)
    for name in ("clear_communication_rating", "flexibility_rating"):
        assert question_with_focus() == name
        choose(qtbot, 3)
        next_page(qtbot)
    assert question_with_focus() == "resolution_rating"
    choose(qtbot, 3)
    tab(qtbot, 2)
    assert question_with_focus() == "hazard_left_unattended"
    choose(qtbot, 0)
    next_page(qtbot)
    assert question_with_focus() == "follow_through_rating"
    choose(qtbot, 2)
    next_page(qtbot)
    assert question_with_focus() == "overall_comment"
    type_text(qtbot, "Helpful, and she wrote the floor down.")
    next_page(qtbot)

    # Finalize: the skipped question is found, not a silent refusal.
    assert view.on_review_page()
    press(qtbot, Key.Key_Return, Ctrl)
    assert sample_store.draft(submission_id).status == "draft"
    assert "Not finalized: 1 question still needs an answer" in view.error.text()
    listing = focused()
    assert isinstance(listing, QListWidget)
    assert listing.currentItem().data(Qt.ItemDataRole.UserRole) == "listening_rating"
    press(qtbot, Key.Key_Return)
    assert view.title.text() == "Active listening"
    assert not view.error.isVisible()
    assert question_with_focus() == "listening_rating"
    choose(qtbot, 3)
    press(qtbot, Key.Key_Return, Ctrl)  # to the review page
    assert view.on_review_page()
    assert view.review is not None
    assert view.review.problems.count() == 0
    press(qtbot, Key.Key_Return, Ctrl)  # finalize

    assert window.current_view() is home
    draft = sample_store.draft(submission_id)
    assert draft.status == "final"
    assert draft.answers["scenario"] == BRIEF
    assert (draft.answers["channel"], draft.answers["acted_upset"]) == ("in_person", "no")
    assert draft.answers["listening_rating"] == "4"
    assert assignments(sample_store, shopper="shopper") == []
    assert {d.submission_id for d in drafts(sample_store, actor="shopper")} == drafts_before
    qtbot.waitUntil(lambda: home.assignment_model.rowCount() == 0)
    shown = {home.draft_model.row_at(r).submission_id for r in range(home.draft_model.rowCount())}
    assert submission_id not in shown
