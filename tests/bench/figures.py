"""Benchmark figures: a value, its unit and target, whether the target is met; the table and
results.json the benchmark writes.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Bound = Literal["max", "min"]


@dataclass
class Figure:
    """One measured figure. `target` is an upper bound (or a lower one when bound="min")."""

    key: str
    label: str
    value: float | None
    unit: str
    target: float | None = None
    bound: Bound = "max"
    note: str = ""
    runs: list[float] = field(default_factory=list)
    enforced: bool = True
    """False in the CI run: the figure is shown against its target but cannot fail it."""

    @property
    def ok(self) -> bool:
        """Measured, and within the target (a figure without a target only has to be measured)."""
        if self.value is None or math.isnan(self.value):
            return False
        if self.target is None or not self.enforced:
            return True
        return self.value <= self.target if self.bound == "max" else self.value >= self.target

    @property
    def target_text(self) -> str:
        """The target as the table prints it."""
        if self.target is None:
            return "-"
        sign = "<=" if self.bound == "max" else ">="
        return f"{sign} {_number(self.target)} {self.unit}".rstrip()

    def as_json(self) -> dict[str, object]:
        """The figure as results.json stores it."""
        found: dict[str, object] = {
            "label": self.label,
            "value": None if self.value is None else round(self.value, 4),
            "unit": self.unit,
            "target": None if self.target is None else self.target_text,
            "ok": self.ok,
        }
        if self.note:
            found["note"] = self.note
        if self.runs:
            found["runs"] = [round(run, 4) for run in self.runs]
        if not self.enforced:
            found["enforced"] = False
        return found


def median(values: Sequence[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` (0..1) percentile, nearest-rank (p99 of 300 saves is the 297th)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(figures: Sequence[Figure]) -> str:
    """The figures as a fixed-width text table."""
    rows = [("figure", "value", "target", "ok")]
    for figure in figures:
        value = "not measured" if figure.value is None else f"{_number(figure.value)} {figure.unit}"
        verdict = "yes" if figure.ok else "NO"
        if figure.ok and not figure.enforced and figure.target is not None:
            verdict = "(not enforced)"
        rows.append((figure.label, value.strip(), figure.target_text, verdict))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[column]) for column, cell in enumerate(row)))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    notes = [f"- {figure.label}: {figure.note}" for figure in figures if figure.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def write_results(
    path: Path, figures: Sequence[Figure], context: dict[str, object]
) -> dict[str, object]:
    """Write results.json: the context (machine, databases) and every figure by key."""
    document: dict[str, object] = {
        **context,
        "ok": all(figure.ok for figure in figures),
        "figures": {figure.key: figure.as_json() for figure in figures},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return document
