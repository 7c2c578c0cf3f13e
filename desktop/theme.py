"""Rapport's look, in one place: colours, type scale, spacing and the navigation icons.

The theme starts from the computer's own palette, light or dark, and only corrects what
reads badly: secondary text, hints and placeholders, selections and links get colours that
keep at least the WCAG AA contrast (4.5:1) on the backgrounds they are drawn on. Screens
mark their text with a role (`set_text_role`) instead of choosing sizes or greys of their
own; the style sheet below gives each role its look.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget

AA_TEXT = 4.5
"""WCAG AA: the least contrast between normal text and its background."""
_MARGIN = 0.3
"""Colours are chosen a little above the limit, so rounding never drops them below it."""
DISABLED_TEXT = 3.0
"""Greyed-out controls stay legible, yet clearly lighter than the ones that work."""

ACCENT_LIGHT = "#2a6bb0"
"""Rapport's blue (the icon's near bubble): selections and the current screen."""
ACCENT_DARK = "#9cc5ea"
"""The icon's far bubble: the same accent on a dark palette."""

TITLE_SCALE = 1.75
"""The type scale, as multiples of the computer's own text size (body text keeps it):
a screen's title (16 pt over 9 pt text), a section's subtitle."""
SUBTITLE_SCALE = 1.3
SPACING = 8
"""The one spacing unit: gaps between controls; page margins are twice it."""
NAVIGATION_ICON = 20

ICONS = Path(__file__).resolve().parent / "icons"


class TextRole(StrEnum):
    """What a piece of text is, which decides how it looks."""

    TITLE = "title"
    SUBTITLE = "subtitle"
    SECONDARY = "secondary"
    """Notes and status lines: quieter than body text, never below AA contrast."""


def set_text_role(widget: QWidget, role: TextRole) -> None:
    """Give `widget` the look of its role (the style sheet targets the property)."""
    widget.setProperty("textRole", role.value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        # A style sheet reads properties when it polishes: a shown widget is polished again.
        widget.style().unpolish(widget)
        widget.style().polish(widget)


# -- colour arithmetic ------------------------------------------------------------------
def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """WCAG relative luminance of an opaque colour."""
    return (
        0.2126 * _linear(colour.redF())
        + 0.7152 * _linear(colour.greenF())
        + 0.0722 * _linear(colour.blueF())
    )


def over(colour: QColor, background: QColor) -> QColor:
    """`colour` as seen drawn on `background` (its transparency blended in)."""
    alpha = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * alpha + background.redF() * (1 - alpha),
        colour.greenF() * alpha + background.greenF() * (1 - alpha),
        colour.blueF() * alpha + background.blueF() * (1 - alpha),
    )


