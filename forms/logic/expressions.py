"""XLSForm expressions: the XPath subset used in relevant, constraint, calculation, choice_filter.

Text is tokenized and parsed by hand into a small tree, then evaluated against answers;
nothing is ever handed to Python's eval. Values follow ODK/JavaRosa: an empty answer is
"" as text and NaN as a number, so `${age} > 5` is false while age is blank.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from forms.errors import ExpressionError
from forms.logic.functions import (
    FUNCTIONS,
    KNOWN_FUNCTIONS,
    OPERATIONS,
    UNSUPPORTED_FUNCTIONS,
    Function,
    is_empty,
    number_result,
    to_boolean,
    to_number,
    to_string,
)
from forms.logic.patterns import PatternError, compiled_pattern

__all__ = [
    "KNOWN_FUNCTIONS",
    "MAX_NESTING",
    "EvaluationContext",
    "Expression",
    "is_empty",
    "parse",
    "to_boolean",
    "to_number",
    "to_string",
]

MAX_NESTING = 30
"""Deepest nesting of parentheses, calls and minus signs; far beyond real forms, it keeps
parsing and evaluation well within Python's stack."""


# --- the tree --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Literal:
    value: object


@dataclass(frozen=True, slots=True)
class _Reference:
    """${name}; with `column`, a bare name in a choice_filter: a column of the choice."""

    name: str
    column: bool = False


@dataclass(frozen=True, slots=True)
class _Current:
    """`.`: the value of the question the expression belongs to."""


@dataclass(frozen=True, slots=True)
class _Negate:
    operand: _Node


@dataclass(frozen=True, slots=True)
class _Chain:
    """Operators of one precedence level applied left to right (a + b - c): a loop, not a
    recursion, so that a long sum of answers cannot exhaust the stack."""

    first: _Node
    rest: tuple[tuple[str, _Node], ...]


@dataclass(frozen=True, slots=True)
class _Call:
    name: str
    args: tuple[_Node, ...]


_Node = _Literal | _Reference | _Current | _Negate | _Chain | _Call


@dataclass(frozen=True)
class EvaluationContext:
    """What an expression sees: the answers, `.` (current) and the clock.

    `columns` holds the columns of the choice a choice_filter is testing.
    """

    values: Mapping[str, object]
    current: object = None
    today: dt.date | None = None
    now: dt.datetime | None = None
    columns: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Expression:
    """A parsed expression; build it with `parse`."""

    source: str
    _root: _Node = field(repr=False)

    def _nodes(self) -> Iterator[_Node]:
        stack: list[_Node] = [self._root]
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, _Negate):
                stack.append(node.operand)
            elif isinstance(node, _Chain):
                stack.extend([node.first, *(operand for _, operand in node.rest)])
            elif isinstance(node, _Call):
                stack.extend(node.args)

    def references(self) -> frozenset[str]:
        """Names of the questions used as ${name}."""
        nodes = self._nodes()
        return frozenset(n.name for n in nodes if isinstance(n, _Reference) and not n.column)

    def functions(self) -> frozenset[str]:
        """Names of the functions called."""
        return frozenset(n.name for n in self._nodes() if isinstance(n, _Call))

    def columns(self) -> frozenset[str]:
        """Choice columns named bare in a choice_filter (`name`, `cf`, ...)."""
        return frozenset(n.name for n in self._nodes() if isinstance(n, _Reference) and n.column)

    def uses_current(self) -> bool:
        """True if the expression reads `.`, the value of the question it belongs to."""
        return any(_reads_current(node) for node in self._nodes())

    def evaluate(self, context: EvaluationContext) -> object:
        """The value of the expression; never raises (bad arithmetic gives NaN)."""
        return _evaluate(self._root, context)


def _reads_current(node: _Node) -> bool:
    if isinstance(node, _Call):  # string-length() with no argument measures `.`
        return node.name == "once" or (node.name == "string-length" and not node.args)
    return isinstance(node, _Current)


def _evaluate(node: _Node, context: EvaluationContext) -> object:
    if isinstance(node, _Literal):
        return node.value
    if isinstance(node, _Reference):
        value = (context.columns if node.column else context.values).get(node.name)
        return "" if value is None else value
    if isinstance(node, _Current):
        return "" if context.current is None else context.current
    if isinstance(node, _Negate):
        return number_result(-to_number(_evaluate(node.operand, context)))
    if isinstance(node, _Chain):
        result = _evaluate(node.first, context)
        for symbol, operand in node.rest:
            if symbol in ("and", "or"):  # the right side is skipped once the answer is known
                decided = to_boolean(result) == (symbol == "or")
                result = to_boolean(result) if decided else to_boolean(_evaluate(operand, context))
            else:
                result = OPERATIONS[symbol](result, _evaluate(operand, context))
        return result
    if node.name == "if":  # only the branch taken is evaluated
        chosen = node.args[1] if to_boolean(_evaluate(node.args[0], context)) else node.args[2]
        return _evaluate(chosen, context)
    return FUNCTIONS[node.name].run([_evaluate(arg, context) for arg in node.args], context)


