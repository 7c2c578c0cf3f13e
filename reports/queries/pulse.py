"""Employee-pulse signals per location: workload and burnout beside the empathy scores.

A signal is the share of favourable answers to the questions tagged with it: an answer
is favourable when it earns at least 80 % of its possible points (agree or strongly agree
on a positive statement, disagree or strongly disagree on a reversed one such as "I feel
drained"). Pulse answers are anonymous; only counts per location leave the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, select

from reports.queries.catalogue import Catalogue
from reports.queries.common import ANSWERS, LOW_SAMPLE, SUBMISSIONS, Scope

if TYPE_CHECKING:
    from forms.store import Store

PULSE_SIGNALS = ("workload", "burnout")
FAVOURABLE_SHARE = 0.8


@dataclass(frozen=True)
class PulseSignal:
    """One signal at one location."""

    tag: str
    favourable: float | None
    """% of answers that are favourable (0..100)."""
    answers: int
    respondents: int

    @property
    def low_sample(self) -> bool:
        """Fewer than five employees answered."""
        return self.respondents < LOW_SAMPLE


def pulse_signals(
    store: Store, scope: Scope, catalogue: Catalogue
) -> dict[int, dict[str, PulseSignal]]:
    """Location id -> signal tag -> the share of favourable answers and its sample."""
    tags = catalogue.tag_table(PULSE_SIGNALS)
    if tags is None:
        return {}
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    favourable = case((answer.points >= answer.possible * FAVOURABLE_SHARE, 1), else_=0)
    query = (
        select(
            sub.location_id,
            tags.c.tag,
            func.sum(favourable),
            func.count(answer.id),
            func.count(func.distinct(sub.id)),
        )
        .select_from(ANSWERS)
        .join(SUBMISSIONS, sub.id == answer.submission_id)
        .join(
            tags,
            and_(tags.c.form_version_id == sub.form_version_id, tags.c.question == answer.question),
        )
        .where(
            *scope.where("employee"),
            sub.location_id.is_not(None),
            answer.not_applicable.is_(False),
            answer.points.is_not(None),
            answer.possible > 0,
        )
        .group_by(sub.location_id, tags.c.tag)
    )
    with store.unit_of_work(write=False) as session:
        rows = session.execute(query).all()
    found: dict[int, dict[str, PulseSignal]] = {}
    for location_id, tag, favourable_count, answers, respondents in rows:
        share = float(favourable_count) / int(answers) * 100.0 if answers else None
        found.setdefault(int(location_id), {})[str(tag)] = PulseSignal(
            str(tag), share, int(answers), int(respondents)
        )
    return found


def pulse_responses(store: Store, scope: Scope) -> int:
    """How many employee-pulse responses the scope holds."""
    sub = SUBMISSIONS.c
    with store.unit_of_work(write=False) as session:
        return int(
            session.execute(select(func.count(sub.id)).where(*scope.where("employee"))).scalar_one()
        )
