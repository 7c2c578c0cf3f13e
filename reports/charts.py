"""SVG charts for reports, drawn by pygal (imported only when a chart is drawn).

Charts never rely on colour alone: the second series of a bar chart is hatched, the
second line is dashed with square markers, bars carry their values and scatter points
carry their labels. Both series colours have at least 4.5:1 contrast on white (WCAG AA),
so they also read as text. Each chart is returned as a `data:` URL of a standalone SVG
without scripts, so WeasyPrint draws it and fetches nothing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reports.render import data_url

SECOND_COLOUR = "#5c5c5c"
"""Grey of the benchmark / comparison series (6.7:1 on white)."""
INK = "#1d2430"
FONT = "DejaVu Sans"
WIDTH = 760
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<script\b[^>]*/>", re.DOTALL)

_HATCH = (
    '<pattern id="hatch" patternUnits="userSpaceOnUse" '
    'width="6" height="6" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#ffffff"/>'
    f'<rect width="3" height="6" fill="{SECOND_COLOUR}"/>'
    "</pattern>"
)
_CSS = (
    "inline:"
    ".serie-1 .rect, .legend .color-1 { fill: url(#hatch) !important; "
    f"stroke: {SECOND_COLOUR} !important; stroke-width: 1px; }}"
    ".serie-1 .line { stroke-dasharray: 7, 4 !important; }"
    ".axis .guides .line, .guides .line { stroke-opacity: 0.5; }"
    ".plot .background { fill: #ffffff; }"
)


@dataclass(frozen=True)
class Series:
    """One named series of values (None = no data at that point)."""

    name: str
    values: Sequence[float | None]


def _pygal() -> Any:
    """pygal, without the import hook it adds for map plugins (unused here).

    The hook has no find_spec, so every import after pygal's would warn (ImportWarning).
    """
    import pygal

    sys.meta_path[:] = [
        finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"
    ]
    return pygal


def _style(primary: str) -> Any:
    _pygal()
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle="#6b7280",
        colors=(primary, SECOND_COLOUR, "#7a3b00", "#2e6930"),
        opacity="1",
        opacity_hover="1",
        font_family=FONT,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        value_font_size=11,
        value_label_font_size=11,
        title_font_size=13,
        tooltip_font_size=11,
        guide_stroke_dasharray="2,4",
        major_guide_stroke_dasharray="2,4",
    )


def _config(primary: str, height: int, **options: Any) -> dict[str, Any]:
    return {
        "style": _style(primary),
        "width": WIDTH,
        "height": height,
        "js": [],
        "css": ["file://style.css", "file://graph.css", _CSS],
        "defs": [_HATCH],
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "margin": 6,
        "spacing": 8,
        "truncate_label": -1,
        "truncate_legend": -1,
        "disable_xml_declaration": False,
        "explicit_size": True,
        **options,
    }


def _finish(chart: Any) -> str:
    svg = chart.render(is_unicode=True)
    # pygal always adds its configuration as a script; a report has no use for it.
    return data_url(_SCRIPT.sub("", svg).encode("utf-8"), "image/svg+xml")


def trend_chart(
    months: Sequence[str], series: Sequence[Series], *, primary: str, y_range: tuple[int, int]
) -> str:
    """A line chart by month: the first series solid with round dots, the second dashed."""
    pygal = _pygal()
    chart = pygal.Line(
        **_config(
            primary,
            250,
            range=y_range,
            show_dots=True,
            dots_size=3.5,
            stroke_style={"width": 2.5},
            allow_interruptions=False,
            print_values=False,
            x_label_rotation=0,
            show_minor_x_labels=True,
        )
    )
    chart.x_labels = list(months)
    for index, line in enumerate(series):
        chart.add(
            line.name,
            list(line.values),
            stroke_style={"width": 2.5, "dasharray": "7,4" if index else "none"},
        )
    return _finish(chart)


def comparison_bar_chart(
    labels: Sequence[str],
    first: Series,
    second: Series,
    *,
    primary: str,
) -> str:
    """Horizontal bars 0..100 per label: the first series solid, the second hatched."""
    pygal = _pygal()
    height = 70 + 34 * max(1, len(labels))
    chart = pygal.HorizontalBar(
        **_config(
            primary,
            height,
            range=(0, 100),
            print_values=True,
            print_values_position="top",
            value_formatter=lambda value: f"{value:.0f}" if value is not None else "",
            show_legend=True,
        )
    )
    # pygal draws the first label at the bottom; reverse so the chart reads like the table.
    chart.x_labels = list(reversed(labels))
    chart.add(first.name, list(reversed(first.values)))
    chart.add(second.name, list(reversed(second.values)))
    return _finish(chart)


@dataclass(frozen=True)
class Point:
    """A labelled point of a scatter chart."""

    label: str
    x: float
    y: float


def scatter_chart(
    points: Sequence[Point],
    *,
    primary: str,
    x_title: str,
    y_title: str,
    x_range: tuple[int, int],
    y_range: tuple[int, int],
) -> str:
    """Labelled points (x, y), e.g. Empathy Index against NPS for each location."""
    pygal = _pygal()
    chart = pygal.XY(
        **_config(
            primary,
            330,
            stroke=False,
            show_legend=False,
            dots_size=5,
            print_labels=True,
            xrange=x_range,
            range=y_range,
            x_title=x_title,
            y_title=y_title,
        )
    )
    chart.add(
        "locations",
        [{"value": (point.x, point.y), "label": point.label} for point in points],
    )
    return _finish(chart)