def contrast(foreground: QColor, background: QColor) -> float:
    """WCAG contrast ratio of text in `foreground` on `background`, from 1 to 21."""
    seen = over(foreground, background)
    lighter, darker = sorted((luminance(seen), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _mix(first: QColor, second: QColor, share: float) -> QColor:
    """`share` of `second` mixed into `first`."""
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * share,
        first.greenF() + (second.greenF() - first.greenF()) * share,
        first.blueF() + (second.blueF() - first.blueF()) * share,
    )


def muted(text: QColor, backgrounds: list[QColor], ratio: float) -> QColor:
    """`text` faded towards the first background as far as `ratio` allows on every one."""
    text = over(text, backgrounds[0])
    if min(contrast(text, background) for background in backgrounds) < ratio:
        return text
    low, high = 0.0, 1.0
    for _step in range(20):
        share = (low + high) / 2
        candidate = _mix(text, backgrounds[0], share)
        if min(contrast(candidate, background) for background in backgrounds) >= ratio:
            low = share
        else:
            high = share
    return _mix(text, backgrounds[0], low)


def readable_on(background: QColor) -> QColor:
    """Black or white, whichever contrasts more with `background`."""
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast(black, background) >= contrast(white, background) else white


def is_dark(palette: QPalette) -> bool:
    """Whether the palette draws light text on dark windows."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


# -- the palette and style sheet --------------------------------------------------------
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
_ALL_GROUPS = (*_GROUPS, QPalette.ColorGroup.Disabled)


def themed_palette(system: QPalette) -> QPalette:
    """The computer's palette with every text colour readable on its background."""
    palette = QPalette(system)
    role = QPalette.ColorRole
    accent = QColor(ACCENT_DARK if is_dark(system) else ACCENT_LIGHT)
    for group in _ALL_GROUPS:
        window = system.color(QPalette.ColorGroup.Active, role.Window)
        base = system.color(QPalette.ColorGroup.Active, role.Base)
        text = system.color(QPalette.ColorGroup.Active, role.Text)
        palette.setColor(
            group, role.PlaceholderText, muted(text, [base, window], AA_TEXT + _MARGIN)
        )
        link = system.color(group, role.Link)
        if contrast(link, base) < AA_TEXT + _MARGIN or contrast(link, window) < AA_TEXT:
            palette.setColor(group, role.Link, accent)
    for group in _GROUPS:
        palette.setColor(group, role.Highlight, accent)
        palette.setColor(group, role.HighlightedText, readable_on(accent))
        for foreground, background in (
            (role.WindowText, role.Window),
            (role.Text, role.Base),
            (role.Text, role.AlternateBase),
            (role.ButtonText, role.Button),
            (role.ToolTipText, role.ToolTipBase),
        ):
            if contrast(palette.color(group, foreground), palette.color(group, background)) < (
                AA_TEXT
            ):
                palette.setColor(group, foreground, readable_on(palette.color(group, background)))
    disabled = QPalette.ColorGroup.Disabled
    for foreground, background in (
        (role.WindowText, role.Window),
        (role.Text, role.Base),
        (role.ButtonText, role.Button),
    ):
        palette.setColor(
            disabled,
            foreground,
            muted(
                system.color(QPalette.ColorGroup.Active, foreground),
                [system.color(disabled, background)],
                DISABLED_TEXT,
            ),
        )
    return palette


def secondary_text(palette: QPalette) -> QColor:
    """Quieter text for notes, still AA on windows and on lists."""
    role = QPalette.ColorRole
    return muted(
        palette.color(role.WindowText),
        [palette.color(role.Window), palette.color(role.Base), palette.color(role.AlternateBase)],
        AA_TEXT + _MARGIN,
    )


def problem_text(palette: QPalette) -> QColor:
    """The red of a problem, AA on the window of this palette."""
    red = QColor("#ff8a80" if is_dark(palette) else "#b00020")
    window = palette.color(QPalette.ColorRole.Window)
    if contrast(red, window) >= AA_TEXT + _MARGIN:
        return red
    return muted(readable_on(window), [window], AA_TEXT + _MARGIN)


def style_sheet(palette: QPalette, body_points: float = 9.0) -> str:
    """The application's style sheet: the type scale, the navigation bar, the quiet text."""
    title = round(body_points * TITLE_SCALE)
    subtitle = round(body_points * SUBTITLE_SCALE)
    role = QPalette.ColorRole
    accent = palette.color(role.Highlight).name()
    on_accent = palette.color(role.HighlightedText).name()
    window = palette.color(role.Window)
    hover = _mix(window, palette.color(role.WindowText), 0.08).name()
    line = _mix(window, palette.color(role.WindowText), 0.2).name()
    return f"""
QLabel[textRole="title"] {{ font-size: {title}pt; font-weight: bold; }}
QLabel[textRole="subtitle"] {{ font-size: {subtitle}pt; font-weight: bold; }}
QLabel[textRole="secondary"] {{ color: {secondary_text(palette).name()}; }}
QLabel#read_only_warning {{ color: {problem_text(palette).name()}; font-weight: bold; }}
QToolBar#screens {{
    border: none; border-bottom: 1px solid {line};
    padding: {SPACING // 2}px {SPACING}px; spacing: {SPACING // 2}px;
}}
QToolBar#screens QToolButton {{
    padding: {SPACING // 2}px {SPACING}px; border: 1px solid transparent; border-radius: 6px;
}}
QToolBar#screens QToolButton:hover {{ background: {hover}; border-color: {line}; }}
QToolBar#screens QToolButton:checked {{ background: {accent}; color: {on_accent}; }}
QToolBar#screens QToolButton:focus {{ border-color: {accent}; }}
"""


def apply_theme(app: QApplication, system: QPalette | None = None) -> None:
    """Theme the whole application from the computer's palette (or `system`, in tests)."""
    palette = themed_palette(system if system is not None else app.palette())
    app.setPalette(palette)
    font = app.font()
    app.setStyleSheet(style_sheet(palette, font.pointSizeF() if font.pointSizeF() > 0 else 9.0))
    # Qt measures a label kerned but draws it in pieces around its underlined shortcut
    # letter, unkerned: "&To" was drawn wider than measured and cut to "Tc".
    font.setKerning(False)
    app.setFont(font)


TITLE_BAR_BUTTONS = 2 * 56
"""Room a title bar keeps beside a centred title: close (and other) buttons on each side."""


def title_width(title: str, font: QFont) -> int:
    """The width a window needs to show `title` whole in its title bar (bold, a size up)."""
    shown = QFont(font)
    shown.setBold(True)
    shown.setPointSizeF(font.pointSizeF() * 1.2)
    return QFontMetrics(shown).horizontalAdvance(title) + TITLE_BAR_BUTTONS


def fit_title(dialog: QWidget) -> None:
    """Make a small dialog wide enough that its title bar shows its whole title."""
    dialog.setMinimumWidth(
        max(dialog.minimumWidth(), title_width(dialog.windowTitle(), dialog.font()))
    )


# -- icons ------------------------------------------------------------------------------
def _drawn(svg: bytes, colour: QColor, size: int, scale: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.replace(b"currentColor", colour.name().encode())))
    pixels = round(size * scale)
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(scale)
    return pixmap


