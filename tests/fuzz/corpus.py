"""A corpus of hostile files for every command that reads one, made the same way every time.

Each case is a name and a function that makes the file's bytes from a random generator
seeded with that name, so a case is the same on every machine and in every run, and a
failing case can be made again alone. The kinds:

* FORM_CASES: YAML forms and XLSForm workbooks (`forms validate`, `forms import`, `score`):
  truncated, random bytes, flipped bytes in the zip, huge integers, deep nesting, NUL
  bytes, very long names, unknown types, broken expressions, duplicate names, cycles...
* ANSWER_CASES: answers files for `score`, against the corpus's base form.
* LOCATION_CASES: CSV files for `import locations`: stray quotes, NUL, UTF-16 and
  Latin-1, huge fields, no header, extra columns, 100,000 empty lines...
* BUNDLE_CASES: changes to a bundle that `rapport export bundle` wrote (`import bundle`):
  its JSON members given wrong types, missing fields, huge strings and numbers, NaN,
  nested arrays and duplicate ids, with the manifest's sums made again so the change
  reaches the checks and the merge behind them (and, for "forged" cases, the form and
  content hashes too), and damage to the zip itself.
* DATABASE_CASES: database files (`db check`, `forms list`): random bytes, a truncated
  copy, an empty file, another program's SQLite file, a flipped byte in the middle...

`python -m tests.fuzz.corpus FOLDER --bundle B.zip --database R.db` writes every file.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import io
import json
import random
import sqlite3
import struct
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Maker = Callable[[random.Random], bytes]


@dataclass(frozen=True)
class Case:
    """A hostile file: `make(rng)` gives its bytes; it is written as `file_name`."""

    name: str
    file_name: str
    make: Maker

    def rng(self) -> random.Random:
        return random.Random(f"rapport-fuzz/{self.name}")

    def write(self, folder: Path) -> Path:
        path = folder / self.file_name
        path.write_bytes(self.make(self.rng()))
        return path


def _cases(cases: list[Case]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    for case in cases:
        assert case.name not in found, f"two corpus cases are named {case.name}"
        found[case.name] = case
    return found


# --- forms ---------------------------------------------------------------------------------

BASE_FORM: dict[str, Any] = {
    "settings": {
        "form_id": "fuzz_base",
        "version": "1",
        "form_title": {"English (en)": "Fuzz base", "Español (es)": "Base"},
        "kind": "mystery_shop",
        "scoring": "sections",
        "bands": "Exceeds:90 Meets:75 Below:0",
    },
    "survey": [
        {"type": "begin_group", "name": "visit", "label": "About the visit"},
        {"type": "select_one channel", "name": "channel", "label": "Channel", "required": "yes"},
        {
            "type": "integer",
            "name": "wait_minutes",
            "label": "Minutes waited",
            "constraint": ". >= 0 and . <= 240",
            "constraint_message": "From 0 to 240",
        },
        {"type": "end_group"},
        {"type": "begin_group", "name": "greeting", "label": "Greeting", "weight": 2},
        {
            "type": "select_one scale",
            "name": "greeting_rating",
            "label": {"English (en)": "How were you greeted?", "Español (es)": "¿Saludo?"},
            "tags": "empathy greeting",
            "coaching": "Look up and say hello.",
            "critical": "yes",
        },
        {
            "type": "select_one yes_no_na",
            "name": "offered_help",
            "label": "Offered help?",
            "relevant": "${channel} = 'phone'",
        },
        {
            "type": "range",
            "name": "warmth",
            "label": "Warmth",
            "parameters": "start=1 end=5 step=1",
            "points": "value",
        },
        {"type": "decimal", "name": "spent", "label": "Amount spent"},
        {
            "type": "calculate",
            "name": "total",
            "calculation": "${wait_minutes} + ${spent}",
        },
        {"type": "select_multiple extras", "name": "extras", "label": "Extras"},
        {"type": "date", "name": "visit_day", "label": "Day"},
        {"type": "text", "name": "comment", "label": "Comment", "appearance": "multiline"},
        {"type": "note", "name": "thanks", "label": "Thank you"},
        {"type": "end_group"},
    ],
    "choices": {
        "channel": [
            {"name": "phone", "label": "Phone"},
            {"name": "in_person", "label": "In person"},
        ],
        "scale": [
            {"name": "1", "label": "Poor", "points": 0},
            {"name": "2", "label": "Fair", "points": 1},
            {"name": "3", "label": "Good", "points": 2},
            {"name": "4", "label": "Great", "points": 3},
            {"name": "na", "label": "Not applicable", "points": "na"},
        ],
        "extras": [{"name": "a", "label": "A"}, {"name": "b", "label": "B"}],
    },
}
"""A valid form using every feature the mutations below break."""
BASE_ANSWERS: dict[str, object] = {
    "channel": "phone",
    "wait_minutes": 5,
    "greeting_rating": "3",
    "offered_help": "yes",
    "warmth": 4,
    "spent": 12.5,
    "extras": "a b",
    "visit_day": "2026-06-01",
    "comment": "Friendly",
}
"""Answers to BASE_FORM, given to `score` with every corpus form."""


def base_form() -> dict[str, Any]:
    return copy.deepcopy(BASE_FORM)


def dump_yaml(document: object) -> bytes:
    dumped: str = yaml.dump(
        document,
        Dumper=yaml.CSafeDumper,  # libyaml: the large cases take seconds with the Python one
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return dumped.encode()


def _yaml_case(name: str, make: Callable[[random.Random], object]) -> Case:
    """A case whose file is the YAML dump of the document `make` returns."""
    return Case(name, "form.yaml", lambda rng: dump_yaml(make(rng)))


def _text_case(name: str, make: Callable[[random.Random], str], suffix: str = ".yaml") -> Case:
    return Case(name, f"form{suffix}", lambda rng: make(rng).encode("utf-8"))


def _edit(change: Callable[[dict[str, Any], random.Random], None]) -> Callable[..., object]:
    def make(rng: random.Random) -> object:
        form = base_form()
        change(form, rng)
        return form

    return make


def _question(form: dict[str, Any], name: str) -> dict[str, Any]:
    return next(row for row in form["survey"] if row.get("name") == name)


def _set(name: str, column: str, value: object) -> Callable[[dict[str, Any], random.Random], None]:
    def change(form: dict[str, Any], _rng: random.Random) -> None:
        if name == "settings":
            form["settings"][column] = value
        else:
            _question(form, name)[column] = value

    return change


def _add_rows(*rows: dict[str, Any]) -> Callable[[dict[str, Any], random.Random], None]:
    def change(form: dict[str, Any], _rng: random.Random) -> None:
        form["survey"][-1:-1] = [dict(row) for row in rows]  # inside the last group

    return change


def _random_bytes(size: int, prefix: bytes = b"") -> Maker:
    return lambda rng: prefix + rng.randbytes(size)


def _random_text(alphabet: str, size: int) -> Callable[[random.Random], str]:
    return lambda rng: "".join(rng.choice(alphabet) for _ in range(size))


def _base_text() -> str:
    return dump_yaml(base_form()).decode()


def _truncated(fraction: float) -> Callable[[random.Random], str]:
    return lambda _rng: _base_text()[: int(len(_base_text()) * fraction)]


def _replace(old: str, new: str) -> Callable[[random.Random], str]:
    def make(_rng: random.Random) -> str:
        text = _base_text()
        assert old in text, old
        return text.replace(old, new, 1)

    return make


def _deep_groups(depth: int) -> Callable[[random.Random], object]:
    def make(_rng: random.Random) -> object:
        rows: list[dict[str, object]] = [
            {"type": "begin_group", "name": f"g{i}", "label": f"G{i}"} for i in range(depth)
        ]
        rows.append({"type": "integer", "name": "q", "label": "Q"})
        rows += [{"type": "end_group"}] * depth
        return {"settings": {"form_id": "deep", "version": "1"}, "survey": rows}

    return make


def _calc_chain(length: int) -> Callable[[random.Random], object]:
    def make(_rng: random.Random) -> object:
        rows: list[dict[str, object]] = [{"type": "integer", "name": "c0", "label": "Start"}]
        rows += [
            {"type": "calculate", "name": f"c{i}", "calculation": f"${{c{i - 1}}} + 1"}
            for i in range(1, length)
        ]
        return {"settings": {"form_id": "chain", "version": "1"}, "survey": rows}

    return make


def _many_questions(count: int) -> Callable[[random.Random], object]:
    def make(_rng: random.Random) -> object:
        rows = [
            {"type": "select_one scale", "name": f"q{i}", "label": f"Q{i}"} for i in range(count)
        ]
        return {
            "settings": {"form_id": "many", "version": "1"},
            "survey": rows,
            "choices": BASE_FORM["choices"],
        }

    return make


def _alias_bomb(rows: int, text_size: int) -> Callable[[random.Random], str]:
    """A small YAML file whose one long label every question shares by an alias: it reads
    as `rows` x `text_size` characters of labels."""

    def make(_rng: random.Random) -> str:
        lines = [
            "settings: {form_id: bomb, version: '1'}",
            "survey:",
            f"  - {{type: text, name: q0, label: &big '{'x' * text_size}'}}",
        ]
        lines += [f"  - {{type: text, name: q{i}, label: *big}}" for i in range(1, rows)]
        return "\n".join(lines) + "\n"

    return make


BROKEN_EXPRESSIONS = {
    "unclosed-reference": "${wait_minutes",
    "empty-reference": "${} = 1",
    "unknown-reference": "${nobody} = 1",
    "unclosed-paren": "((${wait_minutes} > 1)",
    "dangling-operator": "${wait_minutes} >",
    "unterminated-string": "${channel} = 'phone",
    "unknown-function": "frobnicate(${wait_minutes})",
    "wrong-arity": "if(${wait_minutes} > 1)",
    "bad-regex": "regex(${comment}, '(')",
    "huge-literal": "${wait_minutes} > " + "9" * 5000,
    "infinite-literal": "${wait_minutes} > 1e999",
    "deep-parens": "(" * 5000 + "1" + ")" * 5000,
    "long-sum": " + ".join(["${wait_minutes}"] * 20000),
    "nul-inside": "${wait_minutes}\x00 > 1",
    "only-dot-operators": ". . . .",
    "xpath-path": "/data/visit/wait_minutes > 1",
}
RUNTIME_EXPRESSIONS = {
    "pow-huge-int": "pow(9, 99999999)",
    "int-of-infinity": "int(1e308 * 10)",
    "divide-by-zero": "${wait_minutes} div 0",
    "date-overflow": "date(1e300)",
    "concat-many": "concat(" + ", ".join(["'abc'"] * 5000) + ")",
}


def _expression_cases() -> list[Case]:
    cases: list[Case] = []
    for name, text in BROKEN_EXPRESSIONS.items():
        cases.append(_yaml_case(f"yaml-expr-{name}", _edit(_set("offered_help", "relevant", text))))
    for name, text in RUNTIME_EXPRESSIONS.items():
        cases.append(_yaml_case(f"yaml-calc-{name}", _edit(_set("total", "calculation", text))))
    cases.append(
        _yaml_case(
            "yaml-constraint-runtime",
            _edit(_set("spent", "constraint", "pow(., 99999) > 1 and . div 0 < int(1e309)")),
        )
    )
    return cases


def _cycle(form: dict[str, Any], _rng: random.Random) -> None:
    _question(form, "total")["calculation"] = "${other} + 1"
    _add_rows({"type": "calculate", "name": "other", "calculation": "${total} + 1"})(form, _rng)


def _self_reference(form: dict[str, Any], _rng: random.Random) -> None:
    _question(form, "total")["calculation"] = "${total} + 1"


def _relevant_cycle(form: dict[str, Any], _rng: random.Random) -> None:
    _question(form, "offered_help")["relevant"] = "${spent} > 1"
    _question(form, "spent")["relevant"] = "${offered_help} = 'yes'"


def _group_cycle(form: dict[str, Any], _rng: random.Random) -> None:
    form["survey"][4]["relevant"] = "${warmth} > 2"  # the greeting group, around warmth


def _duplicate_question(form: dict[str, Any], _rng: random.Random) -> None:
    _add_rows({"type": "text", "name": "comment", "label": "Again"})(form, _rng)


def _group_named_like_question(form: dict[str, Any], _rng: random.Random) -> None:
    form["survey"][0]["name"] = "channel"


def _duplicate_choice(form: dict[str, Any], _rng: random.Random) -> None:
    form["choices"]["scale"].append({"name": "2", "label": "Fair again", "points": 5})


def _choices_as_rows(form: dict[str, Any], _rng: random.Random) -> None:
    form["choices"] = [
        {"list_name": list_name, **choice}
        for list_name, options in form["choices"].items()
        for choice in options
    ] + [{"list_name": "scale", "name": "1", "label": "Twice"}]


def _unhashable_key(_rng: random.Random) -> str:
    return _base_text().replace("  name: comment\n", "  name: comment\n  ? [a, b]\n  : c\n", 1)


def _long_names(form: dict[str, Any], rng: random.Random) -> None:
    _question(form, "comment")["name"] = "n" + "".join(rng.choice("abc_") for _ in range(99_999))


def _long_label(form: dict[str, Any], _rng: random.Random) -> None:
    _question(form, "comment")["label"] = "é" * 2_000_000


def _many_languages(form: dict[str, Any], _rng: random.Random) -> None:
    _question(form, "comment")["label"] = {f"Language {i} (l{i})": f"Text {i}" for i in range(300)}


def _many_bands(form: dict[str, Any], _rng: random.Random) -> None:
    # As many as fit in one cell (32,767 characters): about 3,500.
    form["settings"]["bands"] = " ".join(f"B{i}:{i / 100}" for i in range(3_500))


def _many_choices(form: dict[str, Any], _rng: random.Random) -> None:
    form["choices"]["scale"] = [{"name": f"c{i}", "points": i % 5} for i in range(25_000)]


def _control_characters(form: dict[str, Any], _rng: random.Random) -> None:
    _question(form, "comment")["label"] = "Bell\x07 and escape\x1b[31m and NUL\x00 here"
    _question(form, "comment")["hint"] = "Vertical\x0btab\x0cform feed"


def _form_cases() -> list[Case]:
    cases = [
        _yaml_case("yaml-base", lambda _rng: base_form()),
        *[_text_case(f"yaml-truncated-{int(f * 100)}", _truncated(f)) for f in (0.1, 0.5, 0.99)],
        Case("yaml-random-bytes", "form.yaml", _random_bytes(4096)),
        _text_case("yaml-random-punctuation", _random_text("{}[]:-,&*!|>'\"%@`#? \n\tab", 3000)),
        Case(
            "yaml-nul-bytes",
            "form.yaml",
            lambda _rng: _base_text().encode().replace(b"Comment", b"Com\0ment"),
        ),
        _text_case("yaml-nul-escaped-in-label", _replace("label: Comment", 'label: "Com\\0ment"')),
        _yaml_case("yaml-control-characters", _edit(_control_characters)),
        Case("yaml-utf16", "form.yaml", lambda _rng: _base_text().encode("utf-16")),
        Case(
            "yaml-latin1",
            "form.yaml",
            lambda _rng: (
                _base_text()
                .replace("Español", "Français")
                .encode("utf-8")
                .replace("ç".encode(), b"\xe7")
            ),
        ),
        Case("yaml-utf8-bom", "form.yaml", lambda _rng: b"\xef\xbb\xbf" + _base_text().encode()),
        Case("yaml-crlf", "form.yaml", lambda _rng: _base_text().replace("\n", "\r\n").encode()),
        _text_case("yaml-tabs", lambda _rng: _base_text().replace("  ", "\t")),
        _text_case("yaml-empty-document", lambda _rng: "# only a comment\n"),
        _text_case("yaml-a-list", lambda _rng: "- 1\n- 2\n"),
        _text_case("yaml-two-documents", lambda _rng: _base_text() + "---\n" + _base_text()),
        _text_case("yaml-survey-empty", lambda _rng: "settings: {form_id: x}\nsurvey: []\n"),
        _text_case("yaml-rows-are-strings", lambda _rng: "survey:\n  - text q\n  - integer n\n"),
        _text_case("yaml-unknown-top-key", lambda _rng: _base_text() + "extras: 1\n"),
        _yaml_case("yaml-settings-list", _edit(lambda f, _r: f.update(settings=[1, 2]))),
        _yaml_case("yaml-choice-list-string", _edit(lambda f, _r: f["choices"].update(scale="x"))),
        _yaml_case("yaml-choices-as-rows-duplicate", _edit(_choices_as_rows)),
        _text_case("yaml-choices-null-list-name", _replace("  channel:\n", "  null:\n")),
        # huge numbers
        _text_case("yaml-huge-int-weight", _replace("weight: 2", "weight: " + "9" * 5000)),
        _text_case("yaml-huge-int-points", _replace("points: 3", "points: " + "7" * 4500)),
        _text_case("yaml-huge-hex-int", _replace("weight: 2", "weight: 0x" + "f" * 5000)),
        _text_case("yaml-infinite-weight", _replace("weight: 2", "weight: .inf")),
        _text_case("yaml-nan-points", _replace("points: 3", "points: .nan")),
        _yaml_case("yaml-big-weight", _edit(_set("greeting_rating", "weight", 10**30))),
        _yaml_case(
            "yaml-big-points", _edit(lambda f, _r: f["choices"]["scale"][3].update(points=1e308))
        ),
        _yaml_case("yaml-huge-version", _edit(_set("settings", "version", "9" * 100_000))),
        _yaml_case("yaml-float-version", _edit(_set("settings", "version", 1.1))),
        _yaml_case(
            "yaml-range-infinite-span",
            _edit(_set("warmth", "parameters", "start=-1e308 end=1e308 step=1")),
        ),
        _yaml_case(
            "yaml-range-tiny-step", _edit(_set("warmth", "parameters", "start=0 end=1e9 step=1e-9"))
        ),
        _yaml_case(
            "yaml-range-huge-end",
            _edit(_set("warmth", "parameters", "start=0 end=1e300 step=1e290")),
        ),
        _yaml_case("yaml-bands-garbage", _edit(_set("settings", "bands", ":::: ,,, A: :5"))),
        _yaml_case("yaml-bands-many", _edit(_many_bands)),
        # dates YAML reads as timestamps
        _text_case("yaml-impossible-date", _replace("label: Day", "label: 2026-02-30")),
        _text_case(
            "yaml-impossible-timestamp-tag", _replace("label: Day", "label: !!timestamp 2026-13-45")
        ),
        _text_case("yaml-unquoted-date-version", _replace("version: '1'", "version: 2026-01-01")),
        # YAML features a form never uses
        _text_case(
            "yaml-python-tag",
            _replace("label: Comment", "label: !!python/object/apply:os.system ['true']"),
        ),
        _text_case("yaml-binary-tag", _replace("label: Comment", "label: !!binary aGVsbG8=")),
        _text_case("yaml-set-tag", _replace("label: Comment", "label: !!set {a, b}")),
        _text_case("yaml-unhashable-key", _unhashable_key),
        _text_case("yaml-integer-key", _replace("  name: comment\n", "  name: comment\n  12: x\n")),
        _text_case(
            "yaml-duplicate-key", _replace("  name: comment\n", "  name: comment\n  name: again\n")
        ),
        _text_case("yaml-duplicate-list-name", _replace("  extras:\n", "  scale:\n")),
        _text_case("yaml-alias-bomb", _alias_bomb(rows=1000, text_size=30_000)),
        _text_case(
            "yaml-billion-laughs",
            lambda _rng: (
                "a: &a [x, x, x, x, x, x, x, x, x]\n"
                + "".join(
                    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
                    for i in range(8)
                )
                + "survey: *i\n"
            ),
        ),
        _text_case(
            "yaml-anchor-row",
            lambda _rng: "survey:\n  - &r {type: text, name: q, label: Q}\n  - *r\n",
        ),
        # deep nesting
        _text_case("yaml-deep-brackets", lambda _rng: "survey: " + "[" * 5000 + "]" * 5000 + "\n"),
        _text_case(
            "yaml-deep-label",
            lambda _rng: _base_text().replace(
                "label: Comment", "label: " + "{a: " * 300 + "x" + "}" * 300
            ),
        ),
        _yaml_case("yaml-deep-groups-21", _deep_groups(21)),
        _yaml_case("yaml-unclosed-group", _edit(lambda f, _r: f["survey"].pop())),
        _yaml_case(
            "yaml-extra-end-group", _edit(lambda f, _r: f["survey"].append({"type": "end_group"}))
        ),
        # names
        _yaml_case("yaml-long-name", _edit(_long_names)),
        _yaml_case("yaml-long-label", _edit(_long_label)),
        _yaml_case("yaml-form-id-path", _edit(_set("settings", "form_id", "../../etc/passwd"))),
        _yaml_case("yaml-form-id-nul", _edit(_set("settings", "form_id", "a\x00b"))),
        _yaml_case("yaml-long-language", _edit(_set("comment", "label", {"L" * 50_000: "Text"}))),
        _yaml_case("yaml-many-languages", _edit(_many_languages)),
        _yaml_case("yaml-many-choices", _edit(_many_choices)),
        _yaml_case("yaml-name-with-spaces", _edit(_set("comment", "name", "my comment"))),
        _yaml_case("yaml-name-unicode", _edit(_set("comment", "name", "коммента́рий"))),
        _yaml_case("yaml-name-number", _edit(_set("comment", "name", 12))),
        # types
        *[
            _yaml_case(f"yaml-type-{label}", _edit(_set("comment", "type", value)))
            for label, value in {
                "unknown": "frobnicate",
                "geopoint": "geopoint",
                "number": 42,
                "list": ["text"],
                "select-without-list": "select_one",
                "select-missing-list": "select_one nowhere",
                "select-from-answers": "select_one ${channel}",
                "begin-repeat": "begin_repeat",
                "long": "select_one " + "x" * 100_000,
            }.items()
        ],
        _yaml_case("yaml-unknown-column", _edit(_set("comment", "colour", "red"))),
        _yaml_case("yaml-kind-unknown", _edit(_set("settings", "kind", "horoscope"))),
        _yaml_case(
            "yaml-required-condition", _edit(_set("comment", "required", "${channel} = 'x'"))
        ),
        _yaml_case("yaml-critical-unscored", _edit(_set("comment", "critical", "yes"))),
        _yaml_case("yaml-default-weird", _edit(_set("wait_minutes", "default", "not a number"))),
        _yaml_case(
            "yaml-choice-filter-broken", _edit(_set("greeting_rating", "choice_filter", "name = "))
        ),
        _yaml_case("yaml-label-list", _edit(_set("comment", "label", ["a", "b"]))),
        _yaml_case("yaml-weight-text", _edit(_set("greeting_rating", "weight", "heavy"))),
        # duplicates and cycles
        _yaml_case("yaml-duplicate-question", _edit(_duplicate_question)),
        _yaml_case("yaml-group-named-like-question", _edit(_group_named_like_question)),
        _yaml_case("yaml-duplicate-choice", _edit(_duplicate_choice)),
        _yaml_case("yaml-calculation-cycle", _edit(_cycle)),
        _yaml_case("yaml-calculation-self", _edit(_self_reference)),
        _yaml_case("yaml-relevant-cycle", _edit(_relevant_cycle)),
        _yaml_case("yaml-group-relevant-on-own-question", _edit(_group_cycle)),
        _yaml_case("yaml-calculation-chain-500", _calc_chain(500)),
        *_expression_cases(),
        # size
        _yaml_case("yaml-many-questions-500", _many_questions(500)),
        _yaml_case("yaml-many-questions-12000", _many_questions(12_000)),
        Case(
            "yaml-over-10-mb", "form.yaml", lambda _rng: _base_text().encode() + b"#" * (10 * 2**20)
        ),
        _text_case("yaml-wrong-suffix", lambda _rng: _base_text(), suffix=".txt"),
        _text_case("yaml-yml-suffix", lambda _rng: _base_text(), suffix=".YML"),
    ]
    return cases + _workbook_cases()


# --- workbooks -----------------------------------------------------------------------------


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """An .xlsx file holding `sheets` (name -> rows), written by openpyxl."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BASE_SHEETS: dict[str, list[list[object]]] = {
    "survey": [
        ["type", "name", "label", "relevant", "calculation", "parameters", "weight"],
        ["begin_group", "visit", "Visit", None, None, None, None],
        ["select_one scale", "greeting_rating", "Greeting", None, None, None, 2],
        ["integer", "wait_minutes", "Minutes", None, None, None, None],
        ["calculate", "total", None, None, "${wait_minutes} * 2", None, None],
        ["range", "warmth", "Warmth", "${wait_minutes} < 60", None, "start=1 end=5", None],
        ["text", "comment", "Comment", None, None, None, None],
        ["end_group", None, None, None, None, None, None],
    ],
    "choices": [
        ["list_name", "name", "label", "points"],
        ["scale", "1", "Poor", 0],
        ["scale", "2", "Good", 1],
        ["scale", "na", "Not applicable", "na"],
    ],
    "settings": [["form_id", "version", "form_title"], ["fuzz_book", "1", "Fuzz workbook"]],
}


