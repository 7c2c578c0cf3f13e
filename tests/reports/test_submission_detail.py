"""The Submissions screen's detail of one visit reads what was stored when it was finalized,
as the visit report does, never a score recomputed with today's code."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forms.scoring.points import ItemStatus
from forms.storage import Store
from forms.storage.tables import Submission
from reports.queries.submissions import submission_detail


def a_finalized_mystery_shop(store: Store) -> str:
    with store.reading() as session:
        found = session.scalars(
            select(Submission.id).where(
                Submission.respondent_kind == "shopper",
                Submission.status == "final",
                Submission.score > 50,
            )
        ).first()
    assert found is not None
    return str(found)


def test_the_detail_shows_the_stored_score_and_points_after_the_scoring_code_changes(
    sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    submission_id = a_finalized_mystery_shop(sample_store)
    before = submission_detail(sample_store, submission_id)
    assert before.score.overall == pytest.approx(before.stored_score)

    # A later Rapport scores every answer differently.
    def every_answer_scores_nothing(_planned: object, _value: object) -> tuple[ItemStatus, float]:
        return "counted", 0.0

    monkeypatch.setattr("forms.scoring.points._answer_points", every_answer_scores_nothing)
    after = submission_detail(sample_store, submission_id)
    assert after.score.overall == before.score.overall == after.stored_score
    assert [line.points for line in after.lines] == [line.points for line in before.lines]
    assert [s.score for s in after.score.sections] == [s.score for s in before.score.sections]
    assert any(
        line.points.endswith("/ 5") and not line.points.startswith("0 ") for line in after.lines
    )
