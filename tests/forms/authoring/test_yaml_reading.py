"""YAML forms are read by libyaml when PyYAML has it, and say the same as PyYAML's parser."""

from __future__ import annotations

from pathlib import Path

import pytest

import forms.authoring.yamlform
from forms.authoring.loader import builtin_form_paths, load_form
from forms.errors import FormDefinitionError


def _without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forms.authoring.yamlform, "_fast_loader", lambda: None)


def test_every_builtin_form_is_the_same_form_read_either_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = [load_form(path) for path in builtin_form_paths()]
    _without_libyaml(monkeypatch)
    assert fast == [load_form(path) for path in builtin_form_paths()]


def test_no_and_yes_stay_choice_names(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(
        "survey:\n- {type: select_one answer, name: q}\n"
        "choices:\n  answer:\n  - {name: no}\n  - {name: yes}\n  - {name: on}\n",
        encoding="utf-8",
    )
    assert [c.name for c in load_form(path).choice_lists["answer"]] == ["no", "yes", "on"]


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        # libyaml would accept this tab; PyYAML, which read every form before, refuses it.
        ("survey:\n- type:\ttext\n  name: q\n", "line 2, column 8", "'\\t' that cannot start"),
        ('survey:\n- {type: text, name: q, label: "a\x07"}\n', "", "special characters"),
        ("survey:\n- type: text\n  name: q\n  name: r\n", "line 4, column 3", "appears twice"),
    ],
)
def test_a_mistake_is_named_as_pyyaml_names_it(
    tmp_path: Path, text: str, where: str, says: str
) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_form(path)
    assert caught.value.where == where
    assert "this is not valid YAML" in caught.value.message
    assert says in caught.value.message


def test_a_form_nested_deeper_than_any_form_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    # Deeper than libyaml's reading is kept for, not deep enough to exhaust PyYAML's stack.
    path.write_text("survey:\n- {type: text, name: q, label: " + "[" * 60 + "]" * 60 + "}\n")
    with pytest.raises(FormDefinitionError, match="label must be a single value, not a list"):
        load_form(path)
