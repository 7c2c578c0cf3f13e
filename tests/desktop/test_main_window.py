"""The main window as a shopper and a manager use it, offscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QRadioButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.main_window import MainWindow
from desktop.views.evaluation import EvaluationView
from forms.period import last_days
from forms.storage import Store
from forms.storage.tables import Answer, Submission
from tests.conftest import SAMPLE_TODAY


def test_home_lists_every_sample_location_with_its_visits(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = MainWindow(sample_store, actor="test")
    qtbot.addWidget(window)
    model = window.home.model
    with qtbot.waitSignal(window.home.loaded):
        window.home.set_period(last_days(90, SAMPLE_TODAY))  # the sample's last 90 days
    qtbot.waitUntil(lambda: model.rowCount() == 8)
    names = {model.row_at(row).name for row in range(model.rowCount())}
    assert "Harbor Point Offices" in names
    assert all(model.row_at(row).visits > 0 for row in range(model.rowCount()))


def test_location_model_passes_qt_model_checks(
    qtbot: QtBot, qtmodeltester: ModelTester, sample_store: Store
) -> None:
    window = MainWindow(sample_store, actor="test")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home.loaded):
        pass
    qtmodeltester.check(window.home.model)
    qtmodeltester.check(window.home.proxy)


def test_search_box_filters_locations(qtbot: QtBot, sample_store: Store) -> None:
    window = MainWindow(sample_store, actor="test")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.home.model.rowCount() == 8)
    qtbot.keyClicks(window.home.search, "medical")
    assert window.home.proxy.rowCount() == 1
    index = window.home.proxy.index(0, 0)
    assert window.home.proxy.data(index, Qt.ItemDataRole.DisplayRole) == "Riverside Medical Plaza"


def test_shopper_answers_and_each_answer_is_saved_at_once(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = MainWindow(sample_store, actor="shopper")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.home.model.rowCount() == 8)
    forms = {info.key: info.id for info in sample_store.list_forms()}
    location = window.home.model.row_at(0)
    submission_id = sample_store.start_submission(forms["customer_survey"], location_id=location.id)
    window.open_evaluation(submission_id)
    view = window.evaluation
    assert isinstance(view, EvaluationView)
    first = next(iter(view.question_widgets.values()))
    choice_buttons = first.editor.findChildren(QRadioButton)
    assert choice_buttons, "the first customer question is a choice"
    qtbot.mouseClick(choice_buttons[-1], Qt.MouseButton.LeftButton)
    assert view.saved.text() == "Saved"
    with sample_store.writing() as session:
        saved = session.execute(
            select(Answer.value).where(
                Answer.submission_id == submission_id, Answer.question == first.question.name
            )
        ).scalar_one()
        status = session.execute(
            select(Submission.status).where(Submission.id == submission_id)
        ).scalar_one()
    assert saved == choice_buttons[-1].property("choice")
    assert status == "draft"


def test_the_status_bar_names_the_database_without_its_password(qtbot: QtBot, store: Store) -> None:
    store.url = "postgresql+psycopg://rapport:s3cret-pass@server/rapport"
    window = MainWindow(store, actor="manager")
    qtbot.addWidget(window)
    shown = window.statusBar().currentMessage()
    assert "s3cret-pass" not in shown
    assert "rapport:***@server/rapport" in shown
