"""How large things Rapport reads may be: forms, answers, comments, numbers. Beyond a limit a
form or an answer is refused with a message naming it, and the widgets stop at it, so a
pasted page of text or a number of a thousand digits never reaches a score or a report, and
a form is never so large that checking it keeps its author waiting."""

from __future__ import annotations

MAX_QUESTIONS = 10_000
"""Questions a form may have, its groups, notes and calculations counted with them. A form
at the limit is checked in two to three seconds (`rapport forms validate`, YAML or .xlsx), and
each Finalize of it takes a fraction of one (tests/bench/form_size_bench.py); real evaluations
ask a few dozen questions."""
MAX_TEXT_ANSWER = 10_000
"""Characters a text answer or a comment may have (about four printed pages); the answer
widgets stop there, and anything longer from a file is refused."""
MAX_NOTE = 1_000
"""Characters of a manager's note on a submission: why it is voided, rejected or sent back
(a few sentences; the note and reason boxes stop there, and the store refuses longer)."""
MAX_CHOICE_NAME = 200
"""Characters of one choice name in an answer."""
MAX_NUMBER = 10**15
"""Largest absolute value of a numeric answer: a number with thousands of digits is no
answer anyone gives, and would only slow every figure computed from it."""


def form_size_problem(items: int, *, at_least: bool = False) -> str | None:
    """Why a form of `items` questions, groups, notes and calculations is too large, or None.

    `at_least` when counting stopped at the first item beyond the limit.
    """
    if items <= MAX_QUESTIONS:
        return None
    count = f"at least {items:,}" if at_least else f"{items:,}"
    return (
        f"the form has {count} questions, groups, notes and calculations; a form may have at "
        f"most {MAX_QUESTIONS:,}: split it into several forms"
    )


def answer_limit_problem(question: str, value: object) -> str | None:
    """Why `value` is beyond what any answer can be, or None when it is within the limits."""
    if isinstance(value, str) and len(value) > MAX_TEXT_ANSWER:
        return (
            f"the answer to '{question}' is {len(value):,} characters long; an answer may have "
            f"at most {MAX_TEXT_ANSWER:,}"
        )
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and not abs(value) < MAX_NUMBER:
        return f"the answer to '{question}' is beyond {MAX_NUMBER:.0e}: no answer is that large"
    if isinstance(value, list):
        if len(value) > 1_000:
            return f"the answer to '{question}' lists {len(value):,} choices; at most 1,000"
        for item in value:
            if not isinstance(item, str | int) or len(str(item)) > MAX_CHOICE_NAME:
                return f"the answer to '{question}' holds a value that is not a choice name"
    return None
