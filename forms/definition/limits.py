"""How large things Rapport reads may be: answers, comments, numbers. Beyond a limit an
answer is refused with a message naming it, and the widgets stop at it, so a pasted page
of text or a number of a thousand digits never reaches a score or a report."""

from __future__ import annotations

MAX_TEXT_ANSWER = 10_000
"""Characters a text answer or a comment may have (about four printed pages); the answer
widgets stop there, and anything longer from a file is refused."""
MAX_CHOICE_NAME = 200
"""Characters of one choice name in an answer."""
MAX_NUMBER = 10**15
"""Largest absolute value of a numeric answer: a number with thousands of digits is no
answer anyone gives, and would only slow every figure computed from it."""


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
