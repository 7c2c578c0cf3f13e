"""How reports look to their readers: the company's branding, the reader's locale, charts that
do not rely on colour, and HTML that renders to the same PDF inside and outside Rapport."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from forms.storage import Store
from forms.storage.tables import Blob
from reports.charts import Series, comparison_bar_chart, trend_chart
from reports.formatting import Formatter, LocaleError, plural
from reports.kit import ReportKit
from reports.location import location_report_html
from reports.queries import Period, find_location
from reports.render import html_to_pdf
from reports.settings import contrast_ratio, readable_on_white, report_settings
from reports.writer import ReportRequest, write_report
from tests.reports.conftest import pdf_text, png_photo
from tests.reports.expected import in_period, location_id, visit_figures

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))


def test_branding_comes_from_the_settings(sample_store: Store, tmp_path: Path) -> None:
    logo = png_photo((20, 90, 160))
    digest = hashlib.sha256(logo).hexdigest()
    with sample_store.writing() as session:
        session.add(Blob(sha256=digest, data=logo, size=len(logo)))
    sample_store.set_setting("company_name", "Brightwell Facility Services")
    sample_store.set_setting("brand_colour", "#9fd3ff")
    sample_store.set_setting("logo", digest)
    settings = report_settings(sample_store)
    assert settings.logo is not None
    assert settings.logo.startswith("data:image/png;base64,")
    # A pale brand colour is darkened until it reads as text on white.
    assert settings.brand_colour != "#9fd3ff"
    assert contrast_ratio(settings.brand_colour, "#ffffff") >= 4.5

    out = tmp_path / "hpo.pdf"
    write_report(sample_store, ReportRequest("location", "HPO", PERIOD), pdf=out)
    text = pdf_text(out)
    assert text.startswith("Brightwell Facility Services LOCATION REPORT Harbor Point Offices")
    assert "Brightwell Facility Services · Location report: Harbor Point Offices" in text


def test_readable_colours_are_kept_and_invalid_ones_replaced() -> None:
    assert readable_on_white("#173f5f") == "#173f5f"
    assert readable_on_white("not a colour") == "#173f5f"
    assert contrast_ratio(readable_on_white("#ffff00"), "#ffffff") >= 4.5


def test_numbers_and_dates_follow_the_locale(sample_store: Store, db_path: Path) -> None:
    period_sql, params = in_period(PERIOD.start, PERIOD.end)  # type: ignore[arg-type]
    _, score, _ = visit_figures(
        db_path, f"s.location_id = ? AND {period_sql}", [location_id(db_path, "HPO"), *params]
    )
    kit = ReportKit.load(sample_store, locale="fr_FR")
    html = location_report_html(kit, find_location(sample_store, "HPO"), PERIOD)
    assert f"{score:.1f}".replace(".", ",") in html
    assert "1 janv. 2026" in html
    assert '<html lang="fr-FR">' in html


def test_formatter_defaults_to_us_english_and_refuses_unknown_locales() -> None:
    fmt = Formatter()
    assert fmt.number(1234.56) == "1,234.6"
    assert fmt.percent(45.6) == "46%"
    assert fmt.signed(12.0) == "+12"
    assert fmt.signed(-3.2) == "-3"
    assert fmt.signed(0.2) == "0"
    assert fmt.day(date(2026, 1, 5)) == "Jan 5, 2026"
    assert fmt.number(None) == "–"
    with pytest.raises(LocaleError, match="xx_YY"):
        Formatter("xx_YY").number(1.0)


def _svg(data_url: str) -> str:
    return base64.b64decode(data_url.split(",", 1)[1]).decode("utf-8")


def test_charts_are_scriptless_svg_with_patterns_and_accessible_colours() -> None:
    bars = _svg(
        comparison_bar_chart(
            ["Active listening", "Follow-through"],
            Series("Harbor Point Offices", [81.0, 74.0]),
            Series("All locations", [75.0, 70.0]),
            primary="#173f5f",
        )
    )
    line = _svg(
        trend_chart(
            ["Jan 2026", "Feb"],
            [Series("Average score", [80.0, None]), Series("Empathy Index", [78.0, 79.0])],
            primary="#173f5f",
            y_range=(0, 100),
        )
    )
    for svg in (bars, line):
        assert "<script" not in svg
        assert "http://kozea" not in svg
        assert 'id="hatch"' in svg
    assert "url(#hatch)" in bars
    assert "stroke-dasharray" in line
    # The values are printed on the bars, so the chart reads without colour.
    assert ">81<" in bars
    assert ">75<" in bars
    colours = set(re.findall(r"\.color-\d+[^{]*\{[^}]*fill:(#[0-9a-f]{6})", bars))
    assert colours
    assert all(contrast_ratio(c, "#ffffff") >= 4.5 for c in colours)


def test_the_html_written_with_html_renders_to_the_same_pdf(
    sample_store: Store, tmp_path: Path
) -> None:
    html, direct, from_file = tmp_path / "r.html", tmp_path / "a.pdf", tmp_path / "b.pdf"
    request = ReportRequest("agent", "Linh Tran", PERIOD)
    pages = write_report(sample_store, request, pdf=direct, html=html)
    import weasyprint  # as the `weasyprint` command does, with its own default URL fetcher

    weasyprint.HTML(filename=str(html)).write_pdf(from_file)
    assert len(PdfReader(from_file).pages) == pages
    assert pdf_text(from_file).split("Generated")[0] == pdf_text(direct).split("Generated")[0]
    assert html_to_pdf(html.read_text("utf-8"), tmp_path / "c.pdf") == pages


def test_progress_is_reported_page_by_page(tmp_path: Path) -> None:
    html = "<html><body>" + "".join(f"<p style='break-after: page'>{n}</p>" for n in range(3))
    seen: list[tuple[int, int]] = []
    pages = html_to_pdf(
        html + "</body></html>", tmp_path / "p.pdf", progress=lambda *p: seen.append(p)
    )
    assert pages == 3
    assert [done for done, total in seen if total == 0] == [1, 2, 3]
    assert seen[-1] == (3, 3)


def test_a_count_of_one_takes_the_singular_noun() -> None:
    # "Coach the behaviour furthest below…: Safety", "n = 1 visit": the one plural rule.
    assert plural(1, "behaviour") == "behaviour"
    assert plural(2, "behaviour") == "behaviours"
    assert plural(0, "visit") == "visits"
    assert Formatter().counted(1, "survey") == "1 survey"
    assert Formatter().counted(1_234, "visit") == "1,234 visits"
