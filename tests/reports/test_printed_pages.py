"""What a manager sees on the printed pages of every report of the sample company: figures
that add up as printed, intervals that say when they are capped, columns that stay on the
page, headings kept with what they head, the paper of the manager's country, and a tagged
PDF whose text reads as words."""

from __future__ import annotations

import base64
import html as html_text
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from forms.scoring.metrics import ces, csat, nps
from forms.storage import Store
from reports.context import metric_interval
from reports.formatting import Formatter
from reports.kit import ReportKit
from reports.queries import Period
from reports.render import html_to_pdf, laid_out
from reports.writer import ReportRequest, report_html

HALF_YEAR = Period(date(2026, 1, 1), date(2026, 6, 30))
QUARTER = Period(date(2026, 4, 1), date(2026, 6, 30))
SIGNED = r"[+-]?\d+\.\d"
FOOTER = " Page of "
"""The words the stylesheet itself prints: "Page 2 of 5" in each footer."""


def first_visit(store: Store) -> str:
    """A finished shopper visit of the sample company (its id)."""
    from sqlmodel import col, select

    from forms.storage.tables import Submission

    with store.reading() as session:
        found = session.exec(
            select(Submission.id)
            .where(Submission.respondent_kind == "shopper", Submission.status == "final")
            .order_by(col(Submission.id))
        ).first()
    assert found is not None
    return found


def requests(store: Store) -> list[ReportRequest]:
    """One report of each kind, over periods with plenty in them."""
    return [
        ReportRequest("location", "Harbor Point Offices", HALF_YEAR),
        ReportRequest("agent", "Linh Tran", HALF_YEAR),
        ReportRequest("portfolio", "", QUARTER),
        ReportRequest("visit", first_visit(store)),
    ]


@pytest.fixture
def reports_html(sample_store: Store) -> dict[str, str]:
    kit = ReportKit.load(sample_store)
    return {request.kind: report_html(kit, request) for request in requests(sample_store)}


def body_boxes(page: Any) -> Iterator[Any]:
    """The boxes of a laid-out page's content (not its running header or footer)."""
    root = page._page_box.children[0]
    yield from root.descendants()


def text_boxes(page: Any) -> list[Any]:
    return [box for box in body_boxes(page) if getattr(box, "text", "").strip()]


def headings_and_text(page: Any) -> list[tuple[Any, str]]:
    """The text boxes of a page's content with what holds them: the tag of their element,
    "thead" for a table's column headings (a row's own heading is "th")."""
    found: list[tuple[Any, str]] = []

    def walk(box: Any, in_thead: bool) -> None:
        tag = str(getattr(box, "element_tag", ""))
        in_thead = in_thead or tag == "thead"
        if getattr(box, "text", "").strip():
            found.append((box, "thead" if in_thead and tag == "th" else tag))
        for child in getattr(box, "children", ()):
            walk(child, in_thead)

    walk(page._page_box.children[0], False)
    return found


# -- Figures --------------------------------------------------------------------------------


def test_a_difference_is_the_printed_figures_subtracted() -> None:
    fmt = Formatter()
    # 91.15 prints 91.2 and 77.05 prints 77.0 (Babel rounds half to even): +14.2, as a reader
    # subtracting the printed numbers gets; the unrounded difference is 14.1.
    assert (fmt.number(91.15), fmt.number(77.05)) == ("91.2", "77.0")
    assert fmt.signed(fmt.difference(91.15, 77.05), 1) == "+14.2"
    assert fmt.difference(None, 77.0) is None
    assert fmt.signed(fmt.difference(70.04, 69.96), 1) == "0.0"


def test_every_difference_printed_in_a_report_adds_up(
    reports_html: dict[str, str], tmp_path: Path
) -> None:
    """Each row with figures and their difference, read back from the PDF's text."""
    checked = 0
    for kind in ("location", "agent", "portfolio"):
        pdf = tmp_path / f"{kind}.pdf"
        html_to_pdf(reports_html[kind], pdf)
        text = pdf_words(pdf)
        if kind == "location":
            # Behaviour | score | all locations | difference | n
            rows = re.findall(rf"(\d+\.\d)(?: †)? (\d+\.\d) ({SIGNED}) \d+\b", text)
            pairs = [(now, before, change) for now, before, change in rows]
        elif kind == "agent":
            # Behaviour | you | location | team | you against location | n
            rows = re.findall(rf"(\d+\.\d)(?: †)? (\d+\.\d) \d+\.\d ({SIGNED})\b", text)
            pairs = [(you, here, change) for you, here, change in rows]
        else:
            # Movers: location | before | now | change
            rows = re.findall(rf"\b(\d+\.\d) (\d+\.\d) ({SIGNED})\b", text)
            pairs = [(now, before, change) for before, now, change in rows]
        assert pairs, f"no differences found in the {kind} report"
        for now, before, change in pairs:
            assert Decimal(now) - Decimal(before) == Decimal(change), (kind, now, before, change)
            checked += 1
    assert checked >= 10


