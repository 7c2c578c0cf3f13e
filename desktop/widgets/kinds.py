"""Which editor a question gets, decided from its definition alone (no Qt, tested headless)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from forms.definition.model import Choice, FormDefinition, Question

EditorKind = Literal[
    "rating",
    "yes_no",
    "nps",
    "choices",
    "multiple",
    "integer",
    "decimal",
    "text",
    "multiline",
    "date",
    "time",
    "datetime",
    "photo",
    "note",
]

SHORT_LABEL = 28
"""Labels up to this many characters fit side by side on a horizontal scale."""


@dataclass(frozen=True)
class Scale:
    """How a rating or NPS scale is laid out, with its anchors (end labels)."""

    horizontal: bool
    low_anchor: str
    high_anchor: str


def _numeric(choices: tuple[Choice, ...]) -> list[int] | None:
    names = [c.name for c in choices if not c.not_applicable]
    if not names or not all(name.isdigit() for name in names):
        return None
    return [int(name) for name in names]


def editor_kind(form: FormDefinition, question: Question) -> EditorKind:
    """The editor family of a question: a scale, yes/no, a choice list, a number..."""
    kind = question.type
    if kind == "select_one":
        choices = form.choices(question)
        numbers = _numeric(choices)
        if "nps" in question.tags or numbers == list(range(11)):
            return "nps"
        plain = {c.name for c in choices if not c.not_applicable}
        if plain == {"yes", "no"}:
            return "yes_no"
        if numbers is not None and len(numbers) >= 3:
            return "rating"
        return "choices"
    if kind == "select_multiple":
        return "multiple"
    if kind in ("integer", "range"):
        return "integer"
    if kind == "decimal":
        return "decimal"
    if kind == "text":
        multiline = "multiline" in (question.appearance or "")
        return "multiline" if multiline else "text"
    if kind in ("date", "time", "datetime"):
        return kind
    if kind == "image":
        return "photo"
    return "note"


def scale_layout(
    form: FormDefinition, question: Question, language: str | None, *, touch: bool = False
) -> Scale:
    """Side by side when every label is short (and, on a touch screen, few), else one per
    line; a 0-10 scale is always side by side, with its end anchors under it."""
    choices = [c for c in form.choices(question) if not c.not_applicable]
    labels = [form.text(c.label, language) or c.name for c in choices]
    short = all(len(label) <= SHORT_LABEL for label in labels)
    low = labels[0] if labels else ""
    high = labels[-1] if labels else ""
    if editor_kind(form, question) == "nps":
        hint = form.text(question.hint, language)
        low, high = _nps_anchors(hint)
        return Scale(horizontal=True, low_anchor=low, high_anchor=high)
    # Big touch buttons side by side only fit when they are few.
    fits = short and (not touch or len(labels) <= 5)
    return Scale(horizontal=fits, low_anchor=low, high_anchor=high)


def _nps_anchors(hint: str) -> tuple[str, str]:
    """The anchors of a 0-10 scale, taken from a hint like "0 = not at all, 10 = extremely"."""
    low, high = "Not at all likely", "Extremely likely"
    for part in hint.split(","):
        number, _, words = part.partition("=")
        if words.strip() and number.strip() == "0":
            low = words.strip().capitalize()
        elif words.strip() and number.strip() == "10":
            high = words.strip().capitalize()
    return low, high


def choice_caption(form: FormDefinition, choice: Choice, language: str | None) -> str:
    """The text of a choice as a respondent reads it."""
    return form.text(choice.label, language) or choice.name
