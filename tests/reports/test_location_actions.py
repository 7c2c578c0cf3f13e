"""Page 1 of the location report as a site manager acts on it: is the site slipping (each
headline figure against the period before, its rank among all sites), what to do next, and
the customers' own figures: NPS in detail, how they felt, who asked to be called back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from forms.storage import Store
from reports.kit import ReportKit
from reports.queries import Period
from reports.writer import ReportRequest, report_html, write_report
from tests.conftest import SAMPLE_TODAY
from tests.reports.conftest import copy_of_visit, pdf_text
from tests.reports.expected import (
    COUNTED,
    in_period,
    location_id,
    nps,
    query,
    survey_values,
    visit_figures,
)

RECENT_START = SAMPLE_TODAY - timedelta(days=89)
BEFORE_START, BEFORE_END = SAMPLE_TODAY - timedelta(days=179), SAMPLE_TODAY - timedelta(days=90)
RECENT = Period(RECENT_START, SAMPLE_TODAY)
BEFORE = Period(BEFORE_START, BEFORE_END)


def day_text(day: date) -> str:
    """A date as US English writes it in reports (Jan 5, 2026)."""
    return f"{day:%b} {day.day}, {day.year}"


def signed(value: float, decimals: int) -> str:
    text = f"{value:+.{decimals}f}"
    return text.lstrip("+-") if float(text) == 0 else text


def ordinal(rank: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(rank % 10 if rank % 100 not in (11, 12, 13) else 0)
    return f"{rank}{suffix or 'th'}"


def where_site(db: Path, code: str, period: Period) -> tuple[str, list[object]]:
    start, end = period.start, period.end
    assert start is not None
    assert end is not None
    period_sql, params = in_period(start, end)
    return f"s.location_id = ? AND {period_sql}", [location_id(db, code), *params]


def write(store: Store, tmp_path: Path, request: ReportRequest, name: str = "site.pdf") -> str:
    out = tmp_path / name
    write_report(store, request, pdf=out)
    return pdf_text(out)


def test_every_headline_figure_is_printed_beside_its_change_on_the_period_before(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    text = write(sample_store, tmp_path, ReportRequest("location", "HPO", RECENT))

    assert f"Period: {day_text(RECENT_START)} – {day_text(SAMPLE_TODAY)}" in text
    assert f"Compared with: {day_text(BEFORE_START)} – {day_text(BEFORE_END)}" in text
    now_visits, now_score, now_empathy = visit_figures(db_path, *where_site(db_path, "HPO", RECENT))
    was_visits, was_score, was_empathy = visit_figures(db_path, *where_site(db_path, "HPO", BEFORE))
    for now, was in ((now_empathy, was_empathy), (now_score, was_score)):
        # The change is the printed figures subtracted.
        change = round(now, 1) - round(was, 1)
        assert f"{now:.1f}" in text
        assert f"{signed(change, 1)} vs {was:.1f} the period before" in text
    now_nps = nps(survey_values(db_path, "nps", *where_site(db_path, "HPO", RECENT)))
    was_nps = nps(survey_values(db_path, "nps", *where_site(db_path, "HPO", BEFORE)))
    nps_change = round(now_nps) - round(was_nps)
    assert f"{signed(nps_change, 0)} vs {was_nps:+.0f} the period before" in text
    surveys = [
        query(
            db_path,
            f"SELECT count(*) FROM submission s WHERE {COUNTED} "
            f"AND s.respondent_kind = 'customer' AND {where}",
            params,
        )[0][0]
        for where, params in (
            where_site(db_path, "HPO", RECENT),
            where_site(db_path, "HPO", BEFORE),
        )
    ]
    assert (
        f"{signed(now_visits - was_visits, 0)} / {signed(surveys[0] - surveys[1], 0)} vs "
        f"{was_visits} / {surveys[1]} the period before"
    ) in text


def test_a_period_without_an_earlier_one_says_so_instead_of_a_number(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    (first,) = query(db_path, f"SELECT min(date(s.visit_at)) FROM submission s WHERE {COUNTED}")[0]
    start = date.fromisoformat(first)
    first_months = Period(start, start + timedelta(days=89))
    text = write(sample_store, tmp_path, ReportRequest("location", "HPO", first_months))
    assert "the period before: no data" in text
    assert " vs " not in text[: text.index("Where this site stands")]

    open_ended = write(sample_store, tmp_path, ReportRequest("location", "HPO"), "all.pdf")
    assert "Compared with: nothing (the period is open-ended)" in open_ended
    assert "no comparison: open-ended period" in open_ended


def test_the_site_is_ranked_among_all_sites_as_the_portfolio_ranks_them(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    period_sql, params = in_period(RECENT_START, SAMPLE_TODAY)
    ranking = [
        (code, name)
        for code, name, _average in query(
            db_path,
            f"SELECT l.code, l.name, avg(s.score) FROM submission s JOIN location l "
            f"ON l.id = s.location_id WHERE {COUNTED} AND s.respondent_kind = 'shopper' "
            f"AND {period_sql} GROUP BY l.id ORDER BY avg(s.score) DESC, l.name",
            params,
        )
    ]
    assert len(ranking) > 2
    portfolio = write(sample_store, tmp_path, ReportRequest("portfolio", period=RECENT), "p.pdf")
    for code, name in (ranking[0], ranking[-1]):
        text = write(sample_store, tmp_path, ReportRequest("location", code, RECENT), "s.pdf")
        rank = ranking.index((code, name)) + 1
        assert f"{ordinal(rank)} of {len(ranking)} sites by average score in this period" in text
        # The portfolio lists the same site at the same rank.
        assert f" {rank} {name} {code} " in portfolio


def test_action_lines_name_the_weakest_agent_and_the_critical_failures_left_to_review(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    first = date(2025, 7, 1)
    period = Period(first, SAMPLE_TODAY)
    period_sql, params = in_period(first, SAMPLE_TODAY)
    code, site = query(
        db_path,
        f"SELECT l.code, l.id FROM submission s JOIN location l ON l.id = s.location_id "
        f"WHERE {COUNTED} AND s.critical_failure = 1 AND {period_sql} "
        "GROUP BY l.id HAVING count(*) >= 2 ORDER BY count(*) DESC, l.code LIMIT 1",
        params,
    )[0]
    failed = query(
        db_path,
        f"SELECT s.id, date(s.visit_at) FROM submission s WHERE s.status = 'final' "
        f"AND s.critical_failure = 1 AND s.location_id = ? AND {period_sql} "
        "ORDER BY s.visit_at",
        [site, *params],
    )
    (benchmark,) = query(
        db_path,
        f"SELECT avg(s.score) FROM submission s WHERE {COUNTED} "
        f"AND s.respondent_kind = 'shopper' AND {period_sql}",
        params,
    )[0]
    agents = query(
        db_path,
        f"SELECT g.name, avg(s.score), count(*) FROM submission s "
        "JOIN agent g ON g.id = s.agent_id "
        f"WHERE {COUNTED} AND s.respondent_kind = 'shopper' AND s.location_id = ? "
        f"AND {period_sql} GROUP BY g.id",
        [site, *params],
    )
    text = write(sample_store, tmp_path, ReportRequest("location", code, period))
    actions = text[text.index("What to do next") : text.index("Trend by month")]
    # An agent over fewer than 5 visits is never singled out.
    behind = sorted(
        (round(average, 1) - round(benchmark, 1), name)
        for name, average, visits in agents
        if round(average, 1) < round(benchmark, 1) and visits >= 5
    )
    if behind:
        gap, weakest = behind[0]
        assert f"average score of {benchmark:.1f}: {weakest} " in actions
        assert f"({signed(gap, 1)}," in actions
    else:
        assert (
            f"No agent with at least 5 visits is below the all-locations average score of "
            f"{benchmark:.1f}" in actions
        )
    oldest = day_text(date.fromisoformat(failed[0][1]))
    assert f"Review {len(failed)} open critical failures (the oldest from {oldest})" in actions

    # Once a manager has reviewed one, it is no longer open.
    sample_store.review(failed[0][0], actor="manager", decision="accepted")
    text = write(sample_store, tmp_path, ReportRequest("location", code, period), "after.pdf")
    actions = text[text.index("What to do next") : text.index("Trend by month")]
    left = len(failed) - 1
    assert f"Review {left} open critical failure{'s' if left != 1 else ''}" in actions
    assert "“Finalized”, which no manager has accepted, rejected or sent back" in text


def test_nps_is_printed_as_promoters_passives_detractors_and_a_count_per_score(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    text = write(sample_store, tmp_path, ReportRequest("location", "HPO", RECENT))
    values = survey_values(db_path, "nps", *where_site(db_path, "HPO", RECENT))
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    assert (
        f"Promoters (9–10) {promoters} Passives (7–8) {len(values) - promoters - detractors} "
        f"Detractors (0–6) {detractors}"
    ) in text
    counts = " ".join(str(values.count(score)) for score in range(11))
    assert f"{counts} 0 1 2 3 4 5 6 7 8 9 10 n = {len(values)} valid 0–10 answers" in text


def test_how_customers_felt_is_the_share_who_agree_with_each_statement(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    text = write(sample_store, tmp_path, ReportRequest("location", "HPO", RECENT))
    felt = text[text.index("How customers felt") :]
    statements = {
        "felt_heard": "The staff listened to what I had to say.",
        "felt_understood": "The staff understood how the problem affected me.",
        "felt_valued": "I felt valued as a customer.",
    }
    for question, statement in statements.items():
        now = survey_values(db_path, question, *where_site(db_path, "HPO", RECENT))
        before = survey_values(db_path, question, *where_site(db_path, "HPO", BEFORE))
        share = sum(v >= 4 for v in now) / len(now) * 100
        was = sum(v >= 4 for v in before) / len(before) * 100
        change = signed(round(share) - round(was), 0)
        assert f"{statement} " in felt
        row = felt[felt.index(statement) :][:160]
        assert f"{share:.0f}% {len(now)} {was:.0f}% {change} pts" in row
    appendix = text[text.index("How these figures were computed") :]
    assert "How customers felt (heard, understood, valued)" in appendix
    for statement in statements.values():
        assert f"“{statement}”" in appendix


def _survey(store: Store, db_path: Path, **answers: str) -> str:
    """A new customer survey at HPO yesterday with these answers (the rest as an old one)."""
    (source,) = query(
        db_path,
        "SELECT s.id FROM submission s WHERE s.respondent_kind = 'customer' "
        "AND s.location_id = ? ORDER BY s.visit_at DESC LIMIT 1",
        [location_id(db_path, "HPO")],
    )[0]
    return copy_of_visit(
        store,
        source,
        visit_at=datetime(2026, 6, 29, 15, 0, tzinfo=UTC),
        changes={"contact_consent": "no", "contact_email": None, **answers},
    )


def test_customers_who_asked_to_be_called_back_after_a_low_score_are_listed_without_email(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    _survey(
        sample_store,
        db_path,
        nps="3",
        csat="4",
        contact_consent="yes",
        contact_email="pat.callback@example.com",
        comment="Nobody came back about the broken lift.",
    )
    _survey(
        sample_store,
        db_path,
        nps="10",
        csat="5",
        contact_consent="yes",
        contact_email="happy.customer@example.com",
        comment="All fine, thanks to the whole team.",
    )
    _survey(
        sample_store,
        db_path,
        nps="2",
        csat="1",
        comment="Please do not call me; the lobby is dirty.",
    )
    period = Period(date(2026, 6, 29), SAMPLE_TODAY)
    request = ReportRequest("location", "HPO", period)
    text = write(sample_store, tmp_path, request)
    callbacks = text[text.index("Customers to call back") : text.index("What customers said")]
    assert "Jun 29, 2026 3 4 Nobody came back about the broken lift." in callbacks
    assert "e-mail on file in Rapport" in callbacks
    assert "All fine, thanks" not in callbacks
    assert "Please do not call me" not in callbacks
    assert "n = 1 customer who asked to be contacted and gave a low score" in callbacks
    assert "example.com" not in text
    assert "example.com" not in report_html(ReportKit.load(sample_store), request)
    appendix = text[text.index("How these figures were computed") :]
    assert "answered yes to the question “May we contact you about your answers?”" in appendix
    assert "an NPS answer of 6 or less (a detractor) or a CSAT answer of 2 or less" in appendix

    with_contacts = write(
        sample_store,
        tmp_path,
        ReportRequest("location", "HPO", period, with_contacts=True),
        "contacts.pdf",
    )
    callbacks = with_contacts[with_contacts.index("Customers to call back") :]
    assert "pat.callback@example.com" in callbacks
    assert "happy.customer@example.com" not in with_contacts


def test_the_location_report_reads_no_email_without_contacts(
    sample_store: Store, db_path: Path
) -> None:
    from reports.queries.catalogue import Catalogue
    from reports.queries.common import Scope
    from reports.queries.customers import callback_requests

    _survey(sample_store, db_path, nps="0", contact_consent="yes", contact_email="a@example.com")
    found, total = callback_requests(
        sample_store,
        Scope(Period(date(2026, 6, 29), SAMPLE_TODAY)),
        Catalogue.load(sample_store),
        with_contacts=False,
    )
    assert total == 1
    assert found[0].has_email
    assert found[0].email is None
    assert json.dumps(found[0].__dict__, default=str).count("example.com") == 0


def test_a_report_written_for_the_app_carries_emails_only_when_asked(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    from reports.pdf_process import KitCache, ReportOrder, carry_out

    _survey(sample_store, db_path, csat="1", contact_consent="yes", contact_email="jo@example.com")
    kits = KitCache()
    texts = []
    try:
        for with_contacts in (False, True):
            target = tmp_path / f"app-{with_contacts}.pdf"
            sent: list[tuple[str, int, str]] = []
            order = ReportOrder(
                sample_store.url,
                "location",
                "HPO",
                date(2026, 6, 29),
                SAMPLE_TODAY,
                str(target),
                with_contacts=with_contacts,
            )
            carry_out(order, kits, sent.append)
            assert sent[-1][0] == "done", sent[-1]
            texts.append(pdf_text(target))
    finally:
        kits.close()
    assert "jo@example.com" not in texts[0]
    assert "jo@example.com" in texts[1]
