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

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

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
        )
        .select_from(ANSWERS)
        .join(SUBMISSIONS, sub.id == answer.submission_id)
        .where(*scope.where(), *_counted_answers())  # type: ignore[arg-type]
        .group_by(sub.form_version_id, answer.question)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    found: list[QuestionScore] = []
    for version_id, name, earned, possible, visits in rows:
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


def behaviour_evidence(
    store: Store, scope: Scope, catalogue: Catalogue, tag: str, *, limit: int = 2
) -> list[Evidence]:
    """Newest comments written in the section of a behaviour on visits that lost points on it."""
    tags = catalogue.tag_table((tag,))
    comments = catalogue.question_table(comments=True)
    if tags is None or comments is None:
        return []
    sub = SUBMISSIONS.c
    rated = aliased(ANSWERS, name="rated")
    said = aliased(ANSWERS, name="said")
    # A comment counts as evidence when it sits in the same section as the rated question.
    same_section = {
        (facts.form_version_id, facts.name): facts.section for facts in catalogue.questions.values()
    }
    query = (
        select(
            sub.id,
            sub.visit_at,
            sub.form_version_id,
            rated.c.question,
            rated.c.points,
            rated.c.possible,
            said.c.question,
            said.c.value,
        )
        .select_from(rated)
        .join(SUBMISSIONS, sub.id == rated.c.submission_id)
        .join(
            tags,
            and_(
                tags.c.form_version_id == sub.form_version_id, tags.c.question == rated.c.question
            ),
        )
        .join(said, said.c.submission_id == sub.id)
        .join(
            comments,
            and_(
                comments.c.form_version_id == sub.form_version_id,
                comments.c.question == said.c.question,
            ),
        )
        .where(
            *scope.where(),
            rated.c.not_applicable.is_(False),
            rated.c.possible > 0,
            rated.c.points < rated.c.possible,
            said.c.value.is_not(None),
        )
        .order_by(sub.visit_at.desc(), sub.id)
        .limit(limit * 8)
    )
    with store.reading() as session:
        rows = session.execute(query).all()
    found: list[Evidence] = []
    seen: set[str] = set()
    for sid, visit_at, version_id, rated_name, points, possible, said_name, value in rows:
        key = (int(version_id), str(rated_name))
        if same_section.get(key) != same_section.get((int(version_id), str(said_name))):
            continue
        text = value.strip() if isinstance(value, str) else ""
        if not text or str(sid) in seen:
            continue
        seen.add(str(sid))
        found.append(Evidence(str(sid), visit_at, text, float(points), float(possible)))
        if len(found) == limit:
            break
    return found
