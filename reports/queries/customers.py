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

from sqlalchemy import Integer, String, and_, case, cast, func, null, or_, select

from forms.scoring.metrics import MetricResult, ces, csat, nps, scale_value
from forms.vocabulary import RespondentKind, respondent_for
from reports.queries.catalogue import EMPATHY_TAG, METRIC_TAGS, Catalogue
from reports.queries.common import AGENTS, ANSWERS, LOW_SAMPLE, SUBMISSIONS, Scope
from reports.queries.pulse import FAVOURABLE_SHARE
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
    nps_scores: tuple[int, ...] = (0,) * 11
    """How many valid NPS answers gave each score, 0 to 10 (the answers NPS counts)."""


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
    scores = [0] * 11
    for value, count in counts.get("nps", []):
        score = scale_value(value, 0, 10)
        if score is not None:
            scores[score] += count
    return CustomerMetrics(
        surveys, results["nps"], results["csat"], results["ces"], nps_scores=tuple(scores)
    )


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


FELT_TAG = EMPATHY_TAG
"""How customers felt treated: the questions with this tag on the forms customers fill (the
built-in survey's "listened to", "understood" and "felt valued" statements)."""

AGREE_SHARE = FAVOURABLE_SHARE
"""A customer agrees with such a statement when the answer earns at least this share of its
possible points: agree or strongly agree (4 or 5 of 5), as pulse answers are favourable."""


@dataclass(frozen=True)
class FeltFigure:
    """The share of customers who agree with one "felt heard / understood / valued" statement."""

    question: str
    """The statement, in its newest form version's wording."""
    behaviour: str
    """The behaviour the statement is also tagged with ("" if none)."""
    agree: float | None
    """% of the answers that agree (0..100); None without answers."""
    answers: int
    """Answers counted (N/A and blank answers left out)."""

    @property
    def low_sample(self) -> bool:
        """Fewer than five answers."""
        return self.answers < LOW_SAMPLE


def felt_questions(catalogue: Catalogue) -> list[str]:
    """The statements of the felt figures, as the appendix and the report name them."""
    return catalogue.labels_tagged(FELT_TAG, RespondentKind.CUSTOMER)


def customer_feelings(store: Store, scope: Scope, catalogue: Catalogue) -> list[FeltFigure]:
    """Each felt statement (in form order) with the share of the scope's customers agreeing."""
    by_tag = questions_by_tag(catalogue, (FELT_TAG,))
    statements = felt_questions(catalogue)
    if not by_tag or not statements:
        return []
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    agrees = case((answer.points >= answer.possible * AGREE_SHARE, 1), else_=0)
    query = (
        select(
            sub.form_version_id,
            answer.question,
            func.count(),
            func.coalesce(func.sum(cast(agrees, Integer)), 0),
        )
        .select_from(SUBMISSIONS)
        .join(ANSWERS, answer.submission_id == sub.id)
        .where(
            *scope.where("customer"),
            sub.form_version_id.in_(form_versions(by_tag)),
            answer.not_applicable.is_(False),
            answer.points.is_not(None),
            answer.possible > 0,
        )
        .group_by(sub.form_version_id, answer.question)
    )
    label_of = _newest_labels(catalogue)
    behaviour_tags = frozenset(questions_by_tag(catalogue))
    counted: dict[str, int] = defaultdict(int)
    agreed: dict[str, int] = defaultdict(int)
    behaviour: dict[str, str] = {}
    with store.reading() as session:
        for version_id, name, count, agreeing in session.execute(query).all():
            facts = catalogue.facts(int(version_id), str(name))
            if facts is None or FELT_TAG not in facts.tags:
                continue
            label = label_of[(int(version_id), facts.name)]
            counted[label] += int(count)
            agreed[label] += int(agreeing)
            others = [tag for tag in facts.tags if tag in behaviour_tags]
            behaviour.setdefault(label, catalogue.behaviour_label(others[0]) if others else "")
    return [
        FeltFigure(
            question=label,
            behaviour=behaviour.get(label, ""),
            agree=agreed[label] / counted[label] * 100.0 if counted[label] else None,
            answers=counted[label],
        )
        for label in statements
    ]


def _newest_labels(catalogue: Catalogue) -> dict[tuple[int, str], str]:
    """(form version id, question) -> the question's label in the newest version of its form,
    the wording `Catalogue.labels_tagged` names it by."""
    newest: dict[tuple[str, str], str] = {}
    found: dict[tuple[int, str], str] = {}
    for version_id in sorted(catalogue.forms, reverse=True):
        form = catalogue.forms[version_id]
        for question in form.questions():
            label = newest.setdefault(
                (form.key, question.name), form.text(question.label) or question.name
            )
            found[(version_id, question.name)] = label
    return found