def base_workbook() -> bytes:
    return workbook(BASE_SHEETS)


def _sheets(change: Callable[[dict[str, list[list[object]]]], None]) -> Maker:
    def make(_rng: random.Random) -> bytes:
        sheets = copy.deepcopy(BASE_SHEETS)
        change(sheets)
        return workbook(sheets)

    return make


def _cell(sheet: str, row: int, column: int, value: object) -> Maker:
    def change(sheets: dict[str, list[list[object]]]) -> None:
        sheets[sheet][row][column] = value

    return _sheets(change)


def _zip_members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _rezip(members: list[tuple[str, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _edit_member(base: Callable[[], bytes], member: str, edit: Callable[[bytes], bytes]) -> Maker:
    """A zip whose `member` (a name, or a suffix of one) is replaced by edit(its bytes)."""

    def make(_rng: random.Random) -> bytes:
        members = [(info.filename, data) for info, data in _zip_members(base())]
        found = [name for name, _ in members if name == member or name.endswith(member)]
        assert found, member
        return _rezip([(n, edit(d) if n == found[0] else d) for n, d in members])

    return make


def flipped_byte(data: bytes, rng: random.Random, start: int = 0, end: int | None = None) -> bytes:
    """`data` with one byte, chosen by `rng` between start and end, changed."""
    changed = bytearray(data)
    position = rng.randrange(start, len(data) if end is None else end)
    changed[position] ^= rng.randrange(1, 256)
    return bytes(changed)


def _flip_in_member(base: Callable[[], bytes], member: str) -> Maker:
    """A byte changed inside the stored (compressed) data of one member."""

    def make(rng: random.Random) -> bytes:
        data = base()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(member)
        header = struct.unpack("<4sHHHHHIIIHH", data[info.header_offset : info.header_offset + 30])
        start = info.header_offset + 30 + header[9] + header[10]
        return flipped_byte(data, rng, start, start + max(1, info.compress_size))

    return make


def _flip_in_directory(base: Callable[[], bytes]) -> Maker:
    def make(rng: random.Random) -> bytes:
        data = base()
        start = data.rindex(b"PK\x01\x02")  # the last central directory record
        return flipped_byte(data, rng, data.index(b"PK\x01\x02"), start + 46)

    return make


def _set_flag_bits(base: Callable[[], bytes], bits: int) -> Maker:
    """Every entry's general purpose flags (local and central) or'ed with `bits`:
    0x1 says encrypted."""

    def make(_rng: random.Random) -> bytes:
        data = bytearray(base())
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = data.find(signature)
            while at != -1:
                flags = struct.unpack_from("<H", data, at + offset)[0]
                struct.pack_into("<H", data, at + offset, flags | bits)
                at = data.find(signature, at + 4)
        return bytes(data)

    return make


def _set_method(base: Callable[[], bytes], method: int) -> Maker:
    """Every entry's compression method set to `method` (6 is implode, which Python lacks)."""

    def make(_rng: random.Random) -> bytes:
        data = bytearray(base())
        for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
            at = data.find(signature)
            while at != -1:
                struct.pack_into("<H", data, at + offset, method)
                at = data.find(signature, at + 4)
        return bytes(data)

    return make


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def shared_strings_workbook(sheets: dict[str, list[list[str]]]) -> bytes:
    """An .xlsx written as Excel writes one: every text once in xl/sharedStrings.xml and
    each cell an index into it (openpyxl writes each cell's text in the cell instead)."""
    from xml.sax.saxutils import escape, quoteattr

    strings: dict[str, int] = {}
    parts: dict[str, str] = {}
    for number, rows in enumerate(sheets.values(), start=1):
        cells = []
        for r, row in enumerate(rows, start=1):
            values = "".join(
                f'<c r="{_column_letter(c)}{r}" t="s">'
                f"<v>{strings.setdefault(text, len(strings))}</v></c>"
                for c, text in enumerate(row)
                if text
            )
            cells.append(f'<row r="{r}">{values}</row>')
        parts[f"xl/worksheets/sheet{number}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
            + "".join(cells)
            + "</sheetData></worksheet>"
        )
    listed = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" '
        f'uniqueCount="{len(strings)}">{listed}</sst>'
    )
    names = list(sheets)
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_RELATIONSHIPS}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    relationship = f"{_RELATIONSHIPS}/worksheet"
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}/relationships">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{relationship}" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(names) + 1)
        )
        + f'<Relationship Id="rId{len(names) + 1}" Type="{_RELATIONSHIPS}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for n in range(1, len(names) + 1)
    )
    parts["[Content_Types].xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        + overrides
        + "</Types>"
    )
    return _rezip([(name, text.encode("utf-8")) for name, text in parts.items()])


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def shared_base() -> bytes:
    """BASE_SHEETS as Excel would write them (shared strings)."""
    return shared_strings_workbook(
        {
            name: [["" if cell is None else str(cell) for cell in row] for row in rows]
            for name, rows in BASE_SHEETS.items()
        }
    )


