"""Submissions as a spreadsheet: one row per submission, one column per question.

Values are written as XLSForm data stores them (choice names; select_multiple as names
separated by spaces), so the file reads like data from ODK or KoboToolbox. CSV is UTF-8
with a byte order mark (Excel then shows accents right) and comma-separated; XLSX has one
sheet per form. Text that a spreadsheet would run as a formula (starting with = + - @) is
kept as text: in XLSX as a text cell, in CSV behind an apostrophe.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from forms.definition.model import ANSWERED_TYPES, FormDefinition
from forms.exchange.common import ExchangeError, in_period, rows_where
from forms.period import Period
from forms.storage.tables import Agent, Answer, FormVersion, Location, Submission
from forms.storage.values import table_of

if TYPE_CHECKING:
    from forms.storage import Store

FIXED_COLUMNS = (
    "submission_id",
    "form_version",
    "location_code",
    "location_name",
    "agent_code",
    "agent_name",
    "respondent_kind",
    "channel",
    "status",
    "visit_time_utc",
    "score",
    "raw_score",
    "band",
    "critical_failure",
    "empathy_index",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Cell = str | int | float | bool | datetime | None


@dataclass
class Sheet:
    """The submissions of one form, ready to write."""

    form_key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def forms_with_data(store: Store, period: Period | None = None) -> list[str]:
    """Keys of the forms that have exported submissions (in the period), alphabetical."""
    submissions, versions = table_of(Submission), table_of(FormVersion)
    query = (
        select(versions.c.key)
        .distinct()
        .join(submissions, submissions.c.form_version_id == versions.c.id)
        .where(submissions.c.status.in_(store.counted_statuses()), *in_period(period or Period()))
    )
    with store.reading() as session:
        return sorted(session.execute(query).scalars())


def _question_columns(forms: list[FormDefinition]) -> list[str]:
    """Answered questions of the newest version in order, then those only older ones ask."""
    names: dict[str, None] = {}  # ordered, and looked up without a search of the list
    for form in forms:
        for question in form.questions():
            if question.type in ANSWERED_TYPES:
                names.setdefault(question.name)
    return list(names)


def _value(value: object) -> Cell:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def submission_sheet(store: Store, form_key: str, *, period: Period | None = None) -> Sheet:
    """The exported submissions of the form `form_key` (every version), oldest visit first."""
    submissions, versions = table_of(Submission), table_of(FormVersion)
    locations, agents = table_of(Location), table_of(Agent)
    with store.reading() as session:
        stored = session.execute(
            select(versions.c.id, versions.c.title)
            .where(versions.c.key == form_key)
            .order_by(versions.c.created_at.desc(), versions.c.id.desc())
        ).all()
        if not stored:
            known = ", ".join(sorted(set(session.execute(select(versions.c.key)).scalars())))
            raise ExchangeError(
                f"there is no form with key '{form_key}'; stored forms: {known or 'none'}"
            )
        found = session.execute(
            select(
                submissions,
                versions.c.version.label("form_version"),
                locations.c.code.label("location_code"),
                locations.c.name.label("location_name"),
                agents.c.code.label("agent_code"),
                agents.c.name.label("agent_name"),
            )
            .join(versions, versions.c.id == submissions.c.form_version_id)
            .outerjoin(locations, locations.c.id == submissions.c.location_id)
            .outerjoin(agents, agents.c.id == submissions.c.agent_id)
            .where(
                versions.c.key == form_key,
                # The visits the reports count: finalized and accepted, or accepted only.
                submissions.c.status.in_(store.counted_statuses()),
                *in_period(period or Period()),
            )
        ).all()
        answers: dict[str, dict[str, Any]] = {}
        for row in rows_where(session, table_of(Answer), "submission_id", [r.id for r in found]):
            answers.setdefault(row.submission_id, {})[row.question] = row
    questions = _question_columns([store.form_definition(row.id) for row in stored])
    commented = {
        name for by_question in answers.values() for name, a in by_question.items() if a.comment
    }
    columns: list[tuple[str, str, bool]] = []  # header, question, is the comment
    for name in questions:
        columns.append((f"q_{name}" if name in FIXED_COLUMNS else name, name, False))
        if name in commented:
            columns.append((f"{name}_comment", name, True))
    sheet = Sheet(
        form_key=form_key,
        title=stored[0].title,
        headers=[*FIXED_COLUMNS, *(header for header, _, _ in columns)],
    )
    ordered = sorted(found, key=lambda r: (r.visit_at or r.finished_at or r.started_at, r.id))
    for row in ordered:
        visit = row.visit_at or row.finished_at
        fixed: list[Cell] = [
            row.id,
            row.form_version,
            row.location_code,
            row.location_name,
            row.agent_code,
            row.agent_name,
            row.respondent_kind,
            row.channel,
            row.status,
            visit.replace(tzinfo=None, microsecond=0) if visit else None,
            row.score,
            row.raw_score,
            row.band,
            row.critical_failure,
            row.empathy_index,
        ]
        given = answers.get(row.id, {})
        for _, name, is_comment in columns:
            answer = given.get(name)
            if answer is None:
                fixed.append(None)
            else:
                fixed.append((answer.comment or None) if is_comment else _value(answer.value))
        sheet.rows.append(fixed)
    return sheet


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return str(value)


def write_csv(sheet: Sheet, target: Path) -> None:
    """Write one sheet as CSV (UTF-8 with BOM, comma-separated, quoted where needed)."""
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(sheet.headers)
        for row in sheet.rows:
            writer.writerow([_csv_text(value) for value in row])


def _sheet_name(key: str, taken: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub("_", key).strip("'")[:31] or "form"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f"~{number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def write_xlsx(sheets: list[Sheet], target: Path) -> None:
    """Write the sheets to one workbook, header row frozen, times as Excel date-times (UTC)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_name(sheet.form_key, taken))
        worksheet.freeze_panes = "B2"
        header: list[Any] = []
        for text in sheet.headers:
            cell = WriteOnlyCell(worksheet, value=text)
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in sheet.rows:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, str):
                    cell = WriteOnlyCell(worksheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cells.append(cell)
                elif isinstance(value, datetime):
                    cell = WriteOnlyCell(worksheet, value=value)
                    cell.number_format = "yyyy-mm-dd hh:mm"
                    cells.append(cell)
                else:
                    cells.append(value)
            worksheet.append(cells)
    workbook.save(target)


def _only_form(store: Store, period: Period | None) -> str:
    keys = forms_with_data(store, period)
    if not keys:
        raise ExchangeError("there are no finalized submissions to export (for this period)")
    if len(keys) > 1:
        raise ExchangeError(
            "several forms have data and a CSV file holds one: choose one with --form KEY "
            f"({', '.join(keys)}), or export all of them as .xlsx"
        )
    return keys[0]


def export_csv(
    store: Store, target: Path, *, form_key: str | None = None, period: Period | None = None
) -> Sheet:
    """Write the submissions of one form as CSV; without `form_key`, the only form with data."""
    sheet = submission_sheet(store, form_key or _only_form(store, period), period=period)
    write_csv(sheet, target)
    return sheet


def export_xlsx(
    store: Store, target: Path, *, form_key: str | None = None, period: Period | None = None
) -> list[Sheet]:
    """Write an .xlsx workbook: the form `form_key`, or one sheet per form with data."""
    keys = [form_key] if form_key else forms_with_data(store, period)
    if not keys:
        raise ExchangeError("there are no finalized submissions to export (for this period)")
    sheets = [submission_sheet(store, key, period=period) for key in keys]
    write_xlsx(sheets, target)
    return sheets
