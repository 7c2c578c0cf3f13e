"""PyInstaller runtime hook: let fontconfig see the report fonts shipped in the bundle.

Runs before Rapport's code in the frozen program. Reports are designed with DejaVu Sans;
a laptop without it would get whatever sans-serif it has, so the bundle carries the font
and a fontconfig file that adds it to the computer's own fonts. A FONTCONFIG_FILE the user
set on purpose is left alone.
"""

from __future__ import annotations

import os
import sys

_bundle = getattr(sys, "_MEIPASS", None)
if _bundle is not None:
    _fonts_conf = os.path.join(_bundle, "fonts", "fonts.conf")
    if os.path.isfile(_fonts_conf):
        os.environ.setdefault("FONTCONFIG_FILE", _fonts_conf)
