"""XLSForm's vocabulary (the many spellings of columns and types) and .xlsx workbooks.

A workbook has the sheets `survey`, `choices` and `settings`. `read_workbook` turns one into
neutral rows for `forms.authoring.builder.build_form`; `write_workbook` writes a form back so that
reading it again gives the same form. openpyxl is imported only inside those functions.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from forms.definition.limits import form_size_problem
from forms.definition.model import (
    DEFAULT_LANGUAGE,
    FormDefinition,
    Group,
    Item,
    LocalText,
    QuestionType,
)
from forms.errors import FormDefinitionError
from forms.files import archive_problem

if TYPE_CHECKING:
    from forms.authoring.builder import FormRows, SheetRow

SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "required", "required_message", "relevant", "constraint",
    "constraint_message", "calculation", "choice_filter", "appearance", "default", "read_only",
    "parameters", "points", "weight", "critical", "tags", "coaching",
)  # fmt: skip
CHOICES_COLUMNS = ("list_name", "name", "label", "points")
SETTINGS_COLUMNS = (
    "form_id", "version", "form_title", "kind", "scoring", "bands", "default_language",
)  # fmt: skip
TRANSLATABLE = frozenset(
    {"label", "hint", "required_message", "constraint_message", "coaching", "form_title"}
)
KNOWN_COLUMNS = {"survey": SURVEY_COLUMNS, "choices": CHOICES_COLUMNS, "settings": SETTINGS_COLUMNS}
# Spellings other XLSForm tools accept (pyxform's aliases), after snake_casing the header.
_ALIASES = {
    "survey": {
        "caption": "label",
        "relevance": "relevant",
        "readonly": "read_only",
        "constraining_message": "constraint_message",
        "requiredmsg": "required_message",
        "calculate": "calculation",
    },
    "choices": {"caption": "label", "value": "name"},
    "settings": {"id_string": "form_id", "set_form_id": "form_id", "set_form_title": "form_title"},
}


def canonical_column(sheet: str, header: str, double_colon: bool) -> str | None:
    """The canonical key of a column header, or None when it is not one of Rapport's columns.

    Headers are case-insensitive and may use spaces (`List Name`); languages follow `::`
    (or a single `:` in old workbooks that never use `::`) and keep their spelling.
    """
    tokens = [t.strip() for t in header.split("::" if double_colon else ":")]
    base = "_".join(tokens[0].split()).lower()
    base = _ALIASES[sheet].get(base, base)
    if base not in KNOWN_COLUMNS[sheet]:
        return None
    language = "::".join(tokens[1:]).strip()
    if not language or language == DEFAULT_LANGUAGE:
        return base if len(tokens) == 1 or base in TRANSLATABLE else None
    return f"{base}::{language}" if base in TRANSLATABLE else None


# --- types ---------------------------------------------------------------------------------

_SIMPLE_TYPES: dict[str, QuestionType] = {
    "integer": "integer", "int": "integer", "decimal": "decimal", "range": "range",
    "text": "text", "string": "text", "date": "date", "time": "time", "datetime": "datetime",
    "note": "note", "image": "image", "photo": "image", "calculate": "calculate",
    # pyxform's old alias: a text question (pyxform adds a digits-only constraint).
    "phone number": "text",
}  # fmt: skip
_SELECT_ONE = ("select_one", "select one", "select1", "select one from", "select one using")
_SELECT_MULTIPLE = (
    "select_multiple", "select all that apply", "select all that apply from",
    "select multiple from", "select multiple using",
)  # fmt: skip
# Filled in by the device in ODK; Rapport records times and the device itself.
META_TYPES = frozenset(
    {"start", "end", "deviceid", "imei", "subscriberid", "simserial", "phonenumber", "username",
     "email", "audit", "start-geopoint", "uri:deviceid", "uri:subscriberid", "uri:phonenumber",
     "uri:simserial", "uri:username", "uri:email"}
)  # fmt: skip
_NO_REPEAT = (
    "repeat groups are not supported yet; make one question per item instead "
    "(for example visit_1, visit_2) or split the form"
)
_NO_FILE = (
    "choices from an external file or sheet are not supported; copy the choices into the "
    "choices sheet and use `select_one LIST`"
)
_UNSUPPORTED = {
    "begin repeat": _NO_REPEAT, "begin lgroup": _NO_REPEAT, "begin looped group": _NO_REPEAT,
    "begin loop": "loops (`begin loop over LIST`) are not supported; make one question "
    "per choice instead",
    "or_other": "'or specify other' is not supported; add an 'other' choice and a text "
    "question with relevant: selected(${QUESTION}, 'other')",
    "select from answers": "choices from earlier answers are not supported; define the "
    "choices in the choices sheet",
    "from file": _NO_FILE, "external": _NO_FILE,
    "geo": "location questions (geopoint, geotrace, geoshape) are not supported; remove the row",
    "barcode": "barcode questions are not supported; use a text question",
    "media": "audio, video and file questions are not supported; use an image question for "
    "photos, or remove the row",
    "acknowledge": "acknowledge questions are not supported; use a note, or "
    "`select_one yes_no_na`",
    "rank": "rank questions are not supported; use select_one questions",
    "osm": "OpenStreetMap questions are not supported; remove the row",
    "hidden": "hidden questions are not supported; use a calculate row",
}  # fmt: skip
_UNSUPPORTED_BY_TYPE = {
    "geopoint": "geo", "geotrace": "geo", "geoshape": "geo", "barcode": "barcode",
    "audio": "media", "video": "media", "file": "media", "background-audio": "media",
    "acknowledge": "acknowledge", "trigger": "acknowledge", "rank": "rank", "osm": "osm",
    "hidden": "hidden", "xml-external": "external", "csv-external": "external",
    "select_one_external": "external", "select_multiple_external": "external",
    "select_one_from_file": "from file", "select_multiple_from_file": "from file",
    "select one from file": "from file", "select multiple from file": "from file",
}  # fmt: skip
_CONTROL = r"(group|repeat|loop|lgroup|looped group)"
_BEGIN = re.compile(rf"^begin[ _]{_CONTROL}( (over )?\S+)?$")
_END = re.compile(rf"^end[ _]{_CONTROL}$")
_SPECIFY_OTHER = re.compile(r" (or specify other|or_other|or other)$")


@dataclass(frozen=True)
class RowType:
    """What a survey row's `type` means for Rapport."""

    role: str  # "question", "begin", "end", "meta"
    type: QuestionType | None = None
    list_name: str | None = None
    calculation: str | None = None


