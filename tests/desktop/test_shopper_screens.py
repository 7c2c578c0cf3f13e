"""What a mystery shopper sees: a manager's note on a visit sent back, the scenario of an
assignment, what Finalize and Next say about missing answers, and deleting a draft."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QDialog, QListWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from desktop.main_window import MainWindow
from desktop.models.table import ROW_ROLE
from desktop.views.evaluation import EvaluationView
from desktop.views.home import HomeView
from desktop.views.start_dialog import StartEvaluationDialog
from forms.filling import FormFilling
from forms.storage import Store
from forms.storage.tables import Submission
from reports.queries.screens import DraftRow, agents, drafts, location_overview
from tests.desktop.keyboard import focused, press, show_active, tab
from tests.desktop.test_evaluation_keyboard import question_with_focus

NOTE = "The wait was 15 minutes on the call log, not 5: check it and correct the wait."


def open_window(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(store, actor="shopper")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    qtbot.waitUntil(lambda: window.home.model.rowCount() > 0)
    return window


def heard() -> str:
    """What a screen reader reads of the control with the keyboard: its name and description."""
    reader = QAccessible.queryAccessibleInterface(focused())
    assert reader is not None
    return f"{reader.text(QAccessible.Text.Name)} {reader.text(QAccessible.Text.Description)}"


def a_finalized_visit(store: Store) -> str:
    with store.reading() as session:
        found = session.scalars(
            select(col(Submission.id)).where(
                col(Submission.status) == "final", col(Submission.respondent_kind) == "shopper"
            )
        ).first()
    assert found is not None
    return found


def evaluation(window: MainWindow) -> EvaluationView:
    assert isinstance(window.evaluation, EvaluationView)
    return window.evaluation


def new_visit(store: Store, window: MainWindow) -> str:
    form = store.latest_form_version("mystery_shop_empathy")
    assert form is not None
    return store.start_submission(form, location_id=window.home.model.row_at(0).id, actor="shopper")


def test_a_visit_sent_back_shows_the_managers_note_on_every_page_and_the_review(
    qtbot: QtBot, sample_store: Store
) -> None:
    submission_id = a_finalized_visit(sample_store)
    sample_store.review(
        submission_id, actor="Dana Whitfield", decision="revision_requested", note=NOTE
    )
    window = open_window(qtbot, sample_store)
    window.open_evaluation(submission_id)
    view = evaluation(window)
    today = datetime.now(UTC).astimezone().strftime("%Y-%m-%d")
    expected = f"Sent back for revision by Dana Whitfield on {today}: {NOTE}"
    banner = view.revision_banner
    assert banner is not None
    assert banner.text() == expected
    # The banner takes no focus: a screen reader hears the note with the first control.
    assert expected in heard()
    question = question_with_focus()
    tab(qtbot)
    assert expected not in heard()  # said once, not on every control
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert question_with_focus() == question
    assert expected not in heard()
    for _page in range(view.page_count()):
        assert banner.isVisible(), f"no note on page {view.page + 1}"
        view.go_next()
    assert view.on_review_page()
    assert banner.isVisible()
    assert expected in heard()  # and again before finalizing
    # It can be changed and finalized again; a plain draft shows no banner.
    assert view.finalize_button.isEnabled()
    assert not view.delete_button.isEnabled()
    window.open_evaluation(new_visit(sample_store, window))
    assert evaluation(window).revision_banner is None


def test_an_assignment_starts_now_with_its_scenario_in_the_visit(
    qtbot: QtBot, sample_store: Store
) -> None:
    north = location_overview(sample_store)[0]
    form_id = sample_store.latest_form_version("mystery_shop_empathy")
    assert form_id is not None
    brief = "Report a spill in the lobby; act upset."
    sample_store.add_assignment(
        location_id=north.id,
        form_version_id=form_id,
        shopper="shopper",
        due_date=date.today() + timedelta(days=7),
        scenario=brief,
    )
    window = open_window(qtbot, sample_store)
    qtbot.waitUntil(lambda: window.home.assignment_model.rowCount() == 1)
    dialog = StartEvaluationDialog(
        [(form_id, "Mystery shop")],
        location_overview(sample_store),
        agents(sample_store),
        window,
        assignment=window.home.assignment_model.row_at(0),
    )
    qtbot.addWidget(dialog)
    submission_id = window.start_submission(dialog.choice())
    window.open_evaluation(submission_id)
    view = evaluation(window)
    assert view.scenario.isVisible()
    assert view.scenario.text() == f"Scenario: {brief}"
    draft = sample_store.draft(submission_id)
    assert draft.answers["scenario"] == brief
    assert draft.visit_at is not None
    assert abs(draft.visit_at - datetime.now(UTC)) < timedelta(minutes=2)
    assert view.question_widgets["scenario"].editor.focus_target().property("text") == brief


def test_starting_an_assignment_already_started_resumes_its_draft(
    qtbot: QtBot, sample_store: Store
) -> None:
    north = location_overview(sample_store)[0]
    form_id = sample_store.latest_form_version("mystery_shop_empathy")
    assert form_id is not None
    assignment_id = sample_store.add_assignment(
        location_id=north.id, form_version_id=form_id, shopper="shopper", scenario="Spill"
    )
    started = sample_store.start_assignment(assignment_id, actor="shopper")
    sample_store.save_answer(started, "channel", "phone")
    window = open_window(qtbot, sample_store)
    qtbot.waitUntil(lambda: window.home.assignment_model.rowCount() == 1)
    before = {d.submission_id for d in drafts(sample_store, actor="shopper")}
    # Were a start dialog to be asked again, it is turned down: the test sees no evaluation.
    QTimer.singleShot(500, lambda: _turn_down(QApplication.activeModalWidget()))
    window.home.assignments.setFocus()
    window.home.assignments.setCurrentIndex(window.home.assignment_proxy.index(0, 0))
    press(qtbot, Qt.Key.Key_Return)
    assert window.current_view() is window.evaluation
    assert evaluation(window).filling.submission_id == started
    assert evaluation(window).filling.answers["channel"] == "phone"
    assert {d.submission_id for d in drafts(sample_store, actor="shopper")} == before


def _turn_down(dialog: QWidget | None) -> None:
    if isinstance(dialog, QDialog):
        dialog.reject()


def test_finalize_with_answers_missing_goes_to_the_first_and_says_how_many(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    window.open_evaluation(new_visit(sample_store, window))
    view = evaluation(window)
    view.filling.set_answer("channel", "phone")
    view.show_page(view.page_count() - 1)
    assert view.review is not None
    missing = view.review.problems.count()
    assert missing > 1
    view.finalize_button.click()
    assert view.on_review_page()
    assert view.error.isVisible()
    assert f"Not finalized: {missing} questions still need an answer" in view.error.text()
    assert view.error.text() in heard()
    assert view.review is not None
    listing = focused()
    assert isinstance(listing, QListWidget)
    assert listing is view.review.problems
    assert listing.currentRow() == 0
    first = listing.currentItem().data(Qt.ItemDataRole.UserRole)
    assert first == "wait_minutes"  # the first one missing, in form order
    press(qtbot, Qt.Key.Key_Return)
    assert question_with_focus() == "wait_minutes"
    assert sample_store.draft(view.filling.submission_id).status == "draft"


def test_next_past_a_required_question_left_blank_marks_it_and_goes_on(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    window.open_evaluation(new_visit(sample_store, window))
    view = evaluation(window)
    assert question_with_focus() == "channel"
    channel = view.question_widgets["channel"]
    assert not channel.message.isVisible()
    tab(qtbot, 2)  # past the comment button, without answering
    assert question_with_focus() == "scenario"
    # Marked with words and a sign, not colour alone, and told to a screen reader.
    assert channel.message.isVisible()
    assert channel.sign.isVisible()
    assert channel.message.text() == "This question needs an answer."
    assert "This question needs an answer." in channel.editor.accessibleDescription()
    view.go_next()
    assert view.page == 1  # never blocked
    assert view.notice.isVisible()
    assert "3 required questions on page 1 not answered yet" in view.notice.text()
    # Heard with the control the keyboard is on now, as well as read above the page.
    assert view.notice.text() in heard()
    view.go_next()  # the greeting page, left blank too: the notice is about that page now
    assert "on page 2 not answered yet" in view.notice.text()
    view.go_back()
    assert not view.notice.isVisible()
    view.go_back()
    for name in ("channel", "wait_minutes", "acted_upset"):
        assert view.question_widgets[name].message.isVisible(), name


def test_a_shopper_deletes_a_draft_from_home_after_confirming(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    submission_id = new_visit(sample_store, window)
    sample_store.save_answer(submission_id, "channel", "phone")
    window.refresh()
    home = window.home

    def row_of_mine() -> int:
        for row in range(home.draft_proxy.rowCount()):
            found = home.draft_proxy.data(home.draft_proxy.index(row, 0), ROW_ROLE)
            if isinstance(found, DraftRow) and found.submission_id == submission_id:
                return row
        return -1

    qtbot.waitUntil(lambda: row_of_mine() >= 0)
    home.drafts.setCurrentIndex(home.draft_proxy.index(row_of_mine(), 0))
    assert home.delete_button.isEnabled()
    home.delete_button.click()
    dialog = window.delete_dialog
    assert dialog is not None
    assert dialog.isVisible()
    location = home.model.row_at(0).name
    assert "Mystery shop — empathy in service" in dialog.text()
    assert location in dialog.text()
    assert "Its 1 answer will be deleted for good." in dialog.informativeText()
    assert "This cannot be undone." in dialog.informativeText()
    dialog.cancel_button.click()  # changed my mind: nothing happens
    assert submission_id in {d.submission_id for d in drafts(sample_store, actor="shopper")}

    home.delete_button.click()
    dialog = window.delete_dialog
    assert dialog is not None
    dialog.delete_button.click()
    assert submission_id not in {d.submission_id for d in drafts(sample_store, actor="shopper")}
    qtbot.waitUntil(lambda: row_of_mine() == -1)
    assert "Deleted the draft" in window.statusBar().currentMessage()


def select_draft(home: HomeView, submission_id: str) -> bool:
    """Put Home's drafts list on one draft; False while it is not listed."""
    for row in range(home.draft_proxy.rowCount()):
        found = home.draft_proxy.data(home.draft_proxy.index(row, 0), ROW_ROLE)
        if isinstance(found, DraftRow) and found.submission_id == submission_id:
            home.drafts.setCurrentIndex(home.draft_proxy.index(row, 0))
            return True
    return False


