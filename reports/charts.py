"""SVG charts for reports, drawn by pygal (imported only when a chart is drawn).

Charts never rely on colour alone: the second series of a bar chart is hatched, the
second line is dashed with square markers, bars carry their values (beside the bar's end,
never over a bar) and scatter points carry their labels. Each legend shows what its series
looks like: a swatch for bars, a stretch of line with its marker for lines. Both series
colours have at least 4.5:1 contrast on white (WCAG AA), so they also read as text.
Each chart is returned as a `data:` URL of a standalone SVG without scripts, so WeasyPrint
draws it and fetches nothing.
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
_VALUE_FONT_SIZE = 11
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<script\b[^>]*/>", re.DOTALL)
_BAR_VALUE = re.compile(r'<text text-anchor="middle" x="([-\d.]+)"( y="[-\d.]+" class="value">)')
_GUIDE = re.compile(r'<path d="[^"]*" class="(?:major )?guide line" />')
_LEGEND_SWATCH = re.compile(
    r'<rect x="([-\d.]+)" y="([-\d.]+)" width="12" height="12" class="color-(\d) reactive" />'
    r'<text x="([-\d.]+)"'
)
_SECOND_DOTS = re.compile(r'(<g class="series serie-1 color-1"><g class="dots">.*?</g></g>)', re.S)
_DOT = re.compile(r'<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([-\d.]+)" class="dot')
VALUE_GAP = 3.0
"""Pixels between a bar's end and its printed value."""
LEGEND_LINE = 28.0
"""Length of the stretch of line a line chart's legend shows for each series."""

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
        value_font_size=_VALUE_FONT_SIZE,
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


def _svg(chart: Any) -> str:
    # pygal always adds its configuration as a script; a report has no use for it.
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _finish(svg: str) -> str:
    return data_url(svg.encode("utf-8"), "image/svg+xml")


def _values_beside_bars(svg: str) -> str:
    """Values start just past their bar's end: pygal centres them on it, half over the bar
    (its x is the end plus half the font size)."""
    shift = VALUE_GAP - _VALUE_FONT_SIZE / 2
    return _BAR_VALUE.sub(
        lambda found: (
            f'<text text-anchor="start" x="{float(found.group(1)) + shift:.2f}"' + found.group(2)
        ),
        svg,
    )


def _square_markers(svg: str) -> str:
    """The second line's markers as squares (pygal draws only round ones)."""

    def squares(found: re.Match[str]) -> str:
        return _DOT.sub(
            lambda dot: (
                f'<rect x="{float(dot.group(1)) - float(dot.group(3)):.2f}" '
                f'y="{float(dot.group(2)) - float(dot.group(3)):.2f}" '
                f'width="{2 * float(dot.group(3)):.2f}" height="{2 * float(dot.group(3)):.2f}" '
                'class="dot'
            ),
            found.group(1),
        )

    return _SECOND_DOTS.sub(squares, svg)


def _line_legend(svg: str, colours: Sequence[str]) -> str:
    """Each legend entry of a line chart drawn as its line: solid with a round marker for
    the first series, dashed with a square marker for the second (pygal draws swatches)."""

    def entry(found: re.Match[str]) -> str:
        x, y, index = float(found.group(1)), float(found.group(2)), int(found.group(3))
        colour = colours[index % len(colours)]
        middle = y + 6
        dashes = ' stroke-dasharray="7,4"' if index else ""
        centre = x + LEGEND_LINE / 2
        marker = (
            f'<rect x="{centre - 3.5:.2f}" y="{middle - 3.5:.2f}" width="7" height="7" '
            f'fill="{colour}"/>'
            if index
            else f'<circle cx="{centre:.2f}" cy="{middle:.2f}" r="3.5" fill="{colour}"/>'
        )
        return (
            f'<line x1="{x:.2f}" y1="{middle:.2f}" x2="{x + LEGEND_LINE:.2f}" '
            f'y2="{middle:.2f}" stroke="{colour}" stroke-width="2.5"{dashes}/>{marker}'
            f'<text x="{float(found.group(4)) + LEGEND_LINE - 12:.2f}"'
        )

    return _LEGEND_SWATCH.sub(entry, svg)


def trend_chart(
    months: Sequence[str], series: Sequence[Series], *, primary: str, y_range: tuple[int, int]
) -> str:
    """A line chart by month: the first series solid with round dots, the second dashed;
    a None value is a gap, where the line stops and starts again."""
    pygal = _pygal()
    chart = pygal.Line(
        **_config(
            primary,
            250,
            range=y_range,
            show_dots=True,
            dots_size=3.5,
            stroke_style={"width": 2.5},
            # A month without data breaks the line: nothing is drawn as if known there.
            allow_interruptions=True,
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
    svg = _square_markers(_svg(chart))
    return _finish(_line_legend(svg, (primary, SECOND_COLOUR)))


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
            # Room past the plot for the value of a bar that reaches 100.
            margin_right=6 + VALUE_GAP + 3 * _VALUE_FONT_SIZE,
        )
    )
    # pygal draws the first label at the bottom; reverse so the chart reads like the table.
    chart.x_labels = list(reversed(labels))
    chart.add(first.name, list(reversed(first.values)))
    chart.add(second.name, list(reversed(second.values)))
    # No guide lines: they would run through the values printed past the bars' ends.
    return _finish(_values_beside_bars(_GUIDE.sub("", _svg(chart))))


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
    return _finish(_svg(chart))
