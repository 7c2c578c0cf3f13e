"""Rapport's native form format: the three XLSForm sheets written as YAML.

`settings` is a mapping, `survey` a list of rows, `choices` a mapping from list name to
rows, all with XLSForm's column names. A translatable column is a plain string or a mapping
from language to text. Errors name the YAML path (`survey[3].weight`) or the line.
PyYAML is imported only inside the functions here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms.authoring.xlsform import (
    TRANSLATABLE,
    SheetDict,
    canonical_column,
    form_sheets,
    makes_item,
    number_text,
)
from forms.definition.limits import form_size_problem
from forms.definition.model import DEFAULT_LANGUAGE, FormDefinition
from forms.errors import FormDefinitionError

if TYPE_CHECKING:
    from forms.authoring.builder import FormRows, SheetRow

_SHEETS = ("settings", "survey", "choices")
_MAX_INTEGER_BITS = 10_000
"""About 3,000 decimal digits: Python will not write an integer of more than 4,300."""


def read_yaml(path: str | Path) -> FormRows:
    """The rows of a YAML form; FormDefinitionError names the line or path of a problem."""
    from forms.authoring.builder import FormRows

    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise FormDefinitionError(
            f"this file is not UTF-8 text ({error.reason} at byte {error.start}); save it as "
            "UTF-8 in your text editor",
            source=source,
        ) from error
    document = _parse(text, source)
    if not isinstance(document, dict):
        raise FormDefinitionError(
            "a YAML form is a mapping with the keys settings, survey and choices", source=source
        )
    unknown = [str(key) for key in document if key not in _SHEETS]
    if unknown:
        raise FormDefinitionError(
            f"unknown top-level key '{unknown[0]}'; a YAML form has settings, survey and choices",
            source=source,
            where=unknown[0],
        )
    survey = document.get("survey")
    if not isinstance(survey, list) or not survey:
        raise FormDefinitionError(
            "the form has no questions; add a `survey:` list of rows", source=source, where="survey"
        )
    # Counted before the rows are read one by one: a form beyond the limit is refused at once.
    problem = form_size_problem(
        sum(1 for row in survey if isinstance(row, dict) and makes_item(_type_text(row)))
    )
    if problem is not None:
        raise FormDefinitionError(problem, source=source, where="survey")
    settings = document.get("settings") or {}
    if not isinstance(settings, dict):
        raise FormDefinitionError(
            "settings must be a mapping (form_id: ..., version: ...)",
            source=source,
            where="settings",
        )
    return FormRows(
        survey=tuple(_row(row, "survey", f"survey[{i}]", source) for i, row in enumerate(survey)),
        choices=_choices(document.get("choices"), source),
        settings=_row(settings, "settings", "settings", source),
        fallback_key=path.stem,
    )


def _form_loader(base: Any) -> Any:
    """A loader on `base` (PyYAML's or libyaml's) that refuses a key given twice; yes/no/on/off
    stay text (see _text_not_bool)."""
    import yaml

    class Loader(base):  # type: ignore[misc]
        """Refuses a key given twice, a key that is a list or a mapping, and a value YAML
        itself cannot build (an impossible date, a number of thousands of digits, a `!!tag`
        that does not fit its value), naming the line; yes/no/on/off stay text (see
        _text_not_bool)."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
                raise yaml.MarkedYAMLError(
                    problem=_unbuildable(node, error), problem_mark=node.start_mark
                ) from None

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            if not isinstance(node, yaml.MappingNode):
                refused: dict[Any, Any] = super().construct_mapping(node, deep=deep)
                return refused  # not reached: it says what it expected instead
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    hash(key)
                except TypeError:
                    raise yaml.MarkedYAMLError(
                        problem="a key here is a list or a mapping; a key is one name, "
                        "such as type, name or label",
                        problem_mark=key_node.start_mark,
                    ) from None
                if key in seen:
                    raise yaml.MarkedYAMLError(
                        problem=f"the key '{key}' appears twice in this mapping; keep one",
                        problem_mark=key_node.start_mark,
                    )
                seen.add(key)
            mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
            return mapping

    _text_not_bool(Loader)
    return Loader


