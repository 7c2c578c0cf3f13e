"""The regular expressions form authors write (XLSForm's regex()), run by RE2.

Python's own engine backtracks: `regex(., '^(a+)+$')` on 28 characters took 53 seconds, and
the customer survey's e-mail check 66 seconds on a 50,000-character paste, which froze the
kiosk. RE2 runs in time linear in the answer's length for every pattern, in bounded memory.
It leaves out the two features that need backtracking (back-references such as \\1 and
look-arounds such as (?=...)); a form that uses them is refused where it is checked, with
the row named, rather than accepted and then slow.
"""

from __future__ import annotations

import functools
from typing import Any

MAX_PATTERN_LENGTH = 1_000
"""Characters a regex() pattern may have; a longer one is refused."""
_MAX_PATTERN_MEMORY = 8 << 20
"""Bytes RE2 may use for one compiled pattern."""


class PatternError(ValueError):
    """A pattern RE2 cannot run; the message says why in a form author's words."""


@functools.lru_cache(maxsize=256)
def compiled_pattern(pattern: str) -> Any:
    """The RE2 program of `pattern` (cached); PatternError if it cannot be used."""
    import re2

    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(
            f"the pattern is {len(pattern):,} characters long; keep it under {MAX_PATTERN_LENGTH:,}"
        )
    options = re2.Options()
    options.log_errors = False
    options.max_mem = _MAX_PATTERN_MEMORY
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = (
            error.args[0].decode()
            if error.args and isinstance(error.args[0], bytes)
            else str(error)
        )
        hint = ""
        if "escape sequence" in reason and any(f"\\{d}" in pattern for d in "123456789"):
            hint = " (back-references such as \\1 are not supported)"
        elif "perl operator" in reason and (
            "(?=" in pattern or "(?!" in pattern or "(?<" in pattern
        ):
            hint = " (look-arounds such as (?=...) and (?!...) are not supported)"
        raise PatternError(f"{reason}{hint}") from None


def pattern_matches(pattern: str, text: str) -> bool:
    """Whether `text` contains a match of `pattern`, in time linear in the text's length."""
    return compiled_pattern(pattern).search(text) is not None
