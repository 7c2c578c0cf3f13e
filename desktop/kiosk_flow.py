"""The customer survey on a kiosk: one question per screen, a language switch, a thank-you,
then a fresh survey for the next customer. No Qt, so it is tested headless.

Every answer is saved as it is given (through FormFilling); a survey the customer walks
away from is discarded when the kiosk starts over, so it never lingers among the drafts.
"""

from __future__ import annotations

import math
import re
import socket
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from forms.definition.model import FormDefinition, Question, language_code
from forms.errors import RapportError
from forms.filling import FormFilling
from forms.storage.kiosk_pin import PinLockoutState, kiosk_lockout, save_kiosk_lockout
from reports.settings import DEFAULT_BRAND_COLOUR, readable_on_white

if TYPE_CHECKING:
    from forms.storage import FormVersionInfo, Store

KIOSK_ACTOR = "kiosk"
KIOSK_DEVICE_PREFIX = "kiosk:"
"""Every kiosk session's device id starts so: `kiosk:<host>:<session>`."""
ABANDONED_AFTER = timedelta(hours=1)
"""A kiosk session whose heartbeat is this old when a kiosk starts is gone (the laptop was
switched off or crashed mid-survey): its unfinished survey is discarded."""
HEARTBEAT_MS = 60_000
"""How often a running kiosk session renews its heartbeat."""

UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "next": "Next",
        "back": "Back",
        "finish": "Send my answers",
        "thanks": "Thank you!",
        "thanks_detail": "Your answers help our team look after you better.",
        "thanks_next": "Have a good day.",
        "step": "Question {number} of {count}",
        "staff": "Staff",
        "pin_title": "Manager PIN",
        "pin_prompt": "Enter the manager PIN to leave kiosk mode.",
        "pin_wrong": "That PIN is not right. Try again.",
        "pin_locked": "Too many wrong PINs. Try again in {seconds} s.",
        "clear": "Clear",
        "ok": "OK",
        "cancel": "Cancel",
    },
    "es": {
        "next": "Siguiente",
        "back": "Atrás",
        "finish": "Enviar mis respuestas",
        "thanks": "¡Gracias!",
        "thanks_detail": "Sus respuestas ayudan a nuestro equipo a atenderle mejor.",
        "thanks_next": "Que tenga un buen día.",
        "step": "Pregunta {number} de {count}",
        "staff": "Personal",
        "pin_title": "PIN del gerente",
        "pin_prompt": "Introduzca el PIN del gerente para salir del modo quiosco.",
        "pin_wrong": "Ese PIN no es correcto. Inténtelo de nuevo.",
        "pin_locked": "Demasiados PIN incorrectos. Inténtelo de nuevo en {seconds} s.",
        "clear": "Borrar",
        "ok": "Aceptar",
        "cancel": "Cancelar",
    },
}
"""What the kiosk itself says, by language code; English when a code is not listed."""

_CODE = re.compile(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z]+)?\)\s*$")


def language_name(language: str) -> str:
    """ "Español" for "Español (es)": what the language button shows."""
    return _CODE.sub("", language).strip() or language


def ui_text(language: str | None, key: str) -> str:
    """One of the kiosk's own texts in the respondent's language."""
    return UI_TEXT.get(language_code(language), UI_TEXT["en"])[key]


def kiosk_colour(store: Store) -> str:
    """The company's brand colour (Administration -> Settings), darkened until white text
    on it has at least 4.5:1 contrast: the kiosk's buttons and thank-you screen."""
    return readable_on_white(store.manager_settings().brand_colour or DEFAULT_BRAND_COLOUR)


MAX_PIN_ATTEMPTS = 5
FIRST_LOCKOUT_S = 30
LONGEST_LOCKOUT_S = 16 * 60


class PinLockout:
    """Wrong manager PINs at one kiosk. After MAX_PIN_ATTEMPTS wrong PINs in a row the keypad
    locks for 30 seconds, then twice as long after each further run of wrong PINs (at most
    16 minutes), until the right PIN is given. The kiosk session keeps it, so closing and
    reopening the PIN dialog does not start the count again; with `save`, every change is
    kept with the data, so switching the laptop off and on does not either."""

    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        *,
        saved: PinLockoutState | None = None,
        save: Callable[[PinLockoutState], None] | None = None,
    ) -> None:
        self._clock = clock
        self._save = save
        saved = saved or PinLockoutState()
        self.wrong = saved.wrong
        """Wrong PINs since the last lockout ended (or the right PIN)."""
        self.lockouts = saved.lockouts
        self._until = saved.until

    def remaining(self) -> int:
        """Whole seconds until a PIN may be tried again; 0 when it may be tried now. Never
        more than the longest lockout, even when the clock was set back."""
        return min(LONGEST_LOCKOUT_S, max(0, math.ceil(self._until - self._clock())))

    def record(self, right: bool) -> None:
        """Count one PIN tried (only while not locked)."""
        if right:
            self.wrong = self.lockouts = 0
            self._until = 0.0
        else:
            self.wrong += 1
            if self.wrong >= MAX_PIN_ATTEMPTS:
                seconds = min(FIRST_LOCKOUT_S * 2**self.lockouts, LONGEST_LOCKOUT_S)
                self._until = self._clock() + seconds
                self.lockouts += 1
                self.wrong = 0
        if self._save is not None:
            self._save(PinLockoutState(self.wrong, self.lockouts, self._until))


