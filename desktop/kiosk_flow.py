"""The customer survey on a kiosk: one question per screen, a language switch, a thank-you,
then a fresh survey for the next customer. No Qt, so it is tested headless.

Every answer is saved as it is given (through FormFilling); a customer who walks away
leaves a draft, which never counts in reports.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forms.definition.model import Question
from forms.filling import FormFilling

if TYPE_CHECKING:
    from forms.storage import Store

KIOSK_ACTOR = "kiosk"

UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "next": "Next",
        "back": "Back",
        "finish": "Send my answers",
        "thanks": "Thank you!",
        "thanks_detail": "Your answers help our team look after you better.",
        "step": "Question {number} of {count}",
        "staff": "Staff",
    },
    "es": {
        "next": "Siguiente",
        "back": "Atrás",
        "finish": "Enviar mis respuestas",
        "thanks": "¡Gracias!",
        "thanks_detail": "Sus respuestas ayudan a nuestro equipo a atenderle mejor.",
        "step": "Pregunta {number} de {count}",
        "staff": "Personal",
    },
}
"""What the kiosk itself says, by language code; English when a code is not listed."""

_CODE = re.compile(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z]+)?\)\s*$")


def language_code(language: str | None) -> str:
    """ "es" for "Español (es)" (XLSForm's way of naming a language); "en" otherwise."""
    found = _CODE.search(language or "")
    return found.group(1).lower() if found else "en"


def language_name(language: str) -> str:
    """ "Español" for "Español (es)": what the language button shows."""
    return _CODE.sub("", language).strip() or language


def ui_text(language: str | None, key: str) -> str:
    """One of the kiosk's own texts in the respondent's language."""
    return UI_TEXT.get(language_code(language), UI_TEXT["en"])[key]


@dataclass(frozen=True)
class KioskSetup:
    """Which survey the kiosk runs, and where."""

    form_version_id: int
    location_id: int | None
    device_id: str = ""


class KioskSession:
    """One customer's survey after another on the same kiosk."""

    def __init__(self, store: Store, setup: KioskSetup) -> None:
        self.store = store
        self.setup = setup
        self.device_id = setup.device_id or f"kiosk:{socket.gethostname()}"
        self.filling: FormFilling = self._new_filling()
        self.index = 0
        self.finished = 0
        """Surveys sent from this kiosk since it started."""

    def _new_filling(self, language: str | None = None) -> FormFilling:
        submission_id = self.store.start_submission(
            self.setup.form_version_id,
            location_id=self.setup.location_id,
            device_id=self.device_id,
            language=language,
            actor=KIOSK_ACTOR,
        )
        return FormFilling(self.store, submission_id)

    def start_over(self) -> None:
        """A fresh survey in the form's default language, for the next customer."""
        self.filling = self._new_filling()
        self.index = 0

    # -- where the customer is --------------------------------------------------------
    def questions(self) -> list[Question]:
        """The questions shown now (skip logic applied), one per screen."""
        return [q for q in self.filling.visible_questions() if q.type != "note" or q.label]

    def current(self) -> Question:
        """The question on screen."""
        questions = self.questions()
        self.index = max(0, min(self.index, len(questions) - 1))
        return questions[self.index]

    def is_last(self) -> bool:
        """Whether the question on screen is the last one."""
        return self.index >= len(self.questions()) - 1

    def blocking_message(self) -> str | None:
        """Why the customer cannot go on from this question yet (required or invalid)."""
        return self.filling.problem_for(self.current().name, required=True)

    def forward(self) -> bool:
        """Go to the next question; False (and no move) while this one blocks."""
        if self.blocking_message() is not None or self.is_last():
            return False
        self.index += 1
        self.filling.set_position(self.current().name)
        return True

    def back(self) -> bool:
        """Go to the previous question; False on the first."""
        if self.index == 0:
            return False
        self.index -= 1
        self.filling.set_position(self.current().name)
        return True

    def step_text(self) -> str:
        """ "Question 2 of 8", in the respondent's language."""
        return ui_text(self.filling.language, "step").format(
            number=self.index + 1, count=len(self.questions())
        )

    # -- language and finishing ----------------------------------------------------------
    def languages(self) -> tuple[str, ...]:
        """The languages the survey can be answered in."""
        return self.filling.form.languages

    def switch_language(self, language: str) -> None:
        """Show the survey in another language, keeping the answers given."""
        self.filling.set_language(language)

    def finish(self) -> bool:
        """Send the survey (finalize it); False while something still blocks."""
        if self.blocking_message() is not None:
            return False
        problems = self.filling.problems()
        if problems:
            names = [q.name for q in self.questions()]
            first = problems[0].question
            self.index = names.index(first) if first in names else self.index
            return False
        self.filling.finalize(KIOSK_ACTOR)
        self.finished += 1
        return True
