"""A shopper fills the built-in mystery-shop evaluation with the keyboard alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.main_window import MainWindow
from desktop.views.evaluation import EvaluationView
from desktop.widgets.questions import QuestionWidget
from forms.scoring.points import score_submission
from forms.storage import Store
from forms.storage.tables import Submission
from tests.desktop.keyboard import focused, press, show_active, tab, type_text

Key = Qt.Key


def question_with_focus() -> str:
    """The name of the question the keyboard is on."""
    widget: QWidget | None = focused()
    while widget is not None and not isinstance(widget, QuestionWidget):
        widget = widget.parentWidget()
    assert isinstance(widget, QuestionWidget), f"focus is on {focused()!r}, not in a question"
    return widget.question.name


def choose(qtbot: QtBot, level: int) -> None:
    """On a choice question: Space picks the first option, Down moves to later ones."""
    press(qtbot, Key.Key_Space)
    press(qtbot, Key.Key_Down, times=level)


def next_page(qtbot: QtBot) -> None:
    """Ctrl+PgDown: the next page. (Alt+N does the same; offscreen, the Alt key on its own
    makes the window lose focus, so the tests use the Ctrl shortcuts.)"""
    press(qtbot, Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)


def start(store: Store, qtbot: QtBot) -> tuple[MainWindow, EvaluationView, str]:
    window = MainWindow(store, actor="shopper")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    qtbot.waitUntil(lambda: window.home.model.rowCount() > 0)
    forms = {info.key: info.id for info in store.list_forms()}
    submission_id = store.start_submission(
        forms["mystery_shop_empathy"], location_id=window.home.model.row_at(0).id, actor="shopper"
    )
    window.open_evaluation(submission_id)
    assert isinstance(window.evaluation, EvaluationView)
    return window, window.evaluation, submission_id


def test_shopper_completes_mystery_shop_with_keyboard_only(
    qtbot: QtBot, sample_store: Store
) -> None:
    window, view, submission_id = start(sample_store, qtbot)
    expected: dict[str, object] = {}

    # About the visit: channel, scenario, wait, acted upset.
    assert question_with_focus() == "channel"
    choose(qtbot, 0)  # Phone call
    expected["channel"] = "phone"
    tab(qtbot, 2)  # past the comment button
    assert question_with_focus() == "scenario"
    type_text(qtbot, "restroom on floor 2 not restocked")
    expected["scenario"] = "restroom on floor 2 not restocked"
    tab(qtbot)
    assert question_with_focus() == "wait_minutes"
    type_text(qtbot, "4")
    expected["wait_minutes"] = 4
    tab(qtbot, 2)
    assert question_with_focus() == "acted_upset"
    choose(qtbot, 0)  # Yes: the calming question will be asked
    expected["acted_upset"] = "yes"
    next_page(qtbot)

    # Greeting: a phone call, so the hold questions appear as they become relevant.
    assert view.title.text() == "Greeting and attention"
    assert question_with_focus() == "greeting_rating"
    assert view.question_widgets["hold_courtesy"].isHidden()
    choose(qtbot, 3)  # level 4
    expected["greeting_rating"] = "4"
    tab(qtbot)
    press(qtbot, Key.Key_Space)  # open the comment on this question
    type_text(qtbot, "Said her name twice")
    tab(qtbot)
    assert question_with_focus() == "hold_or_transfer"
    choose(qtbot, 1)  # put on hold
    expected["hold_or_transfer"] = "hold"
    assert not view.question_widgets["hold_courtesy"].isHidden()
    tab(qtbot, 2)
    assert question_with_focus() == "hold_courtesy"
    choose(qtbot, 4)
    expected["hold_courtesy"] = "5"
    tab(qtbot, 2)
    assert question_with_focus() == "greeting_comment"
    type_text(qtbot, '"Thanks for waiting, this is Ana."')
    expected["greeting_comment"] = '"Thanks for waiting, this is Ana."'
    next_page(qtbot)

    # One behaviour per page: pick a level on each, leave the page with Ctrl+PgDown.
    levels = {
        "listening_rating": 4,
        "acknowledging_rating": 2,
        "personalisation_rating": 3,
        "root_cause_rating": 1,
    }
    for name, level in levels.items():
        assert question_with_focus() == name
        choose(qtbot, level)
        expected[name] = str(level + 1)
        next_page(qtbot)

    assert question_with_focus() == "calming_rating"
    choose(qtbot, 3)
    expected["calming_rating"] = "4"
    tab(qtbot, 2)
    choose(qtbot, 2)
    expected["ownership_rating"] = "3"
    tab(qtbot, 2)
    assert question_with_focus() == "dismissed_customer"
    choose(qtbot, 0)
    expected["dismissed_customer"] = "no"
    next_page(qtbot)

    assert question_with_focus() == "clear_communication_rating"
    choose(qtbot, 4)
    expected["clear_communication_rating"] = "5"
    next_page(qtbot)
    assert question_with_focus() == "flexibility_rating"
    choose(qtbot, 5)  # below level 5 comes "Not applicable"
    expected["flexibility_rating"] = "na"
    next_page(qtbot)
    assert question_with_focus() == "resolution_rating"
    choose(qtbot, 3)
    expected["resolution_rating"] = "4"
    tab(qtbot, 2)
    assert question_with_focus() == "hazard_left_unattended"
    choose(qtbot, 0)
    expected["hazard_left_unattended"] = "no"
    next_page(qtbot)
    assert question_with_focus() == "follow_through_rating"
    choose(qtbot, 2)
    press(qtbot, Key.Key_Up)  # changed my mind: one level lower
    expected["follow_through_rating"] = "2"
    next_page(qtbot)
    assert question_with_focus() == "overall_comment"
    type_text(qtbot, "Polite, but the callback never came.")
    expected["overall_comment"] = "Polite, but the callback never came."
    next_page(qtbot)  # from the last page to the review page

    assert view.on_review_page()
    assert view.review is not None
    assert view.review.problems.count() == 0
    form = sample_store.form_definition(sample_store.draft(submission_id).form_version_id)
    score = score_submission(form, expected)
    assert score.overall is not None
    assert f"{score.overall:.1f}" in view.review.score_label.text()
    press(qtbot, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # finalize

    assert window.current_view() is window.home
    draft = sample_store.draft(submission_id)
    assert draft.status == "final"
    assert dict(draft.answers) == expected
    assert draft.comments == {"greeting_rating": "Said her name twice"}
    with sample_store.reading() as session:
        stored = session.execute(
            select(Submission.score, Submission.band, Submission.empathy_index).where(
                Submission.id == submission_id
            )
        ).one()
    assert stored.score == score.overall
    assert stored.band == score.band
    assert stored.empathy_index == score.empathy_index


def test_draft_resumes_at_the_same_question_after_the_window_closes(
    qtbot: QtBot, sample_store: Store
) -> None:
    window, _view, submission_id = start(sample_store, qtbot)
    choose(qtbot, 1)  # In person
    next_page(qtbot)
    next_page(qtbot)
    assert question_with_focus() == "listening_rating"
    choose(qtbot, 2)
    tab(qtbot, 2)
    assert question_with_focus() == "listening_comment"
    type_text(qtbot, "Repeated the floor number")  # no Tab: still being typed
    window.close()

    reopened = MainWindow(sample_store, actor="shopper")
    qtbot.addWidget(reopened)
    show_active(qtbot, reopened)
    qtbot.waitUntil(lambda: reopened.home.draft_model.rowCount() == 1)
    assert reopened.home.draft_model.row_at(0).submission_id == submission_id
    reopened.home.drafts.setFocus()
    reopened.home.drafts.selectRow(0)
    press(qtbot, Key.Key_Return)  # Enter on the draft resumes it
    resumed = reopened.evaluation
    assert isinstance(resumed, EvaluationView)
    assert resumed.title.text() == "Active listening"
    assert question_with_focus() == "listening_comment"
    assert resumed.filling.answers["listening_rating"] == "3"
    assert resumed.filling.answers["listening_comment"] == "Repeated the floor number"
