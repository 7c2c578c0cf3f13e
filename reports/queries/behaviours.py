"""Behaviour scores: how visits rate on each empathy behaviour (listening, acknowledging...).

A behaviour's score is sum(weight x points) / sum(weight x possible) x 100 over the
counted answers of questions tagged with it (N/A and skipped answers left out), as the
form score itself is computed; its n is the number of visits with such an answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Integer, String, and_, case, column, func, select, values
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import CTE

from reports.queries.catalogue import Catalogue
from reports.queries.common import ANSWERS, LOW_SAMPLE, SUBMISSIONS, Scope
from reports.queries.tagged import questions_by_tag, submissions_per_tag, tags_of_questions

if TYPE_CHECKING:
    from forms.storage import Store


@dataclass(frozen=True)
class BehaviourScore:
    """One behaviour in a scope."""

    tag: str
    label: str
    score: float | None
    visits: int

    @property
    def low_sample(self) -> bool:
        """Fewer than five visits rated this behaviour."""
        return self.visits < LOW_SAMPLE


def _counted_answers() -> tuple[object, ...]:
    answer = ANSWERS.c
    return (
        answer.not_applicable.is_(False),
        answer.points.is_not(None),
        answer.possible > 0,
    )


def behaviour_scores(store: Store, scope: Scope, catalogue: Catalogue) -> dict[str, BehaviourScore]:
    """Every behaviour rated in the scope, by tag."""
    by_tag = questions_by_tag(catalogue)
    if not by_tag:
        return {}
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    # From the scope's submissions to their answers, grouped by question: the tags are
    # added up below (see reports.queries.tagged for why not joined in SQL).
    query = (
        select(
            sub.form_version_id,
            answer.question,
            func.sum(answer.points),
            func.sum(answer.possible),
            func.count(),
        )
        .select_from(SUBMISSIONS)
        .join(ANSWERS, answer.submission_id == sub.id)
        .where(*scope.where(), *_counted_answers())  # type: ignore[arg-type]
        .group_by(sub.form_version_id, answer.question)
    )
    tags_of = tags_of_questions(by_tag)
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    answers: dict[tuple[None, int, str], int] = {}
    with store.reading() as session:
        for version_id, name, points, out_of, count in session.execute(query).all():
            key = (int(version_id), str(name))
            if key not in tags_of:
                continue
            answers[(None, *key)] = int(count)
            for tag in tags_of[key]:
                earned[tag] += float(points)
                possible[tag] += float(out_of)
        visits = submissions_per_tag(
            session,
            by_tag,
            answers,
            where=scope.where(),
            answer_where=_counted_answers(),
        )
    return {
        tag: BehaviourScore(
            tag=tag,
            label=catalogue.behaviour_label(tag),
            score=earned[tag] / possible[tag] * 100.0 if possible[tag] else None,
            visits=visits.get((None, tag), 0),
        )
        for tag in sorted(earned)
    }


@dataclass(frozen=True)
class QuestionScore:
    """One scored question in a scope, with the coaching tip of its form."""

    form_version_id: int
    question: str
    label: str
    tags: tuple[str, ...]
    coaching: str
    critical: bool
    earned: float
    """sum(weight x points) over the counted answers."""
    possible: float
    """sum(weight x possible) over the same answers."""
    zero_answers: int
    """Counted answers that earned no point: for a critical question, its failures."""
    score: float | None
    visits: int


def question_scores(store: Store, scope: Scope, catalogue: Catalogue) -> list[QuestionScore]:
    """Every scored question answered in the scope, lowest score first."""
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    query = (
        select(
            sub.form_version_id,
            answer.question,
            func.sum(answer.points),
            func.sum(answer.possible),
            func.count(answer.submission_id),
            func.sum(case((answer.points <= 0, 1), else_=0)),
        )
        .select_from(ANSWERS)
        .join(SUBMISSIONS, sub.id == answer.submission_id)
        .where(*scope.where(), *_counted_answers())  # type: ignore[arg-type]
        .group_by(sub.form_version_id, answer.question)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    found: list[QuestionScore] = []
    for version_id, name, earned, possible, visits, zero_answers in rows:
        facts = catalogue.facts(int(version_id), str(name))
        if facts is None:
            continue
        found.append(
            QuestionScore(
                form_version_id=int(version_id),
                question=str(name),
                label=facts.label,
                tags=facts.tags,
                coaching=facts.coaching,
                critical=facts.critical,
                earned=float(earned),
                possible=float(possible),
                zero_answers=int(zero_answers or 0),
                score=float(earned) / float(possible) * 100.0 if possible else None,
                visits=int(visits),
            )
        )
    found.sort(key=lambda q: (q.score if q.score is not None else 101.0, q.label))
    return found


@dataclass(frozen=True)
class Evidence:
    """A shopper's comment from a visit where a behaviour was not rated in full."""

    submission_id: str
    visit_at: datetime | None
    text: str
    earned: float
    possible: float


def _evidence_pairs(catalogue: Catalogue, tag: str) -> CTE | None:
    """(form_version_id, rated, said) rows: each question tagged `tag` with each comment
    question of its own section, where a shopper writes about what they rated."""
    comments: dict[tuple[int, str], list[str]] = defaultdict(list)
    for facts in catalogue.questions.values():
        if facts.is_comment:
            comments[(facts.form_version_id, facts.section)].append(facts.name)
    rows = [
        (facts.form_version_id, facts.name, said)
        for facts in catalogue.questions.values()
        if tag in facts.tags
        for said in comments[(facts.form_version_id, facts.section)]
    ]
    if not rows:
        return None
    return (
        values(
            column("form_version_id", Integer),
            column("rated", String),
            column("said", String),
            name="evidence_pair",
        )
        .data(rows)
        .cte("evidence_pair")
    )


def behaviour_evidence(
    store: Store, scope: Scope, catalogue: Catalogue, tag: str, *, limit: int = 2
) -> list[Evidence]:
    """Comments written in the section of a behaviour on visits that lost points on it: the
    visits that lost the largest share first, then the newest; one comment per visit."""
    pairs = _evidence_pairs(catalogue, tag)
    if pairs is None:
        return []
    sub = SUBMISSIONS.c
    rated = aliased(ANSWERS, name="rated")
    said = aliased(ANSWERS, name="said")
    lost_share = (rated.c.possible - rated.c.points) / rated.c.possible
    query = (
        select(sub.id, sub.visit_at, rated.c.points, rated.c.possible, said.c.value)
        .select_from(rated)
        .join(SUBMISSIONS, sub.id == rated.c.submission_id)
        .join(
            pairs,
            and_(pairs.c.form_version_id == sub.form_version_id, pairs.c.rated == rated.c.question),
        )
        .join(said, and_(said.c.submission_id == sub.id, said.c.question == pairs.c.said))
        .where(
            *scope.where(),
            rated.c.not_applicable.is_(False),
            rated.c.possible > 0,
            rated.c.points < rated.c.possible,
            said.c.value.is_not(None),
        )
        .order_by(lost_share.desc(), sub.visit_at.desc(), sub.id)
    )
    found: list[Evidence] = []
    seen: set[str] = set()
    with store.reading() as session:
        # Streamed: a few rows are enough however many visits lost points.
        for sid, visit_at, points, possible, value in session.execute(query):
            text = value.strip() if isinstance(value, str) else ""
            if not text or str(sid) in seen:
                continue
            seen.add(str(sid))
            found.append(Evidence(str(sid), visit_at, text, float(points), float(possible)))
            if len(found) == limit:
                break
    return found
