"""How the time to validate, evaluate, finalize and score a form grows with its size.

    .venv/bin/python -m tests.bench.form_size_bench                   # 100, 1,000, 10,000
    .venv/bin/python -m tests.bench.form_size_bench --sizes 100 1000  # fewer sizes

Forms of three shapes are built at each size:
- plain: select_one questions scored 0..2, each required;
- chain: one integer question, then calculations each adding 1 to the one before;
- relevant: yes/no questions, each shown only when the one before is answered yes.

Each is written as YAML and as an .xlsx workbook (forms.authoring.loader.save_form), then
timed: loading and validating each file (load_form, what `rapport forms validate` runs),
compiling the form and evaluating its state once (compile_form, CompiledForm.evaluate, as
forms.filling does), and finalizing one filled submission (finalize_answers: the required
and constraint checks, then score_submission), first in the process and once more, as every
Finalize of the app does. Each figure is the best of a few runs (the machine is shared). The
last lines give time(10,000) / time(1,000) for each figure: close to 10 means the work grows
linearly with the form, close to 100 quadratically. Sizes above
forms.definition.limits.MAX_QUESTIONS cannot be built: such a form is refused.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from forms.authoring.loader import load_form, save_form
from forms.definition.limits import MAX_QUESTIONS
from forms.definition.model import Choice, FormDefinition, Question
from forms.logic.checks import compile_form
from forms.storage.values import finalize_answers

SHAPES = ("plain", "chain", "relevant")
TODAY = date(2026, 6, 30)
FIGURES = ("load .yaml", "load .xlsx", "compile+evaluate", "finalize (first)", "finalize (again)")


def _points_list() -> dict[str, tuple[Choice, ...]]:
    return {
        "level": tuple(
            Choice(name=str(points), label={"default": f"Level {points}"}, points=float(points))
            for points in range(3)
        ),
        "yes_no": (
            Choice(name="yes", label={"default": "Yes"}, points=1.0),
            Choice(name="no", label={"default": "No"}, points=0.0),
        ),
    }


def build(shape: str, size: int) -> tuple[FormDefinition, dict[str, object]]:
    """A form of `size` questions of one shape, and answers that fill it completely."""
    questions: list[Question] = []
    answers: dict[str, object] = {}
    for index in range(size):
        name = f"q{index}"
        if shape == "plain":
            question = Question(
                name=name,
                type="select_one",
                list_name="level",
                label={"default": f"Question {index}"},
                required=True,
            )
            answers[name] = str(index % 3)
        elif shape == "chain" and index == 0:
            question = Question(
                name=name, type="integer", label={"default": "Start"}, constraint=". >= 0"
            )
            answers[name] = 1
        elif shape == "chain":
            question = Question(name=name, type="calculate", calculation=f"${{q{index - 1}}} + 1")
        elif shape == "relevant":
            question = Question(
                name=name,
                type="select_one",
                list_name="yes_no",
                label={"default": f"Question {index}"},
                relevant=f"${{q{index - 1}}} = 'yes'" if index else None,
                required=True,
            )
            answers[name] = "yes"
        else:
            raise ValueError(f"unknown shape '{shape}'")
        questions.append(question)
    form = FormDefinition(
        key=f"{shape}_{size}",
        version="1",
        title={"default": f"{shape} form of {size} questions"},
        kind="customer_survey",
        children=tuple(questions),
        choice_lists=_points_list(),
    )
    return form, answers


def best(run: Callable[[], object], repeats: int) -> float:
    """The fastest of `repeats` runs, in seconds."""
    times: list[float] = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(shape: str, size: int, folder: Path, repeats: int) -> dict[str, float]:
    """Seconds of each figure for one form."""
    form, answers = build(shape, size)
    yaml_path = folder / f"{shape}_{size}.yaml"
    xlsx_path = folder / f"{shape}_{size}.xlsx"
    save_form(form, yaml_path)
    save_form(form, xlsx_path)
    assert load_form(yaml_path) == form, "the YAML file does not give the form back"
    figures = {
        "load .yaml": best(lambda: load_form(yaml_path), repeats),
        "load .xlsx": best(lambda: load_form(xlsx_path), repeats),
        "compile+evaluate": best(
            lambda: compile_form(form).evaluate(answers, today=TODAY), repeats
        ),
    }

    def finalize(form: FormDefinition) -> object:
        return finalize_answers(
            form, "sha", answers, {}, [], today=TODAY, language=None, submission_id="bench"
        )

    # Each run finalizes another version of the form: new to every cache, as the first
    # Finalize of a form in a new process is.
    versions = iter(range(repeats))
    figures["finalize (first)"] = best(
        lambda: finalize(form.model_copy(update={"version": f"first-{next(versions)}"})), repeats
    )
    finalize(form)
    figures["finalize (again)"] = best(lambda: finalize(form), repeats)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Print the figures of every shape and size, then the 10,000 / 1,000 ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (best is kept)")
    args = parser.parse_args(argv)
    if max(args.sizes) > MAX_QUESTIONS:
        parser.error(f"a form may have at most {MAX_QUESTIONS:,} questions (--sizes)")
    results: dict[tuple[str, int], dict[str, float]] = {}
    header = f"{'shape':<9} {'questions':>9}  " + "  ".join(f"{name:>16}" for name in FIGURES)
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="rapport-form-bench-") as folder:
        for shape in args.shapes:
            for size in args.sizes:
                figures = measure(shape, size, Path(folder), args.repeats)
                results[(shape, size)] = figures
                cells = "  ".join(f"{figures[name]:>14.3f} s" for name in FIGURES)
                print(f"{shape:<9} {size:>9,}  {cells}", flush=True)
    if 1_000 in args.sizes and 10_000 in args.sizes:
        print("\ntime(10,000) / time(1,000): about 10 is linear, about 100 quadratic")
        for shape in args.shapes:
            ratios = "  ".join(
                f"{results[(shape, 10_000)][name] / results[(shape, 1_000)][name]:>16.1f}"
                for name in FIGURES
            )
            print(f"{shape:<9} {'':>9}  {ratios}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