def parse_type(raw: str) -> RowType:
    """Understand a `type` cell; ValueError says why Rapport cannot use it."""
    spelled = " ".join(raw.split())
    lowered = spelled.lower()
    if begin := _BEGIN.match(lowered):
        if begin.group(1) == "group":
            return RowType("begin")
        return _unsupported(spelled, "begin loop" if begin.group(1) == "loop" else "begin repeat")
    if end := _END.match(lowered):
        if end.group(1) == "group":
            return RowType("end")
        return _unsupported(spelled, "begin loop" if end.group(1) == "loop" else "begin repeat")
    if lowered in META_TYPES:
        return RowType("meta")
    if lowered == "today":  # the date the form is filled, which Rapport can compute
        return RowType("question", "calculate", calculation="today()")
    if lowered in _SIMPLE_TYPES:
        return RowType("question", _SIMPLE_TYPES[lowered])
    command, _, list_name = spelled.rpartition(" ")
    if _SPECIFY_OTHER.search(lowered):
        return _unsupported(spelled, "or_other")
    for feature_type, feature in _UNSUPPORTED_BY_TYPE.items():
        if lowered == feature_type or lowered.startswith(feature_type + " "):
            return _unsupported(spelled, feature)
    select_type: QuestionType | None = None
    if command.lower() in _SELECT_ONE:
        select_type = "select_one"
    elif command.lower() in _SELECT_MULTIPLE:
        select_type = "select_multiple"
    if select_type is not None:
        if list_name.startswith("${"):
            return _unsupported(spelled, "select from answers")
        return RowType("question", select_type, list_name)
    choices = ", ".join([*sorted(set(_SIMPLE_TYPES.values())), "select_one LIST",
                         "select_multiple LIST", "begin_group", "end_group"])  # fmt: skip
    raise ValueError(f"unknown type '{raw}'; use one of: {choices}")


