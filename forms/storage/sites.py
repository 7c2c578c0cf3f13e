"""Sites and agents as managers change them: kept with their history, switched on and off.
Mixed into Store; each call is one transaction."""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from functools import cache
from zoneinfo import available_timezones

from sqlalchemy import func, select
from sqlmodel import Session

from forms.storage.records import StoreError
from forms.storage.tables import Agent, Location, Submission


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA time zone name this computer knows (America/New_York, UTC...), sorted."""
    return tuple(sorted(available_timezones() | {"UTC"}))


def site_time_zone(name: str) -> str:
    """A site's time zone name, trimmed ("" for none: reports use their time zone setting);
    StoreError naming the value when it is not an IANA name this computer knows."""
    name = name.strip()
    if name and name not in time_zone_names():
        raise StoreError(
            f"time zone '{name}' is unknown: use an IANA name such as America/New_York, "
            "or leave it empty to use the time zone of the report settings"
        )
    return name


class SiteManagement(ABC):
    """Activating and deactivating sites and agents; mixed into Store (reading, writing)."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Session]:
        """A short read-only session (provided by Store)."""

    @abstractmethod
    def writing(self) -> AbstractContextManager[Session]:
        """A short session committed on exit (provided by Store)."""

    def is_empty(self) -> bool:
        """No site and no submission yet: a new database, ready for the guided first start."""
        with self.reading() as session:
            sites = session.execute(select(func.count()).select_from(Location)).scalar_one()
            visits = session.execute(select(func.count()).select_from(Submission)).scalar_one()
        return not sites and not visits

    def set_location_active(self, location_id: int, active: bool) -> None:
        """Deactivate a site (kept with its history, left out of new evaluations) or bring
        it back."""
        with self.writing() as session:
            found = session.get(Location, location_id)
            if found is None:
                raise StoreError(f"there is no location with id {location_id}")
            found.active = active

    def set_agent_active(self, agent_id: int, active: bool) -> None:
        """Deactivate an agent who left (history kept) or bring them back."""
        with self.writing() as session:
            found = session.get(Agent, agent_id)
            if found is None:
                raise StoreError(f"there is no agent with id {agent_id}")
            found.active = active