def _unbuildable(node: Any, error: Exception) -> str:
    """Why YAML could not build the value of `node`, and how to keep it as text."""
    value = str(node.value) if isinstance(node.value, str) else ""
    shown = f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"
    kind = str(node.tag).rsplit(":", 1)[-1]
    # Python's own reasons are worth showing ("day is out of range for month"), not its
    # internals ("'NoneType' object has no attribute 'groupdict'").
    reason = f" ({error})" if isinstance(error, ValueError) and len(str(error)) < 80 else ""
    if kind == "int" and "digits" in str(error):
        return (
            f"the number {value[:20]}… has {len(value):,} digits, more than any form needs; "
            "shorten it, or put it in quotes to keep it as text"
        )
    if kind == "timestamp":
        return (
            f"{shown} looks like a date or time but is not one{reason}; put it in quotes "
            "to keep it as text"
        )
    return f"{shown} cannot be read as {kind}{reason}; put it in quotes to keep it as text"


@functools.cache
def _loader() -> Any:
    """PyYAML's own parser, written in Python: what every message about a YAML mistake says."""
    import yaml

    return _form_loader(yaml.SafeLoader)


@functools.cache
def _fast_loader() -> Any | None:
    """The same loader on libyaml's parser, written in C, when PyYAML was built with it."""
    import yaml

    return _form_loader(yaml.CSafeLoader) if yaml.__with_libyaml__ else None


