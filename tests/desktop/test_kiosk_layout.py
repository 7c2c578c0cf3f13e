"""Every question of every built-in form the kiosk asks fits a small kiosk screen: Back and
Next stay on it, no option is cut off, long scales sit in rows of large buttons, and what
cannot fit scrolls."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.kiosk_flow import KioskSession, KioskSetup, kiosk_forms
from desktop.views.kiosk import KioskWindow
from desktop.widgets.choices import TouchButton
from forms.authoring.builtin import install_builtin_forms
from forms.definition.model import Question
from forms.storage import Store


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def every_question(session: KioskSession) -> list[Question]:
    """Every question a respondent could be shown, whatever the skip logic would hide."""
    return [
        q
        for q in session.filling.form.questions()
        if q.type != "calculate" and (q.type != "note" or q.label)
    ]


def kiosk_on(qtbot: QtBot, store: Store, form_id: int, size: tuple[int, int]) -> KioskWindow:
    session = KioskSession(store, KioskSetup(form_id, None, "kiosk-1"))
    window = KioskWindow(session, lambda pin: False)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def show(qtbot: QtBot, window: KioskWindow, index: int) -> None:
    window.session.index = index
    window.show_question()
    qtbot.wait(1)


def options(window: KioskWindow) -> list[TouchButton]:
    assert window.question_widget is not None
    return window.question_widget.findChildren(TouchButton)


def window_problems(window: KioskWindow, size: tuple[int, int]) -> list[str]:
    """What a customer would notice: the window grew past the screen, Back or Next or an
    option is off it."""
    problems = []
    if window.size().toTuple() != size:
        problems.append(f"the window grew to {window.size().toTuple()}")
    inside = window.rect()
    for button in (window.back_button, window.next_button, *options(window)):
        if button.isVisible() and not inside.contains(rect_in(window, button)):
            problems.append(f"{button.text()!r} is off the screen")
    return problems


def page_problems(window: KioskWindow, _size: tuple[int, int]) -> list[str]:
    """An option hidden below the page, squeezed narrower than its words or cut at the bottom."""
    problems = []
    if window.survey.verticalScrollBar().maximum() > 0:
        problems.append("the page needs scrolling")
    viewport = rect_in(window, window.survey.viewport())
    for option in options(window):
        if not viewport.contains(rect_in(window, option)):
            problems.append(f"{option.text()!r} is below the page")
        if option.width() < option.narrowest:
            problems.append(f"{option.text()!r} is squeezed")
        if option.caption.height() < option.caption.heightForWidth(option.caption.width()):
            problems.append(f"{option.text()!r} is cut off")
    return problems


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768)])
def test_every_question_of_every_builtin_form_fits_the_kiosk_screen(
    qtbot: QtBot, store: Store, size: tuple[int, int]
) -> None:
    install_builtin_forms(store)
    form_ids = [info.id for info in kiosk_forms(store)]  # the forms without photo questions
    for check in (window_problems, page_problems):
        found: dict[str, list[str]] = {}
        for form_id in form_ids:
            window = kiosk_on(qtbot, store, form_id, size)
            session = window.session
            questions = every_question(session)
            session.questions = lambda questions=questions: questions  # type: ignore[method-assign]
            for language in session.languages() or (None,):
                if language is not None:
                    session.switch_language(language)
                for index, question in enumerate(questions):
                    show(qtbot, window, index)
                    where = f"{session.filling.form.key}/{question.name}/{language}"
                    found[where] = check(window, size)
            window.leave()
        assert len(found) > 20
        assert {where: problems for where, problems in found.items() if problems} == {}


def test_a_seven_point_scale_is_one_row_on_a_wide_screen_and_two_on_a_small_one(
    qtbot: QtBot, store: Store
) -> None:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    rows = {}
    for size in ((1366, 768), (1024, 600)):
        window = kiosk_on(qtbot, store, ids["customer_survey"], size)
        window.switch("Español (es)")
        show(qtbot, window, 2)
        assert window.session.current().name == "effort"
        buttons = options(window)
        assert len(buttons) == 7
        assert min(b.height() for b in buttons) >= 64  # a finger's width
        rows[size] = len({rect_in(window, b).top() for b in buttons})
        window.leave()
    assert rows == {(1366, 768): 1, (1024, 600): 2}


def test_a_question_taller_than_the_screen_scrolls_with_the_wheel(
    qtbot: QtBot, store: Store
) -> None:
    ids = {store.form_definition(i).key: i for i in install_builtin_forms(store)}
    window = kiosk_on(qtbot, store, ids["customer_survey"], (1024, 330))
    show(qtbot, window, 2)
    assert window.session.current().name == "effort"  # seven options, in two rows
    bar = window.survey.verticalScrollBar()
    assert bar.maximum() > 0
    assert window.size().toTuple() == (1024, 330)
    assert window.rect().contains(rect_in(window, window.next_button))
    # The wheel turned with the pointer over the first option (Qt hands it on to the page).
    viewport = window.survey.viewport()
    option = options(window)[0]
    centre = option.mapTo(viewport, option.rect().center())
    wheel = QWheelEvent(
        QPointF(centre),
        QPointF(viewport.mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, -120),  # one notch towards the user: the page moves up
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    assert bar.value() > 0
    window.leave()