# --- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number, string, reference, name, dot, operator, (, ), comma, end
    text: str
    position: int
    value: object = None


# Spreadsheets turn straight quotes into typographic ones; accept those pairs too.
_QUOTES = {"'": "'", '"': '"', "‘": "’‘", "’": "’‘", "“": "”“", "”": "”“"}
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_NAME = re.compile(r"[^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?")
_QUESTION_NAME = re.compile(r"[^\W\d][\w.\-]*")
_OPERATORS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*")
_MISTAKES = {
    "==": "use a single '=' to compare",
    "&&": "use 'and' to combine conditions",
    "||": "use 'or' to combine conditions",
    "<>": "use '!=' for 'is not equal to'",
    "..": "refer to another question as ${name}",
    "!": "use not(...) to negate a condition",
    "/": "to divide use 'div' (e.g. ${a} div ${b}); to use an answer write ${name}, not a path",
    "%": "use 'mod' for the remainder of a division",
    "[": "square brackets (XPath predicates) are not supported",
    "|": "'|' (node-set union) is not supported",
    "@": "attributes ('@') are not supported",
    "$": "a question reference is written ${name}",
}


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    index, length = 0, len(source)
    value: object
    while index < length:
        char, pair, start = source[index], source[index : index + 2], index
        if char.isspace():
            index += 1
            continue
        if pair in _MISTAKES:
            raise _error(f"'{pair}' is not allowed: {_MISTAKES[pair]}", source, start)
        if pair == "${":
            index = source.find("}", start) + 1
            if index == 0:
                raise _error("'${' is never closed: write ${name}", source, start)
            kind, value = "reference", source[start + 2 : index - 1].strip()
            if not _QUESTION_NAME.fullmatch(value):
                message = f"'{source[start:index]}' does not name a question; write ${{name}}"
                raise _error(message, source, start)
        elif char in _QUOTES:
            index = next((i for i in range(start + 1, length) if source[i] in _QUOTES[char]), -2)
            if index < 0:
                message = f"the text starting with {char} is never closed; add the closing quote"
                raise _error(message, source, start)
            kind, value, index = "string", source[start + 1 : index], index + 1
        elif (number := _NUMBER.match(source, start)) is not None:
            kind, value, index = "number", number_result(float(number.group())), number.end()
        elif char == ".":
            kind, value, index = "dot", None, start + 1
        elif (name := _NAME.match(source, start)) is not None:
            kind, value, index = "name", None, name.end()
        elif char in "(),":
            kind, value, index = ("comma" if char == "," else char), None, start + 1
        elif (operator := next((o for o in _OPERATORS if pair.startswith(o)), None)) is not None:
            kind, value, index = "operator", None, start + len(operator)
        elif char in _MISTAKES:
            raise _error(f"'{char}' is not allowed: {_MISTAKES[char]}", source, start)
        else:
            raise _error(f"unexpected character '{char}'", source, start)
        tokens.append(_Token(kind, source[start:index], start, value))
    tokens.append(_Token("end", "", length))
    return tokens


def _error(message: str, source: str, position: int | None) -> ExpressionError:
    return ExpressionError(message, expression=source, position=position)


def _describe(token: _Token) -> str:
    return token.text if token.kind == "string" else f"'{token.text}'"


# --- parser ----------------------------------------------------------------------------------

