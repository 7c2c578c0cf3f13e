"""What XLSForm expression values mean, and the functions expressions can call.

Values follow ODK/JavaRosa (XPath 1.0): an empty answer is "" as text and NaN as a number,
selections are space-separated choice names, dates count days since 1970-01-01. Nothing
here raises on bad data: division by zero gives Infinity or NaN, as in ODK.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from forms.logic.patterns import PatternError, pattern_matches

if TYPE_CHECKING:
    from forms.logic.expressions import EvaluationContext

_EPOCH = dt.date(1970, 1, 1)
_NUMBER_TEXT = re.compile(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
_ZONE = r"(?:Z|[+-]\d{2}(?::?\d{2})?)?"
_DATETIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?" + _ZONE)
_TIME_TEXT = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?" + _ZONE)


# --- values ----------------------------------------------------------------------------------


def is_empty(value: object) -> bool:
    """True for an unanswered value: None, "" or an empty selection."""
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)


def to_boolean(value: object) -> bool:
    """XPath boolean(): non-zero numbers, non-empty text and non-empty selections are true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    if value is None:
        return False
    if isinstance(value, str | list | tuple):
        return len(value) > 0
    return True


def to_string(value: object) -> str:
    """XPath string(): numbers without a needless '.0', selections space-separated."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        # Adding 0.0 turns -0.0 into 0.0; XPath never writes an exponent (1e-07 is 0.0000001).
        shown = repr(value + 0.0)
        return format(Decimal(shown), "f") if "e" in shown else shown.removesuffix(".0")
    if isinstance(value, list | tuple):
        return " ".join(to_string(item) for item in value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def to_number(value: object) -> float:
    """XPath number(): NaN for blank or non-numeric text; dates count days since 1970-01-01."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:
            return math.copysign(math.inf, value)
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)  # wall-clock time: a form is filled in one place
        return (moment - dt.datetime(1970, 1, 1)).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    text = to_string(value)
    if _NUMBER_TEXT.fullmatch(text):
        return float(text)
    moment_value = _parse_moment(text.strip())
    return math.nan if moment_value is None else to_number(moment_value)


def _parse_moment(text: str) -> dt.date | dt.time | None:
    """An ISO 8601 date, date-time or time as XLSForm stores them, else None."""
    try:
        if _DATE_TEXT.fullmatch(text):
            return dt.date.fromisoformat(text)
        if _DATETIME_TEXT.fullmatch(text):
            return dt.datetime.fromisoformat(text)
        if _TIME_TEXT.fullmatch(text):
            return dt.time.fromisoformat(text)
    except ValueError:
        return None
    return None


def number_result(value: float) -> int | float:
    """Whole results as int so that `2 + 2` shows and stores as 4, not 4.0."""
    if value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


def _items(value: object) -> list[str]:
    """The choices of a select_multiple answer, given as a list or space-separated text."""
    if isinstance(value, list | tuple):
        return [to_string(item) for item in value]
    return to_string(value).split()


def _equal(left: object, right: object) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    numeric = (int, float, dt.date, dt.time)
    if isinstance(left, numeric) or isinstance(right, numeric):
        return to_number(left) == to_number(right)
    return to_string(left) == to_string(right)


def _divide(left: float, right: float) -> float:
    if right == 0:
        if left == 0 or math.isnan(left):
            return math.nan
        return math.copysign(math.inf, left) * math.copysign(1.0, right)
    return left / right


def _modulo(left: float, right: float) -> float:
    if right == 0 or math.isinf(left) or math.isnan(left) or math.isnan(right):
        return math.nan
    return math.fmod(left, right)  # XPath mod keeps the sign of the dividend, like fmod


def _arithmetic(operation: Callable[[float, float], float]) -> Callable[[object, object], object]:
    return lambda left, right: number_result(operation(to_number(left), to_number(right)))


def _relational(operation: Callable[[float, float], bool]) -> Callable[[object, object], object]:
    return lambda left, right: operation(to_number(left), to_number(right))