@functools.cache
def _dumper() -> Any:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Writes `required: yes` plainly, as people write it, since Loader reads it as text."""

    _text_not_bool(Dumper)
    return Dumper


def _text_not_bool(cls: Any) -> None:
    """YAML 1.1 reads yes/no/on/off as booleans, so `- name: no` would lose its choice name;
    here only true/false are booleans, and the rest stays text."""
    import yaml

    bool_tag = "tag:yaml.org,2002:bool"
    cls.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != bool_tag]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    cls.add_implicit_resolver(
        bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )


_TOO_DEEP = (
    "this YAML nests lists or mappings thousands deep, which no form does; write the "
    "form as the three XLSForm tables (survey, choices, settings)"
)


def _parse(text: str, source: str) -> object:
    import yaml

    fast = _fast_loader()
    # libyaml reads a form of 10,000 questions in a fraction of the seconds PyYAML takes.
    # A file it refuses, or nests deeper than any form, is read again by PyYAML below, so
    # that every message, and the way a file nested thousands deep is refused, stay the same;
    # so is a file with tabs, which libyaml accepts in places where PyYAML refuses them.
    if fast is not None and "\t" not in text:
        try:
            document = yaml.load(text, Loader=fast)  # a SafeLoader too: no arbitrary objects
        except (yaml.YAMLError, RecursionError):
            pass
        else:
            if _nesting_within(document, _MAX_FAST_NESTING):
                return document
    try:
        return yaml.load(text, Loader=_loader())  # a SafeLoader subclass: no arbitrary objects
    except RecursionError:
        raise FormDefinitionError(_TOO_DEEP, source=source) from None
    except yaml.YAMLError as error:
        if "maximum nesting depth" in str(getattr(error, "problem", "")):  # libyaml's limit
            raise FormDefinitionError(_TOO_DEEP, source=source) from None
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise FormDefinitionError(
            f"this is not valid YAML: {problem}", source=source, where=where
        ) from error


_MAX_FAST_NESTING = 50
"""Lists and mappings inside one another that the libyaml reading is kept for; a form nests
four or five (survey, a row, a translated label)."""


def _nesting_within(document: object, limit: int) -> bool:
    """Whether no list or mapping in `document` sits more than `limit` deep."""
    stack: list[tuple[object, int]] = [(document, 0)]
    # YAML aliases (*name) share a list or mapping, even with itself: each is looked at once.
    seen: set[int] = set()
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: list[object] = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth >= limit:
            return False
        if id(value) not in seen:
            seen.add(id(value))
            stack.extend((child, depth + 1) for child in children)
    return True


def _type_text(row: dict[object, object]) -> str | None:
    value = row.get("type")
    return None if value is None else str(value)


def _choices(value: object, source: str) -> tuple[SheetRow, ...]:
    if value is None:
        return ()
    if isinstance(value, list):  # rows with a list_name column, like the XLSForm sheet
        return tuple(_row(row, "choices", f"choices[{i}]", source) for i, row in enumerate(value))
    if not isinstance(value, dict):
        raise FormDefinitionError(
            "choices must map each list name to its rows", source=source, where="choices"
        )
    rows: list[SheetRow] = []
    for list_name, options in value.items():
        where = f"choices.{list_name}"
        if not isinstance(options, list):
            raise FormDefinitionError(
                "a choice list is a list of rows (- name: ..., label: ...)",
                source=source,
                where=where,
            )
        for i, option in enumerate(options):
            rows.append(_row(option, "choices", f"{where}[{i}]", source, list_name=list_name))
    return tuple(rows)


def _row(value: object, sheet: str, where: str, source: str, list_name: object = None) -> SheetRow:
    from forms.authoring.builder import SheetRow

    if not isinstance(value, dict):
        raise FormDefinitionError(
            "each row is a mapping of column: value", source=source, where=where
        )
    cells: dict[str, str] = {}
    if list_name is not None:
        cells["list_name"] = _scalar(list_name, "list_name", where, source)
    for key, cell in value.items():
        column = canonical_column(sheet, str(key), double_colon=True)
        if column is None and sheet == "survey":
            raise FormDefinitionError(
                f"unknown column '{key}'; survey rows use type, name, label, hint, required, "
                "relevant, constraint, calculation, choice_filter, appearance, parameters, "
                "points, weight, critical, tags, coaching, ...",
                source=source,
                where=f"{where}.{key}",
            )
        column = column or str(key)
        for cell_key, text in _cells(column, cell, f"{where}.{key}", source).items():
            if cell_key in cells:
                raise FormDefinitionError(
                    f"the column '{cell_key}' is given twice; keep one",
                    source=source,
                    where=f"{where}.{key}",
                )
            if text:
                cells[cell_key] = text
    return SheetRow(where=where, cells=cells)


def _cells(column: str, value: object, where: str, source: str) -> dict[str, str]:
    if isinstance(value, dict):
        if column not in TRANSLATABLE:
            raise FormDefinitionError(
                f"{column} cannot be a mapping; only texts ({', '.join(sorted(TRANSLATABLE))}) "
                "are given per language",
                source=source,
                where=where,
            )
        return {
            column if str(lang) == DEFAULT_LANGUAGE else f"{column}::{lang}": _scalar(
                text, column, f"{where}.{lang}", source
            )
            for lang, text in value.items()
        }
    if isinstance(value, list) and column == "tags":
        return {column: " ".join(_scalar(tag, column, where, source) for tag in value)}
    return {column: _scalar(value, column, where, source)}


def _scalar(value: object, column: str, where: str, source: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and column == "version":
        raise FormDefinitionError(
            f'version must be text; write it in quotes: version: "{value}"',
            source=source,
            where=where,
        )
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, int):
        if value.bit_length() > _MAX_INTEGER_BITS:  # YAML reads 0x... of any length
            raise FormDefinitionError(
                f"{column} is a number of thousands of digits, more than any form needs; "
                "shorten it, or put it in quotes to keep it as text",
                source=source,
                where=where,
            )
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    raise FormDefinitionError(
        f"{column} must be a single value, not a {type(value).__name__}",
        source=source,
        where=where,
    )


def dump_yaml(form: FormDefinition) -> str:
    """`form` as a YAML document that `read_yaml` reads back into the same form."""
    import yaml

    sheets = form_sheets(form)
    choices: dict[str, list[dict[str, object]]] = {}
    for row in sheets.choices:
        choice = dict(row)
        choices.setdefault(str(choice.pop("list_name")), []).append(_nest(choice))
    document: dict[str, object] = {
        "settings": _nest(sheets.settings),
        "survey": [_nest(row) for row in sheets.survey],
    }
    if choices:
        document["choices"] = choices
    dumped: str = yaml.dump(
        document, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100
    )
    return dumped


def _nest(row: SheetDict) -> dict[str, object]:
    """`label::<language>` columns as one `label` mapping; an untranslated text stays plain."""
    nested: dict[str, object] = {}
    for key, value in row.items():
        column, _, language = key.partition("::")
        if column not in TRANSLATABLE:
            nested[key] = value
            continue
        texts = nested.setdefault(column, {})
        assert isinstance(texts, dict)
        texts[language or DEFAULT_LANGUAGE] = value
    return {key: _plain(value) for key, value in nested.items()}


def _plain(value: object) -> object:
    if isinstance(value, Mapping) and set(value) == {DEFAULT_LANGUAGE}:
        return value[DEFAULT_LANGUAGE]
    return value