def _shared_strings_bomb(rows: int, size: int) -> Maker:
    """A workbook in which one long label (one shared string) labels every question: a few
    kilobytes on disk whose labels add up to rows x size characters."""

    def make(_rng: random.Random) -> bytes:
        survey = [["type", "name", "label"]] + [["text", f"q{i}", "x" * size] for i in range(rows)]
        return shared_strings_workbook({"survey": survey})

    return make


def _in_prolog(data: bytes, declarations: bytes) -> bytes:
    """`declarations` (a DOCTYPE) placed after the XML declaration, or first."""
    if data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        return data[:end] + declarations + data[end:]
    return declarations + data


def _entity_bomb(data: bytes) -> bytes:
    lol = '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    return _in_prolog(data, (lol + "]>").encode()).replace(b"Comment", b"&j;", 1)


def _external_entity(data: bytes) -> bytes:
    declared = b'<!DOCTYPE sst [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    return _in_prolog(data, declared).replace(b"Comment", b"&e;", 1)


def _xml_replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)

    return edit


def _far_cell(data: bytes) -> bytes:
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>'
    return data.replace(b"</sheetData>", far + b"</sheetData>", 1)


def _deep_xml(data: bytes) -> bytes:
    return data.replace(b"</sheetData>", b"</sheetData>" + b"<x>" * 100_000 + b"</x>" * 100_000)


