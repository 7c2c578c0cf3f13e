"""Each question type gets its editor; messages, photos and finalizing as a shopper sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel, QRadioButton
from pytestqt.qtbot import QtBot

from desktop.views.evaluation import EvaluationView
from desktop.widgets import photo
from desktop.widgets.choices import ChoiceEditor, MultipleChoiceEditor
from desktop.widgets.inputs import DateTimeEditor, DecimalEditor, IntegerEditor, TextEditor
from desktop.widgets.photo import PhotoEditor
from forms.authoring.loader import load_form
from forms.errors import RapportError
from forms.filling import FormFilling
from forms.storage import Store
from tests.desktop.keyboard import press, show_active, type_text

EVERY_TYPE = """
settings:
  form_id: every_type
  version: "1"
  form_title: Every type
  kind: mystery_shop
survey:
  - {type: begin_group, name: ratings, label: Ratings}
  - type: select_one five
    name: tidy
    label: How tidy was the lobby?
    hint: Look at the floor and the bins.
    required: yes
  - {type: select_one yes_no_na, name: signage, label: "Was a wet-floor sign up?"}
  - {type: select_one colours, name: colour, label: Uniform colour}
  - {type: select_one eleven, name: recommend, label: "Would you recommend us?",
     hint: "0 = not at all likely, 10 = extremely likely"}
  - {type: select_multiple colours, name: seen, label: Colours seen}
  - {type: end_group}
  - {type: begin_group, name: facts, label: Facts}
  - {type: integer, name: minutes, label: Minutes waited, constraint: ". <= 60",
     constraint_message: "At most 60 minutes: enter 60 and explain in a comment."}
  - {type: decimal, name: temperature, label: Room temperature}
  - {type: text, name: badge, label: Name on the badge}
  - {type: text, name: notes, label: Notes, appearance: multiline}
  - {type: date, name: day, label: Day of the visit}
  - {type: time, name: arrived, label: Time you arrived}
  - {type: datetime, name: called_back, label: When they called back}
  - {type: image, name: picture, label: Photo of the lobby}
  - {type: note, name: thanks, label: Thank you.}
  - {type: end_group}
choices:
  five:
    - {name: "1", label: Very poor, points: 1}
    - {name: "2", label: Poor, points: 2}
    - {name: "3", label: Fair, points: 3}
    - {name: "4", label: Good, points: 4}
    - {name: "5", label: Excellent, points: 5}
  yes_no_na:
    - {name: "yes", label: "Yes", points: 1}
    - {name: "no", label: "No", points: 0}
    - {name: na, label: Not applicable, points: na}
  colours:
    - {name: blue, label: Blue}
    - {name: green, label: Green}
  eleven:
    - {name: "0", label: "0"}
    - {name: "1", label: "1"}
    - {name: "2", label: "2"}
    - {name: "3", label: "3"}
    - {name: "4", label: "4"}
    - {name: "5", label: "5"}
    - {name: "6", label: "6"}
    - {name: "7", label: "7"}
    - {name: "8", label: "8"}
    - {name: "9", label: "9"}
    - {name: "10", label: "10"}
