"""The words of the four reports as a site manager reads them: one name for each figure and
each kind of submission, counts in the singular when there is one, no loose separators, no
sentence about averages on a report of one visit, percentages as the locale writes them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from forms.storage import Store
from reports.formatting import QUOTE_CHARS, Formatter
from reports.queries import Period
from reports.writer import ReportRequest, write_report
from tests.reports.conftest import copy_of_visit, pdf_text
from tests.reports.expected import location_id, query

SITE, OTHER = "HPO", "NTC"
DAY = date(2026, 7, 15)
"""A day after the sample's last: only the visits a test makes fall on it."""
AT = datetime(2026, 7, 15, 15, 0, tzinfo=UTC)
START, END = date(2026, 1, 1), date(2026, 6, 30)

LONG_COMMENT = (
    "Nobody came about the spill in the lobby for an hour, and when someone did, "
    "they mopped half of it and left the wet floor sign in the storeroom. "
) * 4 + "LAST WORDS"


def newest(db: Path, kind: str, code: str = SITE) -> str:
    return str(
        query(
            db,
            "SELECT id FROM submission WHERE respondent_kind = ? AND location_id = ? "
            "AND status IN ('final', 'accepted') ORDER BY visit_at DESC LIMIT 1",
            [kind, location_id(db, code)],
        )[0][0]
    )


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.fixture
def one_failed_visit(sample_store: Store, db_path: Path) -> str:
    """On DAY: a visit at HPO that fails the hazard question and rates listening 1 of 5, and
    the same visit at another site with listening rated 5 (so only listening is below all
    locations). Returns the HPO visit's id."""
    source = newest(db_path, "shopper")
    failed = {"hazard_left_unattended": "yes"}
    visit = copy_of_visit(
        sample_store, source, visit_at=AT, changes={**failed, "listening_rating": "1"}
    )
    (other_agent,) = query(
        db_path, "SELECT id FROM agent WHERE location_id = ? LIMIT 1", [location_id(db_path, OTHER)]
    )[0]
    copy_of_visit(
        sample_store,
        source,
        visit_at=AT,
        changes={**failed, "listening_rating": "5"},
        location_id=location_id(db_path, OTHER),
        agent_id=int(other_agent),
    )
    return visit


