"""Building forms from rows: what a form author sees when a definition is right or wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from forms.authoring.builder import FormRows, SheetRow, build_form
from forms.authoring.loader import load_form, save_form
from forms.authoring.yamlform import dump_yaml, read_yaml
from forms.definition.model import DEFAULT_LANGUAGE, Group
from forms.errors import FormDefinitionError

DATA = Path(__file__).parent / "data"
SCALE: list[dict[str, Any]] = [
    {"name": "2", "label": "Good", "points": 2},
    {"name": "0", "label": "Poor", "points": 0},
]


def write_form(
    tmp_path: Path,
    survey: list[dict[str, Any]],
    choices: dict[str, list[dict[str, Any]]] | None = None,
    settings: dict[str, Any] | None = None,
) -> Path:
    document: dict[str, Any] = {"settings": settings or {"form_id": "visit"}, "survey": survey}
    if choices is not None:
        document["choices"] = choices
    path = tmp_path / "visit.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def load_error(tmp_path: Path, *args: Any, **kwargs: Any) -> FormDefinitionError:
    path = write_form(tmp_path, *args, **kwargs)
    with pytest.raises(FormDefinitionError) as caught:
        load_form(path)
    assert caught.value.source == str(path)
    return caught.value


def test_the_neutral_rows_build_a_form_without_any_file() -> None:
    rows = FormRows(
        survey=(
            SheetRow("survey[0]", {"type": "select_one scale", "name": "q", "label": "Q?"}),
            SheetRow("survey[1]", {"type": "text", "name": "why", "relevant": "${q} = '0'"}),
        ),
        choices=(
            SheetRow("choices[0]", {"list_name": "scale", "name": "1", "points": "1"}),
            SheetRow("choices[1]", {"list_name": "scale", "name": "0", "points": "0"}),
        ),
    )
    form = build_form(rows, source="memory")
    assert [q.name for q in form.questions()] == ["q", "why"]
    assert form.key == "form"
    assert form.version == "1"
    assert form.title == {DEFAULT_LANGUAGE: "form"}
    assert [c.points for c in form.choice_lists["scale"]] == [1.0, 0.0]


def test_the_full_test_form_keeps_every_rapport_column() -> None:
    form = load_form(DATA / "full_form.yaml")
    greeted = form.question("greeted")
    assert greeted.weight == 1.5
    assert greeted.critical
    assert greeted.tags == ("empathy", "greeting")
    assert greeted.coaching["Español (es)"] == "Salude a cada cliente en diez segundos."
    assert greeted.hint == {DEFAULT_LANGUAGE: "Count from the moment you walked in."}
    assert form.kind == "mystery_shop"
    assert form.scoring == "sections"
    assert [(b.name, b.lower) for b in form.bands] == [
        ("Exceeds", 90.0),
        ("Meets", 75.0),
        ("Below", 0.0),
    ]
    assert form.languages == ("English (en)", "Español (es)")
    assert form.settings_extra == {"style": "pages"}
    assert [(s.name, s.weight) for s in form.sections()] == [
        ("greeting", 2.0),
        ("resolution", 1.0),
        ("general", 1.0),
    ]
    effort = form.question("effort")
    assert effort.parameters == {"start": 0.0, "end": 10.0, "step": 2.0}
    assert effort.scored_value
    na = form.choice_lists["greeting_scale"][-1]
    assert na.not_applicable
    assert na.points is None
    assert form.choice_lists["channels"][0].extra == {"reach": "remote"}


def test_yaml_round_trip_gives_the_same_form(tmp_path: Path) -> None:
    form = load_form(DATA / "full_form.yaml")
    path = tmp_path / "again.yaml"
    path.write_text(dump_yaml(form), encoding="utf-8")
    assert build_form(read_yaml(path), source=str(path)) == form
    save_form(form, tmp_path / "saved.yml")
    assert load_form(tmp_path / "saved.yml") == form


def test_dumped_yaml_reads_like_the_documented_format() -> None:
    text = dump_yaml(load_form(DATA / "full_form.yaml"))
    assert "required: yes\n" in text
    assert "version: 2026.11.1\n" in text
    assert "      English (en): Warmly, by name\n" in text
    assert "    points: na\n" in text


def test_preset_lists_need_no_definition_and_are_kept_in_the_form(tmp_path: Path) -> None:
    path = write_form(
        tmp_path,
        [
            {"type": "select_one yes_no_na", "name": "clean", "label": "Clean?"},
            {"type": "select_one nps_0_10", "name": "nps", "label": "Recommend?"},
        ],
    )
    form = load_form(path)
    yes_no_na = form.choice_lists["yes_no_na"]
    assert [(c.name, c.points, c.not_applicable) for c in yes_no_na] == [
        ("yes", 1.0, False),
        ("no", 0.0, False),
        ("na", None, True),
    ]
    assert [c.name for c in form.choice_lists["nps_0_10"]] == [str(n) for n in range(11)]
    assert all(c.points is None for c in form.choice_lists["nps_0_10"])


def test_a_form_defining_a_preset_name_uses_its_own_list(tmp_path: Path) -> None:
    own: list[dict[str, Any]] = [
        {"name": "yes", "label": "Yes", "points": 5},
        {"name": "no", "label": "No"},
    ]
    path = write_form(tmp_path, [{"type": "select_one yes_no_na", "name": "q"}], {"yes_no_na": own})
    assert [c.points for c in load_form(path).choice_lists["yes_no_na"]] == [5.0, None]


def test_yes_and_no_stay_choice_names_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(
        "settings: {form_id: f, version: 2}\n"
        "survey:\n- {type: select_one yn, name: q, required: yes}\n"
        "choices:\n  yn:\n  - {name: yes, points: 1}\n  - {name: no, points: 0}\n",
        encoding="utf-8",
    )
    form = load_form(path)
    assert [c.name for c in form.choice_lists["yn"]] == ["yes", "no"]
    assert form.question("q").required
    assert form.version == "2"


def test_curly_quotes_in_expressions_are_read_as_plain_quotes(tmp_path: Path) -> None:
    path = write_form(
        tmp_path,
        [
            {"type": "text", "name": "a"},
            {"type": "text", "name": "b", "relevant": "${a} = \u2018x\u2019"},
        ],
    )
    assert load_form(path).question("b").relevant == "${a} = 'x'"


def test_metadata_rows_are_left_out_and_today_is_computed(tmp_path: Path) -> None:
    path = write_form(
        tmp_path,
        [
            {"type": "start", "name": "start"},
            {"type": "deviceid", "name": "device"},
            {"type": "today", "name": "visit_day"},
            {"type": "text", "name": "q"},
        ],
    )
    form = load_form(path)
    assert [q.name for q in form.questions()] == ["visit_day", "q"]
    assert form.question("visit_day").calculation == "today()"


def test_a_reference_to_a_metadata_row_is_explained(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        [
            {"type": "start", "name": "start"},
            {"type": "note", "name": "n", "label": "Started at ${start}"},
        ],
    )
    assert error.where == "survey[1].label"
    assert error.question == "n"
    assert "${start}" in error.message
    assert "remove the reference" in error.message


@pytest.mark.parametrize(
    ("survey", "choices", "where", "question", "says"),
    [
        ([{"type": "txt", "name": "q"}], None, "survey[0].type", "q", "unknown type 'txt'"),
        ([{"type": "text"}], None, "survey[0].name", "", "has no name"),
        ([{"name": "q"}], None, "survey[0].type", "q", "has no type"),
        (
            [{"type": "text", "name": "q"}, {"type": "integer", "name": "q"}],
            None,
            "survey[1].name",
            "q",
            "already used at survey[0]",
        ),
        ([{"type": "text", "name": "1st"}], None, "survey[0].name", "1st", "not a valid name"),
        (
            [{"type": "select_one scale", "name": "q"}],
            None,
            "survey[0].type",
            "q",
            "choice list 'scale' is not defined",
        ),
        (
            [{"type": "text", "name": "q", "weight": -1}],
            None,
            "survey[0].weight",
            "q",
            "weight must be a number of 0 or more, not '-1'",
        ),
        (
            [{"type": "text", "name": "q", "weight": "heavy"}],
            None,
            "survey[0].weight",
            "q",
            "not 'heavy'",
        ),
        (
            [{"type": "text", "name": "q", "critical": "yes"}],
            None,
            "survey[0].critical",
            "q",
            "not scored",
        ),
        (
            [{"type": "text", "name": "q", "required": "maybe"}],
            None,
            "survey[0].required",
            "q",
            "must be yes or no",
        ),
        (
            [{"type": "text", "name": "q", "points": 3}],
            None,
            "survey[0].points",
            "q",
            "points can only be 'value'",
        ),
        (
            [{"type": "begin_group", "name": "g"}, {"type": "text", "name": "q"}],
            None,
            "survey[0].type",
            "g",
            "never closed",
        ),
        (
            [{"type": "text", "name": "q"}, {"type": "end_group"}],
            None,
            "survey[1].type",
            "",
            "end_group without a begin_group",
        ),
        (
            [{"type": "begin_repeat", "name": "visits"}, {"type": "end_repeat"}],
            None,
            "survey[0].type",
            "visits",
            "repeat groups are not supported yet",
        ),
        (
            [{"type": "geopoint", "name": "where"}],
            None,
            "survey[0].type",
            "where",
            "location questions",
        ),
        (
            [{"type": "select_one_from_file sites.csv", "name": "site"}],
            None,
            "survey[0].type",
            "site",
            "copy the choices into the choices sheet",
        ),
        (
            [{"type": "select_one scale", "name": "q", "critical": "yes"}],
            {"scale": [{"name": "a"}, {"name": "b"}]},
            "survey[0].critical",
            "q",
            "not scored",
        ),
        (
            [{"type": "select_one scale", "name": "q"}],
            {"scale": [*SCALE, {"name": "2", "label": "Again", "points": 1}]},
            "choices.scale[2].name",
            "",
            "choice '2' appears twice in list 'scale'",
        ),
        (
            [{"type": "select_one scale", "name": "q"}],
            {"scale": [{"name": "a", "points": "lots"}]},
            "choices.scale[0].points",
            "",
            "points must be a number of 0 or more or na, not 'lots'",
        ),
    ],
)
def test_a_wrong_row_is_named_with_what_to_fix(
    tmp_path: Path,
    survey: list[dict[str, Any]],
    choices: dict[str, list[dict[str, Any]]] | None,
    where: str,
    question: str,
    says: str,
) -> None:
    error = load_error(tmp_path, survey, choices)
    assert (error.where, error.question) == (where, question)
    assert says in error.message


@pytest.mark.parametrize(
    ("parameters", "says"),
    [
        (None, "needs parameters"),
        ("start=1", "needs both start and end"),
        ("start=1 end=five", "end must be a number, not 'five'"),
        ("start=1 end=10 size=3", "cannot read range parameter 'size=3'"),
        ("start=1 end=10 step=4", "whole steps"),
        ("start=1 end=10 step=0", "whole steps"),
        ("start=5 end=5", "whole steps"),
    ],
)
def test_a_range_needs_valid_parameters(tmp_path: Path, parameters: str | None, says: str) -> None:
    row: dict[str, Any] = {"type": "range", "name": "effort"}
    if parameters is not None:
        row["parameters"] = parameters
    error = load_error(tmp_path, [row])
    assert (error.where, error.question) == ("survey[0].parameters", "effort")
    assert says in error.message


def test_range_parameters_may_be_spelled_loosely(tmp_path: Path) -> None:
    row = {"type": "range", "name": "r", "parameters": "start = 1; end = 7, step=1"}
    form = load_form(write_form(tmp_path, [row]))
    assert form.question("r").parameters == {"start": 1.0, "end": 7.0, "step": 1.0}


@pytest.mark.parametrize(
    ("settings", "where", "says"),
    [
        ({"bands": "Good-90 Bad:0"}, "settings.bands", "cannot read band 'Good-90'"),
        ({"bands": "Good:90 Fair:50"}, "settings.bands", "must start at 0"),
        ({"bands": "Good:90 Good:0"}, "settings.bands", "band 'Good' is named twice"),
        ({"bands": "Good:120 Bad:0"}, "settings.bands", "cannot read band 'Good:120'"),
        ({"kind": "audit"}, "settings.kind", "unknown kind 'audit'"),
        ({"scoring": "average"}, "settings.scoring", "unknown scoring 'average'"),
        ({"version": 2026.1}, "settings.version", 'version: "2026.1"'),
    ],
)
def test_wrong_settings_are_named(
    tmp_path: Path, settings: dict[str, Any], where: str, says: str
) -> None:
    error = load_error(tmp_path, [{"type": "text", "name": "q"}], settings=settings)
    assert error.where == where
    assert says in error.message


def test_a_form_without_id_or_version_is_named_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "quick_check.yaml"
    path.write_text("survey:\n- {type: text, name: q}\n", encoding="utf-8")
    form = load_form(path)
    assert (form.key, form.version) == ("quick_check", "1")


@pytest.mark.parametrize(
    ("survey", "where", "says"),
    [
        (
            [{"type": "text", "name": "a"}, {"type": "text", "name": "b", "relevant": "${a} ="}],
            "survey[1].relevant",
            "relevant:",
        ),
        (
            [{"type": "text", "name": "b", "relevant": "${nope} = 'x'"}],
            "survey[0].relevant",
            "unknown question '${nope}'",
        ),
        (
            [{"type": "integer", "name": "b", "constraint": "frobnicate(.)"}],
            "survey[0].constraint",
            "frobnicate",
        ),
        (
            [
                {"type": "calculate", "name": "x", "calculation": "${y} + 1"},
                {"type": "calculate", "name": "y", "calculation": "${x} + 1"},
            ],
            "survey[0].calculation",
            "circular logic",
        ),
    ],
)
def test_expression_problems_name_the_row_and_column(
    tmp_path: Path, survey: list[dict[str, Any]], where: str, says: str
) -> None:
    error = load_error(tmp_path, survey)
    assert error.where == where
    assert says in error.message


def test_group_and_question_names_are_one_namespace(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        [
            {"type": "begin_group", "name": "listening"},
            {"type": "text", "name": "listening"},
            {"type": "end_group"},
        ],
    )
    assert error.where == "survey[1].name"
    assert "already used at survey[0]" in error.message


def test_groups_nest(tmp_path: Path) -> None:
    form = load_form(
        write_form(
            tmp_path,
            [
                {"type": "begin group", "name": "outer", "weight": 3},
                {"type": "begin_group", "name": "inner"},
                {"type": "text", "name": "q"},
                {"type": "end group"},
                {"type": "end_group"},
            ],
        )
    )
    outer = form.children[0]
    assert isinstance(outer, Group)
    assert outer.weight == 3.0
    assert isinstance(outer.children[0], Group)
    assert [q.name for q in outer.questions()] == ["q"]


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("survey:\n- {type: text, name: q\n", "line 3, column 1", "not valid YAML"),
        ("survey:\n- type: text\n  type: integer\n", "line 3, column 3", "appears twice"),
        ("survey:\n- {type: text, name: q, lable: Q}\n", "survey[0].lable", "unknown column"),
        ("survey: []\n", "survey", "has no questions"),
        ("survey:\n- {type: text, name: q}\nchoice: {}\n", "choice", "unknown top-level key"),
        ("- just a list\n", "", "a YAML form is a mapping"),
        ("survey:\n- {type: text, name: q, weight: [1, 2]}\n", "survey[0].weight", "single"),
    ],
)
def test_yaml_mistakes_are_located(tmp_path: Path, text: str, where: str, says: str) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_form(path)
    assert caught.value.where == where
    assert says in caught.value.message