OPERATIONS: dict[str, Callable[[object, object], object]] = {
    "=": _equal,
    "!=": lambda left, right: not _equal(left, right),
    "<": _relational(operator.lt),
    "<=": _relational(operator.le),
    ">": _relational(operator.gt),
    ">=": _relational(operator.ge),
    "+": _arithmetic(operator.add),
    "-": _arithmetic(operator.sub),
    "*": _arithmetic(operator.mul),
    "div": _arithmetic(_divide),
    "mod": _arithmetic(_modulo),
}


# --- functions -------------------------------------------------------------------------------

_Run = Callable[[Sequence[object], "EvaluationContext"], object]


@dataclass(frozen=True)
class Function:
    min_args: int
    max_args: int | None
    usage: str
    run: _Run


def _math(operation: Callable[[float], float]) -> _Run:
    def run(args: Sequence[object], _: EvaluationContext) -> object:
        number = to_number(args[0])
        try:
            return number_result(float(operation(number)))
        except OverflowError:
            return math.copysign(math.inf, number)
        except ValueError:
            return math.nan

    return run


def _power(args: Sequence[object], _: EvaluationContext) -> object:
    try:
        return number_result(math.pow(to_number(args[0]), to_number(args[1])))
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


def _round(args: Sequence[object], _: EvaluationContext) -> object:
    """Half away from zero on the decimal digits people see (2.675 -> 2.68), as JavaRosa does."""
    number = to_number(args[0])
    digits = to_number(args[1]) if len(args) > 1 else 0.0
    if not math.isfinite(number) or not math.isfinite(digits):
        return number if math.isfinite(digits) else math.nan
    try:
        step = Decimal(1).scaleb(-int(digits))
        return number_result(float(Decimal(repr(number)).quantize(step, rounding=ROUND_HALF_UP)))
    except InvalidOperation:
        return number


def _truncate(args: Sequence[object], _: EvaluationContext) -> object:
    number = to_number(args[0])
    return math.trunc(number) if math.isfinite(number) else number


def _extreme(pick: Callable[[list[float]], float]) -> _Run:
    def run(args: Sequence[object], _: EvaluationContext) -> object:
        numbers = [to_number(item) for arg in args for item in _flatten(arg)]
        if not numbers or any(math.isnan(n) for n in numbers):
            return math.nan  # ODK: one blank value makes min/max NaN
        return number_result(pick(numbers))

    return run


