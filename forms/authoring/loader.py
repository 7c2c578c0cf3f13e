"""Load and save form definitions: YAML (Rapport's own format) or XLSForm workbooks."""

from __future__ import annotations

from pathlib import Path

from forms.authoring.builder import build_form
from forms.authoring.xlsform import read_workbook, save_atomically, write_workbook
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
    except OSError as error:
        raise FormDefinitionError(
            f"this file cannot be read ({error.strerror}); check that you may open it",
            source=source,
        ) from error
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
