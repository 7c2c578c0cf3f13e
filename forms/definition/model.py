"""The form definition model: a form, its sections (groups), questions and choices.

A definition is immutable once built. It uses XLSForm's vocabulary so that a workbook
made in ODK, KoboToolbox or SurveyCTO maps onto it one to one, plus Rapport's scoring
columns (weight, critical, tags, coaching; points on choices; kind, scoring, bands).
Definitions are built from rows by `forms.authoring.builder`, never by hand in the app.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from forms.definition.limits import form_size_problem
from forms.errors import FormDefinitionError

DEFAULT_LANGUAGE = "default"
"""Key of a text given without a language (an XLSForm `label` column with no `::lang`)."""

FormKind = Literal["mystery_shop", "customer_survey", "employee_pulse", "inspection"]
ScoringMode = Literal["flat", "sections"]

QuestionType = Literal[
    "select_one",
    "select_multiple",
    "integer",
    "decimal",
    "range",
    "text",
    "date",
    "time",
    "datetime",
    "note",
    "image",
    "calculate",
]

ANSWERED_TYPES: frozenset[str] = frozenset(
    {
        "select_one",
        "select_multiple",
        "integer",
        "decimal",
        "range",
        "text",
        "date",
        "time",
        "datetime",
        "image",
    }
)
"""Question types a respondent answers (notes are shown, calculations computed)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


LocalText = dict[str, str]
"""A text in one or more languages: language name (as XLSForm writes it) -> text."""


_LANGUAGE_CODE = re.compile(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z]+)?\)\s*$")


def language_code(language: str | None) -> str:
    """ "es" for "Español (es)" (XLSForm's way of naming a language); "en" otherwise."""
    found = _LANGUAGE_CODE.search(language or "")
    return found.group(1).lower() if found else "en"


def pick_text(text: LocalText, language: str | None, fallback: str | None = None) -> str:
    """The text in `language`, else in `fallback`, else untranslated, else any language."""
    for lang in (language, fallback, DEFAULT_LANGUAGE):
        if lang is not None and text.get(lang):
            return text[lang]
    return next((value for value in text.values() if value), "")


class Choice(_Frozen):
    """One answer option of a choice list."""

    name: str
    label: LocalText = Field(default_factory=dict)
    points: float | None = None
    """Points earned when chosen; None = not scored."""
    not_applicable: bool = False
    """`points: na` in the definition: choosing it leaves the question out of the score."""
    extra: dict[str, str] = Field(default_factory=dict)
    """Other columns of the choices row, used by `choice_filter` expressions."""


class Band(_Frozen):
    """A named score band; `lower` is inclusive."""

    name: str
    lower: float


class Question(_Frozen):
    """One row of the survey: a question, a note or a calculation."""

    kind: Literal["question"] = "question"
    name: str
    type: QuestionType
    list_name: str | None = None
    """The choice list of select_one / select_multiple."""
    label: LocalText = Field(default_factory=dict)
    hint: LocalText = Field(default_factory=dict)
    required: bool = False
    required_message: LocalText = Field(default_factory=dict)
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: LocalText = Field(default_factory=dict)
    calculation: str | None = None
    choice_filter: str | None = None
    appearance: str | None = None
    default: str | None = None
    read_only: bool = False
    parameters: dict[str, float] = Field(default_factory=dict)
    """Range parameters: start, end, step."""
    scored_value: bool = False
    """A range question whose value itself is its points (`points: value` on the survey row)."""
    weight: float = 1.0
    critical: bool = False
    tags: tuple[str, ...] = ()
    coaching: LocalText = Field(default_factory=dict)
    """Tip shown in agent reports when this item scores low."""


class Group(_Frozen):
    """A group of questions; a top-level group is a section of the form."""

    kind: Literal["group"] = "group"
    name: str
    label: LocalText = Field(default_factory=dict)
    relevant: str | None = None
    appearance: str | None = None
    weight: float = 1.0
    children: tuple[Item, ...] = ()

    def questions(self) -> list[Question]:
        """Every question in this group and the groups inside it, in order."""
        return _flatten(self.children)


Item = Union[Question, Group]  # noqa: UP007 - pydantic needs the Union spelling for the forward ref
Group.model_rebuild()


def _flatten(items: tuple[Item, ...]) -> list[Question]:
    found: list[Question] = []
    for item in items:
        if isinstance(item, Group):
            found.extend(_flatten(item.children))
        else:
            found.append(item)
    return found


