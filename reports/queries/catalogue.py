"""What the stored form versions say about their questions, as SQL can join it.

Tags, labels, critical flags and coaching tips live in each form version's definition
(JSON), not in the answer rows. The catalogue reads the few stored definitions once and
hands their question facts to queries as a small VALUES table (a CTE), so that behaviour scores,
metric values and comments are still aggregated by the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Integer, String, column, select, values
from sqlalchemy.sql.expression import CTE

from forms.definition.model import FormDefinition, Question
from forms.vocabulary import respondent_for
from reports.queries.common import FORM_VERSIONS

if TYPE_CHECKING:
    from forms.storage import Store

METRIC_TAGS = ("nps", "csat", "ces")
EMPATHY_TAG = "empathy"
NOT_BEHAVIOURS = frozenset({EMPATHY_TAG, *METRIC_TAGS})
"""Tags that name a figure rather than a behaviour."""


@dataclass(frozen=True)
class QuestionFacts:
    """One question of one stored form version."""

    form_version_id: int
    name: str
    label: str
    section: str
    """The name of the top-level section (group) the question is in."""
    section_label: str
    tags: tuple[str, ...]
    critical: bool
    coaching: str
    is_comment: bool
    """A free-text question meant for comments (multiline text)."""


def _is_comment(question: Question) -> bool:
    return question.type == "text" and "multiline" in (question.appearance or "")


class Catalogue:
    """Question facts of every stored form version, with comment tables for SQL."""

    def __init__(self, forms: dict[int, FormDefinition]) -> None:
        self.forms = forms
        self.questions: dict[tuple[int, str], QuestionFacts] = {}
        self.behaviour_labels: dict[str, str] = {}
        for version_id, form in sorted(forms.items()):
            for section in form.sections():
                section_label = form.text(section.label)
                for question in section.questions:
                    facts = QuestionFacts(
                        form_version_id=version_id,
                        name=question.name,
                        label=form.text(question.label) or question.name,
                        section=section.name,
                        section_label=section_label,
                        tags=question.tags,
                        critical=question.critical,
                        coaching=form.text(question.coaching),
                        is_comment=_is_comment(question),
                    )
                    self.questions[(version_id, question.name)] = facts
                    for tag in question.tags:
                        if tag == section.name and section.group is not None:
                            self.behaviour_labels.setdefault(tag, section_label)

    @classmethod
    def load(cls, store: Store) -> Catalogue:
        """The catalogue of every form version stored (definitions are cached by the store)."""
        with store.reading() as session:
            ids = [int(row[0]) for row in session.execute(select(FORM_VERSIONS.c.id)).all()]
        return cls({version_id: store.form_definition(version_id) for version_id in ids})

    def behaviour_label(self, tag: str) -> str:
        """How a report names a behaviour tag: its section's title, else the tag in words."""
        return self.behaviour_labels.get(tag) or tag.replace("_", " ").capitalize()

    def labels_tagged(self, tag: str, respondent: str | None = None) -> list[str]:
        """The questions a tagged figure is computed over, as the appendix names them.

        Each question once, in form order, in its newest form version's wording; with
        `respondent`, only forms filled by that kind of respondent (mystery-shop figures
        count shoppers' visits only). This is the same selection the queries make: the
        questions with `tag` in the form version of each counted submission.
        """
        seen: dict[tuple[str, str], str] = {}
        for version_id in sorted(self.forms, reverse=True):
            form = self.forms[version_id]
            if respondent is not None and respondent_for(form.kind) != respondent:
                continue
            for question in form.questions():
                if tag in question.tags:
                    seen.setdefault((form.key, question.name), form.text(question.label))
        return list(dict.fromkeys(label or name for (_key, name), label in seen.items()))

    def facts(self, form_version_id: int, question: str) -> QuestionFacts | None:
        """The facts of one question, or None if the form version has no such question."""
        return self.questions.get((form_version_id, question))

    def question_table(self, *, comments: bool = False, critical: bool = False) -> CTE | None:
        """(form_version_id, question) rows of the comment or of the critical questions."""
        rows = [
            (facts.form_version_id, facts.name)
            for facts in self.questions.values()
            if (comments and facts.is_comment) or (critical and facts.critical)
        ]
        if not rows:
            return None
        return (
            values(
                column("form_version_id", Integer),
                column("question", String),
                name="question_set",
            )
            .data(rows)
            .cte("question_set")
        )


def tag_order(catalogue: Catalogue) -> list[str]:
    """Behaviour tags in the order their questions first appear in the forms."""
    seen: dict[str, None] = {}
    for facts in catalogue.questions.values():
        for tag in facts.tags:
            if tag not in NOT_BEHAVIOURS:
                seen.setdefault(tag, None)
    return list(seen)
