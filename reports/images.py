"""Photos and logos made safe and small for a report.

Every image a report shows is decoded and re-encoded here (Pillow, which WeasyPrint already
uses), then inlined as a `data:` URL: metadata and anything that is not pixels is dropped,
a photo never brings a URL of its own, and a 12-megapixel photo costs WeasyPrint no more
than a thumbnail. Pillow is imported only when an image is actually shown.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from reports.render import data_url

PHOTO_BOX = (900, 700)
"""Largest photo size in pixels: sharp at the width a report prints it (about 80 mm)."""
LOGO_BOX = (600, 240)


def _open_and_shrink(data: bytes, box: tuple[int, int]) -> Any:
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            # A huge or odd image must not stop a report; it is refused below instead.
            warnings.simplefilter("ignore")
            image: Any = Image.open(io.BytesIO(data))
            if image.width * image.height > 60_000_000:
                return None
            if image.format == "JPEG":
                image.draft("RGB", box)
            image = ImageOps.exif_transpose(image)
            image.thumbnail(box)
            image.load()
            return image
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None


def photo_data_url(data: bytes) -> str | None:
    """A photo as a JPEG `data:` URL no larger than PHOTO_BOX; None if it is not an image."""
    image = _open_and_shrink(data, PHOTO_BOX)
    if image is None:
        return None
    from PIL import Image

    assert isinstance(image, Image.Image)
    if image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=False)
    return data_url(out.getvalue(), "image/jpeg")


def logo_data_url(data: bytes) -> str | None:
    """A logo as a PNG `data:` URL (transparency kept); None if it is not an image."""
    image = _open_and_shrink(data, LOGO_BOX)
    if image is None:
        return None
    from PIL import Image

    assert isinstance(image, Image.Image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, "PNG")
    return data_url(out.getvalue(), "image/png")
