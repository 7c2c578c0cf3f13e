"""What respondents type is printed as text: markup, scripts, CSS and URLs in comments, names
or settings fetch nothing and change nothing in the report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from forms.storage import Store
from forms.storage.tables import Submission
from reports import render
from reports.queries import Period
from reports.writer import ReportRequest, write_report
from tests.reports.conftest import copy_of_visit, pdf_text

PAYLOAD = (
    '<img src="file:///etc/passwd"> <script>alert(1)</script> '
    "<style>body { display: none }</style> http://203.0.113.9/track.png"
)


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL WeasyPrint asks the report's URL fetcher for."""
    fetcher = render._url_fetcher()
    asked: list[str] = []
    original = type(fetcher).fetch

    def recording(self: Any, url: str, headers: Any = None) -> Any:
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(type(fetcher), "fetch", recording)
    return asked


def test_markup_in_comments_and_names_is_printed_as_text_and_fetches_nothing(
    sample_store: Store, tmp_path: Path, fetched: list[str]
) -> None:
    with sample_store.reading() as session:
        survey = session.exec(
            select(Submission.id).where(Submission.respondent_kind == "customer").limit(1)
        ).one()
        visit = session.exec(
            select(Submission.id).where(Submission.respondent_kind == "shopper").limit(1)
        ).one()
    when = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
    copy_of_visit(sample_store, survey, visit_at=when, changes={"comment": PAYLOAD})
    copy_of_visit(sample_store, visit, visit_at=when, comments={"greeting_rating": PAYLOAD})
    code = sample_store.upsert_location(
        "HPO", '<b onload="x()">Harbor</b> <a href="http://e.x">', ""
    )
    assert code
    sample_store.set_setting("company_name", '<link rel="stylesheet" href="file:///x.css">')
    sample_store.set_setting("brand_colour", "red; } body { display: none; } x {")

    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    request = ReportRequest("location", "HPO", Period(date(2026, 6, 1), date(2026, 6, 30)))
    write_report(sample_store, request, pdf=pdf, html=html)
    text = pdf_text(pdf)
    document = html.read_text("utf-8")

    assert fetched, "the report's own charts are fetched as data: URLs"
    assert all(url.startswith("data:") for url in fetched)
    # Compared without white space: a line may break after "http://".
    assert PAYLOAD.replace(" ", "") in text.replace(" ", "")
    assert '<b onload="x()">Harbor</b>' in text
    assert '<link rel="stylesheet" href="file:///x.css">' in text
    assert '<img src="file:' not in document
    assert "<script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "display: none" not in document.split("</style>", 2)[1]
    assert "--brand: #173f5f" in document


def test_the_url_fetcher_refuses_files_and_the_network() -> None:
    fetcher = render._url_fetcher()
    for url in ("file:///etc/passwd", "http://203.0.113.9/x.png", "https://example.com/a.css"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_html_that_points_outside_renders_without_fetching_it(
    tmp_path: Path, fetched: list[str]
) -> None:
    html = (
        '<html><head><link rel="stylesheet" href="http://203.0.113.9/x.css"></head><body>'
        '<p>Report</p><img src="file:///etc/passwd"><img src="http://203.0.113.9/a.png">'
        "</body></html>"
    )
    pages = render.html_to_pdf(html, tmp_path / "x.pdf")
    assert pages == 1
    # Each was asked for and refused; the page still renders.
    assert set(fetched) == {
        "http://203.0.113.9/x.css",
        "file:///etc/passwd",
        "http://203.0.113.9/a.png",
    }
    assert "Report" in pdf_text(tmp_path / "x.pdf")
