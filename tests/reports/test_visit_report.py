"""The visit report: one submission with every answer, its points, comments, photos and score."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

from forms.definition.model import FormDefinition
from forms.storage import Store
from reports.writer import ReportRequest, write_report
from tests.reports.conftest import copy_of_visit, pdf_text, png_photo
from tests.reports.expected import query


def newest_visit(db: Path) -> str:
    return str(
        query(
            db,
            "SELECT id FROM submission WHERE respondent_kind = 'shopper' "
            "ORDER BY visit_at DESC LIMIT 1",
        )[0][0]
    )


def test_visit_report_lists_every_answer_with_points_comment_photo_and_score(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    visit = copy_of_visit(
        sample_store,
        newest_visit(db_path),
        visit_at=datetime(2026, 6, 29, 15, 30, tzinfo=UTC),
        changes={"greeting_rating": "4"},
        comments={"listening_rating": "She repeated the floor and room number back to me."},
        photo=png_photo(),
    )
    out = tmp_path / "visit.pdf"
    write_report(sample_store, ReportRequest("visit", visit[:8]), pdf=out)
    text = pdf_text(out)

    (definition, title, version) = query(
        db_path,
        "SELECT f.definition, f.title, f.version FROM formversion f "
        "JOIN submission s ON s.form_version_id = f.id WHERE s.id = ?",
        [visit],
    )[0]
    form = FormDefinition.from_json(definition)
    score, band = query(db_path, "SELECT score, band FROM submission WHERE id = ?", [visit])[0]
    assert f"{title} · version {version}" in text
    assert f"{score:.1f}" in text
    assert band in text
    # The sample's sites keep New York time: 15:30 UTC is 11:30 there in June (EDT).
    assert "Jun 29, 2026, 11:30 AM (America/New_York)" in text
    assert visit in text

    greeting = form.question("greeting_rating")
    chosen = next(c for c in form.choices(greeting) if c.name == "4")
    assert form.text(greeting.label) in text
    assert " ".join(form.text(chosen.label).split()) in text
    for question, points, possible in query(
        db_path,
        "SELECT question, points, possible FROM answer "
        "WHERE submission_id = ? AND possible > 0 AND not_applicable = 0",
        [visit],
    ):
        label = " ".join(form.text(form.question(question).label).split())
        row = text[text.index(label) :]
        assert f"{points:g} / {possible:g}" in row[: len(label) + 600], question
    assert "Comment: She repeated the floor and room number back to me." in text
    assert "Photo evidence (optional)" in text
    assert any(page.images for page in PdfReader(out).pages)


def test_a_visit_with_a_pasted_page_of_text_renders_whole_and_promptly(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    from reports.pdf_process import PdfProcess, ReportOrder, fork_context

    story = ("The agent listened, repeated my room number and said when the crew would come. "
             * 70)[:5000] + " THE END OF THE STORY"  # fmt: skip
    visit = copy_of_visit(
        sample_store,
        newest_visit(db_path),
        visit_at=datetime(2026, 6, 29, 15, 30, tzinfo=UTC),
        changes={"overall_comment": story, "scenario": "x" * 3000},
        comments={"listening_rating": story},
    )
    out = tmp_path / "visit.pdf"
    child = PdfProcess(fork_context())
    try:
        # Before, WeasyPrint spent over two minutes on these 8,000 characters: column
        # widths were measured at every possible break of the text.
        pages = child.run(
            ReportOrder(sample_store.url, "visit", visit, None, None, str(out)), time_limit=60
        )
    finally:
        child.close()
    text = pdf_text(out)
    assert text.count("THE END OF THE STORY") == 2  # the answer and the comment, whole
    assert "x" * 40 in text.replace(" ", "")
    assert pages <= 12
    # No page is left near blank because a long row was kept whole for the next one.
    reader = PdfReader(out)
    assert all(len(page.extract_text()) > 400 for page in reader.pages[:-1])


def first_page(path: Path) -> str:
    return " ".join((PdfReader(path).pages[0].extract_text() or "").split())


def answers_part(path: Path) -> str:
    """The report's text before its method appendix (which lists the empathy questions)."""
    text = pdf_text(path)
    return text[: text.index("How these figures were computed")]