def confirmation_of(qtbot: QtBot, window: MainWindow, submission_id: str) -> str:
    """What the delete confirmation says will go with a draft (then Cancel)."""
    qtbot.waitUntil(lambda: select_draft(window.home, submission_id))
    window.home.delete_button.click()
    dialog = window.delete_dialog
    assert dialog is not None
    said = dialog.informativeText()
    dialog.cancel_button.click()
    return said


def test_the_delete_confirmation_names_what_the_shopper_would_lose(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    commented = new_visit(sample_store, window)
    sample_store.save_answer(commented, "wait_minutes", None, comment="Mop bucket in the hall")
    sample_store.attach(commented, b"hall photo", filename="hall.jpg", media_type="image/jpeg")
    form_id = sample_store.latest_form_version("mystery_shop_empathy")
    assert form_id is not None
    assignment_id = sample_store.add_assignment(
        location_id=window.home.model.row_at(0).id, form_version_id=form_id, scenario="Spill"
    )
    # Started as the window starts it: the channel chosen and the brief fill two questions.
    fresh = sample_store.start_assignment(assignment_id, channel="phone", actor="shopper")
    FormFilling(sample_store, fresh).prefill({"channel": "phone"})
    assert set(sample_store.draft(fresh).answers) == {"channel", "scenario"}
    with qtbot.waitSignal(window.home.loaded):
        window.refresh()
    said = confirmation_of(qtbot, window, commented)
    assert said.startswith("Its 1 comment and 1 photo will be deleted for good.")
    said = confirmation_of(qtbot, window, fresh)
    assert said.startswith("No answers, comments or photos were given yet")
    sample_store.save_answer(fresh, "wait_minutes", 12)
    sample_store.save_answer(fresh, "channel", "chat")  # changed from the one chosen
    with qtbot.waitSignal(window.home.loaded):
        window.refresh()
    assert confirmation_of(qtbot, window, fresh).startswith("Its 2 answers will be deleted")
    assert {commented, fresh} <= {d.submission_id for d in drafts(sample_store, actor="shopper")}


def back_in(qtbot: QtBot, window: QWidget) -> None:
    """The window made active, as a user would (offscreen, Qt does not do it)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def current_draft(home: HomeView) -> str:
    found = home.draft_proxy.data(home.drafts.currentIndex(), ROW_ROLE)
    assert isinstance(found, DraftRow)
    return found.submission_id


def test_after_a_delete_the_keyboard_is_on_the_next_draft_and_the_message_beside_it(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    oldest = new_visit(sample_store, window)
    older = new_visit(sample_store, window)
    newer = new_visit(sample_store, window)
    with qtbot.waitSignal(window.home.loaded):
        window.refresh()
    home = window.home
    assert select_draft(home, newer)
    row = home.drafts.currentIndex().row()
    home.drafts.setFocus()
    assert (
        home.draft_proxy.data(home.draft_proxy.index(row + 1, 0), ROW_ROLE).submission_id == older
    )
    home.delete_button.click()
    assert window.delete_dialog is not None
    with qtbot.waitSignal(home.loaded):
        window.delete_dialog.delete_button.click()
    back_in(qtbot, window)
    assert focused() is home.drafts
    assert current_draft(home) == older  # the draft that took its place
    assert home.drafts_note.isVisible()
    assert home.drafts_note.text().startswith("Deleted the draft “Mystery shop")
    assert home.drafts.accessibleDescription() == home.drafts_note.text()
    # Deleted from within a visit: back on Home, in the same place.
    window.open_evaluation(older)
    evaluation(window).delete_button.click()
    assert window.delete_dialog is not None
    with qtbot.waitSignal(home.loaded):
        window.delete_dialog.delete_button.click()
    assert window.current_view() is home
    back_in(qtbot, window)
    assert focused() is home.drafts
    assert home.drafts.currentIndex().row() == row
    assert current_draft(home) == oldest
    assert older not in {d.submission_id for d in drafts(sample_store, actor="shopper")}
    # The message goes with the next reading of Home.
    with qtbot.waitSignal(home.loaded):
        window.refresh()
    assert not home.drafts_note.isVisible()
    assert home.drafts.accessibleDescription() == ""


def test_enter_or_escape_in_the_confirmation_never_deletes(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = open_window(qtbot, sample_store)
    submission_id = new_visit(sample_store, window)
    sample_store.save_answer(submission_id, "channel", "phone")
    with qtbot.waitSignal(window.home.loaded):
        window.refresh()
    assert select_draft(window.home, submission_id)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
        window.home.delete_button.click()
        dialog = window.delete_dialog
        assert dialog is not None
        back_in(qtbot, dialog)
        assert focused() is dialog.cancel_button
        press(qtbot, key)
        qtbot.waitUntil(lambda: window.delete_dialog is None)
        assert sample_store.draft(submission_id).answers == {"channel": "phone"}, key


def test_delete_is_offered_only_on_drafts_the_shopper_may_delete(
    qtbot: QtBot, sample_store: Store
) -> None:
    sent_back = a_finalized_visit(sample_store)
    sample_store.review(sent_back, actor="Dana", decision="revision_requested", note=NOTE)
    window = open_window(qtbot, sample_store)
    mine = new_visit(sample_store, window)
    form = sample_store.latest_form_version("mystery_shop_empathy")
    assert form is not None
    theirs = sample_store.start_submission(
        form, location_id=window.home.model.row_at(0).id, actor="lee"
    )
    with qtbot.waitSignal(window.home.loaded):
        window.refresh()
    home = window.home
    why_not = {
        mine: "",
        theirs: "Cannot be deleted: lee started it, and only they can delete it.",
        sent_back: (
            "Cannot be deleted: it is sent back for revision, and only a draft that was never "
            "finalized can be deleted. A manager can void it on the Submissions screen instead."
        ),
    }
    for submission_id, why in why_not.items():
        assert select_draft(home, submission_id)
        assert home.delete_button.isEnabled() == (not why)
        assert home.delete_button.toolTip() == why
        assert home.delete_button.accessibleDescription() == why
    # Within each visit, the same button says the same.
    for submission_id, why in why_not.items():
        window.open_evaluation(submission_id)
        button = evaluation(window).delete_button
        assert button.isVisible()
        assert button.isEnabled() == (not why)
        assert button.toolTip() == why


def test_a_draft_is_deleted_from_within_its_evaluation(qtbot: QtBot, sample_store: Store) -> None:
    window = open_window(qtbot, sample_store)
    submission_id = new_visit(sample_store, window)
    window.open_evaluation(submission_id)
    view = evaluation(window)
    assert view.delete_button.isVisible()
    view.delete_button.click()
    dialog = window.delete_dialog
    assert dialog is not None
    assert "cannot be undone" in dialog.informativeText()
    dialog.delete_button.click()
    assert window.current_view() is window.home
    assert submission_id not in {d.submission_id for d in drafts(sample_store, actor="shopper")}
