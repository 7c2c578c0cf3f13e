"""The method appendix names the questions each figure is computed over, from the same
definition that computes it: recomputing a printed figure from the named questions alone
gives the printed number."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from forms.storage import Store
from forms.storage.tables import Answer, Location, Submission
from reports.kit import ReportKit
from reports.location import location_context
from reports.queries import Period, find_location

PERIOD = Period(date(2025, 7, 1), date(2026, 6, 30))


def entry(context: dict[str, object], term: str) -> dict[str, object]:
    entries = context["method"]["entries"]  # type: ignore[index]
    return next(e for e in entries if e["term"].startswith(term))


def named_questions(found: dict[str, object]) -> set[str]:
    """Every question the entry lists, whichever figure of it they belong to."""
    return {question for group in found["lists"] for question in group["questions"]}  # type: ignore[attr-defined]


def empathy_index_from(store: Store, code: str, labels: set[str]) -> float:
    """Mean over the site's counted shopper visits of earned ÷ possible × 100 over the
    questions whose label the appendix names: the textbook formula, in plain SQL."""
    by_version: dict[int, set[str]] = {}
    with store.reading() as session:
        rows = session.execute(
            select(Submission.id, Submission.form_version_id, Answer.question)
            .join(Answer, Answer.submission_id == Submission.id)
            .join(Location, Location.id == Submission.location_id)
            .where(Location.code == code)
        ).all()
        for _id, version, _question in rows:
            if version not in by_version:
                form = store.form_definition(version)
                by_version[version] = {
                    q.name for q in form.questions() if form.text(q.label) in labels
                }
        start, end = PERIOD.bounds()
        visits = session.execute(
            select(
                Submission.id,
                Submission.form_version_id,
                Answer.points,
                Answer.possible,
                Answer.question,
            )
            .join(Answer, Answer.submission_id == Submission.id)
            .join(Location, Location.id == Submission.location_id)
            .where(
                Location.code == code,
                Submission.respondent_kind == "shopper",
                Submission.status.in_(("final", "accepted")),
                Submission.visit_at >= start,
                Submission.visit_at <= end,
                Answer.possible.is_not(None),
                Answer.not_applicable.is_(False),
            )
        ).all()
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    for visit, version, points, most, question in visits:
        if question in by_version.get(version, set()):
            earned[visit] = earned.get(visit, 0.0) + points
            possible[visit] = possible.get(visit, 0.0) + most
    scores = [earned[v] / possible[v] * 100 for v in possible if possible[v] > 0]
    return sum(scores) / len(scores)


def test_the_empathy_index_is_recomputed_from_the_questions_the_appendix_names(
    sample_store: Store,
) -> None:
    kit = ReportKit.load(sample_store)
    for code in ("LBD", "HPO"):
        context = location_context(kit, find_location(sample_store, code), PERIOD)
        printed = next(t["value"] for t in context["kpi_tiles"] if t["label"] == "Empathy Index")
        labels = named_questions(entry(context, "Empathy Index"))
        assert "How did the agent greet you and pay attention to you?" in labels
        assert f"{empathy_index_from(sample_store, code, labels):.1f}" == printed


def test_every_metric_and_behaviour_names_its_questions(sample_store: Store) -> None:
    kit = ReportKit.load(sample_store)
    context = location_context(kit, find_location(sample_store, "LBD"), PERIOD)
    assert named_questions(entry(context, "NPS")) == {
        "How likely are you to recommend us to a friend or colleague?"
    }
    behaviours = named_questions(entry(context, "Behaviour scores"))
    shop = sample_store.form_definition(
        sample_store.latest_form_version("mystery_shop_empathy") or 0
    )
    tagged = {
        shop.text(q.label)
        for q in shop.questions()
        if set(q.tags) - {"empathy", "nps", "csat", "ces"}
    }
    assert "How did the agent greet you and pay attention to you?" in tagged
    assert tagged <= behaviours
