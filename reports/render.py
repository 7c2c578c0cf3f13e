"""Turn report data into HTML (Jinja2) and HTML into PDF (WeasyPrint).

Templates run in a sandboxed, autoescaping environment and receive plain values only.
Everything a report shows is inlined in the HTML (stylesheet, SVG charts and photos as
`data:` URLs), so the URL fetcher refuses every other URL: a comment that contains
`<img src="file:///etc/passwd">` is printed as text and nothing is fetched.

The HTML of a report is self-contained: `rapport report ... --html` writes exactly the
string that `html_to_pdf` receives. Inside `html_to_pdf` the print stylesheet, which every
report inlines identically, is swapped for a copy WeasyPrint parsed once per process, and
the font configuration is shared too, so a worker writing many reports parses them once.
WeasyPrint is imported only here, inside the functions that render.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from forms.errors import RapportError
from forms.scoring.metrics import LOW_SAMPLE_MARK, LOW_SAMPLE_THRESHOLD
from reports.formatting import plural

ProgressCallback = Callable[[int, int], None]
"""Called with (pages laid out so far, pages in all or 0 while unknown) as WeasyPrint works."""

STYLESHEET_ID = "rapport-print-css"
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
"""Every report is a tagged PDF (PDF/UA-1): a screen reader reads its headings, tables and
the text of its charts' alt in order, and its text copies and searches as words."""


class ReportError(RapportError):
    """A report cannot be made from what was asked (unknown location, bad period...)."""


def _compiled_templates_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder: a cold `rapport report` then
    skips compiling them (Jinja2 checks each template's source before using its copy)."""
    import platformdirs

    try:
        folder = Path(platformdirs.user_cache_dir("Rapport", appauthor=False)) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@cache
def template_environment() -> SandboxedEnvironment:
    """The one Jinja2 environment of every report: sandboxed, autoescaping, strict."""
    env = SandboxedEnvironment(
        loader=jinja2.PackageLoader("reports", "templates"),
        bytecode_cache=_compiled_templates_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Our own constant CSS, the only markup a template prints unescaped.
    env.globals["stylesheet_element"] = Markup(stylesheet_element())
    # The one low-sample rule and marker (forms.scoring.metrics), for every template's notes.
    env.globals["low_mark"] = LOW_SAMPLE_MARK
    env.globals["low_sample"] = LOW_SAMPLE_THRESHOLD
    # The one plural rule: {{ count|plural("photo") }} is "photo" for 1, else "photos".
    env.filters["plural"] = plural
    return env


@cache
def stylesheet() -> str:
    """The print stylesheet of every report."""
    return resources.files("reports").joinpath("templates/report.css").read_text("utf-8")


@cache
def stylesheet_element() -> str:
    """The `<style>` element that inlines the print stylesheet (identical in every report)."""
    return f'<style id="{STYLESHEET_ID}">\n{stylesheet()}</style>'


def render_html(template_name: str, context: Mapping[str, Any]) -> str:
    """The complete, self-contained HTML of a report."""
    return template_environment().get_template(template_name).render(**context)


def data_url(data: bytes, media_type: str) -> str:
    """A `data:` URL embedding bytes (charts, photos, logos) in the HTML."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


class RefusedURLError(ValueError):
    """Raised for every URL a report may not fetch."""


@cache
def _url_fetcher() -> Any:
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class InlineOnlyURLFetcher(URLFetcher):  # type: ignore[misc]
        """Serves `data:` URLs (what Rapport inlines) and refuses files and the network."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise RefusedURLError(f"reports fetch nothing from outside: refused {url[:80]!r}")
            from urllib.request import urlopen

            with urlopen(url) as response:
                body = response.read()
                media_type = response.headers.get_content_type()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})

    return InlineOnlyURLFetcher()


class _ProgressHandler(logging.Handler):
    """Forwards WeasyPrint's `weasyprint.progress` log (one line per step) to a callback."""

    def __init__(self, callback: ProgressCallback) -> None:
        super().__init__(level=logging.INFO)
        self.callback = callback
        self.pages_done = 0

    def emit(self, record: logging.LogRecord) -> None:
        # WeasyPrint logs "Step 5 - Creating layout - Page N" as it lays out each page.
        match = _PAGE_LAID_OUT.search(record.getMessage())
        if match:
            self.pages_done = max(self.pages_done, int(match.group(1)))
            self.callback(self.pages_done, 0)


_PAGE_LAID_OUT = re.compile(r"Creating layout - Page (\d+)")


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def _parsed_stylesheet() -> Any:
    import weasyprint

    return weasyprint.CSS(
        string=stylesheet(), url_fetcher=_url_fetcher(), font_config=_font_config()
    )


def warm_up() -> None:
    """Do WeasyPrint's once-per-process work now (fonts, the parsed stylesheet, first layout),
    in a process that would otherwise wait for its first report's HTML."""
    import io

    html = (
        f"<html><head>{stylesheet_element()}</head><body><h1>Rapport</h1>"
        "<p>Warm <strong>up</strong></p><table><tr><td>1</td></tr></table></body></html>"
    )
    html_to_pdf(html, io.BytesIO())


def laid_out(html: str) -> Any:
    """HTML laid out in pages by WeasyPrint (a `weasyprint.Document`), as `html_to_pdf`
    writes it: with the print stylesheet parsed once per process, as a tagged PDF."""
    import weasyprint

    stylesheets = []
    inline = stylesheet_element()
    if inline in html:
        # The same stylesheet, parsed once per process instead of once per report.
        html = html.replace(inline, "", 1)
        stylesheets.append(_parsed_stylesheet())
    return weasyprint.HTML(string=html, url_fetcher=_url_fetcher(), base_url="data:,").render(
        font_config=_font_config(), stylesheets=stylesheets, **PDF_OPTIONS
    )


def html_to_pdf(
    html: str,
    target: Path | IO[bytes],
    *,
    progress: ProgressCallback | None = None,
) -> int:
    """Render HTML to a PDF file or stream; returns the number of pages."""
    handler: _ProgressHandler | None = None
    progress_logger = logging.getLogger("weasyprint.progress")
    if progress is not None:
        handler = _ProgressHandler(progress)
        progress_logger.addHandler(handler)
        progress_logger.setLevel(logging.INFO)
    try:
        document = laid_out(html)
        pages = len(document.pages)
        document.write_pdf(target, **PDF_OPTIONS)
        if progress is not None:
            progress(pages, pages)
        return pages
    finally:
        if handler is not None:
            progress_logger.removeHandler(handler)