def test_a_long_callback_comment_is_cut_as_every_comment_and_names_its_survey(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    survey = copy_of_visit(
        sample_store,
        newest(db_path, "customer"),
        visit_at=datetime(2026, 6, 30, 16, 0, tzinfo=UTC),
        changes={"contact_consent": "yes", "nps": "2", "comment": LONG_COMMENT},
    )
    assert len(LONG_COMMENT) > QUOTE_CHARS
    out = tmp_path / "location.pdf"
    write_report(sample_store, ReportRequest("location", SITE, Period(START, END)), pdf=out)
    text = pdf_text(out)
    assert "LAST WORDS" not in text
    callbacks = section(text, "Customers to call back", "What customers said")
    assert "…" in callbacks
    assert f"cut short: the whole comment is in the report of survey {survey[:8]}" in callbacks
    said = section(text, "What customers said", "What mystery shoppers noted")
    assert f"cut short: the whole comment is in the report of survey {survey[:8]}" in said
    # A customer's survey is a survey wherever it is named, a mystery shop a visit.
    assert not re.search(r"· visit [0-9a-f]{8}", said)
    assert re.search(r"· visit [0-9a-f]{8}", section(text, "What mystery shoppers", "How these"))


def test_counts_of_one_read_in_the_singular_and_the_score_has_one_name(
    sample_store: Store, one_failed_visit: str, tmp_path: Path
) -> None:
    out = tmp_path / "location.pdf"
    write_report(sample_store, ReportRequest("location", SITE, Period(DAY, DAY)), pdf=out)
    text = pdf_text(out)
    assert "n = 1 visit with a critical failure." in text
    assert "(each behaviour rated in 1 of them)" in text
    # One visit is too few to single out a behaviour (at least 5 are needed): said so.
    assert "No behaviour was rated in 5 visits in this period yet" in text
    assert "This report covers 1 mystery-shop visit and 0 customer surveys" in text
    assert "n = 1 visit ·" in text
    assert "overall score" not in text.lower()
    # The tile, the agent ranking, the sample sizes: one name for one figure.
    assert text.lower().count("average score") >= 3
    assert "No photos of deficiencies were taken in this period." in text
    # The date of the critical failure stays on one line of its table.
    raw = " ".join(page.extract_text() or "" for page in PdfReader(out).pages)
    failures = section(raw, "Critical failures", "Customers to call back")
    assert "Jul 15, 2026" in failures


def test_the_coaching_card_says_one_visit_failed(
    sample_store: Store, db_path: Path, one_failed_visit: str, tmp_path: Path
) -> None:
    (agent,) = query(
        db_path,
        "SELECT g.name FROM submission s JOIN agent g ON g.id = s.agent_id WHERE s.id = ?",
        [one_failed_visit],
    )[0]
    out = tmp_path / "agent.pdf"
    write_report(sample_store, ReportRequest("agent", agent, Period(DAY, DAY)), pdf=out)
    text = pdf_text(out)
    assert re.search(r"1 ?visit scored 0 for a critical question", text)  # the tile
    assert "This card sums up 1 mystery-shop visit in which" in text
    assert "n = 1 visit)" in text


def test_the_visit_report_speaks_of_one_visit(
    sample_store: Store, one_failed_visit: str, tmp_path: Path
) -> None:
    out = tmp_path / "visit.pdf"
    write_report(sample_store, ReportRequest("visit", one_failed_visit[:8]), pdf=out)
    text = pdf_text(out)
    assert "Visit report: Harbor Point Offices, Jul 15, 2026 ·" not in text
    assert "Visit report: Harbor Point Offices, Jul 15, 2026" in text
    method = text[text.index("How these figures were computed") :]
    assert "average" not in method.lower()
    assert "The band of this visit's score" in method
    assert "Low sample" not in method
    assert "revision 0" not in text
    assert "first version: never sent back" in text


def test_the_portfolio_names_nps_once_and_says_hidden_once(
    sample_store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "portfolio.pdf"
    write_report(sample_store, ReportRequest("portfolio", period=Period(START, END)), pdf=out)
    text = pdf_text(out)
    tiles = text[: text.index("Location ranking") if "Location ranking" in text else 2000]
    assert not re.search(r"NPS [+\-−]?\d+ ?NPS", tiles)
    assert "CSAT (top-two box)" in tiles  # a method that says more than the label stays
    assert "“hidden” means fewer than" not in text
    assert "and read “hidden” otherwise" in text


@pytest.mark.parametrize(("locale", "written"), [("es_ES", "72\xa0%"), ("en_US", "72%")])
def test_a_percentage_is_written_as_the_locale_writes_it(locale: str, written: str) -> None:
    assert Formatter(locale).percent(72) == written
    assert Formatter(locale).percent(72.5, 1) == written.replace(
        "72", "72" + ("," if locale == "es_ES" else ".") + "5"
    )


def test_the_spanish_location_report_prints_a_space_before_percent(
    sample_store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "location.pdf"
    write_report(
        sample_store,
        ReportRequest("location", SITE, Period(START, END)),
        pdf=out,
        locale="es_ES",
    )
    text = pdf_text(out)
    assert re.search(r"CSAT \d+ %", text)
    assert not re.search(r"CSAT \d+%", text)


def test_the_report_of_a_customer_survey_calls_it_a_survey(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    survey = newest(db_path, "customer")
    out = tmp_path / "survey.pdf"
    write_report(sample_store, ReportRequest("visit", survey[:8]), pdf=out)
    text = pdf_text(out)
    assert "Survey report: Harbor Point Offices" in text
    assert "Visit report" not in text
    assert re.search(r"Survey id ?" + survey, text, re.IGNORECASE)