CONTACT_CONSENT = "contact_consent"
CONTACT_EMAIL = "contact_email"
"""The customer survey's questions asking whether, and where, the customer may be contacted."""


def contact_questions(catalogue: Catalogue) -> tuple[str, str]:
    """The wording of CONTACT_CONSENT and CONTACT_EMAIL in the newest customer form asking them
    (their names when no stored form does)."""
    labels = _newest_labels(catalogue)
    found = {CONTACT_CONSENT: CONTACT_CONSENT, CONTACT_EMAIL: CONTACT_EMAIL}
    for (version_id, name), label in sorted(labels.items(), reverse=True):
        form = catalogue.forms[version_id]
        if name in found and found[name] == name and respondent_for(form.kind) == "customer":
            found[name] = label
    return found[CONTACT_CONSENT], found[CONTACT_EMAIL]


LOW_NPS = 6
LOW_CSAT = 2
"""A customer's score is low when the NPS answer is LOW_NPS or less (a detractor) or the
CSAT answer is LOW_CSAT or less (dissatisfied or very dissatisfied)."""


@dataclass(frozen=True)
class Callback:
    """A customer who asked to be contacted and gave a low score."""

    submission_id: str
    visit_at: datetime | None
    nps: int | None
    csat: int | None
    comment: str
    has_email: bool
    """The customer gave an e-mail address."""
    email: str | None
    """The address itself, only when asked for with contacts."""


def callback_requests(
    store: Store, scope: Scope, catalogue: Catalogue, *, with_contacts: bool, limit: int = 20
) -> tuple[list[Callback], int]:
    """The newest customers of the scope who said yes to CONTACT_CONSENT and gave a low score
    (up to `limit`), and how many there are; their e-mail only `with_contacts`."""
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    consented = select(answer.submission_id).where(
        answer.question == CONTACT_CONSENT, cast(answer.value, String) == json.dumps("yes")
    )
    asked = (*scope.where("customer"), sub.id.in_(consented))
    surveys = (
        select(sub.id, sub.visit_at, sub.form_version_id)
        .where(*asked)
        .order_by(sub.visit_at.desc(), sub.id)
    )
    with store.reading() as session:
        found = session.execute(surveys).all()
        with_email = {
            str(row[0])
            for row in session.execute(
                select(answer.submission_id).where(
                    answer.submission_id.in_(select(sub.id).where(*asked)),
                    answer.question == CONTACT_EMAIL,
                    answer.value.is_not(None),
                )
            ).all()
        }
        # Without contacts the e-mail address never leaves the database.
        private = () if with_contacts else (answer.question != CONTACT_EMAIL,)
        answers = session.execute(
            select(answer.submission_id, answer.question, answer.value).where(
                answer.submission_id.in_(select(sub.id).where(*asked)),
                answer.value.is_not(None),
                *private,
            )
        ).all()
    given: dict[str, dict[str, object]] = defaultdict(dict)
    for submission_id, question, value in answers:
        given[str(submission_id)][str(question)] = value
    callbacks: list[Callback] = []
    for submission_id, visit_at, version_id in found:
        values = given[str(submission_id)]
        scores: dict[str, int | None] = {"nps": None, "csat": None}
        comments: list[str] = []
        for question, value in values.items():
            facts = catalogue.facts(int(version_id), question)
            if facts is None:
                continue
            if "nps" in facts.tags:
                scores["nps"] = scale_value(value, 0, 10)
            elif "csat" in facts.tags:
                scores["csat"] = scale_value(value, 1, 5)
            elif facts.is_comment and isinstance(value, str) and value.strip():
                comments.append(value.strip())
        low_nps = scores["nps"] is not None and scores["nps"] <= LOW_NPS
        low_csat = scores["csat"] is not None and scores["csat"] <= LOW_CSAT
        if not (low_nps or low_csat):
            continue
        email = values.get(CONTACT_EMAIL)
        callbacks.append(
            Callback(
                submission_id=str(submission_id),
                visit_at=visit_at,
                nps=scores["nps"],
                csat=scores["csat"],
                comment=" ".join(comments),
                has_email=str(submission_id) in with_email,
                email=str(email).strip() if with_contacts and email else None,
            )
        )
    return callbacks[:limit], len(callbacks)
