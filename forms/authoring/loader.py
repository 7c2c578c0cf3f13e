"""Load and save form definitions: YAML (Rapport's own format) or XLSForm workbooks."""

from __future__ import annotations

import re
from pathlib import Path

from forms.authoring.builder import FormRows, build_form
from forms.authoring.xlsform import form_rows, read_workbook, save_atomically, write_workbook
from forms.authoring.yamlform import dump_yaml, read_yaml
from forms.definition.model import FormDefinition
from forms.errors import FormDefinitionError, RapportError
from forms.files import readable_file

MAX_FORM_BYTES = 10 * 1024 * 1024
LIBRARY = Path(__file__).resolve().parent / "library"
"""The built-in forms, one YAML file each."""
_YAML = (".yaml", ".yml")
_KINDS = "a YAML form (.yaml) or an XLSForm workbook (.xlsx)"


def load_form(path: str | Path) -> FormDefinition:
    """Read and validate the form in `path` (.yaml, .yml or .xlsx).

    Every problem is one FormDefinitionError naming the file, the row and what to do.
    """
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FormDefinitionError(
            "old Excel 97-2003 workbooks (.xls) cannot be read; open the file in Excel or "
            "LibreOffice and save it as an Excel workbook (.xlsx)",
            source=source,
        )
    if suffix not in (*_YAML, ".xlsx"):
        raise FormDefinitionError(
            f"Rapport reads forms from {_KINDS}, not '{path.suffix or 'no extension'}' files; "
            "export the form to one of these",
            source=source,
        )
    try:
        readable_file(path)
    except RapportError as error:
        raise FormDefinitionError(str(error).removeprefix(f"{path} "), source=source) from None
    size = path.stat().st_size
    if size == 0:
        raise FormDefinitionError(
            "this file is empty; choose the file that holds the form", source=source
        )
    if size > MAX_FORM_BYTES:
        raise FormDefinitionError(
            f"this file is {size / 2**20:.1f} MB, more than a form can need "
            f"({MAX_FORM_BYTES // 2**20} MB); remove images or other data from it",
            source=source,
        )
    try:
        rows = read_yaml(path) if suffix in _YAML else read_workbook(path)
        _check_cells(rows, source)
        return build_form(rows, source=source)
    except OSError as error:
        raise FormDefinitionError(
            f"this file cannot be read ({error.strerror}); check that you may open it",
            source=source,
        ) from error
    except FormDefinitionError as error:
        shortened = _shortened(error)
        if shortened is error:
            raise
        raise shortened from error


MAX_FORM_TEXT = 10 * 1024 * 1024
"""Characters all the cells of a form may add up to. A file of at most MAX_FORM_BYTES holds
no more, unless it repeats one text through YAML aliases (`*label`) or Excel's shared
strings: a 1 MB file can then hold a billion characters of labels, which storing the form
would have to write out in full."""
MAX_CELL = 32_767
"""Characters of one cell, as in Excel: a longer text could not be saved in an XLSForm
workbook (`forms export`) and read back the same."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters other than tab and line breaks: no text needs one, a workbook cannot
hold one, and printed in a message some of them (escape) change what a terminal shows."""


def _check_cells(rows: FormRows, source: str) -> None:
    """Every cell fits in a workbook, and all of them together in a stored form."""
    total = 0
    for row in (*rows.survey, *rows.choices, *([rows.settings] if rows.settings else [])):
        for column, text in row.cells.items():
            total += len(column) + len(text)
            for value, what in ((column, "this column's name"), (text, column)):
                if len(value) > MAX_CELL:
                    raise FormDefinitionError(
                        f"{what} is {len(value):,} characters long; a cell holds at most "
                        f"{MAX_CELL:,} (as in Excel), so that the form can be saved as a "
                        "workbook and read back: shorten it",
                        source=source,
                        where=row.at(column),
                    )
                control = _CONTROL.search(value)
                if control is not None:
                    raise FormDefinitionError(
                        f"{what} holds the control character U+{ord(control.group()):04X}, "
                        "which no text needs and a workbook cannot hold; delete it (it often "
                        "comes with text pasted from another program)",
                        source=source,
                        where=row.at(column),
                    )
    if total > MAX_FORM_TEXT:
        raise FormDefinitionError(
            f"the texts of this form add up to {total:,} characters, more than any form holds "
            f"(at most {MAX_FORM_TEXT:,}): the file repeats long texts (through YAML aliases "
            "or Excel's shared strings); shorten its labels and hints",
            source=source,
        )


MAX_MESSAGE = 1_000
"""Characters of an error message before its middle is left out: a message that quotes a
200,000-character name or a 5,000-digit number whole is no help to the form's author."""
_LONG_RUN = re.compile(r"\S{81,}")
"""A run of more than 80 characters without a space: a quoted name, number or expression,
never a word of the message itself."""


def _shortened(error: FormDefinitionError) -> FormDefinitionError:
    """`error`, or the same error with its overlong parts cut to a readable length."""
    parts = (_clip(error.message, MAX_MESSAGE), _clip(error.where, 200), _clip(error.question, 80))
    if parts == (error.message, error.where, error.question):
        return error
    message, where, question = parts
    return FormDefinitionError(message, source=error.source, where=where, question=question)


def _clip(text: str, limit: int) -> str:
    """`text` on one line, control characters shown as escapes, each long run cut to its
    first and last characters, and its middle left out if it is still longer than `limit`:
    what is wrong and how to fix it stay."""
    text = re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", lambda c: repr(c.group())[1:-1], text)
    text = _LONG_RUN.sub(lambda run: _middle_out(run.group(0), 60), text)
    return _middle_out(text, limit)


def _middle_out(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    tail = limit - head
    return f"{text[:head]}…[{len(text) - limit:,} characters left out]…{text[-tail:]}"


def rebuild_form(form: FormDefinition, *, source: str) -> FormDefinition:
    """`form` written out as its XLSForm rows and built again, as `forms export` then
    `forms import` would: FormDefinitionError says why Rapport would refuse those rows.

    For definitions that come from elsewhere than a form file (a bundle, a team server),
    so that every stored form is one Rapport could have read from a file."""
    rows = form_rows(form)
    _check_cells(rows, source)
    return build_form(rows, source=source)


def builtin_form_paths() -> list[Path]:
    """The YAML files of the built-in forms, sorted by name."""
    return sorted(p for p in LIBRARY.iterdir() if p.suffix in _YAML and p.is_file())


def load_builtin_forms() -> list[FormDefinition]:
    """Every built-in form, validated; two files may not define the same form version."""
    forms: list[FormDefinition] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in builtin_form_paths():
        form = load_form(path)
        other = seen.setdefault((form.key, form.version), path)
        if other != path:
            raise FormDefinitionError(
                f"form '{form.key}' version {form.version} is also defined in {other.name}; "
                "give each built-in form its own form_id or version",
                source=str(path),
            )
        forms.append(form)
    return forms


def save_form(form: FormDefinition, path: str | Path) -> None:
    """Write `form` to `path` as YAML (.yaml, .yml) or an XLSForm workbook (.xlsx)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_workbook(form, path)
    elif suffix in _YAML:
        text = dump_yaml(form)
        save_atomically(path, lambda temporary: Path(temporary).write_text(text, "utf-8"))
    else:
        raise FormDefinitionError(
            f"a form is saved as {_KINDS}; choose a file name ending in .yaml or .xlsx",
            source=str(path),
        )
