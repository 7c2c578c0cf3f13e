"""FormFilling and the kiosk flow without a window: prefill, flags, language, photos, and a
choice list that follows an earlier answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from desktop.kiosk_flow import KioskSession, KioskSetup
from desktop.views.evaluation import EvaluationView
from forms.authoring.builtin import install_builtin_forms
from forms.authoring.loader import load_form
from forms.errors import RapportError
from forms.filling import FormFilling
from forms.storage import Store

FILTERED = """
settings: {form_id: filtered, version: "1", form_title: Filtered}
survey:
  - {type: select_one reach, name: how, label: "How did you get in touch?"}
  - {type: select_one channel, name: channel, label: Which channel, choice_filter: "reach = ${how}"}
choices:
  reach:
    - {name: remote, label: From afar}
    - {name: onsite, label: On site}
  channel:
    - {name: phone, label: Phone, reach: remote}
    - {name: email, label: Email, reach: remote}
    - {name: desk, label: At the desk, reach: onsite}
"""


@pytest.fixture
def forms(store: Store) -> dict[str, int]:
    return {store.form_definition(i).key: i for i in install_builtin_forms(store)}


def test_prefill_answers_only_what_the_form_can_take(store: Store, forms: dict[str, int]) -> None:
    submission = store.start_submission(forms["mystery_shop_empathy"])
    filling = FormFilling(store, submission)
    assert filling.prefill({"channel": "smoke signals", "nothing_like_this": 1}) == []
    assert filling.prefill({"channel": "phone"}) == ["channel"]
    assert store.draft(submission).answers == {"channel": "phone"}
    assert filling.current_question is None  # prefilling does not move the respondent
    assert filling.prefill({"channel": "email"}) == []  # an answer is never overwritten


def test_critical_failures_and_bottom_levels_are_flagged(
    store: Store, forms: dict[str, int]
) -> None:
    filling = FormFilling(store, store.start_submission(forms["mystery_shop_empathy"]))
    filling.set_answer("greeting_rating", "1")
    filling.set_answer("listening_rating", "4")
    filling.set_answer("dismissed_customer", "yes")
    flags = {flag.question: flag.reason for flag in filling.flagged()}
    assert flags == {
        "greeting_rating": "The lowest level of the scale.",
        "dismissed_customer": "Critical: this answer makes the visit score 0.",
    }


def test_language_is_checked_and_remembered(store: Store, forms: dict[str, int]) -> None:
    submission = store.start_submission(forms["customer_survey"])
    filling = FormFilling(store, submission)
    with pytest.raises(RapportError, match="no language 'Klingon'"):
        filling.set_language("Klingon")
    filling.set_language("Español (es)")
    assert store.draft(submission).language == "Español (es)"
    assert FormFilling(store, submission).text(filling.form.question("csat").label).startswith("¿")
    assert filling.required_message("csat") == "Elija una respuesta para continuar."


def test_photo_answers_its_question_with_the_file_name(store: Store, forms: dict[str, int]) -> None:
    filling = FormFilling(store, store.start_submission(forms["mystery_shop_empathy"]))
    attachment = filling.attach_photo("evidence_photo", b"\x89PNG fake", "spill.png", "image/png")
    assert filling.answers["evidence_photo"] == "spill.png"
    current = filling.current_photo("evidence_photo")
    assert current is not None
    assert current.id == attachment
    filling.set_answer("evidence_photo", None)
    assert filling.current_photo("evidence_photo") is None


def test_kiosk_does_not_move_on_from_a_required_question(
    store: Store, forms: dict[str, int]
) -> None:
    session = KioskSession(store, KioskSetup(forms["customer_survey"], None, "kiosk-test"))
    assert session.current().name == "csat"
    assert not session.forward()
    assert session.blocking_message() == "Please choose an answer to continue."
    session.filling.set_answer("csat", "5")
    assert session.forward()
    assert session.current().name == "nps"
    assert session.finish()  # the other questions are optional
    assert store.draft(session.filling.submission_id).status == "final"
    assert session.finished == 1


def test_a_choice_list_follows_the_answer_it_depends_on(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "filtered.yaml"
    source.write_text(FILTERED, encoding="utf-8")
    version = store.add_form(load_form(source))
    view = EvaluationView(FormFilling(store, store.start_submission(version)), "shopper")
    qtbot.addWidget(view)
    view.show()

    def channels() -> list[str]:
        editor = view.question_widgets["channel"].editor
        return [b.text() for b in editor.findChildren(QRadioButton)]

    assert channels() == []
    view.question_widgets["how"].editor.buttons["remote"].click()  # type: ignore[attr-defined]
    assert channels() == ["Phone", "Email"]
    view.question_widgets["how"].editor.buttons["onsite"].click()  # type: ignore[attr-defined]
    assert channels() == ["At the desk"]


BILINGUAL = """
settings: {form_id: bilingual, version: "1", form_title: Two languages, kind: customer_survey,
           default_language: English (en)}
survey:
  - type: integer
    name: visits
    label: {English (en): How many visits?, Español (es): ¿Cuántas visitas?}
    required: yes
    constraint: ". <= 10"
  - type: integer
    name: people
    label: {English (en): How many people?, Español (es): ¿Cuántas personas?}
    constraint: ". <= 5"
    constraint_message: {English (en): At most five., Español (es): Como mucho cinco.}
"""


def test_every_message_follows_the_respondents_language(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "bilingual.yaml"
    source.write_text(BILINGUAL, encoding="utf-8")
    version = store.add_form(load_form(source))
    filling = FormFilling(store, store.start_submission(version, language="Español (es)"))
    assert filling.problem_for("visits", required=True) == "Esta pregunta necesita una respuesta."
    filling.set_answer("visits", 11)
    filling.set_answer("people", 6)
    assert filling.problem_for("visits") == "Esta respuesta no es válida."
    assert filling.problem_for("people") == "Como mucho cinco."
    with pytest.raises(RapportError) as refused:
        filling.finalize("kiosk")
    assert "Como mucho cinco." in str(refused.value)
    assert "At most" not in str(refused.value)
    filling.set_language("English (en)")
    assert filling.problem_for("people") == "At most five."
    assert filling.problem_for("visits") == "This answer is not allowed: . <= 10"