def _item_count(children: object) -> int:
    """Questions and groups in `children` at any depth, whether models or JSON data."""
    count = 0
    pending = [children]
    while pending:
        items = pending.pop()
        if not isinstance(items, list | tuple):
            continue  # not a list of items: validation says so
        count += len(items)
        for item in items:
            if isinstance(item, Group):
                pending.append(item.children)
            elif isinstance(item, dict):
                pending.append(item.get("children"))
    return count


class Section(_Frozen):
    """A page of the form and a unit of sectioned scoring.

    Top-level groups are sections; questions outside any group form an implicit section.
    """

    name: str
    label: LocalText
    weight: float
    relevant: str | None
    questions: tuple[Question, ...]
    group: Group | None


class FormDefinition(_Frozen):
    """A versioned, immutable form."""

    key: str
    """`form_id` in XLSForm settings."""
    version: str
    title: LocalText
    kind: FormKind | None = None
    scoring: ScoringMode = "flat"
    bands: tuple[Band, ...] = ()
    default_language: str | None = None
    languages: tuple[str, ...] = ()
    children: tuple[Item, ...] = ()
    choice_lists: dict[str, tuple[Choice, ...]] = Field(default_factory=dict)
    settings_extra: dict[str, str] = Field(default_factory=dict)
    """Other settings columns (e.g. instance_name), kept so a workbook round-trips."""

    @field_validator("children", mode="before")
    @classmethod
    def _not_too_large(cls, children: Any, info: ValidationInfo) -> Any:
        # Counted in what is given, before its thousands of questions are validated: a stored
        # or bundled definition beyond the limit is refused with the builder's message.
        problem = form_size_problem(_item_count(children))
        if problem is not None:
            # Not a ValueError, which pydantic would bury in a ValidationError.
            raise FormDefinitionError(problem, where=f"form '{info.data.get('key', '')}'")
        return children

    def questions(self) -> list[Question]:
        """Every question, note and calculation of the form, in order."""
        return _flatten(self.children)

    def question(self, name: str) -> Question:
        """The question called `name`; KeyError if there is none."""
        return self._questions_by_name()[name]

    def _questions_by_name(self) -> dict[str, Question]:
        # Looked up for every answer saved, every problem shown and every line of a report:
        # a search through the form each time made those quadratic in its size. The index is
        # kept with the children it was made from, since model_copy(update=...) copies it.
        index = self.__dict__.get("_question_index")
        if index is None or index[0] is not self.children:
            by_name: dict[str, Question] = {}
            for question in self.questions():
                by_name.setdefault(question.name, question)  # the first, as the search found
            index = (self.children, by_name)
            self.__dict__["_question_index"] = index
        found: dict[str, Question] = index[1]
        return found

    def sections(self) -> list[Section]:
        """The pages of the form: top-level groups, and loose top-level questions gathered."""
        sections: list[Section] = []
        loose: list[Question] = []
        loose_sections = 0  # counted as they are made: counting them again each time was slow

        def close_loose() -> None:
            nonlocal loose_sections
            if loose:
                index = loose_sections
                loose_sections += 1
                name = "general" if index == 0 else f"general_{index + 1}"
                sections.append(
                    Section(
                        name=name,
                        label=self.title,
                        weight=1.0,
                        relevant=None,
                        questions=tuple(loose),
                        group=None,
                    )
                )
                loose.clear()

        for item in self.children:
            if isinstance(item, Group):
                close_loose()
                sections.append(
                    Section(
                        name=item.name,
                        label=item.label,
                        weight=item.weight,
                        relevant=item.relevant,
                        questions=tuple(item.questions()),
                        group=item,
                    )
                )
            else:
                loose.append(item)
        close_loose()
        return sections

    def choices(self, question: Question) -> tuple[Choice, ...]:
        """The choice list of a select question (empty for other types)."""
        if question.list_name is None:
            return ()
        return self.choice_lists.get(question.list_name, ())

    def band_for(self, score: float) -> str | None:
        """The band a score falls in (lower bounds inclusive), or None without bands."""
        for band in sorted(self.bands, key=lambda b: b.lower, reverse=True):
            if score >= band.lower:
                return band.name
        return None

    def text(self, value: LocalText, language: str | None = None) -> str:
        """A text of this form in `language`, falling back to the form's default language."""
        return pick_text(value, language, self.default_language)

    def canonical_json(self) -> str:
        """The definition as canonical JSON: sorted keys, no whitespace; what the hash covers."""
        return json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )

    def sha256(self) -> str:
        """Hex sha256 of the canonical JSON: two forms with the same hash are the same form."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, text: str) -> FormDefinition:
        """Rebuild a definition stored as canonical JSON."""
        return cls.model_validate_json(text)