def _only_member(base: Callable[[], bytes], member: str) -> Maker:
    return lambda _rng: _rezip(
        [(i.filename, d) for i, d in _zip_members(base()) if i.filename == member]
    )


def _without_member(base: Callable[[], bytes], member: str) -> Maker:
    return lambda _rng: _rezip(
        [(i.filename, d) for i, d in _zip_members(base()) if i.filename != member]
    )


def _truncated_bytes(base: Callable[[], bytes], fraction: float | None, cut: int = 0) -> Maker:
    def make(_rng: random.Random) -> bytes:
        data = base()
        return data[: int(len(data) * fraction)] if fraction is not None else data[:-cut]

    return make


def _workbook_cases() -> list[Case]:
    book = base_workbook
    sheet = "xl/worksheets/sheet1.xml"
    cases = [
        Case("xlsx-base", "form.xlsx", lambda _rng: book()),
        Case("xlsx-truncated-50", "form.xlsx", _truncated_bytes(book, 0.5)),
        Case("xlsx-truncated-end", "form.xlsx", _truncated_bytes(book, None, cut=10)),
        *[
            Case(f"xlsx-flipped-sheet-{n}", "form.xlsx", _flip_in_member(book, sheet))
            for n in range(2)
        ],
        *[
            Case(
                f"xlsx-flipped-strings-{n}",
                "form.xlsx",
                _flip_in_member(shared_base, "xl/sharedStrings.xml"),
            )
            for n in range(1)
        ],
        *[
            Case(f"xlsx-flipped-directory-{n}", "form.xlsx", _flip_in_directory(book))
            for n in range(2)
        ],
        *[
            Case(f"xlsx-flipped-anywhere-{n}", "form.xlsx", lambda rng: flipped_byte(book(), rng))
            for n in range(2)
        ],
        Case("xlsx-random-bytes", "form.xlsx", _random_bytes(8192)),
        Case("xlsx-random-after-zip-magic", "form.xlsx", _random_bytes(8192, b"PK\x03\x04")),
        Case("xlsx-empty-zip", "form.xlsx", lambda _rng: _rezip([])),
        Case("xlsx-only-content-types", "form.xlsx", _only_member(book, "[Content_Types].xml")),
        Case("xlsx-encrypted-flag", "form.xlsx", _set_flag_bits(book, 0x1)),
        Case("xlsx-unsupported-compression", "form.xlsx", _set_method(book, 6)),
        Case(
            "xlsx-old-excel",
            "form.xlsx",
            lambda rng: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(4000),
        ),
        Case("xlsx-renamed-csv", "form.xlsx", lambda _rng: b"type,name,label\ntext,q,Q\n"),
        Case(
            "xlsx-sheet-not-xml",
            "form.xlsx",
            _edit_member(book, sheet, lambda _d: b"\x00\x01 not xml"),
        ),
        Case(
            "xlsx-sheet-nul",
            "form.xlsx",
            _edit_member(
                shared_base, "xl/sharedStrings.xml", _xml_replace(b"Comment", b"Com\x00ment")
            ),
        ),
        Case(
            "xlsx-escaped-control-character",
            "form.xlsx",
            _edit_member(
                shared_base,
                "xl/sharedStrings.xml",
                _xml_replace(b"Comment", b"Com_x0001_ment_x0000_"),
            ),
        ),
        Case(
            "xlsx-entity-bomb",
            "form.xlsx",
            _edit_member(shared_base, "xl/sharedStrings.xml", _entity_bomb),
        ),
        Case(
            "xlsx-external-entity",
            "form.xlsx",
            _edit_member(shared_base, "xl/sharedStrings.xml", _external_entity),
        ),
        Case("xlsx-shared-strings-base", "form.xlsx", lambda _rng: shared_base()),
        Case("xlsx-far-cell", "form.xlsx", _edit_member(book, sheet, _far_cell)),
        Case("xlsx-deep-xml", "form.xlsx", _edit_member(book, sheet, _deep_xml)),
        Case("xlsx-missing-sheet-part", "form.xlsx", _without_member(book, sheet)),
        Case(
            "xlsx-workbook-xml-garbage",
            "form.xlsx",
            _edit_member(book, "xl/workbook.xml", lambda d: d[: len(d) // 2]),
        ),
        Case("xlsx-huge-int-cell", "form.xlsx", _cell("survey", 2, 6, 10**30)),
        Case("xlsx-huge-digit-text", "form.xlsx", _cell("survey", 2, 6, "9" * 5000)),
        Case("xlsx-infinite-points", "form.xlsx", _cell("choices", 2, 3, "inf")),
        Case(
            "xlsx-date-cell-name",
            "form.xlsx",
            _cell("survey", 6, 1, datetime.datetime(2026, 1, 2, 3, 4)),
        ),
        Case("xlsx-formula-label", "form.xlsx", _cell("survey", 6, 2, "=1/0")),
        Case("xlsx-long-name", "form.xlsx", _cell("survey", 6, 1, "n" * 32_000)),
        Case("xlsx-duplicate-name", "form.xlsx", _cell("survey", 6, 1, "wait_minutes")),
        Case("xlsx-broken-expression", "form.xlsx", _cell("survey", 5, 3, "${wait_minutes <")),
        Case("xlsx-calculation-cycle", "form.xlsx", _cell("survey", 4, 4, "${total} + 1")),
        Case(
            "xlsx-deep-expression",
            "form.xlsx",
            _cell("survey", 4, 4, "(" * 3000 + "1" + ")" * 3000),
        ),
        Case(
            "xlsx-no-survey-sheet",
            "form.xlsx",
            _sheets(lambda s: s.update(survey=[]) or s.pop("survey")),
        ),
        Case("xlsx-survey-no-header", "form.xlsx", _sheets(lambda s: s["survey"].pop(0))),
        Case(
            "xlsx-duplicate-columns",
            "form.xlsx",
            _sheets(lambda s: s["survey"][0].__setitem__(1, "Type")),
        ),
        Case(
            "xlsx-two-survey-sheets",
            "form.xlsx",
            _sheets(lambda s: s.update({"SURVEY": s["survey"]})),
        ),
        Case("xlsx-shared-string-bomb", "form.xlsx", _shared_strings_bomb(rows=2000, size=30_000)),
        Case(
            "xlsx-many-rows-10000",
            "form.xlsx",
            _sheets(
                lambda s: s["survey"].extend([[None] * 7] * 10_000 + [["note", "late", "Late"]])
            ),
        ),
    ]
    return cases


FORM_CASES = _cases(_form_cases())

_LEFT_BEHIND = (
    "forms/storage/sqlite.py (inspect_sqlite_file) opens the file read-only (mode=ro) to "
    "check it; on a WAL-mode file that connection creates rapport.db-wal and -shm and, "
    "read-only, cannot remove them, so a refused file is left with two new files"
)
KNOWN_FAILURES: dict[str, str] = {}
"""Cases that fail for a bug not fixed yet (none now); the tests mark them
xfail(strict=True), so each one fails the run as soon as it is fixed, as a reminder to take
it out of this list."""


def case_parameters(names: Iterable[str]) -> list[Any]:
    """The names as pytest parameters, the known failures marked xfail(strict=True)."""
    import pytest

    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[name]))
        if name in KNOWN_FAILURES
        else name
        for name in sorted(names)
    ]


