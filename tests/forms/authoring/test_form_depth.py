"""What validates loads back: a form whose groups nest deeper than a stored form can be read
again is refused when it is checked, before it can break every report and sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.authoring.builder import MAX_GROUP_DEPTH
from forms.authoring.loader import load_form
from forms.errors import FormDefinitionError
from forms.storage import Store


def nested_form(path: Path, depth: int) -> Path:
    lines = ["settings: {form_id: deep, version: '1'}", "survey:"]
    lines += [f"  - {{type: begin group, name: g{i}, label: G{i}}}" for i in range(depth)]
    lines.append("  - {type: text, name: q, label: Q}")
    lines += ["  - {type: end group}"] * depth
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_deepest_form_allowed_is_stored_and_read_back(store: Store, tmp_path: Path) -> None:
    form = load_form(nested_form(tmp_path / "deep.yaml", MAX_GROUP_DEPTH))
    version = store.add_form(form)
    assert store.form_definition(version) == form


def test_one_group_deeper_is_refused_naming_the_row(tmp_path: Path) -> None:
    with pytest.raises(FormDefinitionError) as caught:
        load_form(nested_form(tmp_path / "deeper.yaml", 99))
    assert caught.value.question == f"g{MAX_GROUP_DEPTH}"
    assert "at most 20 deep" in caught.value.message


def test_yaml_nested_thousands_deep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "brackets.yaml"
    path.write_text(
        "settings: {form_id: x, version: '1'}\nsurvey: " + "[" * 5000 + "]" * 5000 + "\n",
        encoding="utf-8",
    )
    with pytest.raises(FormDefinitionError, match="nests lists or mappings thousands deep"):
        load_form(path)