def test_a_failed_critical_item_is_named_on_the_first_page(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    visit = copy_of_visit(
        sample_store,
        newest_visit(db_path),
        visit_at=datetime(2026, 6, 29, 15, 30, tzinfo=UTC),
        changes={"hazard_left_unattended": "yes", "dismissed_customer": "yes"},
    )
    out = tmp_path / "visit.pdf"
    write_report(sample_store, ReportRequest("visit", visit[:8]), pdf=out)
    page = first_page(out)
    raw = query(db_path, "SELECT raw_score FROM submission WHERE id = ?", [visit])[0][0]
    assert "Critical failure: this visit scores 0" in page
    assert (
        "Was a hygiene or safety hazard you reported left without any action? "
        "Answer: Yes — nothing was done or arranged" in page
    )
    assert (
        "Did the agent dismiss your concern, blame you or argue with you at any point? "
        "Answer: Yes — dismissed, blamed or argued" in page
    )
    assert f"its raw score was {raw:.1f}" in page


def newest_visit_at(db: Path, site_code: str) -> str:
    return str(
        query(
            db,
            "SELECT s.id FROM submission s JOIN location l ON l.id = s.location_id "
            "WHERE s.respondent_kind = 'shopper' AND l.code = ? ORDER BY s.visit_at DESC LIMIT 1",
            [site_code],
        )[0][0]
    )


def test_a_visit_is_printed_in_its_sites_time_zone_which_the_report_names(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    # Harbor Point Offices is in Baltimore; the reports' own setting is another zone.
    visit = copy_of_visit(
        sample_store,
        newest_visit_at(db_path, "HPO"),
        visit_at=datetime(2026, 11, 4, 11, 30, tzinfo=UTC),
    )
    sample_store.set_setting("time_zone", "Europe/London")
    out = tmp_path / "visit.pdf"
    write_report(sample_store, ReportRequest("visit", visit[:8]), pdf=out)
    page, text = first_page(out), pdf_text(out)

    # 11:30 UTC is 6:30 in Baltimore in November (EST, UTC-5).
    assert "Harbor Point Offices Nov 4, 2026, 6:30 AM (America/New_York)" in page
    assert "VISIT TIME Nov 4, 2026, 6:30 AM (America/New_York)" in page
    assert "11:30 AM" not in text
    assert "Times are in America/New_York, the site's time zone." in text


def test_times_are_in_the_configured_time_zone_which_the_first_page_names(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    visit = copy_of_visit(
        sample_store, newest_visit(db_path), visit_at=datetime(2026, 1, 15, 15, 30, tzinfo=UTC)
    )
    # A site without a time zone of its own: the report setting's applies.
    code, name, city = query(
        db_path,
        "SELECT l.code, l.name, l.city FROM location l JOIN submission s "
        "ON s.location_id = l.id WHERE s.id = ?",
        [visit],
    )[0]
    sample_store.upsert_location(code, name, city, time_zone="")
    sample_store.set_setting("time_zone", "America/Chicago")
    out = tmp_path / "visit.pdf"
    write_report(sample_store, ReportRequest("visit", visit[:8]), pdf=out)
    page = first_page(out)
    # 15:30 UTC is 9:30 in Chicago in January (CST, UTC-6).
    assert "VISIT TIME Jan 15, 2026, 9:30 AM (America/Chicago)" in page
    assert "3:30 PM" not in page
    assert "Times are in America/Chicago, the time zone of the report settings" in pdf_text(out)


def test_answers_the_form_logic_skipped_are_left_out(
    sample_store: Store, db_path: Path, tmp_path: Path
) -> None:
    # An email contact where the shopper did not act upset: the hold and calming questions
    # were never asked, though answers to them were stored before the channel was changed.
    visit = copy_of_visit(
        sample_store,
        newest_visit(db_path),
        visit_at=datetime(2026, 6, 29, 15, 30, tzinfo=UTC),
        changes={
            "channel": "email",
            "hold_or_transfer": "both",
            "hold_courtesy": "2",
            "acted_upset": "no",
            "calming_rating": "1",
        },
    )
    out = tmp_path / "visit.pdf"
    write_report(sample_store, ReportRequest("visit", visit[:8]), pdf=out)
    shown = answers_part(out)
    assert "Were you put on hold or transferred during the call?" not in shown
    assert "How did the agent handle the hold or transfer?" not in shown
    assert "When you showed you were upset, how did the agent respond?" not in shown
    assert "Did you act upset or frustrated as briefed? No" in shown
    assert "Did the agent take ownership of the problem?" in shown