# --- answers for `score` ------------------------------------------------------------------


def _answers(change: Callable[[dict[str, object]], object]) -> Maker:
    def make(_rng: random.Random) -> bytes:
        answers = dict(BASE_ANSWERS)
        result = change(answers)
        return json.dumps(answers if result is None else result).encode()

    return make


def _answer(question: str, value: object) -> Maker:
    return _answers(lambda answers: answers.update({question: value}))


ANSWER_CASES = _cases(
    [
        Case("answers-base", "answers.json", _answers(lambda _a: None)),
        Case("answers-empty-object", "answers.json", lambda _rng: b"{}"),
        Case("answers-empty-file", "answers.json", lambda _rng: b""),
        Case("answers-list", "answers.json", lambda _rng: b"[1, 2, 3]"),
        Case("answers-random-bytes", "answers.json", _random_bytes(2000)),
        Case(
            "answers-utf16", "answers.json", lambda _rng: json.dumps(BASE_ANSWERS).encode("utf-16")
        ),
        Case(
            "answers-truncated", "answers.json", lambda _rng: json.dumps(BASE_ANSWERS).encode()[:40]
        ),
        Case(
            "answers-deep",
            "answers.json",
            lambda _rng: b'{"comment": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        ),
        Case(
            "answers-huge-int",
            "answers.json",
            lambda _rng: b'{"wait_minutes": ' + b"9" * 5000 + b"}",
        ),
        Case(
            "answers-nan", "answers.json", lambda _rng: b'{"spent": NaN, "wait_minutes": Infinity}'
        ),
        Case("answers-big-float", "answers.json", _answer("spent", 1e308)),
        Case("answers-just-below-limit", "answers.json", _answer("spent", 999_999_999_999_999.0)),
        Case("answers-integer-as-text", "answers.json", _answer("wait_minutes", "five")),
        Case("answers-integer-as-float", "answers.json", _answer("wait_minutes", 5.5)),
        Case("answers-integer-as-huge-text", "answers.json", _answer("wait_minutes", "9" * 5000)),
        Case("answers-integer-as-exponent", "answers.json", _answer("wait_minutes", "1e999")),
        Case("answers-decimal-as-nan-text", "answers.json", _answer("spent", "NaN")),
        Case("answers-decimal-as-infinity-text", "answers.json", _answer("spent", "-Infinity")),
        Case("answers-decimal-as-list", "answers.json", _answer("spent", [1, 2])),
        Case("answers-select-as-dict", "answers.json", _answer("greeting_rating", {"a": 1})),
        Case("answers-select-unknown-choice", "answers.json", _answer("greeting_rating", "zzz")),
        Case("answers-select-as-number", "answers.json", _answer("greeting_rating", 3)),
        Case("answers-select-as-bool", "answers.json", _answer("channel", True)),
        Case("answers-multiple-as-list", "answers.json", _answer("extras", ["a", "b", "a"])),
        Case("answers-multiple-many", "answers.json", _answer("extras", " ".join(["a"] * 5000))),
        Case("answers-range-outside", "answers.json", _answer("warmth", 1e12)),
        Case("answers-range-negative", "answers.json", _answer("warmth", -3)),
        Case("answers-range-off-step", "answers.json", _answer("warmth", 2.5)),
        Case("answers-date-impossible", "answers.json", _answer("visit_day", "2026-02-30")),
        Case("answers-date-huge-year", "answers.json", _answer("visit_day", "99999-01-01")),
        Case("answers-date-as-number", "answers.json", _answer("visit_day", 20260101)),
        Case("answers-text-long", "answers.json", _answer("comment", "x" * 10_001)),
        Case("answers-text-nul", "answers.json", _answer("comment", "a\x00b")),
        Case("answers-unknown-question", "answers.json", _answer("nobody", "x")),
        Case("answers-calculated-given", "answers.json", _answer("total", "x")),
        Case("answers-note-given", "answers.json", _answer("thanks", 5)),
        Case("answers-null", "answers.json", _answer("wait_minutes", None)),
        Case("answers-long-key", "answers.json", _answer("k" * 100_000, 1)),
        Case(
            "answers-duplicate-key",
            "answers.json",
            lambda _rng: b'{"wait_minutes": 1, "wait_minutes": "x"}',
        ),
    ]
)


# --- locations CSV -------------------------------------------------------------------------

CSV_HEADER = "location_code,location_name,city,agent_code,agent_name"
CSV_GOOD = [
    "HPO,Harbor Point Offices,Baltimore,A-1,Maria Alvarez",
    "HPO,,,A-2,Tomás Herrera",
    "NEW-1,New Site,Leeds,,",
]


def _csv(*lines: str, header: str = CSV_HEADER, ending: str = "\n") -> Maker:
    return lambda _rng: ending.join([header, *lines]).encode("utf-8") + ending.encode()


def _random_csv_rows(rng: random.Random) -> bytes:
    alphabet = "ab,;\"\t\r\n é\\'x"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(60))) for _ in range(300)]
    return "\n".join([CSV_HEADER, *lines]).encode()


LOCATION_CASES = _cases(
    [
        Case("csv-base", "sites.csv", _csv(*CSV_GOOD)),
        Case("csv-stray-quote", "sites.csv", _csv('HPO,"Harbor Point,Baltimore,,', *CSV_GOOD)),
        Case("csv-quote-at-end", "sites.csv", _csv(*CSV_GOOD, 'X,"Never closed')),
        Case("csv-quote-inside", "sites.csv", _csv('HPO,Harbor "Point" Offices,Baltimore,,')),
        Case(
            "csv-nul",
            "sites.csv",
            lambda _rng: _csv(*CSV_GOOD)(_rng).replace(b"Harbor", b"Har\0bor"),
        ),
        Case(
            "csv-utf16",
            "sites.csv",
            lambda _rng: "\n".join([CSV_HEADER, *CSV_GOOD]).encode("utf-16"),
        ),
        Case(
            "csv-utf16-no-bom",
            "sites.csv",
            lambda _rng: "\n".join([CSV_HEADER, *CSV_GOOD]).encode("utf-16-le"),
        ),
        Case(
            "csv-latin1",
            "sites.csv",
            lambda _rng: "\n".join([CSV_HEADER, *CSV_GOOD]).encode("latin-1"),
        ),
        Case("csv-huge-field", "sites.csv", _csv("HPO," + "x" * 5_000_000 + ",Baltimore,,")),
        Case(
            "csv-huge-quoted-field", "sites.csv", _csv('HPO,"' + "x," * 500_000 + '",Baltimore,,')
        ),
        Case(
            "csv-long-name-under-limit", "sites.csv", _csv("HPO," + "y" * 100_000 + ",Baltimore,,")
        ),
        Case("csv-missing-header", "sites.csv", lambda _rng: "\n".join(CSV_GOOD).encode()),
        Case("csv-header-only", "sites.csv", _csv()),
        Case("csv-empty", "sites.csv", lambda _rng: b""),
        Case("csv-only-bom", "sites.csv", lambda _rng: b"\xef\xbb\xbf"),
        Case("csv-extra-columns", "sites.csv", _csv("HPO,Harbor,Baltimore,A-1,Maria,extra,more")),
        Case("csv-unknown-column", "sites.csv", _csv(*CSV_GOOD, header=CSV_HEADER + ",colour")),
        Case(
            "csv-a-million-columns",
            "sites.csv",
            _csv(*CSV_GOOD, header=CSV_HEADER + ",c" * 300_000),
        ),
        Case("csv-duplicate-column", "sites.csv", _csv(*CSV_GOOD, header=CSV_HEADER + ",city")),
        Case(
            "csv-100000-empty-lines",
            "sites.csv",
            lambda _rng: (CSV_HEADER + "\n" + "\n" * 100_000 + CSV_GOOD[0] + "\n").encode(),
        ),
        Case(
            "csv-100000-commas-lines",
            "sites.csv",
            lambda _rng: (CSV_HEADER + "\n" + ",,,,\n" * 100_000).encode(),
        ),
        Case("csv-many-bad-lines", "sites.csv", _csv(*[f",name {i},,," for i in range(50_000)])),
        Case(
            "csv-20000-agents",
            "sites.csv",
            _csv(*[f"S{i % 50},Site {i % 50},City,A{i},Agent {i}" for i in range(20_000)]),
        ),
        Case("csv-conflicting-site", "sites.csv", _csv("HPO,One,,,", "HPO,Two,,,")),
        Case("csv-agent-without-name", "sites.csv", _csv("HPO,Harbor,,A-9,")),
        Case(
            "csv-semicolons",
            "sites.csv",
            _csv(
                *[line.replace(",", ";") for line in CSV_GOOD], header=CSV_HEADER.replace(",", ";")
            ),
        ),
        Case(
            "csv-tabs-and-commas",
            "sites.csv",
            _csv("HPO\tHarbor,Point\t,,", header=CSV_HEADER.replace(",", "\t")),
        ),
        Case("csv-cr-only", "sites.csv", _csv(*CSV_GOOD, ending="\r")),
        Case("csv-crlf", "sites.csv", _csv(*CSV_GOOD, ending="\r\n")),
        Case(
            "csv-no-final-newline",
            "sites.csv",
            lambda _rng: "\n".join([CSV_HEADER, *CSV_GOOD]).encode(),
        ),
        Case("csv-random-bytes", "sites.csv", _random_bytes(5000)),
        Case("csv-random-rows", "sites.csv", _random_csv_rows),
        Case("csv-xlsx-renamed", "sites.csv", lambda _rng: base_workbook()),
        Case(
            "csv-control-characters",
            "sites.csv",
            _csv("HPO,Harbor\x07\x1b[31m,Balti\x0bmore,A-1,Ma\x01ria"),
        ),
        Case(
            "csv-bidi-and-emoji", "sites.csv", _csv("HPO,\u202eHarbor 🏢,\u200bBaltimore,A-1,Maria")
        ),
        Case("csv-code-with-spaces", "sites.csv", _csv("  HPO  ,  Harbor  ,,,")),
        Case(
            "csv-one-huge-line",
            "sites.csv",
            lambda _rng: (CSV_HEADER + "\n" + "a" * 20_000_000).encode(),
        ),
    ]
)


