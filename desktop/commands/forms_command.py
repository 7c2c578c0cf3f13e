"""`rapport forms validate|import|list|export` and `rapport score FORM ANSWERS.json`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.commands.common import atomic_output, open_store
from forms.definition.limits import answer_limit_problem
from forms.errors import RapportError
from forms.files import readable_file


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add `forms` and `score`."""
    forms = subparsers.add_parser(
        "forms",
        parents=[common],
        help="check, import, list and export form definitions (YAML or XLSForm .xlsx)",
        description="Work with form definitions.",
    )
    actions = forms.add_subparsers(dest="forms_action", metavar="ACTION", required=True)
    validate = actions.add_parser(
        "validate", parents=[common], help="check a form file and say what is wrong"
    )
    validate.add_argument("file", type=Path, metavar="FILE")
    validate.set_defaults(handler=run_validate)
    store_it = actions.add_parser(
        "import", parents=[common], help="check a form file, then store it as a new form version"
    )
    store_it.add_argument("file", type=Path, metavar="FILE")
    store_it.set_defaults(handler=run_import)
    listing = actions.add_parser("list", parents=[common], help="list stored form versions")
    listing.set_defaults(handler=run_list)
    export = actions.add_parser(
        "export", parents=[common], help="write a stored form as YAML or XLSForm (.xlsx)"
    )
    export.add_argument("key", metavar="FORM_KEY")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx|FILE.yaml")
    export.set_defaults(handler=run_export)

    score = subparsers.add_parser(
        "score",
        parents=[common],
        help="score answers against a form and print the result as JSON",
        description="Score ANSWERS.json (question name -> value, as XLSForm data stores it) "
        "against FORM (a YAML or XLSForm file, or the key of a stored form).",
    )
    score.add_argument("form", metavar="FORM")
    score.add_argument("answers", type=Path, metavar="ANSWERS.json")
    score.set_defaults(handler=run_score)


def run_validate(args: argparse.Namespace) -> int:
    """Print what the form is, or raise the error naming what to fix."""
    from forms.authoring.loader import load_form

    form = load_form(args.file)
    questions = [q for q in form.questions() if q.type not in ("note", "calculate")]
    print(
        f"{args.file}: OK. '{form.text(form.title)}' (key {form.key}, version {form.version}), "
        f"{len(form.sections())} sections, {len(questions)} questions."
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Validate a form file and store it; nothing is stored if it has an error."""
    from forms.authoring.loader import load_form

    form = load_form(args.file)
    # The form is stored as JSON with its source: a few times the file's size, and room.
    needs = 4 * args.file.stat().st_size + 1_000_000
    with open_store(args, create=True, needs=needs, what=f"importing {args.file}") as store:
        version_id = store.add_form(form)
    print(f"Stored '{form.text(form.title)}' version {form.version} (id {version_id}).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the stored form versions."""
    with open_store(args) as store:
        for info in store.list_forms():
            print(f"{info.key}\tv{info.version}\t{info.kind or '-'}\t{info.title}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the newest stored version of a form to a file."""
    from forms.authoring.loader import save_form

    with open_store(args) as store:
        version_id = store.latest_form_version(args.key)
        if version_id is None:
            raise RapportError(f"no stored form with key '{args.key}'; see: rapport forms list")
        form = store.form_definition(version_id)
    suffix = args.output.suffix.lower()
    if suffix not in (".xlsx", ".yaml", ".yml"):
        raise RapportError(f"cannot write '{suffix}' files: name the output .xlsx or .yaml")
    with atomic_output(args.output) as temporary:
        save_form(form, temporary)
    print(f"Wrote {args.output}")
    return 0


def run_score(args: argparse.Namespace) -> int:
    """Score answers and print the result so anyone can check it by hand."""
    from forms.authoring.loader import load_form
    from forms.scoring.points import score_submission

    source = Path(args.form)
    if source.suffix.lower() in (".yaml", ".yml", ".xlsx") or source.exists():
        form = load_form(source)
    else:
        with open_store(args) as store:
            version_id = store.latest_form_version(args.form)
            if version_id is None:
                raise RapportError(
                    f"'{args.form}' is neither a form file nor the key of a stored form; "
                    "give a .yaml or .xlsx file, or see: rapport forms list"
                )
            form = store.form_definition(version_id)
    answers = read_answers(args.answers)
    result = score_submission(form, answers)
    print(json.dumps(result.to_json_dict(), indent=2, ensure_ascii=False))
    return 0


def read_answers(path: Path) -> dict[str, object]:
    """The answers of a JSON file, or a clear error naming the file and the problem."""
    readable_file(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RapportError(f"{path}: not a text file; save the answers as UTF-8 JSON") from None
    except json.JSONDecodeError as error:
        raise RapportError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except (ValueError, RecursionError):
        # Python refuses integers of more than 4,300 digits, and nesting deeper than it can
        # follow: neither is an answer anyone gives.
        raise RapportError(
            f"{path}: holds a number with thousands of digits or values nested thousands "
            "deep; no answer is that large"
        ) from None
    if not isinstance(data, dict):
        raise RapportError(
            f"{path}: expected an object mapping question names to answers, "
            'e.g. {"greeting": "4", "comment": "Friendly"}'
        )
    for key, value in data.items():
        problem = answer_limit_problem(str(key), value)
        if problem is not None:
            raise RapportError(f"{path}: {problem}")
    return {str(key): value for key, value in data.items()}
