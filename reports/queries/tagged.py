"""Figures over tagged questions, computed from the submissions outwards.

Joining answers to the small table of tagged questions let SQLite loop over that table and
walk every visit of the period once per tagged question (4 s for a year of a national
company). These helpers let the database group the answers of the scope's submissions by
form version and question instead, and add the groups up per tag in Python. Sums and counts
add up exactly; the number of distinct submissions per tag is the one figure that does not
(a visit answers several questions of one tag): for a tag with one question in a form version
it is that question's answer count (one answer per submission and question), and for a tag
with several it is counted by the database with one EXISTS per such tag and form version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import Session

from reports.queries.catalogue import NOT_BEHAVIOURS, Catalogue
from reports.queries.common import ANSWERS, SUBMISSIONS

TagQuestions = dict[str, dict[int, tuple[str, ...]]]
"""Tag -> form version id -> the names of its questions with that tag."""


def questions_by_tag(catalogue: Catalogue, wanted: Iterable[str] | None = None) -> TagQuestions:
    """The questions of every stored form version with each tag (all behaviours if None)."""
    wanted_tags = None if wanted is None else frozenset(wanted)
    found: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for facts in catalogue.questions.values():
        for tag in facts.tags:
            if tag in wanted_tags if wanted_tags is not None else tag not in NOT_BEHAVIOURS:
                found[tag][facts.form_version_id].append(facts.name)
    return {
        tag: {version: tuple(names) for version, names in versions.items()}
        for tag, versions in found.items()
    }


def tags_of_questions(by_tag: TagQuestions) -> dict[tuple[int, str], tuple[str, ...]]:
    """(form version id, question) -> its tags among those of `by_tag`."""
    found: dict[tuple[int, str], list[str]] = defaultdict(list)
    for tag, versions in by_tag.items():
        for version, names in versions.items():
            for name in names:
                found[(version, name)].append(tag)
    return {key: tuple(tags) for key, tags in found.items()}


def form_versions(by_tag: TagQuestions) -> list[int]:
    """Every form version with a question of one of the tags."""
    return sorted({version for versions in by_tag.values() for version in versions})


def submissions_per_tag(
    session: Session,
    by_tag: TagQuestions,
    question_counts: dict[tuple[Any, int, str], int],
    *,
    where: Sequence[ColumnElement[bool]],
    answer_where: Sequence[Any],
    group: Any = None,
) -> dict[tuple[Any, str], int]:
    """(group value, tag) -> how many submissions in `where` have an answer to a question of
    the tag that passes `answer_where` (conditions on ANSWERS' columns).

    `question_counts` holds (group value, form version id, question) -> the number of such
    answers, as the caller's grouped query found them (None as group value without `group`).
    """
    counts: dict[tuple[Any, str], int] = defaultdict(int)
    several: list[tuple[str, int, tuple[str, ...]]] = []
    single: dict[tuple[int, str], list[str]] = defaultdict(list)
    for tag, versions in by_tag.items():
        for version, names in versions.items():
            if len(names) == 1:
                single[(version, names[0])].append(tag)
            else:
                several.append((tag, version, names))
    for (key, version, name), count in question_counts.items():
        for tag in single.get((version, name), ()):
            counts[(key, tag)] += count
    if several:
        for key, flagged in _flagged_counts(session, several, where, answer_where, group):
            for (tag, _version, _names), count in zip(several, flagged, strict=True):
                if count:
                    counts[(key, tag)] += int(count)
    return dict(counts)


def _flagged_counts(
    session: Session,
    several: list[tuple[str, int, tuple[str, ...]]],
    where: Sequence[ColumnElement[bool]],
    answer_where: Sequence[Any],
    group: Any,
) -> list[tuple[Any, list[int]]]:
    sub, answer = SUBMISSIONS.c, ANSWERS.c
    flags = [
        func.sum(
            case(
                (
                    and_(
                        sub.form_version_id == version,
                        exists().where(
                            answer.submission_id == sub.id,
                            answer.question.in_(names),
                            *answer_where,
                        ),
                    ),
                    1,
                ),
                else_=0,
            )
        )
        for _tag, version, names in several
    ]
    versions = sorted({version for _tag, version, _names in several})
    query = select(*(() if group is None else (group,)), *flags).where(
        *where, sub.form_version_id.in_(versions)
    )
    if group is not None:
        query = query.group_by(group)
    rows = session.execute(query).all()
    if group is None:
        return [(None, [int(value or 0) for value in rows[0]])] if rows else []
    return [(row[0], [int(value or 0) for value in row[1:]]) for row in rows]