def kiosk_refusal(form: FormDefinition) -> str | None:
    """Why a form cannot be asked at the kiosk (None: it can). A photo question would open
    the system's file dialog, and with it the laptop's files, to anyone at the kiosk."""
    photos = [question.name for question in form.questions() if question.type == "image"]
    if photos:
        more = f" and {len(photos) - 2} more" if len(photos) > 2 else ""
        return (
            f"the form '{form.key}' asks for photos ({', '.join(photos[:2])}{more}), and a "
            "kiosk never opens the laptop's files to a customer: choose a form without photo "
            "questions"
        )
    return None


def kiosk_forms(store: Store) -> list[FormVersionInfo]:
    """The forms a kiosk can ask (every form without photo questions)."""
    return [
        info for info in store.list_forms() if kiosk_refusal(store.form_definition(info.id)) is None
    ]


def kept_pin_lockout(store: Store) -> PinLockout:
    """The kiosk's count of wrong PINs, as kept with the data, and kept there as it grows.
    A database that cannot be read or written keeps the count in memory only."""
    try:
        saved = kiosk_lockout(store)
    except RapportError:
        saved = None

    def keep(state: PinLockoutState) -> None:
        with suppress(RapportError):
            save_kiosk_lockout(store, state)

    return PinLockout(saved=saved, save=keep)


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
        refusal = kiosk_refusal(store.form_definition(setup.form_version_id))
        if refusal is not None:
            raise RapportError(refusal)
        # One id per session, not per laptop: two kiosk windows on one machine, or a kiosk
        # restarted while an old one still runs, never take each other's survey.
        self.device_id = (
            setup.device_id or f"{KIOSK_DEVICE_PREFIX}{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        )
        self.pin_lockout = kept_pin_lockout(store)
        # The heartbeat first, so no other kiosk starting meanwhile takes this one for gone.
        store.kiosk_alive(self.device_id)
        store.discard_abandoned_kiosk_drafts(
            device_prefix=KIOSK_DEVICE_PREFIX, idle=ABANDONED_AFTER
        )
        self.filling: FormFilling = self._new_filling()
        self.index = 0
        self.finished = 0
        """Surveys sent from this kiosk since it started."""

    def _new_filling(self, replacing: str | None = None) -> FormFilling:
        submission_id = self.store.start_submission(
            self.setup.form_version_id,
            location_id=self.setup.location_id,
            device_id=self.device_id,
            actor=KIOSK_ACTOR,
            replacing=replacing,
        )
        return FormFilling(self.store, submission_id)

    def start_over(self) -> None:
        """A fresh survey in the form's default language, for the next customer; the survey
        left unfinished (walked away from, or reset) is discarded in the same step."""
        self.filling = self._new_filling(replacing=self.filling.submission_id)
        self.index = 0

    def discard_unfinished(self) -> None:
        """Remove the survey on screen unless it was sent (a customer never comes back to
        it: the kiosk starts over, or the manager ends kiosk mode)."""
        if self.filling.editable:
            self.store.discard_kiosk_draft(self.filling.submission_id, device_id=self.device_id)

    def end(self) -> None:
        """Kiosk mode is left: the unsent survey goes, and so does the heartbeat."""
        self.discard_unfinished()
        self.store.kiosk_ended(self.device_id)

    def beat(self) -> None:
        """Renew the heartbeat (every minute), and remove the surveys of kiosks gone since
        (one switched off mid-survey and restarted at once, say); a busy database skips one
        beat, no more."""
        with suppress(RapportError):
            self.store.kiosk_alive(self.device_id)
            self.store.discard_abandoned_kiosk_drafts(
                device_prefix=KIOSK_DEVICE_PREFIX, idle=ABANDONED_AFTER
            )

    def survey_gone(self) -> bool:
        """Whether the survey on screen is no longer stored (removed by someone else), so
        the kiosk starts a new one rather than show the customer an error."""
        return not self.store.submission_exists(self.filling.submission_id)

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