"""


@pytest.fixture
def view(qtbot: QtBot, store: Store, tmp_path: Path) -> EvaluationView:
    source = tmp_path / "every_type.yaml"
    source.write_text(EVERY_TYPE, encoding="utf-8")
    version_id = store.add_form(load_form(source))
    location_id = store.upsert_location("LOB", "Lobby Tower")
    submission_id = store.start_submission(version_id, location_id=location_id)
    shown = EvaluationView(FormFilling(store, submission_id), "shopper")
    qtbot.addWidget(shown)
    shown.resize(900, 700)
    show_active(qtbot, shown)
    return shown


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a radio button or tick box on its indicator, where a user would."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def saved(view: EvaluationView) -> dict[str, object]:
    return dict(view.filling.store.draft(view.filling.submission_id).answers)


def test_choice_questions_show_their_options_and_anchors(
    qtbot: QtBot, view: EvaluationView
) -> None:
    editors = {name: w.editor for name, w in view.question_widgets.items()}
    tidy = editors["tidy"]
    assert isinstance(tidy, ChoiceEditor)
    labels = [b.text() for b in tidy.findChildren(QRadioButton)]
    assert labels == ["Very poor", "Poor", "Fair", "Good", "Excellent"]
    assert all(b.isVisible() for b in tidy.findChildren(QRadioButton))
    hint = view.question_widgets["tidy"].findChild(QLabel, "hint")
    assert hint is not None
    assert hint.text() == "Look at the floor and the bins."

    signage = editors["signage"]
    assert [b.text() for b in signage.findChildren(QRadioButton)] == [
        "Yes",
        "No",
        "Not applicable",
    ]
    recommend = editors["recommend"]
    assert [b.text() for b in recommend.findChildren(QRadioButton)] == [str(n) for n in range(11)]
    anchors = [label.text() for label in recommend.findChildren(QLabel) if label.isVisible()]
    assert anchors == ["Not at all likely", "Extremely likely"]

    click(qtbot, tidy.buttons["4"])
    click(qtbot, signage.buttons["na"])
    click(qtbot, editors["colour"].buttons["green"])
    click(qtbot, recommend.buttons["9"])
    seen = editors["seen"]
    assert isinstance(seen, MultipleChoiceEditor)
    for box in seen.findChildren(QCheckBox):
        click(qtbot, box)
    assert saved(view) == {
        "tidy": "4",
        "signage": "na",
        "colour": "green",
        "recommend": "9",
        "seen": ["blue", "green"],
    }
    tidy.buttons["4"].setFocus()
    press(qtbot, Qt.Key.Key_Delete)  # takes the answer back
    assert "tidy" not in saved(view)


def test_typed_answers_are_saved_with_their_types(qtbot: QtBot, view: EvaluationView) -> None:
    view.go_next()
    editors = {name: w.editor for name, w in view.question_widgets.items()}
    minutes, temperature = editors["minutes"], editors["temperature"]
    assert isinstance(minutes, IntegerEditor)
    assert isinstance(temperature, DecimalEditor)
    assert minutes.spin.text() == "not answered"
    minutes.spin.setFocus()
    type_text(qtbot, "12")
    press(qtbot, Qt.Key.Key_Tab)
    temperature.spin.setValue(21.5)
    badge, notes = editors["badge"], editors["notes"]
    assert isinstance(badge, TextEditor)
    assert isinstance(notes, TextEditor)
    badge.field.setFocus()
    type_text(qtbot, "Ana P.")
    notes.field.setFocus()  # leaving the line saves it at once
    type_text(qtbot, "Bins full.")
    qtbot.waitUntil(lambda: saved(view).get("notes") == "Bins full.")  # after a typing pause
    day, arrived, called = editors["day"], editors["arrived"], editors["called_back"]
    assert isinstance(day, DateTimeEditor)
    assert day.edit.text() == "not answered"
    day.edit.setDate(QDate(2026, 3, 4))
    assert isinstance(arrived, DateTimeEditor)
    arrived.edit.setTime(QTime(9, 30))
    assert isinstance(called, DateTimeEditor)
    called.edit.setDateTime(QDateTime(QDate(2026, 3, 5), QTime(14, 5)))
    assert saved(view) == {
        "minutes": 12,
        "temperature": 21.5,
        "badge": "Ana P.",
        "notes": "Bins full.",
        "day": "2026-03-04",
        "arrived": "09:30",
        "called_back": "2026-03-05T14:05",
    }


def test_a_broken_constraint_is_explained_next_to_its_question(
    qtbot: QtBot, view: EvaluationView
) -> None:
    view.go_next()
    widget = view.question_widgets["minutes"]
    assert not widget.message.isVisible()
    widget.editor.spin.setValue(90)  # type: ignore[attr-defined]
    assert widget.message.isVisible()
    assert widget.message.text() == "At most 60 minutes: enter 60 and explain in a comment."
    widget.editor.spin.setValue(45)  # type: ignore[attr-defined]
    assert not widget.message.isVisible()


def test_a_required_question_left_blank_is_pointed_out_once_the_page_is_left(
    qtbot: QtBot, view: EvaluationView
) -> None:
    assert not view.question_widgets["tidy"].message.isVisible()
    view.go_next()
    view.go_back()
    message = view.question_widgets["tidy"].message
    assert message.isVisible()
    assert message.text() == "This question needs an answer."


def test_photo_is_attached_and_shown_as_a_thumbnail(
    qtbot: QtBot, view: EvaluationView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = tmp_path / "lobby.png"
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    assert image.save(str(picture))
    monkeypatch.setattr(photo, "choose_photo_file", lambda parent: picture)
    view.go_next()
    editor = view.question_widgets["picture"].editor
    assert isinstance(editor, PhotoEditor)
    qtbot.mouseClick(editor.attach_button, Qt.MouseButton.LeftButton)
    shown = editor.picture.pixmap()
    assert not shown.isNull()
    assert max(shown.width(), shown.height()) == photo.THUMBNAIL
    assert saved(view)["picture"] == "lobby.png"
    stored = view.filling.current_photo("picture")
    assert stored is not None
    assert view.filling.store.attachment_bytes(stored.id) == picture.read_bytes()


def test_a_file_that_is_not_a_picture_is_refused_with_a_message(
    qtbot: QtBot, view: EvaluationView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "report.png"
    fake.write_text("not a picture", encoding="utf-8")
    monkeypatch.setattr(photo, "choose_photo_file", lambda parent: fake)
    view.go_next()
    widget = view.question_widgets["picture"]
    qtbot.mouseClick(widget.editor.attach_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert widget.message.isVisible()
    assert "report.png is not a picture" in widget.message.text()
    assert "picture" not in saved(view)


def test_finalize_is_refused_until_required_answers_are_given_then_locks(
    qtbot: QtBot, view: EvaluationView
) -> None:
    finished: list[str] = []
    view.finished.connect(finished.append)
    view.show_page(view.page_count() - 1)
    assert view.review is not None
    assert view.review.problems.count() == 1
    view.finalize()
    assert finished == []
    assert view.filling.store.draft(view.filling.submission_id).status == "draft"
    view.review.problems.setCurrentRow(0)
    view.review.problems.itemActivated.emit(view.review.problems.item(0))
    assert view.title.text() == "Ratings"
    click(qtbot, view.question_widgets["tidy"].editor.buttons["5"])  # type: ignore[attr-defined]
    view.show_page(view.page_count() - 1)
    assert "100.0" in view.review.score_label.text()
    view.finalize()
    assert finished == [view.filling.submission_id]
    with pytest.raises(RapportError, match="read-only"):
        view.filling.set_answer("tidy", "1")


@pytest.mark.parametrize("multiline", [True, False])
def test_a_pasted_page_of_text_stops_at_the_longest_answer_kept(
    qtbot: QtBot, multiline: bool
) -> None:
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    from forms.definition.limits import MAX_TEXT_ANSWER

    editor = TextEditor("", "Anything else?", multiline=multiline, touch=True)
    qtbot.addWidget(editor)
    pasted = "The lobby was a mess. " * 2_000  # 44,000 characters
    if isinstance(editor.field, QPlainTextEdit):
        editor.field.setPlainText(pasted)
    else:
        assert isinstance(editor.field, QLineEdit)
        editor.field.insert(pasted)
    assert len(editor.text()) == MAX_TEXT_ANSWER
