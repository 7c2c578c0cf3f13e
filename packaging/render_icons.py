"""Render packaging/icons/app.rapport.Rapport.svg to the PNG sizes of the freedesktop icon theme.

Run after changing the SVG, and commit the PNGs:
    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py
Writes packaging/icons/SIZExSIZE/app.rapport.Rapport.png for every size in ICON_SIZES.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent / "icons"
SOURCE = ICONS / "app.rapport.Rapport.svg"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(renderer: QSvgRenderer, size: int, target: Path) -> None:
    """Draw the SVG into a transparent size x size PNG at `target`."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise OSError(f"could not write {target}")


def main() -> int:
    """Render every size; returns the exit code."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"render_icons: {SOURCE} is not a valid SVG", file=sys.stderr)
        return 2
    for size in ICON_SIZES:
        target = ICONS / f"{size}x{size}" / "app.rapport.Rapport.png"
        render_png(renderer, size, target)
        print(f"wrote {target.relative_to(ICONS.parent.parent)}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