def test_an_interval_capped_at_the_end_of_its_scale_says_so() -> None:
    fmt = Formatter()
    # Four promoters and a passive: the normal interval runs past +100.
    assert (
        metric_interval(nps([10, 10, 10, 10, 8]), fmt)
        == "95% CI +45 to +100 (capped at +100, the end of the scale)"
    )
    assert metric_interval(ces([1, 1, 1, 1, 2]), fmt).endswith(
        "(capped at 1.0, the end of the scale)"
    )
    # Every answer favourable: the Wilson interval reaches 100 % by itself, without a cap.
    assert metric_interval(csat([5] * 6), fmt) == "95% CI 61% to 100%"
    assert "capped" not in metric_interval(nps([10, 9, 7, 3, 0, 10]), fmt)


# -- The appendix ---------------------------------------------------------------------------


def test_the_appendix_lists_the_questions_of_every_behaviour_and_index(
    sample_store: Store, reports_html: dict[str, str], tmp_path: Path
) -> None:
    kit = ReportKit.load(sample_store)
    catalogue = kit.catalogue
    from reports.queries.catalogue import tag_order

    pdf = tmp_path / "location.pdf"
    html_to_pdf(reports_html["location"], pdf)
    appendix = pdf_words(pdf).split("How these figures were computed", 1)[1]
    behaviours = appendix.split("The questions of each behaviour:", 1)[1]
    for tag in tag_order(catalogue):
        questions = catalogue.labels_tagged(tag, "shopper")
        if not questions:
            continue
        name = catalogue.behaviour_label(tag)
        # The behaviour's name, then its questions, each as the form words it.
        listed = " ".join(f"“{question}”" for question in questions)
        assert f"{name} {listed}" in behaviours
    for index, tag, respondent in (
        ("Empathy Index (0–100)", "empathy", "shopper"),
        ("NPS (Net Promoter Score", "nps", "customer"),
        ("CSAT (top-two box)", "csat", "customer"),
        ("CES (mean, 1–7)", "ces", "customer"),
    ):
        listed = " ".join(f"“{q}”" for q in catalogue.labels_tagged(tag, respondent))
        assert listed
        entry = appendix.split(index, 1)[1]
        assert f"Its questions: {listed}" in entry, index

    pulse = tmp_path / "portfolio.pdf"
    html_to_pdf(reports_html["portfolio"], pulse)
    signals = pdf_words(pulse).split("The questions of each signal:", 1)[1]
    for signal in ("workload", "burnout"):
        listed = " ".join(f"“{q}”" for q in catalogue.labels_tagged(signal, "employee"))
        assert f"{signal.capitalize()} {listed}" in signals


# -- Layout ---------------------------------------------------------------------------------


def test_no_column_runs_off_the_page(sample_store: Store, reports_html: dict[str, str]) -> None:
    # A4 is narrower than Letter (210 mm against 216 mm): the location report on it too.
    a4 = ReportKit.load(sample_store, locale="de_DE")
    narrow = report_html(a4, ReportRequest("location", "HPO", HALF_YEAR))
    for kind, html in [*reports_html.items(), ("location on A4", narrow)]:
        for number, page in enumerate(laid_out(html).pages, start=1):
            root = page._page_box.children[0]
            right = root.content_box_x() + root.width
            for box in text_boxes(page):
                # Spaces kept at the end of a pre-wrapped line (a comment as typed) hang
                # past it, as in any editor: they print nothing.
                spaces = len(box.text) - len(box.text.rstrip())
                hanging = spaces * box.style["font_size"] * 0.5
                assert box.position_x + box.width <= right + 0.5 + hanging, (
                    f"{kind} page {number}: “{box.text}” ends "
                    f"{box.position_x + box.width - right:.1f}px past the right margin"
                )


def test_no_heading_is_left_at_the_foot_of_a_page(reports_html: dict[str, str]) -> None:
    for kind, html in reports_html.items():
        pages = laid_out(html).pages
        for number, page in enumerate(pages[:-1], start=1):
            boxes = headings_and_text(page)
            lowest, tag = max(boxes, key=lambda found: found[0].position_y + found[0].height)
            assert tag not in {"h1", "h2", "h3", "dt", "thead"}, (
                f"{kind} page {number} ends with the heading “{lowest.text}”"
            )


