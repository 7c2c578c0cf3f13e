"""Small form definitions for the store tests, built by hand from forms.definition.model models."""

from __future__ import annotations

from forms.definition.model import Band, Choice, FormDefinition, Group, Question

YES_NO = (Choice(name="yes", points=2), Choice(name="no", points=0))
YES_NO_NA = (
    Choice(name="yes", points=1),
    Choice(name="no", points=0),
    Choice(name="na", not_applicable=True),
)


def visit_form(version: str = "1", *, greeting_label: str = "Were you greeted?") -> FormDefinition:
    """A small mystery-shop form: a required empathy item, an N/A-able item, a critical item,
    a constrained number, free text and a photo."""
    return FormDefinition(
        key="store_visit",
        version=version,
        title={"default": "Store visit"},
        kind="mystery_shop",
        bands=(
            Band(name="Exceeds", lower=90),
            Band(name="Meets", lower=75),
            Band(name="Below", lower=0),
        ),
        children=(
            Question(name="intro", type="note", label={"default": "Welcome"}),
            Group(
                name="greeting",
                children=(
                    Question(
                        name="greeted",
                        type="select_one",
                        list_name="yes_no",
                        label={"default": greeting_label},
                        required=True,
                        tags=("empathy",),
                    ),
                    Question(
                        name="smiled",
                        type="select_one",
                        list_name="yes_no_na",
                        tags=("empathy",),
                    ),
                ),
            ),
            Group(
                name="resolution",
                children=(
                    Question(
                        name="resolved",
                        type="select_one",
                        list_name="yes_no",
                        required=True,
                        required_message={"default": "Say whether the issue was resolved."},
                        critical=True,
                    ),
                    Question(
                        name="wait_minutes",
                        type="integer",
                        constraint=". <= 120",
                        constraint_message={"default": "Give the wait in minutes, at most 120."},
                    ),
                    Question(name="notes", type="text"),
                    Question(name="photo", type="image"),
                ),
            ),
        ),
        choice_lists={"yes_no": YES_NO, "yes_no_na": YES_NO_NA},
    )


def counter_form(questions: int = 10) -> FormDefinition:
    """A form of `questions` optional integer questions q0, q1, ... for the autosave tests."""
    return FormDefinition(
        key="store_counters",
        version="1",
        title={"default": "Counters"},
        children=tuple(Question(name=f"q{index}", type="integer") for index in range(questions)),
    )