def bundled_icon(name: str, palette: QPalette, scale: float = 1.0) -> QIcon:
    """Rapport's own drawing of `name` (desktop/icons/NAME.svg) in the palette's colours.

    The checked state (the current screen) is drawn in the colour of text on the accent.
    """
    svg = (ICONS / f"{name}.svg").read_bytes()
    icon = QIcon()
    role = QPalette.ColorRole
    for size in (16, NAVIGATION_ICON, 24, 32):
        icon.addPixmap(_drawn(svg, palette.color(role.ButtonText), size, scale))
        icon.addPixmap(
            _drawn(svg, palette.color(role.HighlightedText), size, scale),
            QIcon.Mode.Normal,
            QIcon.State.On,
        )
        icon.addPixmap(
            _drawn(svg, palette.color(QPalette.ColorGroup.Disabled, role.ButtonText), size, scale),
            QIcon.Mode.Disabled,
        )
    return icon


def navigation_icon(theme_name: str, bundled: str, palette: QPalette, scale: float) -> QIcon:
    """The computer's icon named `theme_name` (freedesktop naming), else Rapport's own."""
    if QIcon.hasThemeIcon(theme_name):
        return QIcon.fromTheme(theme_name)
    return bundled_icon(bundled, palette, scale)


def navigation_icon_size() -> QSize:
    """The size of the icons in the navigation bar."""
    return QSize(NAVIGATION_ICON, NAVIGATION_ICON)


def dark_desktop_palette() -> QPalette:
    """A dark desktop's palette, as KDE's Breeze Dark or GNOME's dark style give Qt: what the
    look tests and the screenshots check the theme against."""
    palette = QPalette()
    role, disabled = QPalette.ColorRole, QPalette.ColorGroup.Disabled
    for colour_role, colour in (
        (role.Window, "#2b2b2b"),
        (role.WindowText, "#eff0f1"),
        (role.Base, "#1e1e1e"),
        (role.AlternateBase, "#262626"),
        (role.Text, "#eff0f1"),
        (role.Button, "#353535"),
        (role.ButtonText, "#eff0f1"),
        (role.BrightText, "#ffffff"),
        (role.Highlight, "#3daee9"),
        (role.HighlightedText, "#eff0f1"),
        (role.ToolTipBase, "#31363b"),
        (role.ToolTipText, "#eff0f1"),
        (role.Link, "#2980b9"),
        (role.Light, "#4a4a4a"),
        (role.Midlight, "#3a3a3a"),
        (role.Mid, "#2f2f2f"),
        (role.Dark, "#1a1a1a"),
        (role.Shadow, "#101010"),
    ):
        palette.setColor(colour_role, QColor(colour))
    palette.setColor(role.PlaceholderText, QColor(239, 240, 241, 128))
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, colour_role, QColor("#5f6265"))
    return palette
