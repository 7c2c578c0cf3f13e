"""PyInstaller runtime hook of Rapport: runs in the frozen program before Rapport's code.

1. Report fonts. Reports are designed with DejaVu Sans; a laptop without it would get
   whatever sans-serif it has (or, without any font, no PDF at all). The bundle carries the
   font and a fontconfig file that adds it to the computer's own fonts. A FONTCONFIG_FILE
   the user set on purpose is left alone.
2. Programs Rapport starts. On Linux the bootloader puts the bundle's folder on
   LD_LIBRARY_PATH so that the bundled libraries are found. The dynamic loader read that
   variable once, when this process started, so taking it back out of the environment
   changes nothing here; but it keeps programs started from Rapport (the PDF viewer that
   "Open" launches through xdg-open) from loading the bundle's GLib or libstdc++ instead of
   their own, which can crash them.
"""

from __future__ import annotations

import os
import sys

_bundle = getattr(sys, "_MEIPASS", None)
if _bundle is not None:
    _fonts_conf = os.path.join(_bundle, "fonts", "fonts.conf")
    if os.path.isfile(_fonts_conf):
        os.environ.setdefault("FONTCONFIG_FILE", _fonts_conf)

    if sys.platform.startswith("linux"):
        _original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
        if _original is not None:
            os.environ["LD_LIBRARY_PATH"] = _original
        else:
            os.environ.pop("LD_LIBRARY_PATH", None)
