"""Employee-pulse signals per location: workload and burnout beside the empathy scores.

A signal is the share of favourable answers to the questions tagged with it: an answer
is favourable when it earns at least 80 % of its possible points (agree or strongly agree
on a positive statement, disagree or strongly disagree on a reversed one such as "I feel
drained"). Pulse answers are anonymous; only counts per location leave the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, case, func, select

from reports.queries.catalogue import Catalogue
from reports.queries.common import ANSWERS, LOW_SAMPLE, SUBMISSIONS, Scope
from reports.queries.tagged import (
    form_versions,
    questions_by_tag,
    submissions_per_tag,
    tags_of_questions,
)

if TYPE_CHECKING:
    from forms.storage import Store

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


def _counted_answers() -> tuple[ColumnElement[bool], ...]:
    answer = ANSWERS.c
    return (
        answer.not_applicable.is_(False),
        answer.points.is_not(None),
        answer.possible > 0,
    )


def pulse_signals(
    store: Store, scope: Scope, catalogue: Catalogue
) -> dict[int, dict[str, PulseSignal]]:
    """Location id -> signal tag -> the share of favourable answers and its sample."""
    by_tag = questions_by_tag(catalogue, PULSE_SIGNALS)
    if not by_tag:
        return {}
    tags_of = tags_of_questions(by_tag)
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    favourable = case((answer.points >= answer.possible * FAVOURABLE_SHARE, 1), else_=0)
    where = [*scope.where("employee"), sub.location_id.is_not(None)]
    # From the scope's submissions to their answers, grouped by question: the tags are
    # added up below (see reports.queries.tagged for why not joined in SQL).
    query = (
        select(
            sub.location_id,
            sub.form_version_id,
            answer.question,
            func.sum(favourable),
            func.count(),
        )
        .select_from(SUBMISSIONS)
        .join(ANSWERS, answer.submission_id == sub.id)
        .where(*where, sub.form_version_id.in_(form_versions(by_tag)), *_counted_answers())
        .group_by(sub.location_id, sub.form_version_id, answer.question)
    )
    favourable_counts: dict[tuple[int, str], int] = defaultdict(int)
    answer_counts: dict[tuple[int, str], int] = defaultdict(int)
    per_question: dict[tuple[object, int, str], int] = {}
    with store.reading() as session:
        for location_id, version_id, name, favourable_count, count in session.execute(query):
            key = (int(version_id), str(name))
            per_question[(int(location_id), *key)] = int(count)
            for tag in tags_of.get(key, ()):
                favourable_counts[(int(location_id), tag)] += int(favourable_count)
                answer_counts[(int(location_id), tag)] += int(count)
        respondents = submissions_per_tag(
            session,
            by_tag,
            per_question,
            where=where,
            answer_where=_counted_answers(),
            group=sub.location_id,
        )
    found: dict[int, dict[str, PulseSignal]] = {}
    for (location_id, tag), answers in sorted(answer_counts.items()):
        share = favourable_counts[(location_id, tag)] / answers * 100.0 if answers else None
        found.setdefault(location_id, {})[tag] = PulseSignal(
            tag, share, answers, respondents.get((location_id, tag), 0)
        )
    return found


def pulse_responses(store: Store, scope: Scope) -> int:
    """How many employee-pulse responses the scope holds."""
    sub = SUBMISSIONS.c
    with store.reading() as session:
        return int(
            session.execute(select(func.count(sub.id)).where(*scope.where("employee"))).scalar_one()
        )
