"""Hypothesis strategies for the files form authors and managers write by hand.

`form_documents()` gives YAML form documents: mostly plausible rows (the keys and values a
form author would write, expressions from a small grammar over the form's own names), with
now and then a value of the wrong kind, a wrong name, a type Rapport lacks or a key it does
not know. `csv_files()` gives the bytes of locations CSV files, well or badly quoted.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import yaml
from hypothesis import strategies as st

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # no lone surrogates: not UTF-8
    max_size=30,
)
"""Any text a file can hold, control characters included."""
WORDS = st.text(alphabet="abcdefghij KLMN-_'é", min_size=1, max_size=12)
NAMES = ("q0", "q1", "q2", "q3", "g0", "g1", "c0", "pick", "many")
"""The names the generated rows use, so that expressions refer to them and clash."""
LISTS = ("scale", "extras", "yes_no_na", "nps_0_10", "missing")
LANGUAGES = ("English (en)", "Español (es)", "default", "fr")

WILD: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
"""A value of any kind YAML can hold."""


def _sometimes_wild(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`plausible` nine times in ten, anything otherwise."""
    return st.integers(0, 9).flatmap(lambda n: WILD if n == 0 else plausible)


ATOMS = st.sampled_from(
    [
        "${q0}", "${q1}", "${q2}", "${q3}", "${c0}", "${pick}", "${many}", "${nobody}", ".",
        "1", "0", "2.5", "-3", "'yes'", "'a b'", "true()", "false()", "today()", "now()",
        "9" * 30, "1e308", "''",
    ]
)  # fmt: skip
OPERATORS = st.sampled_from(
    [" + ", " - ", " * ", " div ", " mod ", " = ", " != ", " < ", " >= ", " and ", " or "]
)
FUNCTIONS = st.sampled_from(
    [
        "not", "count-selected", "string-length", "int", "round", "abs", "coalesce", "if",
        "selected", "concat", "regex", "pow", "number", "string", "substr", "sum", "min",
        "max", "format-date", "date", "jr:choice-name", "frobnicate",
    ]
)  # fmt: skip
EXPRESSIONS: st.SearchStrategy[str] = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, OPERATORS, inner).map("".join),
        inner.map(lambda e: f"({e})"),
        st.tuples(FUNCTIONS, st.lists(inner, max_size=3)).map(
            lambda call: f"{call[0]}({', '.join(call[1])})"
        ),
    ),
    max_leaves=8,
)
"""XLSForm expressions from a small grammar: references, literals, operators, functions."""

TYPES = st.sampled_from(
    [
        "text", "integer", "decimal", "date", "time", "datetime", "note", "image",
        "calculate", "today", "range", *(f"select_one {name}" for name in LISTS),
        "select_multiple extras", "select_multiple scale",
    ]
)  # fmt: skip
ODD_TYPES = st.sampled_from(
    ["begin_repeat", "geopoint", "frobnicate", "select_one", "select_one ${q0}", "start", ""]
)


def _local_text() -> st.SearchStrategy[Any]:
    return WORDS | st.dictionaries(st.sampled_from(LANGUAGES), WORDS, min_size=1, max_size=3)


def _numbers() -> st.SearchStrategy[Any]:
    return st.integers(-2, 10) | st.floats(0, 10, allow_nan=False) | st.sampled_from(["na", "x"])


def _parameters() -> st.SearchStrategy[str]:
    return st.tuples(
        st.integers(-5, 5), st.integers(-5, 20), st.sampled_from([1, 2, 0.5, 0, 3])
    ).map(lambda p: f"start={p[0]} end={p[1]} step={p[2]}")


QUESTION_COLUMNS: dict[str, st.SearchStrategy[Any]] = {
    "label": _local_text(),
    "hint": _local_text(),
    "required": st.sampled_from(["yes", "no", "true", "maybe", "${q0} = 1"]),
    "relevant": EXPRESSIONS,
    "constraint": EXPRESSIONS,
    "constraint_message": _local_text(),
    "calculation": EXPRESSIONS,
    "choice_filter": EXPRESSIONS,
    "appearance": st.sampled_from(["multiline", "minimal", "likert", "field-list"]),
    "default": WORDS | st.integers(),
    "read_only": st.sampled_from(["yes", "no"]),
    "parameters": _parameters(),
    "points": st.sampled_from(["value", "3", "na"]),
    "weight": _numbers(),
    "critical": st.sampled_from(["yes", "no", "sometimes"]),
    "tags": WORDS | st.lists(WORDS, max_size=3),
    "coaching": _local_text(),
    "colour": WORDS,
}
"""The survey columns and plausible values; colour is one Rapport does not know."""


