"""Employee-pulse signals per location: workload and burnout beside the empathy scores.

A signal is the share of respondents whose answers to the questions tagged with it are
favourable: together they earn at least 80 % of their possible points (agree or strongly
agree on a positive statement, disagree or strongly disagree on a reversed one such as "I
feel drained"). Its n is the same respondents, so the % and the n count the same people.

Pulse answers are anonymous (`forms.anonymity`): a location's signal is given only when at
least ANONYMITY_THRESHOLD employees answered it, and the all-locations figure only when the
locations hidden hold none or enough respondents together, so that the hidden ones can never
be worked out from what is shown. A hidden figure carries neither its share nor its n.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, select

from forms.anonymity import shown_to_keep_anonymous, total_shown_to_keep_anonymous
from reports.queries.catalogue import Catalogue
from reports.queries.common import ANSWERS, SUBMISSIONS, Scope
from reports.queries.tagged import form_versions, questions_by_tag, tags_of_questions

if TYPE_CHECKING:
    from forms.storage import Store

PULSE_SIGNALS = ("workload", "burnout")
FAVOURABLE_SHARE = 0.8


@dataclass(frozen=True)
class PulseSignal:
    """One signal over one group of respondents (a location, or all of them)."""

    tag: str
    favourable: float | None
    """% of the respondents whose answers are favourable (0..100); None when hidden."""
    respondents: int | None
    """The employees who answered the signal's questions; None when hidden."""

    @property
    def hidden(self) -> bool:
        """Too few employees answered: nothing of it may be shown, to keep them anonymous."""
        return self.respondents is None


@dataclass(frozen=True)
class PulseFigures:
    """The pulse signals of a scope, with the groups too small to show already hidden."""

    by_location: dict[int, dict[str, PulseSignal]] = field(default_factory=dict)
    """Location id -> signal tag -> its signal, for the locations with respondents."""
    everywhere: dict[str, PulseSignal] = field(default_factory=dict)
    """Signal tag -> its signal over the respondents of every location."""


def _counted_answers() -> tuple[ColumnElement[bool], ...]:
    answer = ANSWERS.c
    return (
        answer.not_applicable.is_(False),
        answer.points.is_not(None),
        answer.possible > 0,
    )


def _signal(tag: str, favourable: int, respondents: int, *, shown: bool) -> PulseSignal:
    if not shown or not respondents:
        return PulseSignal(tag, None, None)
    return PulseSignal(tag, favourable / respondents * 100.0, respondents)


def pulse_signals(store: Store, scope: Scope, catalogue: Catalogue) -> PulseFigures:
    """Each location's signals and every location's together, hidden where too few answered."""
    by_tag = questions_by_tag(catalogue, PULSE_SIGNALS)
    if not by_tag:
        return PulseFigures()
    tags_of = tags_of_questions(by_tag)
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    where = [*scope.where("employee"), sub.location_id.is_not(None)]
    # Each respondent's points per question: pulses are few (a team answers a few times a
    # year), and a respondent is favourable or not over all their answers to a signal.
    query = (
        select(
            sub.id,
            sub.location_id,
            sub.form_version_id,
            answer.question,
            func.sum(answer.points),
            func.sum(answer.possible),
        )
        .select_from(SUBMISSIONS)
        .join(ANSWERS, answer.submission_id == sub.id)
        .where(*where, sub.form_version_id.in_(form_versions(by_tag)), *_counted_answers())
        .group_by(sub.id, sub.location_id, sub.form_version_id, answer.question)
    )
    earned: dict[tuple[str, int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    with store.reading() as session:
        for submission_id, location_id, version_id, name, points, possible in session.execute(
            query
        ):
            for tag in tags_of.get((int(version_id), str(name)), ()):
                sums = earned[(str(submission_id), int(location_id), tag)]
                sums[0] += float(points)
                sums[1] += float(possible)
    favourable: dict[tuple[int, str], int] = defaultdict(int)
    respondents: dict[tuple[int, str], int] = defaultdict(int)
    for (_submission, location_id, tag), (points, possible) in earned.items():
        respondents[(location_id, tag)] += 1
        # The same comparison as answer by answer, so a single answer of 4 of 5 is favourable.
        favourable[(location_id, tag)] += int(points >= possible * FAVOURABLE_SHARE)
    found = PulseFigures()
    hidden: dict[str, int] = defaultdict(int)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (location_id, tag), count in sorted(respondents.items()):
        shown = shown_to_keep_anonymous(count)
        if not shown:
            hidden[tag] += count
        totals[tag][0] += favourable[(location_id, tag)]
        totals[tag][1] += count
        found.by_location.setdefault(location_id, {})[tag] = _signal(
            tag, favourable[(location_id, tag)], count, shown=shown
        )
    for tag, (favourable_total, count) in sorted(totals.items()):
        shown = shown_to_keep_anonymous(count) and total_shown_to_keep_anonymous(hidden[tag])
        found.everywhere[tag] = _signal(tag, favourable_total, count, shown=shown)
    return found


def pulse_responses(store: Store, scope: Scope) -> int:
    """How many employee-pulse responses the scope holds."""
    sub = SUBMISSIONS.c
    with store.reading() as session:
        return int(
            session.execute(select(func.count(sub.id)).where(*scope.where("employee"))).scalar_one()
        )
