"""Assignments: the visits a manager asks shoppers to make. Mixed into Store; each call is one
transaction. Finalizing an assigned visit marks its assignment done (lifecycle.finalize)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from datetime import date

from sqlmodel import Session, col, select

from forms.storage.tables import Agent, Assignment, FormVersion, Location, Person
from forms.storage.values import require_rows


class AssignmentPlanning(ABC):
    """Assignments of visits to shoppers; mixed into Store, which provides reading and writing."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Session]:
        """A short read-only session (provided by Store)."""

    @abstractmethod
    def writing(self) -> AbstractContextManager[Session]:
        """A short session committed on exit (provided by Store)."""

    def add_assignment(
        self,
        *,
        location_id: int,
        form_version_id: int,
        agent_id: int | None = None,
        shopper: str | None = None,
        due_date: date | None = None,
        scenario: str = "",
    ) -> int:
        """Ask a shopper (or any shopper) to make a visit; returns the assignment id."""
        with self.writing() as session:
            require_rows(
                session,
                (
                    (Location, location_id, "location"),
                    (FormVersion, form_version_id, "form version"),
                    (Agent, agent_id, "agent"),
                ),
            )
            shopper_id = None
            if shopper:
                shopper_id = session.scalars(
                    select(col(Person.id)).where(col(Person.name) == shopper)
                ).first()
                if shopper_id is None:
                    person = Person(name=shopper, role="shopper")
                    session.add(person)
                    session.flush()
                    shopper_id = person.id
            row = Assignment(
                location_id=location_id,
                agent_id=agent_id,
                form_version_id=form_version_id,
                shopper_id=shopper_id,
                due_date=due_date,
                scenario=scenario.strip(),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id
