"""Sites, agents and visits are found however their names are capitalised, in any alphabet."""

from __future__ import annotations

import pytest

from forms.storage import Store
from reports.queries import find_agent, find_location
from reports.queries.common import find_submission
from reports.render import ReportError


def test_accented_capitals_find_the_agent_and_the_site(store: Store) -> None:
    store.upsert_location("ÉCL", "École Saint-Étienne", "Lyon")
    store.upsert_agent("Ó-1", "Óscar Núñez", "ÉCL")
    for spelling in ("Óscar Núñez", "óscar núñez", "ÓSCAR NÚÑEZ", " ó-1 "):
        assert find_agent(store, spelling).name == "Óscar Núñez"
    for spelling in ("école saint-étienne", "ÉCOLE SAINT-ÉTIENNE", "écl"):
        assert find_location(store, spelling).code == "ÉCL"
    with pytest.raises(ReportError, match="Did you mean: Óscar Núñez"):
        find_agent(store, "Oscar Nunes")


def test_a_visit_id_in_capitals_or_braces_is_found(sample_store: Store) -> None:
    with sample_store.reading() as session:
        from sqlalchemy import select

        from forms.storage.tables import Submission

        visit = str(session.scalars(select(Submission.id).limit(1)).one())
    assert find_submission(sample_store, "{" + visit.upper() + "}") == visit
    assert find_submission(sample_store, visit[:8].upper()) == visit
