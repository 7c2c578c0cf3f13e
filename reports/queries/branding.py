"""The logo a manager chose for the reports, read from where the setting says it is."""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING

from sqlalchemy import select

from reports.queries.common import ATTACHMENTS, BLOBS

if TYPE_CHECKING:
    from forms.storage import Store

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def stored_logo(store: Store, value: str) -> bytes | None:
    """The image bytes of the `logo` setting: a `data:image/...;base64,` URL, `attachment:<id>`
    or the sha256 of a stored blob; None if it names nothing readable."""
    value = value.strip()
    if value.startswith("data:image/") and ";base64," in value:
        try:
            return base64.b64decode(value.split(";base64,", 1)[1], validate=True)
        except (binascii.Error, ValueError):
            return None
    if value.startswith("attachment:"):
        query = (
            select(BLOBS.c.data)
            .join(ATTACHMENTS, ATTACHMENTS.c.sha256 == BLOBS.c.sha256)
            .where(ATTACHMENTS.c.id == value.removeprefix("attachment:"))
        )
    elif _SHA256.match(value.lower()):
        query = select(BLOBS.c.data).where(BLOBS.c.sha256 == value.lower())
    else:
        return None
    with store.reading() as session:
        found = session.execute(query).scalar_one_or_none()
    return None if found is None else bytes(found)
