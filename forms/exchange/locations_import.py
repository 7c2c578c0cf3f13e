"""Sites and agents from a CSV file, checked line by line, then stored all or nothing.

Columns (first line, any order, case and spaces ignored):
  location_code  required: the site's code, e.g. HPO
  location_name  the site's name; may be left empty on further lines of the same site
  city           optional
  time_zone      optional: the site's IANA time zone, e.g. America/New_York (empty: kept)
  agent_code     optional: an agent (customer-facing employee) working at that site
  agent_name     required when agent_code is given
A line with only location columns adds or renames a site; a line with agent columns
also adds or updates that agent at that site. Existing sites and agents are matched by code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, update

from forms.errors import RapportError
from forms.exchange.common import ExchangeError, rows_where
from forms.files import readable_file
from forms.storage.records import StoreError
from forms.storage.sites import site_time_zone
from forms.storage.tables import Agent, Location
from forms.storage.values import table_of

if TYPE_CHECKING:
    from forms.storage import Store

REQUIRED_COLUMNS = ("location_code", "location_name")
OPTIONAL_COLUMNS = ("city", "time_zone", "agent_code", "agent_name")
MAX_LISTED_PROBLEMS = 20
SAVE_AS_UTF8 = (
    'save it again as "CSV UTF-8 (Comma delimited) (*.csv)" (Excel: File > Save As), '
    "then import that file"
)


@dataclass
class SiteLine:
    """What the file says about one site or agent, and the line that first said it."""

    name: str
    line: int
    city: str = ""
    location: str = ""
    time_zone: str = ""


@dataclass
class SitesFile:
    """The sites and agents of a checked CSV file, by code."""

    locations: dict[str, SiteLine] = field(default_factory=dict)
    agents: dict[str, SiteLine] = field(default_factory=dict)
    known_zones: dict[str, str] = field(default_factory=dict)
    """Time zones given to stored sites on lines that leave their name empty."""


@dataclass
class LocationsImportReport:
    """How many sites and agents were added, changed, or were already as the file says."""

    locations_added: int = 0
    locations_updated: int = 0
    locations_unchanged: int = 0
    agents_added: int = 0
    agents_updated: int = 0
    agents_unchanged: int = 0


def _text(path: Path) -> str:
    try:
        readable_file(path)
    except RapportError as error:
        raise ExchangeError(str(error)) from None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExchangeError(f"{path} does not exist: check the path") from None
    except OSError as error:
        raise ExchangeError(f"cannot read {path}: {error.strerror or error}") from error
    if data.startswith(b"PK\x03\x04"):
        raise ExchangeError(f"{path} is an Excel workbook, not a CSV file: {SAVE_AS_UTF8}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ExchangeError(
            f"{path} is not UTF-8 text (line {line} has a character Rapport cannot read, "
            f"probably saved as another encoding): {SAVE_AS_UTF8}"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ExchangeError(
            f"{path} line {line} holds a NUL character (byte 0), which no site or agent "
            f"name has: the file is damaged or not a CSV file. {SAVE_AS_UTF8}"
        )
    return text


def _column(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _header(path: Path, cells: list[str]) -> list[str]:
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    columns = [_column(cell) for cell in cells]
    listing = ", ".join(known)
    unknown = list(
        dict.fromkeys(cells[i] for i, name in enumerate(columns) if name and name not in known)
    )
    if unknown:
        shown = ", ".join(_shown(name) for name in unknown[:5])
        more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
        raise ExchangeError(
            f"{path} line 1: unknown column(s) {shown}{more}; the columns are {listing}"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ExchangeError(
            f"{path} line 1: missing column(s) {', '.join(missing)}. The first line must name "
            f"the columns: {listing} (location_code and location_name are required)"
        )
    twice = sorted({name for name in columns if name and columns.count(name) > 1})
    if twice:
        raise ExchangeError(f"{path} line 1: the column {twice[0]} appears twice")
    return columns


def _shown(value: str) -> str:
    """A value of the file, short enough to quote in a message."""
    return value if len(value) <= 60 else f"{value[:40]}… ({len(value):,} characters)"


def _delimiter(text: str) -> str:
    # Excel writes ';' where the decimal separator is a comma.
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


class _Checker:
    def __init__(self, path: Path, known_locations: set[str]) -> None:
        self.path = path
        self.known_locations = known_locations
        self.found = SitesFile()
        self.problems: list[str] = []
        self.unnamed: list[tuple[int, str]] = []
        self.zoned: list[tuple[int, str, str]] = []
        self.known_zones = self.found.known_zones

    def line(self, number: int, values: dict[str, str]) -> None:
        code, name = values.get("location_code", ""), values.get("location_name", "")
        city = values.get("city", "")
        zone = values.get("time_zone", "")
        agent_code, agent_name = values.get("agent_code", ""), values.get("agent_name", "")
        if not code:
            self.problems.append(f"line {number}: location_code is empty: give the site's code")
            return
        if name:
            self._site(number, code, name, city)
        else:
            self.unnamed.append((number, code))
            if city:
                self._site_city(number, code, city)
        if zone:
            self._site_zone(number, code, zone)
        if agent_code and not agent_name:
            self.problems.append(f"line {number}: agent {agent_code} has no agent_name")
        elif agent_name and not agent_code:
            self.problems.append(f"line {number}: agent {agent_name} has no agent_code")
        elif agent_code:
            seen = self.found.agents.setdefault(
                agent_code, SiteLine(name=agent_name, line=number, location=code)
            )
            if (seen.name, seen.location) != (agent_name, code):
                self.problems.append(
                    f"line {number}: agent code {agent_code} is {agent_name} at {code} here but "
                    f"{seen.name} at {seen.location} on line {seen.line}: one code names one "
                    "agent; correct one of the lines"
                )

    def _site(self, number: int, code: str, name: str, city: str) -> None:
        seen = self.found.locations.setdefault(code, SiteLine(name=name, line=number))
        if seen.name != name:
            self.problems.append(
                f"line {number}: location code {code} is named '{name}' here but '{seen.name}' "
                f"on line {seen.line}: one code names one site; correct one of the lines"
            )
        elif city:
            self._site_city(number, code, city)

    def _site_city(self, number: int, code: str, city: str) -> None:
        seen = self.found.locations.get(code)
        if seen is None:
            return  # checked once every line is read
        if seen.city and seen.city != city:
            self.problems.append(
                f"line {number}: location {code} is in {city} here but in {seen.city} on an "
                "earlier line; correct one of the lines"
            )
        seen.city = seen.city or city

    def _site_zone(self, number: int, code: str, zone: str) -> None:
        try:
            site_time_zone(zone)
        except StoreError as error:
            self.problems.append(f"line {number}: {error}")
            return
        seen = self.found.locations.get(code)
        if seen is None:
            self.zoned.append((number, code, zone))  # a site named on a later line
            return
        if seen.time_zone and seen.time_zone != zone:
            self.problems.append(
                f"line {number}: location {code} has the time zone {zone} here but "
                f"{seen.time_zone} on an earlier line; correct one of the lines"
            )
        seen.time_zone = seen.time_zone or zone

    def finish(self) -> SitesFile:
        for number, code, zone in self.zoned:
            if code in self.found.locations:
                self._site_zone(number, code, zone)
            else:
                self.known_zones.setdefault(code, zone)
        for number, code in self.unnamed:
            if code not in self.found.locations and code not in self.known_locations:
                self.problems.append(
                    f"line {number}: location_name is empty and {code} is a new site: give its name"
                )
        if self.problems:
            listed = self.problems[:MAX_LISTED_PROBLEMS]
            more = len(self.problems) - len(listed)
            raise ExchangeError(
                f"{self.path} was not imported; fix these lines, then import it again:\n  "
                + "\n  ".join(listed)
                + (f"\n  … and {more} more" if more else "")
            )
        return self.found


def read_locations_csv(path: Path, known_locations: set[str] | None = None) -> SitesFile:
    """The sites and agents of a CSV file; ExchangeError lists every bad line (up to 20).

    `known_locations` are codes already stored: lines naming them may leave the name empty.
    """
    text = _text(path)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(rows, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ExchangeError(
                f"{path} is empty: its first line must name the columns "
                + ", ".join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS))
            )
        columns = _header(path, header)
        checker = _Checker(path, known_locations or set())
        start = rows.line_num + 1
        for cells in rows:
            number, start = start, rows.line_num + 1
            if rows.line_num > number:
                # A quoted value ran past the end of its line: a stray quote, which would
                # swallow the lines after it into one value.
                raise ExchangeError(
                    f'{path} line {number}: a quote (") opened on this line is not closed '
                    "before the line ends, so the lines after it would be read as part of "
                    "one value. Close the quote on the same line, or remove it."
                )
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                checker.problems.append(
                    f"line {number} has {len(cells)} values but the first line names "
                    f"{len(columns)} columns (a name with a comma needs quotes around it)"
                )
                continue
            # Short lines are fine: spreadsheets leave out trailing empty cells.
            given = zip(columns, cells, strict=False)
            checker.line(number, {name: cell.strip() for name, cell in given if name})
    except csv.Error as error:
        raise ExchangeError(f"{path} line {rows.line_num}: not valid CSV ({error})") from None
    return checker.finish()


def import_locations(store: Store, path: Path) -> LocationsImportReport:
    """Check the CSV file, then add or update its sites and agents in one transaction."""
    locations, agents = table_of(Location), table_of(Agent)
    with store.reading() as session:
        known = set(
            session.execute(locations.select().with_only_columns(locations.c.code)).scalars()
        )
    found = read_locations_csv(path, known)
    report = LocationsImportReport()
    # One statement per kind of change (executemany), not one per line: a file of 20,000
    # agents took 4 s one insert at a time.
    with store.writing() as session:
        stored = {row.code: row for row in rows_where(session, locations, "code", found.locations)}
        new_sites: list[dict[str, object]] = []
        changed_sites: list[dict[str, object]] = []
        for code, site in found.locations.items():
            row = stored.get(code)
            if row is None:
                new_sites.append(
                    {
                        "code": code,
                        "name": site.name,
                        "city": site.city,
                        "time_zone": site.time_zone,
                    }
                )
                report.locations_added += 1
            elif (row.name, row.city, row.time_zone) != (
                site.name,
                site.city or row.city,
                site.time_zone or row.time_zone,
            ):
                changed_sites.append(
                    {
                        "site_id": row.id,
                        "new_name": site.name,
                        "new_city": site.city or row.city,
                        "new_zone": site.time_zone or row.time_zone,
                    }
                )
                report.locations_updated += 1
            else:
                report.locations_unchanged += 1
        if new_sites:
            session.execute(insert(locations), new_sites)
        if changed_sites:
            session.execute(
                update(locations)
                .where(locations.c.id == bindparam("site_id"))
                .values(
                    name=bindparam("new_name"),
                    city=bindparam("new_city"),
                    time_zone=bindparam("new_zone"),
                ),
                changed_sites,
            )
        rezoned = [
            {"site_code": code, "new_zone": zone}
            for code, zone in found.known_zones.items()
            if code not in found.locations
        ]
        if rezoned:
            session.execute(
                update(locations)
                .where(locations.c.code == bindparam("site_code"))
                .values(time_zone=bindparam("new_zone")),
                rezoned,
            )
        sites = {a.location for a in found.agents.values()}
        ids = {row.code: int(row.id) for row in rows_where(session, locations, "code", sites)}
        present = {row.code: row for row in rows_where(session, agents, "code", found.agents)}
        new_agents: list[dict[str, object]] = []
        changed_agents: list[dict[str, object]] = []
        for code, agent in found.agents.items():
            location_id = ids[agent.location]
            row = present.get(code)
            if row is None:
                new_agents.append({"code": code, "name": agent.name, "location_id": location_id})
                report.agents_added += 1
            elif (row.name, row.location_id) != (agent.name, location_id):
                changed_agents.append(
                    {"agent_id": row.id, "new_name": agent.name, "new_location": location_id}
                )
                report.agents_updated += 1
            else:
                report.agents_unchanged += 1
        if new_agents:
            session.execute(insert(agents), new_agents)
        if changed_agents:
            session.execute(
                update(agents)
                .where(agents.c.id == bindparam("agent_id"))
                .values(name=bindparam("new_name"), location_id=bindparam("new_location")),
                changed_agents,
            )
    return report