def makes_item(raw_type: str | None) -> bool:
    """Whether a survey row of this type is a question, note, calculation or group: what the
    form size limit counts. End of group rows, metadata rows and rows without a type are not;
    a type Rapport cannot read is (its row is refused later, naming the type)."""
    if raw_type is None:
        return False
    try:
        return parse_type(raw_type).role in ("question", "begin")
    except ValueError:
        return True


def _unsupported(raw: str, feature: str) -> RowType:
    raise ValueError(f"type '{raw}': {_UNSUPPORTED[feature]}")


# --- reading -------------------------------------------------------------------------------

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_WORKBOOK_PARTS = 2_000
"""Files inside an .xlsx (a workbook has a few dozen)."""
"""A workbook that unpacks to more than this is refused (a zip bomb, or not a form)."""
_RESAVE = "open it in Excel or LibreOffice and save it again as an Excel workbook (.xlsx)"


def read_workbook(path: str | Path) -> FormRows:
    """The rows of an XLSForm workbook; FormDefinitionError if it cannot be read as one."""
    from forms.authoring.builder import FormRows

    path = Path(path)
    source = str(path)
    _check_container(path, source)
    try:
        with warnings.catch_warnings(), path.open("rb") as file:
            # openpyxl warns about Excel features it drops (data validation extensions...),
            # none of which a form needs.
            warnings.simplefilter("ignore", UserWarning)
            sheets = _read_sheets(file, source)
    except (OSError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as error:
        # SyntaxError covers the XML parser's errors on a damaged sheet.
        raise FormDefinitionError(
            f"this workbook is damaged ({error}); {_RESAVE}", source=source
        ) from error
    settings = sheets.get("settings", [])
    return FormRows(
        survey=tuple(sheets["survey"]),
        choices=tuple(sheets.get("choices", [])),
        settings=settings[0] if settings else None,
        fallback_key=path.stem,
    )


def _read_sheets(file: BinaryIO, source: str) -> dict[str, list[SheetRow]]:
    import openpyxl

    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
        if "survey" not in sheets:
            found = ", ".join(f"'{sheet.title}'" for sheet in workbook.worksheets) or "none"
            raise FormDefinitionError(
                f"the workbook has no sheet named 'survey' (its sheets: {found}); name the "
                "sheet that lists the questions 'survey'",
                source=source,
            )
        return {
            kind: _read_sheet(sheets[kind], kind, source)
            for kind in ("survey", "choices", "settings")
            if kind in sheets
        }
    finally:
        workbook.close()


def _check_container(path: Path, source: str) -> None:
    """Refuse what is not an .xlsx before openpyxl sees it, with a message saying why."""
    with path.open("rb") as file:
        start = file.read(8)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FormDefinitionError(
            f"this is an old Excel 97-2003 workbook (.xls), which Rapport cannot read; {_RESAVE}",
            source=source,
        )
    if not start.startswith(b"PK"):
        raise FormDefinitionError(
            "this file is not an Excel workbook (it may be a CSV or text file renamed .xlsx); "
            f"{_RESAVE}",
            source=source,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            # From the zip's directory first: a crafted workbook of a few kilobytes can
            # unpack to gigabytes, so nothing is decompressed before its sizes are known.
            problem = archive_problem(
                path,
                archive,
                max_total=MAX_UNPACKED_BYTES,
                max_entry=MAX_UNPACKED_BYTES,
                max_entries=MAX_WORKBOOK_PARTS,
            )
            if problem is not None:
                raise FormDefinitionError(
                    f"this workbook {problem}, more than a form can need; {_RESAVE}",
                    source=source,
                )
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as error:
        raise FormDefinitionError(
            f"this workbook is damaged ({error}); {_RESAVE}", source=source
        ) from error
    except NotImplementedError as error:  # a compression method Python cannot unpack
        raise FormDefinitionError(
            f"this workbook is damaged or packed in a way Rapport cannot read ({error}); {_RESAVE}",
            source=source,
        ) from error
    except RuntimeError as error:  # (after its subclass above) "File ... is encrypted"
        raise FormDefinitionError(
            "this workbook is protected by a password (or damaged so that it looks it); "
            "remove the password in Excel (File > Info > Protect Workbook), save it, and "
            "give that file",
            source=source,
        ) from error
    if broken is not None:
        raise FormDefinitionError(
            f"this workbook is damaged (part '{broken}' is corrupt); {_RESAVE}", source=source
        )


def _read_sheet(sheet: Any, kind: str, source: str) -> list[SheetRow]:
    from openpyxl.utils import get_column_letter

    from forms.authoring.builder import SheetRow

    # Sheets often claim all 1,048,576 rows; without this every one comes back padded to the
    # claimed width, which made a 16 KB workbook take seconds to read.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(value) for value in next(rows, ())]
    double_colon = any("::" in text for text in header)
    columns: list[tuple[int, str]] = []
    names: dict[str, str] = {}
    for index, text in enumerate(header):
        if not text:
            continue
        key = canonical_column(kind, text, double_colon)
        if key is None and kind == "survey":
            continue  # media, SMS and other columns Rapport does not use
        key = key or text
        name = f"column {get_column_letter(index + 1)} ({text})"
        if key in names:
            raise FormDefinitionError(
                f"{names[key]} and {name} are the same column '{key}'; remove or rename one",
                source=source,
                where=f"{sheet.title} row 1",
            )
        names[key] = name
        columns.append((index, key))
    if kind == "survey" and "type" not in names:
        raise FormDefinitionError(
            "the survey sheet has no 'type' column; its first row must name the columns "
            "(type, name, label, ...)",
            source=source,
            where=f"{sheet.title} row 1",
        )
    found: list[SheetRow] = []
    items = 0
    for number, values in enumerate(rows, start=2):
        if not values:
            continue
        cells = {}
        for index, key in columns:
            text = _cell_text(values[index]) if index < len(values) else ""
            if text:
                cells[key] = text
        if kind == "survey" and makes_item(cells.get("type")):
            items += 1
            # Reading stops here: the rest of a sheet of a million rows would take minutes.
            problem = form_size_problem(items, at_least=True)
            if problem is not None:
                raise FormDefinitionError(
                    problem, source=source, where=f"{sheet.title} row {number}"
                )
        if cells:
            found.append(
                SheetRow(
                    where=f"{sheet.title} row {number}",
                    cells=cells,
                    column_names=names,
                    in_workbook=True,
                )
            )
    return found


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def number_text(number: float) -> str:
    """A number as a person writes it: 1 rather than 1.0."""
    return str(int(number)) if number.is_integer() else repr(number)


# --- writing -------------------------------------------------------------------------------

Cell = str | int | float
SheetDict = dict[str, Cell]


@dataclass(frozen=True)
class Sheets:
    """A form as plain rows again: what both writers write."""

    survey: list[SheetDict]
    choices: list[SheetDict]
    settings: SheetDict


def form_sheets(form: FormDefinition) -> Sheets:
    """The rows that, read and built again, give back `form` exactly."""
    survey: list[SheetDict] = []
    _add_items(form.children, survey)
    choices: list[SheetDict] = []
    for list_name, options in form.choice_lists.items():
        for choice in options:
            row: SheetDict = {"list_name": list_name, "name": choice.name}
            row.update(_local("label", choice.label))
            if choice.not_applicable:
                row["points"] = "na"
            elif choice.points is not None:
                row["points"] = _number(choice.points)
            row.update(choice.extra)
            choices.append(row)
    settings: SheetDict = {"form_id": form.key, "version": form.version}
    settings.update(_local("form_title", form.title))
    if form.kind is not None:
        settings["kind"] = form.kind
    settings["scoring"] = form.scoring
    if form.bands:
        settings["bands"] = " ".join(f"{b.name}:{number_text(b.lower)}" for b in form.bands)
    if form.default_language is not None:
        settings["default_language"] = form.default_language
    settings.update(form.settings_extra)
    return Sheets(survey, choices, settings)


def form_rows(form: FormDefinition) -> FormRows:
    """`form` as the rows a reader would give for its workbook (form_sheets, as text)."""
    from forms.authoring.builder import FormRows, SheetRow

    def row(where: str, values: SheetDict) -> SheetRow:
        cells = {key: _cell_text(value) for key, value in values.items()}
        return SheetRow(where=where, cells={key: text for key, text in cells.items() if text})

    sheets = form_sheets(form)
    return FormRows(
        survey=tuple(row(f"survey row {n}", r) for n, r in enumerate(sheets.survey, start=2)),
        choices=tuple(row(f"choices row {n}", r) for n, r in enumerate(sheets.choices, start=2)),
        settings=row("settings row 2", sheets.settings),
        fallback_key=form.key,
    )


def _add_items(items: tuple[Item, ...], rows: list[SheetDict]) -> None:
    for item in items:
        if isinstance(item, Group):
            group: SheetDict = {"type": "begin_group", "name": item.name}
            group.update(_local("label", item.label))
            _put(group, relevant=item.relevant, appearance=item.appearance)
            if item.weight != 1:
                group["weight"] = _number(item.weight)
            rows.append(group)
            _add_items(item.children, rows)
            rows.append({"type": "end_group"})
            continue
        q = item
        row: SheetDict = {"type": f"{q.type} {q.list_name}" if q.list_name else q.type}
        row["name"] = q.name
        row.update(_local("label", q.label))
        row.update(_local("hint", q.hint))
        _put(row, required="yes" if q.required else None)
        row.update(_local("required_message", q.required_message))
        _put(row, relevant=q.relevant, constraint=q.constraint)
        row.update(_local("constraint_message", q.constraint_message))
        _put(row, calculation=q.calculation, choice_filter=q.choice_filter)
        _put(row, appearance=q.appearance, default=q.default)
        _put(row, read_only="yes" if q.read_only else None)
        if q.parameters:
            row["parameters"] = " ".join(f"{k}={number_text(v)}" for k, v in q.parameters.items())
        _put(row, points="value" if q.scored_value else None)
        if q.weight != 1:
            row["weight"] = _number(q.weight)
        _put(row, critical="yes" if q.critical else None, tags=" ".join(q.tags) or None)
        row.update(_local("coaching", q.coaching))
        rows.append(row)


def _put(row: SheetDict, **values: str | None) -> None:
    row.update({key: value for key, value in values.items() if value})


def _local(column: str, text: LocalText) -> SheetDict:
    """`label` for the untranslated text, `label::<language>` for each language."""
    return {
        column if lang == DEFAULT_LANGUAGE else f"{column}::{lang}": value
        for lang, value in text.items()
        if value
    }


def _number(value: float) -> int | float | str:
    """A weight or points as a cell: a number, or its exact text when a number cell would
    change it (workbooks keep 16 significant digits, so 0.30000000000000004 would read back
    as 0.3; the text reads back exactly)."""
    if value.is_integer():
        return int(value)
    return value if float(f"{value:.16g}") == value else repr(value)


def column_order(rows: list[SheetDict], known: tuple[str, ...]) -> list[str]:
    """Rapport's columns in their usual order (translations after their column), then others."""
    seen = list(dict.fromkeys(key for row in rows for key in row))
    ordered: list[str] = []
    for base in known:
        keys = [k for k in seen if k.partition("::")[0] == base and k.partition("::")[2] != ""]
        if base in seen:
            ordered.append(base)
        ordered.extend(sorted(keys) if base in TRANSLATABLE else [])
    return ordered + [key for key in seen if key not in ordered]


def write_workbook(form: FormDefinition, path: str | Path) -> None:
    """Write `form` as an XLSForm workbook (survey, choices, settings), replacing `path`."""
    import openpyxl
    from openpyxl.styles import Font

    sheets = form_sheets(form)
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    tables = (
        (survey, sheets.survey, SURVEY_COLUMNS),
        (workbook.create_sheet("choices"), sheets.choices, CHOICES_COLUMNS),
        (workbook.create_sheet("settings"), [sheets.settings], SETTINGS_COLUMNS),
    )
    for sheet, rows, known in tables:
        header = column_order(rows, known)
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(key) for key in header])
        for cells in sheet.iter_rows():
            for cell in cells:
                # A text starting with "=" is text here, never an Excel formula.
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    save_atomically(Path(path), workbook.save)


def save_atomically(path: Path, save: Callable[[str], object]) -> None:
    """Write through a temporary file so an interrupted save never leaves half a file."""
    from forms.files import atomic_output

    with atomic_output(path) as temporary:
        save(str(temporary))