# --- bundles -------------------------------------------------------------------------------

Members = dict[str, bytes]
BundleChange = Callable[[Members, random.Random], None]


def bundle_members(path: Path) -> Members:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def resum_manifest(members: Members) -> None:
    """Make the manifest's sums and sizes those of the members again, as someone who edits
    a bundle on purpose would."""
    manifest = json.loads(members["manifest.json"])
    manifest["members"] = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in members.items()
        if name != "manifest.json"
    }
    members["manifest.json"] = json.dumps(manifest).encode()


def write_members(members: Members) -> bytes:
    return _rezip(list(members.items()))


def _records(members: Members, member: str) -> list[Any]:
    records: list[Any] = json.loads(members[member])
    return records


def _put_records(members: Members, member: str, records: object) -> None:
    members[member] = json.dumps(records).encode()


@dataclass(frozen=True)
class BundleCase:
    """A change to a valid bundle; `resum` makes the manifest's sums again after it."""

    name: str
    change: BundleChange
    resum: bool = True
    raw: Callable[[bytes, random.Random], bytes] | None = None
    """For damage to the zip itself: the file's bytes from the valid bundle's bytes."""
    whole: bool = False
    """Start from the whole sample company's bundle instead of its last ten days'."""

    def rng(self) -> random.Random:
        return random.Random(f"rapport-fuzz/{self.name}")

    def make(self, valid: Path) -> bytes:
        rng = self.rng()
        if self.raw is not None:
            return self.raw(valid.read_bytes(), rng)
        members = bundle_members(valid)
        self.change(members, rng)
        if self.resum:
            resum_manifest(members)
        return write_members(members)

    def write(self, folder: Path, valid: Path) -> Path:
        path = folder / "bundle.zip"
        path.write_bytes(self.make(valid))
        return path


def _edit_records(member: str, edit: Callable[[list[Any], random.Random], object]) -> BundleChange:
    def change(members: Members, rng: random.Random) -> None:
        records = _records(members, member)
        result = edit(records, rng)
        _put_records(members, member, records if result is None else result)

    return change


def _set_field(
    field: str, value: object, index: int = 0
) -> Callable[[list[Any], random.Random], None]:
    def edit(records: list[Any], _rng: random.Random) -> None:
        records[index][field] = value

    return edit


def _drop_field(field: str) -> Callable[[list[Any], random.Random], None]:
    def edit(records: list[Any], _rng: random.Random) -> None:
        del records[0][field]

    return edit


def _random_field_type(records: list[Any], rng: random.Random) -> None:
    record = records[rng.randrange(len(records))]
    field = rng.choice(sorted(record))
    record[field] = rng.choice([12, -1, 1.5, True, None, "text", [], {}, [1, [2]], {"a": "b"}])


def _answer_value(
    value: object, question_index: int = 0
) -> Callable[[list[Any], random.Random], None]:
    def edit(records: list[Any], _rng: random.Random) -> None:
        records[0]["answers"][question_index]["value"] = value

    return edit


def _raw_json(member: str, old: bytes, new: bytes) -> BundleChange:
    def change(members: Members, _rng: random.Random) -> None:
        data = members[member]
        assert old in data, old
        members[member] = data.replace(old, new, 1)

    return change


def _first_number_field(member: str, field: str, literal: bytes) -> BundleChange:
    """The first `"field": <number>` of a member written as `literal` (NaN, 1e999...)."""

    def change(members: Members, _rng: random.Random) -> None:
        text = members[member].decode()
        records = json.loads(text)
        records[0][field] = 123456789.25
        members[member] = json.dumps(records).encode().replace(b"123456789.25", literal, 1)

    return change


def _duplicate_first(
    member: str, edit: Callable[[dict[str, Any]], None] | None = None
) -> BundleChange:
    def change(members: Members, _rng: random.Random) -> None:
        records = _records(members, member)
        twin = copy.deepcopy(records[0])
        if edit is not None:
            edit(twin)
        records.append(twin)
        _put_records(members, member, records)

    return change


def _nested(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


def _nested_object(depth: int) -> object:
    value: object = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def _deep_json(member: str, depth: int) -> BundleChange:
    def change(members: Members, _rng: random.Random) -> None:
        members[member] = b"[" * depth + b"]" * depth

    return change


def _manifest(edit: Callable[[dict[str, Any]], object]) -> BundleChange:
    def change(members: Members, _rng: random.Random) -> None:
        manifest = json.loads(members["manifest.json"])
        result = edit(manifest)
        members["manifest.json"] = json.dumps(manifest if result is None else result).encode()

    return change


def forge(members: Members) -> None:
    """Make every form's sha256 and every submission's content hash match what the records
    now say, as someone forging a bundle would: the change then reaches the merge."""
    from forms.storage.values import content_hash

    forms = _records(members, "forms.json")
    renamed: dict[str, str] = {}
    for form in forms:
        new = hashlib.sha256(form["definition"].encode("utf-8")).hexdigest()
        renamed[form["sha256"]] = new
        form["sha256"] = new
    _put_records(members, "forms.json", forms)
    submissions = _records(members, "submissions.json")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)  # answers nested hundreds deep are hashed too
    try:
        for record in submissions:
            record["form"] = renamed.get(record["form"], record["form"])
            answers = [a for a in record.get("answers", ()) if isinstance(a, dict)]
            record["content_hash"] = content_hash(
                record["form"],
                {a["question"]: a["value"] for a in answers if a.get("value") is not None},
                {a["question"]: a["comment"] for a in answers if a.get("comment")},
                [a["sha256"] for a in record.get("attachments", ())],
            )
    finally:
        sys.setrecursionlimit(limit)
    _put_records(members, "submissions.json", submissions)
    assignments = _records(members, "assignments.json")
    for task in assignments:
        task["form"] = renamed.get(task["form"], task["form"])
    _put_records(members, "assignments.json", assignments)


def _forged(change: BundleChange) -> BundleChange:
    def forged(members: Members, rng: random.Random) -> None:
        change(members, rng)
        forge(members)

    return forged


def _edit_definition(edit: Callable[[dict[str, Any]], None]) -> BundleChange:
    """The first form's definition (canonical JSON) changed by `edit`."""

    def change(members: Members, _rng: random.Random) -> None:
        forms = _records(members, "forms.json")
        definition = json.loads(forms[0]["definition"])
        edit(definition)
        forms[0]["definition"] = json.dumps(definition, sort_keys=True, separators=(",", ":"))
        _put_records(members, "forms.json", forms)

    return change


def _first_question(definition: dict[str, Any]) -> dict[str, Any]:
    items = definition["children"]
    while "children" in items[0]:
        items = items[0]["children"]
    first: dict[str, Any] = items[0]
    return first


def _deep_definition(definition: dict[str, Any]) -> None:
    group: dict[str, Any] = {"name": "g", "children": list(definition["children"])}
    for i in range(25):  # deeper than the 20 a form may nest, within pydantic's limit
        group = {"name": f"g{i}", "children": [group]}
    definition["children"] = [group]


def _add_assignment(ref: object) -> BundleChange:
    def change(members: Members, _rng: random.Random) -> None:
        location = _records(members, "locations.json")[0]["code"]
        form = _records(members, "forms.json")[0]["sha256"]
        _put_records(
            members, "assignments.json", [{"ref": ref, "location": location, "form": form}]
        )

    return change


def _point_submission_to_assignment(ref: object) -> BundleChange:
    def change(members: Members, rng: random.Random) -> None:
        _add_assignment(ref)(members, rng)
        records = _records(members, "submissions.json")
        records[0]["assignment"] = ref
        _put_records(members, "submissions.json", records)

    return change


def _flip_member(member: str) -> Callable[[bytes, random.Random], bytes]:
    def edit(data: bytes, rng: random.Random) -> bytes:
        return _flip_in_member(lambda: data, member)(rng)

    return edit


def _replace_member(member: str, data: bytes) -> BundleChange:
    def change(members: Members, _rng: random.Random) -> None:
        members[member] = data

    return change


def _both(first: BundleChange, second: BundleChange) -> BundleChange:
    def change(members: Members, rng: random.Random) -> None:
        first(members, rng)
        second(members, rng)

    return change


