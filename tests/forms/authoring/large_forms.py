"""Forms at and beyond forms.definition.limits.MAX_QUESTIONS, written as files the way an
author would: a chain of calculations, each adding 1 to the one before."""

from __future__ import annotations

from pathlib import Path


def chain_rows(count: int) -> list[tuple[str, str, str, str]]:
    """(type, name, label, calculation) of an integer question and `count - 1` calculations."""
    rows = [("integer", "c0", "Start", "")]
    rows += [("calculate", f"c{i}", "", f"${{c{i - 1}}} + 1") for i in range(1, count)]
    return rows


def write_chain_yaml(path: Path, count: int) -> Path:
    """A YAML form of `count` questions and calculations."""
    lines = ["settings: {form_id: chain, version: '1'}", "survey:"]
    for type_, name, label, calculation in chain_rows(count):
        cells = [f"type: {type_}", f"name: {name}"]
        cells += [f"label: {label}"] if label else []
        cells += [f"calculation: '{calculation}'"] if calculation else []
        lines.append(f"  - {{{', '.join(cells)}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_chain_workbook(path: Path, count: int) -> Path:
    """An XLSForm workbook of `count` questions and calculations, after a metadata row."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    survey = workbook.create_sheet("survey")
    survey.append(["type", "name", "label", "calculation"])
    survey.append(["start", "start", "", ""])  # metadata: not counted
    for row in chain_rows(count):
        survey.append(list(row))
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append(["chain", "1"])
    workbook.save(path)
    return path
