"""Writing files a user keeps (reports, exports, bundles, forms): all or nothing, with the
permissions any new file of theirs gets. Every command and screen writes through here."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from forms.errors import RapportError


def normal_file_mode() -> int:
    """The mode a new file gets under the user's umask (0644 with the usual umask 022)."""
    current_umask = os.umask(0)
    os.umask(current_umask)
    return 0o666 & ~current_umask


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` that replaces it only if the block succeeds.

    A reader never sees a half-written file, a failure leaves no file behind, and the file
    gets the user's normal permissions (mkstemp alone would make it private, 0600).
    """
    folder = Path(target).resolve().parent
    if not folder.is_dir():
        raise RapportError(f"cannot write {target}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(
        prefix=f".{Path(target).stem}.", suffix=Path(target).suffix, dir=folder
    )
    os.close(handle)
    temp_path = Path(temporary)
    temp_path.chmod(normal_file_mode())
    try:
        yield temp_path
        os.replace(temp_path, target)
    finally:
        temp_path.unlink(missing_ok=True)