def _bundle_cases() -> list[BundleCase]:
    subs, forms, locations, agents = (
        "submissions.json",
        "forms.json",
        "locations.json",
        "agents.json",
    )
    cases = [
        BundleCase("bundle-valid", lambda _m, _r: None, resum=False),
        BundleCase("bundle-valid-whole-company", lambda _m, _r: None, resum=False, whole=True),
        BundleCase("bundle-resummed-unchanged", lambda _m, _r: None),
        # wrong types
        *[
            BundleCase(
                f"bundle-{member.removesuffix('.json')}-is-{label}", _replace_member(member, value)
            )
            for member, label, value in (
                (subs, "object", b"{}"),
                (forms, "number", b"5"),
            )
        ],
        BundleCase(
            "bundle-record-not-object", _edit_records(subs, lambda r, _rng: [1, "two", None])
        ),
        *[
            BundleCase(
                f"bundle-random-field-type-{member.removesuffix('.json')}-{n}",
                _edit_records(member, _random_field_type),
            )
            for member in (subs, forms, locations, agents)
            for n in range(1)
        ],
        BundleCase("bundle-status-number", _edit_records(subs, _set_field("status", 5))),
        BundleCase("bundle-answers-string", _edit_records(subs, _set_field("answers", "all good"))),
        BundleCase(
            "bundle-answer-value-object",
            _forged(_edit_records(subs, _answer_value({"a": {"b": [1, 2]}}))),
        ),
        BundleCase(
            "bundle-answer-value-nested", _forged(_edit_records(subs, _answer_value(_nested(500))))
        ),
        BundleCase(
            "bundle-answer-value-nested-object",
            _forged(_edit_records(subs, _answer_value(_nested_object(450)))),
        ),
        BundleCase(
            "bundle-answer-value-wrong-choice",
            _forged(_edit_records(subs, _answer_value("no-such-choice"))),
        ),
        BundleCase(
            "bundle-answer-value-list",
            _forged(_edit_records(subs, _answer_value(["a", "b"] * 400))),
        ),
        BundleCase(
            "bundle-definition-not-json",
            _forged(_edit_records(forms, _set_field("definition", "{not json"))),
        ),
        BundleCase(
            "bundle-definition-object", _edit_records(forms, _set_field("definition", {"key": "x"}))
        ),
        BundleCase(
            "bundle-created-at-year-0",
            _edit_records(forms, _set_field("created_at", "0000-01-01T00:00:00Z")),
        ),
        BundleCase(
            "bundle-started-at-huge-year",
            _edit_records(subs, _set_field("started_at", "99999-01-01T00:00:00Z")),
        ),
        BundleCase(
            "bundle-visit-at-year-9999",
            _edit_records(subs, _set_field("visit_at", "9999-12-31T23:59:59+14:00")),
        ),
        BundleCase(
            "bundle-visit-at-year-1",
            _edit_records(subs, _set_field("visit_at", "0001-01-01T00:00:00-14:00")),
        ),
        # missing fields
        *[
            BundleCase(
                f"bundle-missing-{member.removesuffix('.json')}-{field}",
                _edit_records(member, _drop_field(field)),
            )
            for member, field in (
                (subs, "id"),
                (subs, "content_hash"),
                (forms, "definition"),
                (locations, "code"),
                (agents, "location"),
            )
        ],
        BundleCase("bundle-extra-field", _edit_records(subs, _set_field("colour", "red"))),
        BundleCase("bundle-member-missing", lambda m, _r: m.pop(agents)),
        BundleCase("bundle-member-extra", lambda m, _r: m.update({"notes.txt": b"hello"})),
        BundleCase("bundle-member-traversal", lambda m, _r: m.update({"../../evil.json": b"[]"})),
        BundleCase(
            "bundle-blob-unreferenced",
            lambda m, _r: m.update({"blobs/" + hashlib.sha256(b"x").hexdigest(): b"x"}),
        ),
        BundleCase("bundle-blob-wrong-bytes", lambda m, _r: m.update({"blobs/" + "0" * 64: b"x"})),
        # huge strings and numbers
        BundleCase(
            "bundle-huge-location-name",
            _edit_records(locations, _set_field("name", "L" * 5_000_000)),
        ),
        BundleCase(
            "bundle-huge-agent-code", _edit_records(agents, _set_field("code", "A" * 2_000_000))
        ),
        BundleCase(
            "bundle-huge-review-note",
            _edit_records(subs, _set_field("review_note", "n" * 5_000_000)),
        ),
        BundleCase(
            "bundle-huge-answer-text", _forged(_edit_records(subs, _answer_value("t" * 10_001)))
        ),
        BundleCase(
            "bundle-huge-audit",
            _edit_records(
                subs,
                lambda r, _rng: r[0].update(
                    audit=[{"at": "2026-01-01T00:00:00Z", "actor": "x", "action": "a" * 1000}]
                    * 20_000
                ),
            ),
        ),
        BundleCase("bundle-revision-huge", _edit_records(subs, _set_field("revision", 10**400))),
        BundleCase(
            "bundle-revision-huge-literal",
            _raw_json(subs, b'"revision": ', b'"revision": ' + b"9" * 5000 + b', "x": '),
        ),
        BundleCase("bundle-score-1e999", _first_number_field(subs, "score", b"1e999")),
        BundleCase("bundle-score-nan", _first_number_field(subs, "score", b"NaN")),
        BundleCase(
            "bundle-points-nan",
            _forged(
                _edit_records(subs, lambda r, _rng: r[0]["answers"][0].update(points=float("nan")))
            ),
        ),
        BundleCase(
            "bundle-answer-huge-number", _forged(_edit_records(subs, _answer_value(10**300)))
        ),
        BundleCase("bundle-assignment-ref-huge", _point_submission_to_assignment(10**30)),
        BundleCase("bundle-assignment-ref-negative", _point_submission_to_assignment(-(2**70))),
        BundleCase(
            "bundle-manifest-size-huge",
            _manifest(lambda m: m["members"][subs].update(size=10**30)),
            resum=False,
        ),
        # nested arrays
        BundleCase("bundle-deep-member", _deep_json(subs, 100_000)),
        BundleCase(
            "bundle-deep-manifest",
            lambda m, _r: m.update({"manifest.json": b"[" * 100_000 + b"]" * 100_000}),
            resum=False,
        ),
        BundleCase(
            "bundle-deep-answer-value",
            _raw_json(
                subs, b'"value": ', b'"value": ' + b"[" * 50_000 + b"]" * 50_000 + b', "y": '
            ),
        ),
        # duplicate ids
        BundleCase("bundle-duplicate-submission", _duplicate_first(subs)),
        BundleCase(
            "bundle-duplicate-submission-other-status",
            _duplicate_first(subs, lambda r: r.update(status="void")),
        ),
        BundleCase(
            "bundle-duplicate-id-capitals",
            _duplicate_first(subs, lambda r: r.update(id=r["id"].upper())),
        ),
        BundleCase(
            "bundle-duplicate-location",
            _duplicate_first(locations, lambda r: r.update(name="Other")),
        ),
        BundleCase("bundle-duplicate-agent", _duplicate_first(agents)),
        BundleCase("bundle-duplicate-form", _duplicate_first(forms)),
        BundleCase(
            "bundle-duplicate-answer",
            _forged(
                _edit_records(
                    subs, lambda r, _rng: r[0]["answers"].append(dict(r[0]["answers"][0]))
                )
            ),
        ),
        BundleCase(
            "bundle-duplicate-assignment",
            _both(_add_assignment(1), _duplicate_first("assignments.json")),
        ),
        # forged: every hash made again, so the change reaches the merge
        BundleCase(
            "bundle-forged-unknown-question",
            _forged(
                _edit_records(subs, lambda r, _rng: r[0]["answers"][0].update(question="nobody"))
            ),
        ),
        BundleCase(
            "bundle-forged-definition-broken-expression",
            _forged(_edit_definition(lambda d: _first_question(d).update(relevant="((${"))),
        ),
        BundleCase(
            "bundle-forged-definition-unknown-list",
            _forged(
                _edit_definition(
                    lambda d: _first_question(d).update(list_name="nowhere", type="select_one")
                )
            ),
        ),
        BundleCase(
            "bundle-forged-definition-cycle",
            _forged(
                _edit_definition(
                    lambda d: _first_question(d).update(
                        type="calculate", calculation="${" + _first_question(d)["name"] + "} + 1"
                    )
                )
            ),
        ),
        BundleCase("bundle-forged-definition-deep", _forged(_edit_definition(_deep_definition))),
        BundleCase(
            "bundle-forged-definition-unknown-type",
            _forged(_edit_definition(lambda d: _first_question(d).update(type="hologram"))),
        ),
        BundleCase(
            "bundle-forged-definition-huge-weight",
            _forged(_edit_definition(lambda d: _first_question(d).update(weight=1e308))),
        ),
        BundleCase(
            "bundle-forged-definition-nan-weight",
            _forged(_edit_definition(lambda d: _first_question(d).update(weight="NaN"))),
        ),
        BundleCase(
            "bundle-forged-definition-same-key-other-content",
            _forged(_edit_definition(lambda d: d.update(title={"default": "Changed"}))),
        ),
        BundleCase(
            "bundle-forged-key-mismatch",
            _forged(_edit_definition(lambda d: d.update(key="someone_else"))),
        ),
        # the manifest
        BundleCase("bundle-manifest-newer-format", _manifest(lambda m: m.update(format_version=2))),
        BundleCase(
            "bundle-manifest-format-huge", _manifest(lambda m: m.update(format_version=10**30))
        ),
        BundleCase(
            "bundle-manifest-newer-schema", _manifest(lambda m: m.update(schema_revision="9999"))
        ),
        BundleCase(
            "bundle-manifest-not-bundle", _manifest(lambda m: m.update(format="something-else"))
        ),
        BundleCase("bundle-manifest-list", _manifest(lambda m: [m]), resum=False),
        BundleCase(
            "bundle-manifest-not-utf8",
            lambda m, _r: m.update({"manifest.json": b"\xff\xfe" + m["manifest.json"]}),
            resum=False,
        ),
        BundleCase(
            "bundle-manifest-nan",
            lambda m, _r: m.update(
                {
                    "manifest.json": m["manifest.json"].replace(
                        b'"format_version": 1', b'"format_version": NaN'
                    )
                }
            ),
            resum=False,
        ),
        BundleCase("bundle-manifest-missing", lambda m, _r: m.pop("manifest.json"), resum=False),
        BundleCase(
            "bundle-manifest-huge",
            _manifest(lambda m: m.update(bundle_id="b" * 17_000_000)),
            resum=False,
        ),
        BundleCase(
            "bundle-manifest-sums-stale",
            _edit_records(subs, _set_field("review_note", "changed")),
            resum=False,
        ),
        # damage to the zip itself
        BundleCase("bundle-empty-file", lambda _m, _r: None, raw=lambda _d, _rng: b""),
        BundleCase(
            "bundle-random-bytes", lambda _m, _r: None, raw=lambda _d, rng: rng.randbytes(20_000)
        ),
        BundleCase(
            "bundle-random-after-magic",
            lambda _m, _r: None,
            raw=lambda _d, rng: b"PK\x03\x04" + rng.randbytes(20_000),
        ),
        *[
            BundleCase(
                f"bundle-truncated-{int(f * 100)}",
                lambda _m, _r: None,
                raw=lambda d, _rng, f=f: d[: int(len(d) * f)],
            )
            for f in (0.05, 0.5, 0.99)
        ],
        BundleCase(
            "bundle-truncated-directory-end", lambda _m, _r: None, raw=lambda d, _rng: d[:-5]
        ),
        *[
            BundleCase(
                f"bundle-flipped-{member.removesuffix('.json')}-{n}",
                lambda _m, _r: None,
                raw=_flip_member(member),
            )
            for member in ("manifest.json", subs, forms)
            for n in range(1)
        ],
        *[
            BundleCase(
                f"bundle-flipped-directory-{n}",
                lambda _m, _r: None,
                raw=lambda d, rng: _flip_in_directory(lambda: d)(rng),
            )
            for n in range(2)
        ],
        *[
            BundleCase(
                f"bundle-flipped-anywhere-{n}",
                lambda _m, _r: None,
                raw=lambda d, rng: flipped_byte(d, rng),
            )
            for n in range(2)
        ],
        BundleCase(
            "bundle-encrypted-flag",
            lambda _m, _r: None,
            raw=lambda d, _rng: _set_flag_bits(lambda: d, 0x1)(_rng),
        ),
        BundleCase(
            "bundle-unsupported-compression",
            lambda _m, _r: None,
            raw=lambda d, _rng: _set_method(lambda: d, 6)(_rng),
        ),
        BundleCase(
            "bundle-garbage-prepended",
            lambda _m, _r: None,
            raw=lambda d, rng: rng.randbytes(1000) + d,
        ),
        BundleCase(
            "bundle-garbage-appended",
            lambda _m, _r: None,
            raw=lambda d, rng: d + rng.randbytes(1000),
        ),
        BundleCase(
            "bundle-duplicate-member-names",
            lambda _m, _r: None,
            raw=lambda d, _rng: _duplicate_names(d),
        ),
        BundleCase("bundle-a-workbook", lambda _m, _r: None, raw=lambda _d, _rng: base_workbook()),
        BundleCase("bundle-zip-of-nothing", lambda _m, _r: None, raw=lambda _d, _rng: _rezip([])),
    ]
    return cases


