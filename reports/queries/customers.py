"""Customer metrics (NPS, CSAT, CES) and the words of customers and shoppers.

The database counts answers per value (GROUP BY); forms.scoring.metrics turns those counts into
the figure, its n and its interval, so the formulas live in one place.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from typing import TYPE_CHECKING

from sqlalchemy import String, and_, cast, func, null, or_, select

from forms.scoring.metrics import MetricResult, ces, csat, nps
from reports.queries.catalogue import METRIC_TAGS, Catalogue
from reports.queries.common import AGENTS, ANSWERS, SUBMISSIONS, Scope
from reports.queries.tagged import form_versions, questions_by_tag, tags_of_questions

if TYPE_CHECKING:
    from forms.storage import Store

_METRIC = {"nps": nps, "csat": csat, "ces": ces}


@dataclass(frozen=True)
class CustomerMetrics:
    """NPS, CSAT and CES of the customer surveys in a scope."""

    surveys: int
    nps: MetricResult
    csat: MetricResult
    ces: MetricResult


def _decoded(text: object) -> object:
    try:
        return json.loads(str(text))
    except ValueError:
        return text


def _expand(counts: list[tuple[object, int]]) -> Iterator[object]:
    for value, count in counts:
        yield from repeat(value, count)


def _metrics(surveys: int, counts: dict[str, list[tuple[object, int]]]) -> CustomerMetrics:
    results = {tag: _METRIC[tag](_expand(counts.get(tag, []))) for tag in METRIC_TAGS}
    return CustomerMetrics(surveys, results["nps"], results["csat"], results["ces"])


def _value_counts(
    store: Store, scope: Scope, catalogue: Catalogue, by_location: bool
) -> list[tuple[int | None, str, object, int]]:
    by_tag = questions_by_tag(catalogue, METRIC_TAGS)
    if not by_tag:
        return []
    tags_of = tags_of_questions(by_tag)
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    # JSON values are grouped by their text: PostgreSQL cannot compare `json` values.
    value_text = cast(answer.value, String)
    location = sub.location_id if by_location else null()
    # From the scope's submissions to their answers, grouped by question: the tags are
    # added up below (see reports.queries.tagged for why not joined in SQL).
    query = (
        select(location, sub.form_version_id, answer.question, value_text, func.count())
        .select_from(SUBMISSIONS)
        .join(ANSWERS, answer.submission_id == sub.id)
        .where(
            *scope.where("customer"),
            sub.form_version_id.in_(form_versions(by_tag)),
            answer.value.is_not(None),
        )
        .group_by(
            *((sub.location_id,) if by_location else ()),
            sub.form_version_id,
            answer.question,
            value_text,
        )
    )
    found: list[tuple[int | None, str, object, int]] = []
    with store.reading() as session:
        for location_id, version_id, name, value, count in session.execute(query).all():
            for tag in tags_of.get((int(version_id), str(name)), ()):
                place = None if location_id is None else int(location_id)
                found.append((place, tag, _decoded(value), int(count)))
    return found


def _survey_counts(store: Store, scope: Scope) -> dict[int | None, int]:
    sub = SUBMISSIONS.c
    query = (
        select(sub.location_id, func.count(sub.id))
        .where(*scope.where("customer"))
        .group_by(sub.location_id)
    )
    with store.reading() as session:
        return {
            (None if row[0] is None else int(row[0])): int(row[1])
            for row in session.execute(query).all()
        }


def customer_metrics(store: Store, scope: Scope, catalogue: Catalogue) -> CustomerMetrics:
    """NPS, CSAT and CES over the customer surveys in the scope."""
    counts: dict[str, list[tuple[object, int]]] = defaultdict(list)
    for _location, tag, value, count in _value_counts(store, scope, catalogue, False):
        counts[tag].append((value, count))
    return _metrics(sum(_survey_counts(store, scope).values()), counts)


def customer_metrics_by_location(
    store: Store, scope: Scope, catalogue: Catalogue
) -> dict[int, CustomerMetrics]:
    """NPS, CSAT and CES of every location with surveys in the scope."""
    counts: dict[int, dict[str, list[tuple[object, int]]]] = defaultdict(lambda: defaultdict(list))
    for location, tag, value, count in _value_counts(store, scope, catalogue, True):
        if location is not None:
            counts[location][tag].append((value, count))
    surveys = _survey_counts(store, scope)
    return {
        location: _metrics(surveys.get(location, 0), counts.get(location, {}))
        for location in surveys
        if location is not None
    }


@dataclass(frozen=True)
class Verbatim:
    """A comment in the respondent's own words."""

    submission_id: str
    visit_at: datetime | None
    text: str
    question: str
    """The question the comment answers (its label)."""
    agent: str


def verbatims(
    store: Store,
    scope: Scope,
    catalogue: Catalogue,
    respondent_kind: str,
    *,
    limit: int = 8,
) -> tuple[list[Verbatim], int]:
    """The newest comments (free-text answers and answer notes), and how many there are."""
    comments = catalogue.question_table(comments=True)
    sub, answer, agent = SUBMISSIONS.c, ANSWERS.c, AGENTS.c
    is_comment_question = (
        and_(answer.value.is_not(None), comments.c.question.is_not(None))
        if comments is not None
        else None
    )
    has_note = answer.comment != ""
    said = or_(is_comment_question, has_note) if is_comment_question is not None else has_note
    joined = ANSWERS.join(SUBMISSIONS, sub.id == answer.submission_id)
    if comments is not None:
        joined = joined.outerjoin(
            comments,
            and_(
                comments.c.form_version_id == sub.form_version_id,
                comments.c.question == answer.question,
            ),
        )
    joined = joined.outerjoin(AGENTS, agent.id == sub.agent_id)
    condition = and_(*scope.where(respondent_kind), said)
    counting = select(func.count(answer.id)).select_from(joined).where(condition)
    query = (
        select(
            sub.id,
            sub.visit_at,
            sub.form_version_id,
            answer.question,
            answer.value,
            answer.comment,
            agent.name,
        )
        .select_from(joined)
        .where(condition)
        .order_by(sub.visit_at.desc(), answer.id)
        .limit(limit)
    )
    with store.reading() as session:
        total = int(session.execute(counting).scalar_one())
        rows = session.execute(query).all()
    found: list[Verbatim] = []
    for sid, visit_at, version_id, question, value, note, agent_name in rows:
        facts = catalogue.facts(int(version_id), str(question))
        label = facts.label if facts is not None else str(question)
        if facts is not None and facts.is_comment and isinstance(value, str) and value.strip():
            found.append(Verbatim(str(sid), visit_at, value.strip(), label, agent_name or ""))
        if note and note.strip():
            found.append(Verbatim(str(sid), visit_at, note.strip(), label, agent_name or ""))
    return found[:limit], total
