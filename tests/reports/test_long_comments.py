"""Long comments in the summary reports: cut to a readable length and named by their visit,
so one pasted page of text never turns a location report into pages of blank space; the
visit report keeps the whole text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from forms.storage import Store
from reports.formatting import QUOTE_CHARS, cut_comment
from reports.queries import Period
from reports.writer import ReportRequest, write_report
from tests.reports.conftest import copy_of_visit, pdf_pages, pdf_text
from tests.reports.expected import location_id, query

START, END = date(2026, 1, 1), date(2026, 6, 30)
SITE = "HPO"

# What a hostile or careless paste looks like: 5,000 characters, one stretch of them with
# no space to break a line at, and runs of empty lines.
HOSTILE = (
    ("Nobody came about the spill. " * 60)
    + "\n\n\n\n\n" * 40
    + "x" * 1500
    + (" I waited and waited." * 80)
)[:4989] + " LAST WORDS"


def newest(db: Path, kind: str) -> str:
    return str(
        query(
            db,
            "SELECT id FROM submission WHERE respondent_kind = ? AND location_id = ? "
            "ORDER BY visit_at DESC LIMIT 1",
            [kind, location_id(db, SITE)],
        )[0][0]
    )


def test_a_5000_character_comment_keeps_the_location_report_at_its_page_count(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    assert len(HOSTILE) == 5000
    before = tmp_path / "before.pdf"
    write_report(sample_store, ReportRequest("location", SITE, Period(START, END)), pdf=before)
    shopper = copy_of_visit(
        sample_store,
        newest(db_path, "shopper"),
        visit_at=datetime(2026, 6, 30, 16, 0, tzinfo=UTC),
        changes={"overall_comment": HOSTILE},
    )
    customer = copy_of_visit(
        sample_store,
        newest(db_path, "customer"),
        visit_at=datetime(2026, 6, 30, 16, 0, tzinfo=UTC),
        changes={"comment": HOSTILE},
    )
    after = tmp_path / "after.pdf"
    write_report(sample_store, ReportRequest("location", SITE, Period(START, END)), pdf=after)

    assert pdf_pages(after) == pdf_pages(before)
    text = pdf_text(after)
    assert "LAST WORDS" not in text
    customers = text[text.index("What customers said") : text.index("What mystery shoppers")]
    shoppers = text[text.index("What mystery shoppers") :]
    # A customer's survey is named a survey, a mystery shop a visit.
    for said, word, visit in ((customers, "survey", customer), (shoppers, "visit", shopper)):
        start = said.index("“Nobody came about the spill.")
        quote = said[start : said.index("”", start) + 1]
        assert quote.endswith("…”")
        assert len(quote) <= QUOTE_CHARS + 2 + 10  # the quote marks, and a few line breaks
        assert f"cut short: the whole comment is in the report of {word} {visit[:8]}" in said


def test_the_visit_report_keeps_the_whole_comment_the_summary_cut(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    shopper = copy_of_visit(
        sample_store,
        newest(db_path, "shopper"),
        visit_at=datetime(2026, 6, 30, 16, 0, tzinfo=UTC),
        changes={"overall_comment": HOSTILE},
    )
    out = tmp_path / "visit.pdf"
    write_report(sample_store, ReportRequest("visit", shopper[:8]), pdf=out)
    text = pdf_text(out)
    assert "LAST WORDS" in text
    assert text.count("Nobody came about the spill.") == 60


def test_the_coaching_card_cuts_a_long_quote_and_names_its_visit(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    (agent, name) = query(
        db_path,
        "SELECT s.agent_id, g.name FROM submission s JOIN agent g ON g.id = s.agent_id "
        "WHERE s.id = ?",
        [newest(db_path, "shopper")],
    )[0]
    source = query(
        db_path,
        "SELECT id FROM submission WHERE agent_id = ? ORDER BY visit_at DESC LIMIT 1",
        [agent],
    )[0][0]
    # The worst listening a shopper can rate, so that it is a focus area with this quote.
    visit = copy_of_visit(
        sample_store,
        str(source),
        visit_at=datetime(2026, 6, 30, 16, 0, tzinfo=UTC),
        changes={"listening_rating": "1", "listening_comment": HOSTILE},
    )
    out = tmp_path / "agent.pdf"
    write_report(sample_store, ReportRequest("agent", name, Period(START, END)), pdf=out)
    text = pdf_text(out)
    focus = text[text.index("Where to focus next") : text.index("All behaviours")]
    assert "Active listening" in focus
    assert "LAST WORDS" not in text
    start = focus.index("“Nobody came about the spill.")
    assert focus[start : focus.index("”", start) + 1].endswith("…”")
    assert (
        f"rated 1 of 5 · cut short: the whole comment is in the report of visit {visit[:8]}"
        in focus
    )


def test_a_comment_is_cut_at_a_word_with_an_ellipsis_and_its_line_breaks_made_spaces() -> None:
    shown, cut = cut_comment("The lobby\n\n\nwas wet. " * 100)
    assert cut
    assert len(shown) <= QUOTE_CHARS
    assert shown.endswith("wet…") or shown.endswith("lobby…") or shown.endswith("was…")
    assert "\n" not in shown
    assert cut_comment("  Short and\nsweet.  ") == ("Short and sweet.", False)
    word, cut = cut_comment("x" * 5000)
    assert cut
    assert word == "x" * (QUOTE_CHARS - 1) + "…"
