"""Errors a user can act on: each names where the problem is and how to fix it."""

from __future__ import annotations


class RapportError(Exception):
    """Base of every error caused by bad input; the command line exits 2 on it."""


class ExplainedFailureError(Exception):
    """Not bad input but a failure Rapport can explain (what went wrong, what to try); the
    command line prints its message and exits 1, as for any unexpected failure."""


class FormDefinitionError(RapportError):
    """A form definition (YAML or XLSForm) is wrong.

    `source` is the file, `where` the row or YAML path, `question` the question
    name when there is one, and `message` says what is wrong and how to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        where: str = "",
        question: str = "",
    ) -> None:
        self.message = message
        self.source = source
        self.where = where
        self.question = question
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.source, self.where) if p]
        prefix = ", ".join(parts)
        if self.question:
            named = f"question '{self.question}'"
            prefix = f"{prefix}, {named}" if prefix else named
        return f"{prefix}: {self.message}" if prefix else self.message


class ExpressionError(RapportError):
    """An XLSForm expression cannot be parsed or names something that does not exist."""

    def __init__(self, message: str, *, expression: str = "", position: int | None = None) -> None:
        self.message = message
        self.expression = expression
        self.position = position
        where = f" at character {position + 1}" if position is not None else ""
        shown = f" in '{expression}'" if expression else ""
        super().__init__(f"{message}{where}{shown}")
