"""The visit report: one submission, every answer with its points, comments and photos."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from forms.definition.model import FormDefinition, Question
from forms.logic.checks import compiled_form
from forms.scoring.points import EMPATHY_TAG
from forms.vocabulary import Channel
from reports import method
from reports.context import base_context, photo_items, score_text, tile
from reports.formatting import MISSING, Formatter, LocaleError, submission_word
from reports.kit import ReportKit
from reports.queries.visits import (
    AnswerRow,
    VisitRecord,
    recorded_score,
    refuse_single_anonymous,
    visit_record,
)

SHOWN_TYPES = frozenset(
    {"select_one", "select_multiple", "integer", "decimal", "range", "text", "date", "time",
     "datetime", "image"}
)  # fmt: skip
RESPONDENTS = {
    "shopper": "Mystery shopper",
    "customer": "Customer",
    "employee": "Employee (anonymous)",
    "inspector": "Inspector",
}
STATUSES = {
    "draft": ("Draft", "not finished"),
    "final": ("Final", "not reviewed yet"),
    "accepted": ("Accepted", "reviewed by a manager"),
    "revision_requested": ("Sent back", "for revision"),
    "rejected": ("Rejected", "by a manager"),
    "void": ("Void", "not counted anywhere"),
}


LONG_ROW_CHARS = 1_200
"""Characters of answer and comment beyond which a row of the visit report may split."""


def _answer_text(
    form: FormDefinition, question: Question, value: object, language: str | None
) -> str:
    choices = {choice.name: choice for choice in form.choices(question)}
    if question.type == "select_one" and isinstance(value, str | int) and str(value) in choices:
        return form.text(choices[str(value)].label, language) or str(value)
    if question.type == "select_multiple" and isinstance(value, list):
        return "; ".join(
            form.text(choices[str(v)].label, language) if str(v) in choices else str(v)
            for v in value
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _points_text(answer: AnswerRow, fmt: Formatter) -> str:
    if answer.not_applicable:
        return "N/A"
    if answer.possible is None or answer.points is None:
        return ""
    return f"{fmt.number(answer.points, 0 if answer.points.is_integer() else 1)} / " + fmt.number(
        answer.possible, 0 if answer.possible.is_integer() else 1
    )


def _shown_questions(form: FormDefinition, record: VisitRecord) -> dict[str, bool]:
    """Which questions the respondent saw: forms.logic's relevance for the stored answers,
    as of the day the visit was finished (the day its score was decided)."""
    answers = {a.question: a.value for a in record.answers if a.value is not None}
    finished = record.finished_at.date() if record.finished_at is not None else None
    return compiled_form(form).evaluate(answers, today=finished).relevant


def _sections(form: FormDefinition, record: VisitRecord, fmt: Formatter) -> list[dict[str, Any]]:
    answers = {answer.question: answer for answer in record.answers}
    # An answer the form's logic skipped was never asked (or was changed afterwards): the
    # report leaves it out, as the respondent's screen did.
    shown_questions = _shown_questions(form, record)
    photo_questions = {photo.question for photo in record.photos}
    # The stored points, added up by the one definition of a section score and of a failed
    # critical question (forms.scoring.points), as the Submissions screen shows them.
    score = recorded_score(form, record)
    items = {item.name: item for item in score.items}
    section_scores = {section.name: section.score for section in score.sections}
    sections = []
    for section in form.sections():
        rows = []
        for question in section.questions:
            if question.type not in SHOWN_TYPES or not shown_questions.get(question.name, True):
                continue
            answer = answers.get(question.name)
            item = items.get(question.name)
            note = ""
            if answer is None or answer.value is None:
                if question.type == "image" and question.name in photo_questions:
                    shown, note = "Photo, shown below", ""
                else:
                    shown, note = MISSING, "Not answered"
            else:
                shown = _answer_text(form, question, answer.value, record.language)
            failed = question.name in score.critical_items
            if failed:
                note = "Critical failure: the visit scores 0"
            elif item is not None and item.status == "not_applicable":
                note = "Not applicable: left out of the score"
            elif item is not None and item.status == "not_relevant":
                note = "Not counted: the form's logic skipped this question for this visit"
            counted = item is not None and item.status == "counted"
            rows.append(
                {
                    "label": form.text(question.label, record.language) or question.name,
                    "answer": shown,
                    "points": _points_text(answer, fmt) if answer is not None else "",
                    "weight": fmt.number(question.weight, 0 if question.weight.is_integer() else 1)
                    if counted
                    else "",
                    "critical": question.critical,
                    "failed": failed,
                    "note": note,
                    "comment": answer.comment if answer is not None else "",
                    # A row longer than about a third of a page may break across pages: kept
                    # whole, it would push a near-blank page before it.
                    "long": len(shown) + len(answer.comment if answer else "") > LONG_ROW_CHARS,
                }
            )
        if rows:
            section_score = section_scores.get(section.name)
            sections.append(
                {
                    "label": form.text(section.label, record.language),
                    "score": score_text(section_score, fmt) if section_score is not None else "",
                    "weight": fmt.number(section.weight, 0 if section.weight.is_integer() else 1),
                    "rows": rows,
                }
            )
    return sections


def _revisions_text(revision: int) -> str:
    """How often a manager sent the visit back (its revision number), in words."""
    if revision == 0:
        return "first version: never sent back"
    times = {1: "once", 2: "twice"}.get(revision, f"{revision} times")
    return f"sent back for revision {times}"


def _local_time(value: datetime | None, fmt: Formatter) -> str:
    """A time of the visit with the zone it is given in (the site's, else the report
    setting's), named beside it."""
    if value is None:
        return MISSING
    return f"{fmt.day_time(value)} ({fmt.time_zone_name()})"


def visit_context(kit: ReportKit, submission_id: str) -> dict[str, Any]:
    """The plain values visit.html receives."""
    record = visit_record(kit.store, submission_id)
    refuse_single_anonymous(record)
    try:
        fmt = kit.fmt.in_zone(record.location_time_zone)
    except LocaleError as error:
        raise LocaleError(
            f"site {record.location_code}: {error}. Correct it in Administration → Sites"
        ) from None
    form = kit.store.form_definition(record.form_version_id)
    where = record.location or "no location"
    when = _local_time(record.visit_at, fmt)
    # A customer's survey is a survey wherever a report names it, a mystery shop a visit.
    word = submission_word(record.respondent_kind).capitalize()
    context = base_context(
        kit.settings,
        fmt,
        kind="visit",
        title=f"{word} report: {where}, {fmt.day(record.visit_at)}",
        period=None,
        kicker=f"{word} report",
        heading=where,
        lines=[
            f"{when}" + (f" · {record.agent}" if record.agent else ""),
            f"{record.form_title} · version {record.form_version}",
        ],
        now=kit.now,
    )
    kpis = [
        tile(
            "Score",
            score_text(record.score, fmt),
            "0–100, after the critical rule",
            sub=record.band or "",
        ),
        tile("Empathy Index", score_text(record.empathy_index, fmt), "questions tagged empathy"),
        tile(
            "Status",
            STATUSES.get(record.status, (record.status, ""))[0],
            _revisions_text(record.revision),
            sub=STATUSES.get(record.status, (record.status, ""))[1],
        ),
    ]
    if record.critical_failure:
        kpis[0]["note"] = f"critical failure; raw score {score_text(record.raw_score, fmt)}"
    answers = {answer.question: answer.value for answer in record.answers}
    failed_items = []
    for name in recorded_score(form, record).critical_items:
        question = form.question(name)
        failed_items.append(
            {
                "label": form.text(question.label, record.language) or name,
                "answer": _answer_text(form, question, answers.get(name), record.language),
            }
        )
    facts = [
        ("Location", f"{record.location} ({record.location_code})" if record.location else MISSING),
        ("Agent", record.agent or MISSING),
        ("Respondent", RESPONDENTS.get(record.respondent_kind, record.respondent_kind)),
        ("Channel", Channel(record.channel).label if record.channel else MISSING),
        ("Visit time", when),
        ("Finished", _local_time(record.finished_at, fmt)),
        ("Form", f"{record.form_title} ({record.form_key}, version {record.form_version})"),
        (f"{word} id", record.id),
    ]
    if record.review_note:
        facts.append(("Review note", record.review_note))
    context.update(
        template="visit.html",
        kpi_tiles=kpis,
        failed_items=failed_items,
        raw_score=score_text(record.raw_score, fmt),
        facts=[{"term": term, "value": value} for term, value in facts],
        sections=_sections(form, record, fmt),
        photos=photo_items(record.photos, fmt, kit.catalogue),
        other_files=list(record.other_files),
        method={
            "intro": [
                f"Scored with “{record.form_title}” version {record.form_version} as it was "
                "when the visit was filled in; a later change to the form does not rescore it. "
                f"Times are in {fmt.time_zone_name()}, "
                + (
                    "the site's time zone."
                    if record.location_time_zone
                    else "the time zone of the report settings (the site has none of its own)."
                )
            ],
            "entries": [
                method.visit_score(one_visit=True),
                method.empathy_index(
                    [
                        form.text(question.label) or question.name
                        for question in form.questions()
                        if EMPATHY_TAG in question.tags
                    ],
                    one_visit=True,
                ),
                method.band(form, "this visit's score"),
                method.item(
                    "Points",
                    "Points are weight × points earned out of weight × points possible. A "
                    "section score is the section's points earned ÷ points possible × 100.",
                ),
            ],
            "samples": [],
        },
    )
    return context


def visit_report_html(kit: ReportKit, submission_id: str) -> str:
    """The self-contained HTML of a visit report."""
    from reports.render import render_html

    context = visit_context(kit, submission_id)
    return render_html(context["template"], context)