def _flatten(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _substr(args: Sequence[object], _: EvaluationContext) -> object:
    """ODK substr: 0-based start, end exclusive, out-of-range indexes clamped."""
    text = to_string(args[0])
    bounds = [to_number(arg) for arg in args[1:]] + [float(len(text))]
    start, end = (0 if math.isnan(b) else int(max(0, min(b, len(text)))) for b in bounds[:2])
    return text[start:end]


def _regex(args: Sequence[object], _: EvaluationContext) -> object:
    # RE2: linear time in the answer, whatever the pattern (forms.logic.patterns says why).
    try:
        return pattern_matches(to_string(args[1]), to_string(args[0]))
    except PatternError:
        return False


def _selected_at(args: Sequence[object], _: EvaluationContext) -> object:
    items, index = _items(args[0]), to_number(args[1])
    if not math.isfinite(index) or not 0 <= index < len(items):
        return ""
    return items[int(index)]


def _to_date(args: Sequence[object], _: EvaluationContext) -> object:
    value = args[0]
    moment = value if isinstance(value, dt.date) else _parse_moment(to_string(value).strip())
    if isinstance(moment, dt.datetime):
        return moment.date()
    if isinstance(moment, dt.date):
        return moment
    days = to_number(value)
    if math.isfinite(days):
        try:
            return _EPOCH + dt.timedelta(days=math.floor(days))
        except OverflowError:
            return ""
    return ""


def _f(min_args: int, max_args: int | None, usage: str, run: _Run) -> Function:
    return Function(min_args, max_args, usage, run)


def _text_test(test: Callable[[str, str], bool]) -> _Run:
    return lambda args, _: test(to_string(args[0]), to_string(args[1]))


def _string_length(args: Sequence[object], context: EvaluationContext) -> object:
    return len(to_string(args[0] if args else context.current))


FUNCTIONS: dict[str, Function] = {
    "selected": _f(2, 2, "selected(${q}, 'choice')", lambda a, _: to_string(a[1]) in _items(a[0])),
    "count-selected": _f(1, 1, "count-selected(${q})", lambda a, _: len(_items(a[0]))),
    "selected-at": _f(2, 2, "selected-at(${q}, 0)", _selected_at),
    "string-length": _f(0, 1, "string-length(${q})", _string_length),
    "if": _f(3, 3, "if(condition, value_if_true, value_if_false)", lambda a, _: None),
    "today": _f(0, 0, "today()", lambda a, c: c.today or dt.date.today()),
    "now": _f(0, 0, "now()", lambda a, c: c.now or dt.datetime.now().astimezone()),
    "not": _f(1, 1, "not(condition)", lambda a, _: not to_boolean(a[0])),
    "true": _f(0, 0, "true()", lambda a, _: True),
    "false": _f(0, 0, "false()", lambda a, _: False),
    "boolean": _f(1, 1, "boolean(value)", lambda a, _: to_boolean(a[0])),
    "number": _f(1, 1, "number(value)", lambda a, _: number_result(to_number(a[0]))),
    "int": _f(1, 1, "int(number)", _truncate),
    "round": _f(1, 2, "round(number, digits)", _round),
    "string": _f(1, 1, "string(value)", lambda a, _: to_string(a[0])),
    "concat": _f(1, None, "concat(value, value, ...)", lambda a, _: "".join(map(to_string, a))),
    "coalesce": _f(2, 2, "coalesce(value, other)", lambda a, _: a[1] if is_empty(a[0]) else a[0]),
    "contains": _f(2, 2, "contains(text, part)", _text_test(lambda a, b: b in a)),
    "starts-with": _f(2, 2, "starts-with(text, start)", _text_test(str.startswith)),
    "ends-with": _f(2, 2, "ends-with(text, end)", _text_test(str.endswith)),
    "substr": _f(2, 3, "substr(text, start, end)", _substr),
    "regex": _f(2, 2, "regex(., 'pattern')", _regex),
    "min": _f(1, None, "min(value, value, ...)", _extreme(min)),
    "max": _f(1, None, "max(value, value, ...)", _extreme(max)),
    "pow": _f(2, 2, "pow(base, exponent)", _power),
    "pi": _f(0, 0, "pi()", lambda a, _: math.pi),
    "date": _f(1, 1, "date('2024-05-31')", _to_date),
    "once": _f(1, 1, "once(value)", lambda a, c: a[0] if is_empty(c.current) else c.current),
}
_MATH: dict[str, Callable[[float], float]] = {
    "abs": abs, "floor": math.floor, "ceiling": math.ceil, "sqrt": math.sqrt, "exp": math.exp,
    "log": math.log, "log10": math.log10, "sin": math.sin, "cos": math.cos, "tan": math.tan,
    "asin": math.asin, "acos": math.acos, "atan": math.atan,
}  # fmt: skip
FUNCTIONS.update({name: _f(1, 1, f"{name}(number)", _math(op)) for name, op in _MATH.items()})
KNOWN_FUNCTIONS: frozenset[str] = frozenset(FUNCTIONS)
UNSUPPORTED_FUNCTIONS = frozenset(
    {"pulldata", "indexed-repeat", "position", "count", "sum", "jr:choice-name", "instance",
     "uuid", "random", "randomize", "area", "distance", "digest", "format-date",
     "format-date-time", "decimal-date-time", "join", "version", "current"}
)  # fmt: skip