def test_the_last_page_never_holds_a_lone_paragraph(reports_html: dict[str, str]) -> None:
    for kind, html in reports_html.items():
        last = laid_out(html).pages[-1]
        blocks = {id(box.element) for box in text_boxes(last) if box.element is not None}
        assert len(blocks) > 1, f"the last page of the {kind} report holds one paragraph"


def test_paper_follows_the_locale_and_the_command_line_says_which(
    sample_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sizes = {}
    for locale in ("en_US", "en_CA", "fr_FR", "en_GB", "de"):
        kit = ReportKit.load(sample_store, locale=locale)
        pdf = tmp_path / f"{locale}.pdf"
        html_to_pdf(report_html(kit, ReportRequest("location", "HPO", HALF_YEAR)), pdf)
        box = PdfReader(pdf).pages[0].mediabox
        sizes[locale] = (round(float(box.width)), round(float(box.height)))
    letter, a4 = (612, 792), (595, 842)
    assert sizes == {"en_US": letter, "en_CA": letter, "fr_FR": a4, "en_GB": a4, "de": a4}


def test_reports_are_tagged_pdfs_whose_text_reads_as_words(
    reports_html: dict[str, str], tmp_path: Path
) -> None:
    for kind, html in reports_html.items():
        pdf = tmp_path / f"{kind}.pdf"
        html_to_pdf(html, pdf)
        catalog: Any = PdfReader(pdf).trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"], kind
        assert "/StructTreeRoot" in catalog, kind
        assert str(catalog["/Lang"]) == "en-US", kind
        # Every word of the report's text is a word of the PDF's text: none split into
        # letters (spaced capitals), none run into the next.
        printed = set(words_of(visible_text(html) + FOOTER))
        extracted = set(words_of(pdf_text_as_extracted(pdf)))
        assert printed - extracted == set(), kind
        assert extracted - printed == set(), kind


# -- Helpers --------------------------------------------------------------------------------


def visible_text(html: str) -> str:
    """The text of a report's HTML body as a reader sees it (no markup, no styles), and
    the words its charts print (axis, values, legends)."""
    charts = [
        base64.b64decode(found).decode("utf-8")
        for found in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]
    chart_words = [" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", chart)) for chart in charts]
    body = html.split("<body", 1)[1].split(">", 1)[1]
    body = re.sub(r"<style.*?</style>|<img[^>]*>", " ", body, flags=re.S)
    return html_text.unescape(re.sub(r"<[^>]+>", " ", body) + " ".join(chart_words))


def words_of(text: str) -> list[str]:
    """Words of letters; a compound counts as one word without its hyphen, as pdftotext
    joins one broken at the end of a line ("short-" "staffed": "shortstaffed")."""
    return [word.replace("-", "") for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text.upper())]


def pdf_text_as_extracted(pdf: Path) -> str:
    """The PDF's text as copy, search and screen readers get it: poppler's pdftotext when it
    is installed, else pypdf's layout mode."""
    tool = shutil.which("pdftotext")
    if tool is not None:
        return subprocess.run(
            [tool, "-nopgbrk", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    return " ".join(page.extract_text(extraction_mode="layout") for page in PdfReader(pdf).pages)


def pdf_words(pdf: Path) -> str:
    """The PDF's text with runs of white space made single spaces and without list bullets."""
    return re.sub(r"\s+", " ", pdf_text_as_extracted(pdf).replace("•", " "))


def test_a_capped_interval_says_so_on_the_printed_tile(sample_store: Store, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from sqlmodel import select

    from forms.storage.tables import Location, Submission
    from tests.reports.conftest import copy_of_visit

    with sample_store.reading() as session:
        survey = session.exec(
            select(Submission.id)
            .join(Location, Location.id == Submission.location_id)  # type: ignore[arg-type]
            .where(Location.code == "HPO", Submission.respondent_kind == "customer")
        ).first()
    assert survey is not None
    # A day after the sample's year: only these five surveys, four promoters and a passive.
    day = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
    for score in (10, 10, 10, 10, 8):
        copy_of_visit(sample_store, survey, visit_at=day, changes={"nps": score})
    kit = ReportKit.load(sample_store)
    request = ReportRequest("location", "HPO", Period(day.date(), day.date()))
    pdf = tmp_path / "capped.pdf"
    html_to_pdf(report_html(kit, request), pdf)
    assert "95% CI +45 to +100 (capped at +100, the end of the scale)" in pdf_words(pdf)
