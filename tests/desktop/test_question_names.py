"""Questions whose names hold dots (q1.2, as forms allow) look like any other."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop.views.evaluation import EvaluationView
from desktop.widgets.questions import problem_colour
from forms.authoring.loader import load_form
from forms.filling import FormFilling
from forms.storage import Store
from tests.desktop.keyboard import show_active

DOTTED = """
settings:
  form_id: dotted
  version: "1"
  form_title: Dotted names
  kind: mystery_shop
survey:
  - {type: begin_group, name: s1, label: Section 1}
  - {type: integer, name: q1.2, label: Minutes waited, constraint: ". <= 60",
     constraint_message: "At most 60 minutes."}
  - {type: end_group}
"""


def test_a_question_named_with_a_dot_gets_its_problem_border(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "dotted.yaml"
    source.write_text(DOTTED, encoding="utf-8")
    version_id = store.add_form(load_form(source))
    location_id = store.upsert_location("LOB", "Lobby Tower")
    submission_id = store.start_submission(version_id, location_id=location_id)
    view = EvaluationView(FormFilling(store, submission_id), "shopper")
    qtbot.addWidget(view)
    view.resize(900, 700)
    show_active(qtbot, view)
    widget = view.question_widgets["q1.2"]
    widget.editor.spin.setValue(90)  # type: ignore[attr-defined]
    assert widget.message.text() == "At most 60 minutes."
    picture = widget.grab().toImage()
    edge = picture.pixelColor(0, picture.height() // 2)
    assert edge == QColor(problem_colour(widget)), f"border is {edge.name()}"
    widget.editor.spin.setValue(45)  # fixed: the border goes
    picture = widget.grab().toImage()
    assert picture.pixelColor(0, picture.height() // 2) != QColor(problem_colour(widget))
