"""Turn the neutral rows of a form (from a workbook or a YAML file) into a FormDefinition.

Both readers produce the same `FormRows`: survey rows, choices rows and the settings row,
each cell keyed by its canonical column name (`label`, `label::Español (es)`, `weight`, ...)
and each row remembering where it came from, so that every error names the file, the row
and the column. This module is the only place that interprets those rows and validates them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import get_args

from forms.authoring.xlsform import KNOWN_COLUMNS, RowType, makes_item, number_text, parse_type
from forms.definition.limits import MAX_NUMBER, form_size_problem
from forms.definition.model import (
    DEFAULT_LANGUAGE,
    Band,
    Choice,
    FormDefinition,
    FormKind,
    Group,
    Item,
    LocalText,
    Question,
    ScoringMode,
)
from forms.errors import FormDefinitionError
from forms.logic.checks import compile_form


@dataclass(frozen=True)
class SheetRow:
    """One row: non-empty cell texts by canonical column, and where the row came from."""

    where: str
    """`survey row 12` in a workbook, `survey[11]` in YAML."""
    cells: Mapping[str, str]
    column_names: Mapping[str, str] = field(default_factory=dict)
    """How a workbook names each column in messages: `column F (weight)`."""
    in_workbook: bool = False

    def at(self, column: str) -> str:
        """Where a cell is: `survey row 12, column F (weight)` or `survey[11].weight`."""
        if self.in_workbook:
            return f"{self.where}, {self.column_names.get(column, f'column {column}')}"
        return f"{self.where}.{column}"

    def get(self, column: str) -> str | None:
        return self.cells.get(column)

    def local(self, column: str) -> LocalText:
        """A translatable column: `label` is the untranslated text, `label::lang` the others."""
        text: LocalText = {}
        for key, value in self.cells.items():
            base, _, language = key.partition("::")
            if base == column:
                text[language or DEFAULT_LANGUAGE] = value
        return text


@dataclass(frozen=True)
class FormRows:
    """A form as rows, exactly as a reader found them."""

    survey: tuple[SheetRow, ...]
    choices: tuple[SheetRow, ...] = ()
    settings: SheetRow | None = None
    fallback_key: str = "form"
    """Form key when the settings name none (pyxform uses the file name)."""


# --- building ------------------------------------------------------------------------------

PRESET_LISTS: dict[str, tuple[Choice, ...]] = {
    "yes_no_na": (
        Choice(name="yes", label={DEFAULT_LANGUAGE: "Yes"}, points=1.0),
        Choice(name="no", label={DEFAULT_LANGUAGE: "No"}, points=0.0),
        Choice(name="na", label={DEFAULT_LANGUAGE: "Not applicable"}, not_applicable=True),
    ),
    "nps_0_10": tuple(Choice(name=str(n), label={DEFAULT_LANGUAGE: str(n)}) for n in range(11)),
}
"""Lists a form may use without defining them (`select_one yes_no_na`)."""

MAX_GROUP_DEPTH = 20
"""Groups a form may nest inside one another: real forms use two or three."""
_XML_NAME = re.compile(r"^[^\W\d][\w.\-]*$")
_YES = frozenset({"yes", "true", "true()", "1"})
_NO = frozenset({"no", "false", "false()", "0"})
_PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_REFERENCE = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
_KINDS: tuple[str, ...] = get_args(FormKind)
_SCORING_MODES: tuple[str, ...] = get_args(ScoringMode)


def build_form(rows: FormRows, *, source: str) -> FormDefinition:
    """Validate the rows and build the form; FormDefinitionError names file, row and fix."""
    # Counted before anything else is checked: a form beyond the limit is refused at once.
    problem = form_size_problem(sum(1 for row in rows.survey if makes_item(row.get("type"))))
    if problem is not None:
        raise FormDefinitionError(problem, source=source, where="survey")
    builder = _Builder(rows, source)
    form = builder.build()
    builder.compile(form)
    return form


@dataclass
class _OpenGroup:
    row: SheetRow
    children: list[Item] = field(default_factory=list)


class _Builder:
    def __init__(self, rows: FormRows, source: str) -> None:
        self.rows = rows
        self.source = source
        self.question_rows: dict[str, SheetRow] = {}
        self.group_rows: dict[str, SheetRow] = {}
        self.meta_names: dict[str, str] = {}
        self.languages: set[str] = set()
        self.allow_duplicate_choices = False

    def fail(self, message: str, where: str, question: str = "") -> FormDefinitionError:
        return FormDefinitionError(message, source=self.source, where=where, question=question)

    def local(self, row: SheetRow, column: str) -> LocalText:
        text = row.local(column)
        self.languages.update(lang for lang in text if lang != DEFAULT_LANGUAGE)
        return text

    def flag(self, row: SheetRow, column: str, question: str = "") -> bool:
        value = row.get(column)
        if value is None or value.lower() in _NO:
            return False
        if value.lower() in _YES:
            return True
        raise self.fail(
            f"{column} must be yes or no, not '{value}' (conditions are not supported here)",
            row.at(column),
            question,
        )

    def number(
        self, row: SheetRow, column: str, question: str = "", alternative: str = ""
    ) -> float | None:
        value = row.get(column)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number < 0:
            raise self.fail(
                f"{column} must be a number of 0 or more{alternative}, not '{value}'",
                row.at(column),
                question,
            )
        return number

    # -- settings -------------------------------------------------------------------------

    def build(self) -> FormDefinition:
        settings = self.rows.settings or SheetRow(where="settings", cells={})
        key = settings.get("form_id") or self.rows.fallback_key
        self.allow_duplicate_choices = _is_yes(settings, "allow_choice_duplicates")
        choice_lists = self.build_choices()
        children = self.build_survey(choice_lists)
        title = self.local(settings, "form_title") or {DEFAULT_LANGUAGE: key}
        kind = settings.get("kind")
        if kind is not None and kind not in _KINDS:
            raise self.fail(
                f"unknown kind '{kind}'; use one of: {', '.join(_KINDS)}", settings.at("kind")
            )
        scoring = settings.get("scoring") or "flat"
        if scoring not in _SCORING_MODES:
            raise self.fail(
                f"unknown scoring '{scoring}'; use one of: {', '.join(_SCORING_MODES)}",
                settings.at("scoring"),
            )
        extra = _extra_cells(settings, "settings")
        return FormDefinition(
            key=key,
            version=settings.get("version") or "1",
            title=title,
            kind=kind,  # checked against FormKind above
            scoring=scoring,  # checked against ScoringMode above
            bands=self.bands(settings),
            default_language=settings.get("default_language"),
            languages=tuple(sorted(self.languages)),
            children=children,
            choice_lists=choice_lists,
            settings_extra=extra,
        )

    def bands(self, settings: SheetRow) -> tuple[Band, ...]:
        text = settings.get("bands")
        if text is None:
            return ()
        where = settings.at("bands")
        example = "write them like 'Exceeds:90 Meets:75 Below:0'"
        bands: list[Band] = []
        for token in text.replace(",", " ").split():
            name, colon, lower_text = token.rpartition(":")
            try:
                lower = float(lower_text)
            except ValueError:
                lower = math.nan
            if not colon or not name or not 0 <= lower <= 100:
                raise self.fail(f"cannot read band '{token}'; {example}", where)
            if any(b.name == name for b in bands):
                raise self.fail(f"band '{name}' is named twice; give each band its own name", where)
            if any(b.lower == lower for b in bands):
                raise self.fail(f"two bands start at {lower_text}; {example}", where)
            bands.append(Band(name=name, lower=lower))
        if not any(b.lower == 0 for b in bands):
            raise self.fail(
                "bands must cover 0..100 without a gap: the lowest band must start at 0; "
                + example,
                where,
            )
        return tuple(bands)

    # -- choices --------------------------------------------------------------------------

    def build_choices(self) -> dict[str, tuple[Choice, ...]]:
        lists: dict[str, list[Choice]] = {}
        names_in_list: dict[str, set[str]] = {}  # a long list is not searched for each choice
        for row in self.rows.choices:
            list_name = row.get("list_name")
            name = row.get("name")
            if list_name is None or name is None:
                missing = "list_name" if list_name is None else "name"
                raise self.fail(
                    f"this choice has no {missing}; fill in list_name and name", row.at(missing)
                )
            choices = lists.setdefault(list_name, [])
            names = names_in_list.setdefault(list_name, set())
            if not self.allow_duplicate_choices and name in names:
                raise self.fail(
                    f"choice '{name}' appears twice in list '{list_name}'; give each choice of "
                    "a list its own name",
                    row.at("name"),
                )
            points_text = row.get("points")
            not_applicable = points_text is not None and points_text.lower() == "na"
            points = None if not_applicable else self.number(row, "points", alternative=" or na")
            extra = _extra_cells(row, "choices")
            names.add(name)
            choices.append(
                Choice(
                    name=name,
                    label=self.local(row, "label"),
                    points=points,
                    not_applicable=not_applicable,
                    extra=extra,
                )
            )
        return {name: tuple(choices) for name, choices in lists.items()}

    # -- survey ---------------------------------------------------------------------------

    def build_survey(self, choice_lists: dict[str, tuple[Choice, ...]]) -> tuple[Item, ...]:
        top: list[Item] = []
        open_groups: list[_OpenGroup] = []
        for row in self.rows.survey:
            name = row.get("name") or ""
            raw_type = row.get("type")
            if raw_type is None:
                raise self.fail(
                    "this row has no type; fill in a type (for example text or "
                    "select_one LIST) or delete the row",
                    row.at("type"),
                    name,
                )
            try:
                row_type = parse_type(raw_type)
            except ValueError as error:
                raise self.fail(str(error), row.at("type"), name) from None
            if row_type.role == "meta":
                self.meta_names[name] = raw_type
                continue
            if row_type.role == "end":
                if not open_groups:
                    raise self.fail(
                        "end_group without a begin_group; delete this row or add a begin_group "
                        "above the questions it should close",
                        row.at("type"),
                    )
                group = self.close_group(open_groups.pop())
                (open_groups[-1].children if open_groups else top).append(group)
                continue
            self.check_name(row, name)
            if row_type.role == "begin":
                if len(open_groups) >= MAX_GROUP_DEPTH:
                    raise self.fail(
                        f"this group sits inside {len(open_groups)} others; a form may nest "
                        f"groups at most {MAX_GROUP_DEPTH} deep (a stored form nested deeper "
                        "could not be read back). Close some groups before this one",
                        row.at("type"),
                        name,
                    )
                self.group_rows[name] = row
                open_groups.append(_OpenGroup(row))
                continue
            self.question_rows[name] = row
            question = self.question(row, name, row_type, choice_lists)
            (open_groups[-1].children if open_groups else top).append(question)
        if open_groups:
            row = open_groups[-1].row
            raise self.fail(
                "this group is never closed; add an end_group row after its last question",
                row.at("type"),
                row.get("name") or "",
            )
        if not self.question_rows:
            raise self.fail("the form has no questions; add rows to the survey", "survey")
        return tuple(top)

    def check_name(self, row: SheetRow, name: str) -> None:
        rule = "start with a letter or _, then use letters, digits, _, - or ."
        if not name:
            raise self.fail(f"this row has no name; give it a unique name ({rule})", row.at("name"))
        if not _XML_NAME.match(name):
            raise self.fail(f"'{name}' is not a valid name; {rule}", row.at("name"), name)
        other = self.question_rows.get(name) or self.group_rows.get(name)
        if other is not None:
            raise self.fail(
                f"the name '{name}' is already used at {other.where}; give each question and "
                "group its own name",
                row.at("name"),
                name,
            )

    def close_group(self, open_group: _OpenGroup) -> Group:
        row = open_group.row
        name = row.get("name") or ""
        weight = self.number(row, "weight", name)
        return Group(
            name=name,
            label=self.local(row, "label"),
            relevant=_expression(row, "relevant"),
            appearance=row.get("appearance"),
            weight=1.0 if weight is None else weight,
            children=tuple(open_group.children),
        )

    def question(
        self,
        row: SheetRow,
        name: str,
        row_type: RowType,
        choice_lists: dict[str, tuple[Choice, ...]],
    ) -> Question:
        assert row_type.type is not None
        list_name = row_type.list_name
        if list_name is not None and list_name not in choice_lists:
            if list_name not in PRESET_LISTS:
                raise self.fail(
                    f"choice list '{list_name}' is not defined; add rows with list_name "
                    f"'{list_name}' to the choices, or use a preset list "
                    f"({', '.join(PRESET_LISTS)})",
                    row.at("type"),
                    name,
                )
            choice_lists[list_name] = PRESET_LISTS[list_name]
        parameters = self.range_parameters(row, name) if row_type.type == "range" else {}
        scored_value = self.scored_value(row, name, parameters)
        critical = self.flag(row, "critical", name)
        choices = choice_lists.get(list_name or "", ())
        if critical and not scored_value and all(c.points is None for c in choices):
            raise self.fail(
                "critical is set but this question is not scored; give its choices points "
                "(or `points: value` on a range question), or set critical to no",
                row.at("critical"),
                name,
            )
        calculation = _expression(row, "calculation") or row_type.calculation
        if row_type.type == "calculate" and calculation is None:
            raise self.fail("a calculate row needs a calculation", row.at("calculation"), name)
        weight = self.number(row, "weight", name)
        tags = (row.get("tags") or "").replace(",", " ").split()
        return Question(
            name=name,
            type=row_type.type,
            list_name=list_name,
            label=self.local(row, "label"),
            hint=self.local(row, "hint"),
            required=self.flag(row, "required", name),
            required_message=self.local(row, "required_message"),
            relevant=_expression(row, "relevant"),
            constraint=_expression(row, "constraint"),
            constraint_message=self.local(row, "constraint_message"),
            calculation=calculation,
            choice_filter=_expression(row, "choice_filter"),
            appearance=row.get("appearance"),
            default=row.get("default"),
            read_only=self.flag(row, "read_only", name),
            parameters=parameters,
            scored_value=scored_value,
            weight=1.0 if weight is None else weight,
            critical=critical,
            tags=tuple(dict.fromkeys(tags)),
            coaching=self.local(row, "coaching"),
        )

    def scored_value(self, row: SheetRow, name: str, parameters: dict[str, float]) -> bool:
        points = row.get("points")
        if points is None:
            return False
        if points.lower() != "value" or not parameters:
            raise self.fail(
                f"points '{points}' cannot be used here: on a survey row, points can only be "
                "'value', on a range question (its value is its points); give choices their "
                "points on the choices rows",
                row.at("points"),
                name,
            )
        if min(parameters["start"], parameters["end"]) < 0:
            raise self.fail(
                "a range scored by its value cannot go below 0; change start and end",
                row.at("parameters"),
                name,
            )
        return True

    def range_parameters(self, row: SheetRow, name: str) -> dict[str, float]:
        text = row.get("parameters")
        where = row.at("parameters")
        example = "write them like 'start=1 end=5 step=1'"
        if text is None:
            raise self.fail(f"a range question needs parameters; {example}", where, name)
        values: dict[str, float] = {}
        for token in re.sub(r"\s*=\s*", "=", text.strip()).replace(";", " ").split():
            key, equals, value = token.replace(",", " ").strip().partition("=")
            if not equals or key.lower() not in ("start", "end", "step"):
                raise self.fail(
                    f"cannot read range parameter '{token}'; range parameters are start, end "
                    f"and step: {example}",
                    where,
                    name,
                )
            try:
                values[key.lower()] = float(value)
            except ValueError:
                raise self.fail(
                    f"range parameter {key} must be a number, not '{value}'", where, name
                ) from None
            if not math.isfinite(values[key.lower()]):
                raise self.fail(f"range parameter {key} must be a number", where, name)
            if abs(values[key.lower()]) > MAX_NUMBER:
                # No answer may be larger, and beyond it the count of steps overflows.
                raise self.fail(
                    f"range parameter {key} is {value}; a range goes from -{MAX_NUMBER:.0e} to "
                    f"{MAX_NUMBER:.0e} at most",
                    where,
                    name,
                )
        if "start" not in values or "end" not in values:
            raise self.fail(f"a range question needs both start and end; {example}", where, name)
        values.setdefault("step", 1.0)
        start, end, step = values["start"], values["end"], values["step"]
        steps = abs(end - start) / step if step > 0 else math.nan
        if step <= 0 or start == end or abs(steps - round(steps)) > 1e-9:
            given = " ".join(f"{k}={number_text(v)}" for k, v in values.items())
            raise self.fail(
                f"a range must go from start to end in whole steps of more than 0 ({given}); "
                + example,
                where,
                name,
            )
        return values

    # -- expressions ----------------------------------------------------------------------

    def compile(self, form: FormDefinition) -> None:
        """Check every expression, naming the row and column it is written in."""
        self.check_meta_references()
        try:
            compile_form(form, source=self.source)
        except FormDefinitionError as error:
            row = self.question_rows.get(error.question) or self.group_rows.get(error.question)
            if row is None or error.where:
                raise
            # compile_form starts its messages with the column: "relevant: unknown question"
            column = error.message.partition(":")[0]
            where = row.at(column) if column in row.cells else row.where
            raise FormDefinitionError(
                error.message, source=self.source, where=where, question=error.question
            ) from error

    def check_meta_references(self) -> None:
        if not self.meta_names:
            return  # nothing to refer to: no need to read every cell of a large form
        rows = [*self.question_rows.items(), *self.group_rows.items()]
        for name, row in rows:
            for column, text in row.cells.items():
                for reference in _REFERENCE.findall(text):
                    if reference in self.meta_names and reference not in self.question_rows:
                        raise self.fail(
                            f"{column} refers to ${{{reference}}}, a '{self.meta_names[reference]}'"
                            " metadata row; Rapport records times and the device by itself and "
                            "does not keep metadata rows as questions: remove the reference",
                            row.at(column),
                            name,
                        )


def _expression(row: SheetRow, column: str) -> str | None:
    """An expression cell; word processors' curly quotes are read as the plain ones."""
    text = row.get(column)
    return None if text is None else text.translate(_PLAIN_QUOTES)


def _is_yes(row: SheetRow, column: str) -> bool:
    return (row.get(column) or "").lower() in _YES


def _extra_cells(row: SheetRow, sheet: str) -> dict[str, str]:
    known = KNOWN_COLUMNS[sheet]
    return {k: v for k, v in row.cells.items() if k.partition("::")[0] not in known}