@st.composite
def _question(draw: st.DrawFn, index: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "type": draw(st.integers(0, 14).flatmap(lambda n: ODD_TYPES if n == 0 else TYPES)),
        "name": draw(st.sampled_from(NAMES) | st.just(f"q{index}") | WORDS),
    }
    if row["type"] == "range":
        row["parameters"] = draw(_parameters())
    if row["type"] == "calculate":
        row["calculation"] = draw(EXPRESSIONS)
    columns = draw(st.lists(st.sampled_from(sorted(QUESTION_COLUMNS)), max_size=4, unique=True))
    for column in columns:
        row[column] = draw(_sometimes_wild(QUESTION_COLUMNS[column]))
    row.setdefault("label", draw(_local_text()))
    return row


@st.composite
def _survey(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    open_groups = 0
    for index in range(draw(st.integers(1, 8))):
        step = draw(st.integers(0, 9))
        if step == 0:
            rows.append({"type": "begin_group", "name": f"g{index}", "label": draw(WORDS)})
            open_groups += 1
        elif step == 1 and open_groups:
            rows.append({"type": "end_group"})
            open_groups -= 1
        else:
            rows.append(draw(_question(index)))
    closing = draw(st.integers(0, open_groups + 1))  # sometimes one too few or too many
    rows += [{"type": "end_group"} for _ in range(closing)]
    return rows


def _choices() -> st.SearchStrategy[dict[str, Any]]:
    choice = st.fixed_dictionaries(
        {"name": st.sampled_from(["1", "2", "3", "a", "b", "na", "yes"]) | WORDS},
        optional={"label": _local_text(), "points": _sometimes_wild(_numbers())},
    )
    return st.dictionaries(
        st.sampled_from(["scale", "extras", "other"]),
        st.lists(choice, min_size=1, max_size=5),
        max_size=3,
    )


def _settings() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "form_id": _sometimes_wild(st.sampled_from(["fuzz", "visit_form"]) | WORDS),
            "version": _sometimes_wild(st.sampled_from(["1", "2026.1", "v2"])),
            "form_title": _local_text(),
            "kind": st.sampled_from(["mystery_shop", "customer_survey", "inspection", "x"]),
            "scoring": st.sampled_from(["flat", "sections", "median"]),
            "bands": st.sampled_from(["Exceeds:90 Meets:75 Below:0", "A:50 B:0", "A:50", "x"]),
            "default_language": st.sampled_from(LANGUAGES),
            "allow_choice_duplicates": st.sampled_from(["yes", "no"]),
        },
    )


def hostile_forms() -> st.SearchStrategy[dict[str, Any]]:
    """A document with anything in it: most are refused, each for its own reason."""
    return st.fixed_dictionaries(
        {"settings": _settings(), "survey": _survey()},
        optional={"choices": _choices()},
    )


def _expressions_over(names: list[str]) -> st.SearchStrategy[str]:
    """Expressions from the grammar whose references are the form's own names."""
    atoms = st.sampled_from(
        [*(f"${{{name}}}" for name in names), ".", "1", "0", "2.5", "'yes'", "today()", "''"]
    )
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.tuples(inner, OPERATORS, inner).map("".join),
            inner.map(lambda e: f"({e})"),
            st.tuples(st.sampled_from(["not", "string-length", "int", "abs"]), inner).map(
                lambda call: f"{call[0]}({call[1]})"
            ),
            st.tuples(inner, inner).map(lambda pair: f"if({pair[0]} > 1, {pair[1]}, 0)"),
            st.tuples(inner, inner).map(lambda pair: f"coalesce({pair[0]}, {pair[1]})"),
        ),
        max_leaves=6,
    )


PLAUSIBLE_TYPES = st.sampled_from(
    [
        "text", "integer", "decimal", "date", "time", "datetime", "note", "image", "calculate",
        "range", "select_one scale", "select_multiple extras", "select_one yes_no_na",
        "select_one nps_0_10",
    ]
)  # fmt: skip
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(str.strip)
"""Labels and hints as anyone may write them: any script, emoji, quotes, no control codes."""