def _duplicate_names(data: bytes) -> bytes:
    members = [(info.filename, member) for info, member in _zip_members(data)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, member in [*members, ("agents.json", b"[]")]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Duplicate name": the point of this case
                archive.writestr(name, member)
    return buffer.getvalue()


def _named(cases: list[BundleCase]) -> dict[str, BundleCase]:
    found: dict[str, BundleCase] = {}
    for case in cases:
        assert case.name not in found, f"two bundle cases are named {case.name}"
        found[case.name] = case
    return found


BUNDLE_CASES = _named(_bundle_cases())


# --- database files ------------------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseCase:
    """A database file (and companions) made from a real Rapport database's bytes."""

    name: str
    make: Callable[[bytes, random.Random], dict[str, bytes]]
    """suffix ("" for the file itself, "-wal"...) -> bytes."""

    def write(self, folder: Path, real: Path) -> Path:
        path = folder / "rapport.db"
        for suffix, data in self.make(
            real.read_bytes(), random.Random(f"rapport-fuzz/{self.name}")
        ).items():
            path.with_name(path.name + suffix).write_bytes(data)
        return path


def _other_program_database(_real: bytes, _rng: random.Random) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notes.db"
        connection = sqlite3.connect(path)
        connection.execute("create table notes (id integer primary key, body text)")
        connection.execute("insert into notes (body) values ('buy milk')")
        connection.commit()
        connection.close()
        return {"": path.read_bytes()}


def _sql_edit(
    statements: str, *, keep_wal: bool = False
) -> Callable[[bytes, random.Random], dict[str, bytes]]:
    """A real database changed by SQL, as another tool might have changed it; in rollback
    journal mode unless `keep_wal` (Rapport's files are in WAL mode)."""

    def make(real: bytes, _rng: random.Random) -> dict[str, bytes]:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "edited.db"
            path.write_bytes(real)
            connection = sqlite3.connect(path)
            connection.executescript(statements)
            connection.commit()
            if not keep_wal:
                connection.execute("pragma journal_mode = delete")
            connection.close()  # the last connection: the write-ahead log goes into the file
            return {"": path.read_bytes()}

    return make


def _flip_middle(real: bytes, rng: random.Random) -> dict[str, bytes]:
    middle = len(real) // 2
    return {"": flipped_byte(real, rng, middle - len(real) // 4, middle + len(real) // 4)}


def _page_size(real: bytes) -> int:
    size = int.from_bytes(real[16:18], "big")
    return 65536 if size == 1 else size


DATABASE_CASES = {
    case.name: case
    for case in [
        DatabaseCase("db-real", lambda real, _rng: {"": real}),
        DatabaseCase("db-random-bytes", lambda _real, rng: {"": rng.randbytes(64 * 1024)}),
        DatabaseCase("db-zero-length", lambda _real, _rng: {"": b""}),
        DatabaseCase("db-truncated-half", lambda real, _rng: {"": real[: len(real) // 2]}),
        DatabaseCase("db-truncated-one-page", lambda real, _rng: {"": real[: -_page_size(real)]}),
        DatabaseCase("db-truncated-header", lambda real, _rng: {"": real[:60]}),
        DatabaseCase("db-first-page-only", lambda real, _rng: {"": real[: _page_size(real)]}),
        DatabaseCase("db-other-program", _other_program_database),
        *[DatabaseCase(f"db-flipped-middle-{n}", _flip_middle) for n in range(4)],
        DatabaseCase("db-flipped-header", lambda real, rng: {"": flipped_byte(real, rng, 16, 100)}),
        DatabaseCase(
            "db-header-then-garbage",
            lambda _real, rng: {"": b"SQLite format 3\x00" + rng.randbytes(8192)},
        ),
        DatabaseCase("db-garbage-wal", lambda real, rng: {"": real, "-wal": rng.randbytes(40_000)}),
        DatabaseCase(
            "db-newer-schema", _sql_edit("update alembic_version set version_num = '9999'")
        ),
        DatabaseCase(
            "db-newer-schema-wal-mode",
            _sql_edit("update alembic_version set version_num = '9999'", keep_wal=True),
        ),
        DatabaseCase("db-no-schema-version", _sql_edit("drop table alembic_version")),
        DatabaseCase("db-table-missing", _sql_edit("drop table answer")),
        DatabaseCase("db-column-missing", _sql_edit("alter table location drop column city")),
        DatabaseCase(
            "db-bad-form-json", _sql_edit("update formversion set definition = '{not json'")
        ),
        DatabaseCase(
            "db-wrong-types-in-rows",
            _sql_edit("update submission set score = 'lots', started_at = 'never'"),
        ),
    ]
}


# --- writing the whole corpus -------------------------------------------------------------


def write_corpus(folder: Path, bundle: Path | None, database: Path | None) -> int:
    """Write every case into `folder` (one sub-folder per kind); returns how many files."""
    written = 0
    for kind, cases in (
        ("forms", FORM_CASES),
        ("answers", ANSWER_CASES),
        ("locations", LOCATION_CASES),
    ):
        for case in cases.values():
            target = folder / kind / case.name
            target.mkdir(parents=True, exist_ok=True)
            case.write(target)
            written += 1
    if bundle is not None:
        for bundle_case in BUNDLE_CASES.values():
            target = folder / "bundles" / bundle_case.name
            target.mkdir(parents=True, exist_ok=True)
            bundle_case.write(target, bundle)
            written += 1
    if database is not None:
        for database_case in DATABASE_CASES.values():
            target = folder / "databases" / database_case.name
            target.mkdir(parents=True, exist_ok=True)
            database_case.write(target, database)
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the fuzz corpus into a folder.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--bundle", type=Path, help="a bundle written by rapport export bundle")
    parser.add_argument("--database", type=Path, help="a Rapport database file")
    args = parser.parse_args(argv)
    count = write_corpus(args.folder, args.bundle, args.database)
    print(f"Wrote {count} files into {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
