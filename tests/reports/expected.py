"""Figures computed straight from the database with plain SQL and the textbook formulas,
independently of reports/, so that report tests compare two separate computations."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

COUNTED = "s.status IN ('final', 'accepted')"


def query(db: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of a read-only query on the SQLite file."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def in_period(start: date, end: date) -> tuple[str, list[str]]:
    """SQL condition and parameters for visit_at within [start, end] (stored as UTC text)."""
    return "s.visit_at >= ? AND s.visit_at <= ?", [f"{start} 00:00:00", f"{end} 23:59:59.999999"]


def location_id(db: Path, code: str) -> int:
    return int(query(db, "SELECT id FROM location WHERE code = ?", [code])[0][0])


def visit_figures(db: Path, where: str, params: Sequence[Any]) -> tuple[int, float, float]:
    """(visits, mean score, mean Empathy Index) of the counted shopper visits matching `where`."""
    count, score, empathy = query(
        db,
        f"SELECT count(*), avg(s.score), avg(s.empathy_index) FROM submission s "
        f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND {where}",
        params,
    )[0]
    return int(count), float(score), float(empathy)


def survey_values(db: Path, question: str, where: str, params: Sequence[Any]) -> list[int]:
    """Whole-number answers to a customer-survey question (blank answers left out)."""
    rows = query(
        db,
        f"SELECT a.value FROM answer a JOIN submission s ON s.id = a.submission_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'customer' AND a.question = ? AND {where}",
        [question, *params],
    )
    values = []
    for (raw,) in rows:
        value = json.loads(raw) if raw is not None else None
        if value is not None and str(value).isdigit():
            values.append(int(value))
    return values


def nps(values: list[int]) -> float:
    """% of 9-10 minus % of 0-6."""
    return (sum(v >= 9 for v in values) - sum(v <= 6 for v in values)) / len(values) * 100


def csat(values: list[int]) -> float:
    """% of 4-5 answers."""
    return sum(v >= 4 for v in values) / len(values) * 100


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)