@st.composite
def _plausible_question(draw: st.DrawFn, name: str, earlier: list[str]) -> dict[str, Any]:
    kind = draw(PLAUSIBLE_TYPES)
    row: dict[str, Any] = {"type": kind, "name": name}
    if kind != "calculate":
        row["label"] = draw(
            ANY_TEXT | st.dictionaries(st.sampled_from(LANGUAGES), ANY_TEXT, min_size=1)
        )
    if kind == "calculate":
        row["calculation"] = draw(
            _expressions_over(earlier or ["missing"]) if earlier else st.just("1 + 1")
        )
    if kind == "range":
        start = draw(st.integers(-3, 3))
        step = draw(st.sampled_from([1, 2, 0.5]))
        row["parameters"] = (
            f"start={start} end={start + step * draw(st.integers(1, 8))} step={step}"
        )
        if start >= 0 and draw(st.booleans()):
            row["points"] = "value"
    if earlier and draw(st.integers(0, 3)) == 0:
        row["relevant"] = draw(_expressions_over(earlier))
    if kind in ("integer", "decimal") and draw(st.booleans()):
        row["constraint"] = draw(st.sampled_from([". >= 0", ". < 1000 and . > -5", "true()"]))
    if draw(st.booleans()):
        row["weight"] = draw(st.sampled_from([0, 1, 2, 0.5, 3.25, 100]))
    if kind == "select_one scale" and draw(st.integers(0, 3)) == 0:
        row["critical"] = "yes"
    if draw(st.integers(0, 3)) == 0:
        row["hint"] = draw(ANY_TEXT)
    if draw(st.integers(0, 3)) == 0:
        row["required"] = draw(st.sampled_from(["yes", "no", True, False]))
    if draw(st.integers(0, 4)) == 0:
        row["tags"] = draw(st.lists(st.sampled_from(["empathy", "listening", "csat"]), max_size=3))
    return row


@st.composite
def plausible_forms(draw: st.DrawFn) -> dict[str, Any]:
    """A form as an author writes one: unique names, lists that exist, groups that close,
    expressions over earlier questions, random texts, weights and points. Many validate."""
    rows: list[dict[str, Any]] = []
    names: list[str] = []
    depth = 0
    for index in range(draw(st.integers(1, 10))):
        step = draw(st.integers(0, 7))
        if step == 0 and depth < 3:
            rows.append({"type": "begin_group", "name": f"g{index}", "label": draw(ANY_TEXT)})
            depth += 1
        elif step == 1 and depth:
            rows.append({"type": "end_group"})
            depth -= 1
        else:
            name = f"q{index}"
            rows.append(draw(_plausible_question(name, list(names))))
            names.append(name)
    rows += [{"type": "end_group"}] * depth
    if not names:
        rows.append({"type": "text", "name": "only", "label": "Only"})
    points = st.one_of(
        st.none(), st.integers(0, 10), st.floats(0, 100, allow_nan=False), st.just("na")
    )
    choice_names = st.lists(
        st.sampled_from(["1", "2", "3", "4", "5", "a", "b", "yes", "no", "n/a"]),
        min_size=1,
        max_size=6,
        unique=True,
    )
    choices = {}
    for list_name in ("scale", "extras"):
        options = []
        for choice in draw(choice_names):
            option: dict[str, Any] = {"name": choice, "label": draw(ANY_TEXT)}
            value = draw(points)
            if value is not None:
                option["points"] = value
            options.append(option)
        choices[list_name] = options
    settings = {
        "form_id": draw(st.sampled_from(["fuzz", "visit_form", "Kundenumfrage", "café_2026"])),
        "version": draw(st.sampled_from(["1", "2026.1", "v2", "1.0.0"])),
        "form_title": draw(ANY_TEXT),
        "kind": draw(st.sampled_from(["mystery_shop", "customer_survey", "inspection"])),
        "scoring": draw(st.sampled_from(["flat", "sections"])),
    }
    if draw(st.booleans()):
        settings["bands"] = draw(st.sampled_from(["Exceeds:90 Meets:75 Below:0", "A:50 B:0"]))
    return {"settings": settings, "survey": rows, "choices": choices}


def form_documents() -> st.SearchStrategy[dict[str, Any]]:
    """A YAML form document as a dict: a plausible form or a hostile one."""
    return plausible_forms() | hostile_forms()


def yaml_text(document: object) -> bytes:
    """`document` as a YAML file."""
    dumped: str = yaml.dump(
        document, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100
    )
    return dumped.encode("utf-8")


# --- locations CSV -------------------------------------------------------------------------

CSV_COLUMNS = ("location_code", "location_name", "city", "agent_code", "agent_name")
CELL = st.one_of(
    st.sampled_from(["HPO", "LOBBY-1", "A-1", "A-2", "", " ", "Leeds", "Maria Alvarez"]),
    WORDS,
    st.text(alphabet="ab,;\"\t\n\r é\\'", max_size=8),
    TEXT,
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """The bytes of a locations CSV file: a header (usually right), rows of plausible or odd
    cells, quoted properly or joined by hand, in UTF-8 (sometimes with a BOM)."""
    header = list(
        draw(
            st.permutations(CSV_COLUMNS).map(lambda columns: list(columns[: 2 + len(columns) % 4]))
            | st.lists(st.sampled_from([*CSV_COLUMNS, "Location Code", "colour"]), max_size=6)
        )
    )
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 1), max_size=12))
    if draw(st.booleans()):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = "\n".join(",".join(row) for row in [header, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")
