"""Merge a bundle's forms, locations, agents, people and assignments; returns their ids here.

Records are matched by natural keys. A form version never changes, so a bundle whose form
has the key and version of a different stored form is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, insert, select, update
from sqlmodel import Session

from forms.exchange.bundle_model import Bundle, BundleAssignment
from forms.exchange.common import ExchangeError, rows_where
from forms.storage.tables import Agent, Assignment, FormVersion, Location, Person
from forms.storage.values import table_of

if TYPE_CHECKING:
    from forms.exchange.bundle_merge import ImportReport


def _insert(session: Session, model: type[object], values: dict[str, Any]) -> int:
    table = table_of(model)
    return int(session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())


def _forms(session: Session, bundle: Bundle, report: ImportReport, source: str) -> dict[str, int]:
    table = table_of(FormVersion)
    ids = {
        row.sha256: row.id
        for row in rows_where(session, table, "sha256", {f.sha256 for f in bundle.forms})
    }
    for record in bundle.forms:
        if record.sha256 in ids:
            continue
        clash = session.execute(
            select(table.c.sha256).where(
                table.c.key == record.key, table.c.version == record.version
            )
        ).first()
        if clash is not None:
            raise ExchangeError(
                f"{source}: form '{record.key}' version {record.version} is stored here with "
                "different content, and a form version never changes. Whoever changed the "
                "form must give it a new version; then export again"
            )
        ids[record.sha256] = _insert(session, FormVersion, record.model_dump())
        report.forms_added += 1
    return ids


def _locations(
    session: Session, bundle: Bundle, report: ImportReport, update_existing: bool
) -> dict[str, int]:
    table = table_of(Location)
    found = {
        row.code: row
        for row in rows_where(session, table, "code", {r.code for r in bundle.locations})
    }
    ids = {code: int(row.id) for code, row in found.items()}
    for record in bundle.locations:
        row = found.get(record.code)
        # A bundle from a Rapport that kept no time zones leaves this one's as it is.
        values = record.model_dump(exclude_none=True)
        if row is None:
            ids[record.code] = _insert(session, Location, values)
            report.locations_added += 1
        elif update_existing and (row.name, row.city, row.active, row.time_zone) != (
            record.name,
            record.city,
            record.active,
            row.time_zone if record.time_zone is None else record.time_zone,
        ):
            session.execute(update(table).where(table.c.id == row.id).values(**values))
            report.locations_updated += 1
    return ids


def _agents(
    session: Session,
    bundle: Bundle,
    report: ImportReport,
    locations: dict[str, int],
    update_existing: bool,
) -> dict[str, int]:
    table = table_of(Agent)
    found = {
        row.code: row for row in rows_where(session, table, "code", {r.code for r in bundle.agents})
    }
    ids = {code: int(row.id) for code, row in found.items()}
    for record in bundle.agents:
        row = found.get(record.code)
        values = {
            "code": record.code,
            "name": record.name,
            "location_id": locations[record.location],
            "active": record.active,
        }
        if row is None:
            ids[record.code] = _insert(session, Agent, values)
            report.agents_added += 1
        elif update_existing and (row.name, row.location_id, row.active) != (
            values["name"],
            values["location_id"],
            values["active"],
        ):
            session.execute(update(table).where(table.c.id == row.id).values(**values))
            report.agents_updated += 1
    return ids


def _people(session: Session, bundle: Bundle, report: ImportReport) -> dict[str, int]:
    table = table_of(Person)
    ids = {
        row.name: int(row.id)
        for row in rows_where(session, table, "name", {r.name for r in bundle.people})
    }
    for record in bundle.people:
        if record.name not in ids:
            ids[record.name] = _insert(session, Person, {"name": record.name, "role": record.role})
            report.people_added += 1
    return ids


def _same(column: Any, value: object) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value  # type: ignore[no-any-return]


def _assignments(
    session: Session, bundle: Bundle, report: ImportReport, ids: dict[str, dict[str, int]]
) -> dict[str, int]:
    """Assignments have no key that travels, so one that says the same things is the same."""
    table = table_of(Assignment)
    refs: dict[str, int] = {}
    for record in bundle.assignments:
        values = _assignment_values(record, ids)
        found = session.execute(
            select(table.c.id, table.c.done).where(
                *(_same(table.c[name], value) for name, value in values.items() if name != "done")
            )
        ).first()
        if found is None:
            refs[str(record.ref)] = _insert(session, Assignment, values)
            report.assignments_added += 1
            continue
        refs[str(record.ref)] = int(found.id)
        if record.done and not found.done:
            session.execute(update(table).where(table.c.id == found.id).values(done=True))
            report.assignments_updated += 1
    return refs


def _assignment_values(record: BundleAssignment, ids: dict[str, dict[str, int]]) -> dict[str, Any]:
    return {
        "location_id": ids["locations"][record.location],
        "agent_id": ids["agents"][record.agent] if record.agent else None,
        "form_version_id": ids["forms"][record.form],
        "shopper_id": ids["people"][record.shopper] if record.shopper else None,
        "due_date": record.due_date,
        "scenario": record.scenario,
        "done": record.done,
    }


def merge_reference_data(
    session: Session,
    bundle: Bundle,
    report: ImportReport,
    *,
    source: str,
    update_existing: bool,
) -> dict[str, dict[str, int]]:
    """Add the bundle's reference records (with `update_existing`, also take its names and
    places); returns natural key -> id here, for forms, locations, agents, people and
    assignments. The bundle must have passed check_bundle."""
    ids: dict[str, dict[str, int]] = {"forms": _forms(session, bundle, report, source)}
    ids["locations"] = _locations(session, bundle, report, update_existing)
    ids["agents"] = _agents(session, bundle, report, ids["locations"], update_existing)
    ids["people"] = _people(session, bundle, report)
    ids["assignments"] = _assignments(session, bundle, report, ids)
    return ids