_PRECEDENCE = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}
_PRECEDENCE.update({"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6})
_HIGHEST = max(_PRECEDENCE.values())
_WORD_OPERATORS = frozenset({"and", "or", "div", "mod"})
_TOO_DEEP = f"the expression is nested more than {MAX_NESTING} levels deep; split it up"


def parse(text: str, *, allow_columns: bool = False) -> Expression:
    """Parse an XLSForm expression; ExpressionError says what is wrong and where.

    `allow_columns` lets bare names stand for choice columns, as in a choice_filter
    (`filter = ${region}`); elsewhere a bare name is an error pointing to ${name}.
    """
    if not text.strip():
        raise _error("the expression is empty", text, None)
    parser = _Parser(text, _tokenize(text), allow_columns)
    root = parser.expression(1)
    parser.expect_end()
    return Expression(text, root)


class _Parser:
    """Recursive descent, with precedence climbing for the binary operators."""

    def __init__(self, source: str, tokens: list[_Token], allow_columns: bool) -> None:
        self.source = source
        self.tokens = tokens
        self.allow_columns = allow_columns
        self.index = 0
        self.nesting = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def fail(self, message: str, token: _Token) -> ExpressionError:
        return _error(message, self.source, token.position)

    def operator(self) -> str | None:
        token = self.peek()
        if token.kind == "operator" or (token.kind == "name" and token.text in _WORD_OPERATORS):
            return token.text
        return None

    def expression(self, level: int = 1) -> _Node:
        """Operators of precedence `level` (1 = or ... 6 = div) over higher-level operands."""
        if level > _HIGHEST:
            return self.unary()
        first = self.expression(level + 1)
        rest: list[tuple[str, _Node]] = []
        while (symbol := self.operator()) is not None and _PRECEDENCE[symbol] == level:
            token = self.advance()
            if self.peek().kind == "end":
                raise self.fail(f"the expression ends after '{symbol}'; add a value", token)
            rest.append((symbol, self.expression(level + 1)))
        return _Chain(first, tuple(rest)) if rest else first

    def enter(self, token: _Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.fail(_TOO_DEEP, token)

    def unary(self) -> _Node:
        token = self.peek()
        if token.kind == "operator" and token.text == "-":
            self.advance()
            self.enter(token)
            operand = self.unary()
            self.nesting -= 1
            return _Negate(operand)
        return self.primary()

    def primary(self) -> _Node:
        token = self.advance()
        if token.kind in ("number", "string"):
            return _Literal(token.value)
        if token.kind == "reference":
            return _Reference(str(token.value))
        if token.kind == "dot":
            return _Current()
        if token.kind == "name":
            return self.name(token)
        if token.kind == "(":
            self.enter(token)
            inner = self.expression()
            self.close(token)
            return inner
        if token.kind == "end":
            raise self.fail("the expression ends too early: a value is missing", token)
        if token.position == 0 and token.text == "=":
            message = "an expression does not start with '=' (it is not a spreadsheet formula)"
            raise self.fail(message, token)
        raise self.fail(f"a value is missing before '{token.text}'", token)

    def close(self, opening: _Token) -> None:
        found = self.advance()
        if found.kind == "end":
            raise self.fail("missing closing parenthesis: this '(' is never closed", opening)
        if found.kind != ")":
            raise self.fail(f"expected ')' or an operator but found {_describe(found)}", found)
        self.nesting -= 1

    def name(self, token: _Token) -> _Node:
        name = token.text
        if self.peek().kind == "(":
            return self.call(token)
        if name in _WORD_OPERATORS:
            raise self.fail(f"'{name}' needs a value on its left", token)
        if name in KNOWN_FUNCTIONS:
            raise self.fail(f"'{name}' is a function; write {FUNCTIONS[name].usage}", token)
        if self.allow_columns:
            return _Reference(name, column=True)
        message = (
            f"'{name}' is not a question reference; write ${{{name}}} to use the answer to "
            f"'{name}', or '{name}' in quotes for the text itself"
        )
        raise self.fail(message, token)

    def call(self, name_token: _Token) -> _Node:
        name = name_token.text
        function = FUNCTIONS.get(name)
        if function is None:
            raise self.fail(_unknown_function(name), name_token)
        opening = self.advance()
        self.enter(opening)
        args: list[_Node] = []
        while self.peek().kind not in (")", "end"):
            if self.peek().kind == "comma":
                raise self.fail(f"an argument of {name}() is missing", self.peek())
            args.append(self.expression())
            if self.peek().kind != "comma":
                break
            comma = self.advance()
            if self.peek().kind in (")", "end"):
                raise self.fail(f"an argument of {name}() is missing after ','", comma)
        self.close(opening)
        self.check_arity(name_token, function, len(args))
        if name == "regex" and isinstance(args[1], _Literal):
            try:
                compiled_pattern(to_string(args[1].value))
            except PatternError as problem:
                message = f"the pattern of regex() cannot be used: {problem}"
                raise self.fail(message, name_token) from None
        return _Call(name, tuple(args))

    def check_arity(self, token: _Token, function: Function, count: int) -> None:
        low, high = function.min_args, function.max_args
        if low <= count and (high is None or count <= high):
            return
        if high is None:
            wanted = f"at least {_plural(low)}"
        elif low == high:
            wanted = _plural(low) if low else "no arguments"
        else:
            wanted = f"{low} to {_plural(high)}"
        given = "none" if count == 0 else str(count)
        message = f"{token.text}() takes {wanted} but was given {given}: write {function.usage}"
        raise self.fail(message, token)

    def expect_end(self) -> None:
        token = self.peek()
        if token.kind == ")":
            raise self.fail("unexpected ')': there is no '(' for it to close", token)
        if token.kind != "end":
            message = (
                f"unexpected {_describe(token)} after a complete value; is an operator "
                "such as 'and', 'or', '=' or '+' missing?"
            )
            raise self.fail(message, token)


def _plural(count: int) -> str:
    return f"{count} argument" if count == 1 else f"{count} arguments"


def _unknown_function(name: str) -> str:
    if name in UNSUPPORTED_FUNCTIONS:
        return f"the XLSForm function '{name}' is not supported in Rapport forms"
    same = [known for known in sorted(KNOWN_FUNCTIONS) if known.lower() == name.lower()]
    close = same or difflib.get_close_matches(name, sorted(KNOWN_FUNCTIONS), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown function '{name}'{hint}"
