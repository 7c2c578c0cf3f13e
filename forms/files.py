"""Writing files a user keeps (reports, exports, bundles, forms): all or nothing, with the
permissions any new file of theirs gets. Every command and screen writes through here."""

from __future__ import annotations

import errno
import gc
import glob
import itertools
import os
import shutil
import stat
import struct
import sys
import tempfile
import threading
import traceback
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from forms.errors import RapportError

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
"""What the system says when a disk (or the user's quota on it) has no room left."""

_COMPANIONS = ("", "-wal", "-shm", "-journal")
"""A SQLite database is its file and these companions: writing over any of them destroys it."""
_open_databases: Counter[Path] = Counter()
_lock = threading.Lock()


def protect_database(path: Path) -> None:
    """Refuse, from now on, every write over this database file or its companions."""
    with _lock:
        _open_databases[Path(path).resolve()] += 1


def release_database(path: Path) -> None:
    """The database was closed (once for each protect_database)."""
    with _lock:
        resolved = Path(path).resolve()
        _open_databases[resolved] -= 1
        if _open_databases[resolved] <= 0:
            del _open_databases[resolved]


def _same_file(first: Path, second: Path) -> bool:
    if first == second:
        return True
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


def refuse_overwriting(target: Path, reading: tuple[Path, ...] = ()) -> None:
    """RapportError if `target` is an open database (or one of its -wal, -shm and -journal
    files) or a file being read: writing there would destroy what the user keeps."""
    resolved = Path(target).resolve()
    if resolved.is_dir():
        raise RapportError(f"{target} is a folder: give the name of the file to write in it")
    with _lock:
        databases = list(_open_databases)
    for database in databases:
        for suffix in _COMPANIONS:
            protected = database.with_name(database.name + suffix)
            if _same_file(resolved, protected):
                raise RapportError(
                    f"{target} is {'the database' if not suffix else 'part of the database'} "
                    f"Rapport has open ({database}): writing there would destroy it. "
                    "Choose another file name."
                )
    for source in reading:
        if _same_file(resolved, Path(source).resolve()):
            raise RapportError(
                f"{target} is the file being read: writing there would destroy it. "
                "Choose another file name."
            )


def readable_file(path: Path) -> Path:
    """`path`, if it is an ordinary file to read; otherwise RapportError at once.

    A folder, a named pipe or a device is refused before it is opened: reading a pipe would
    wait for ever for a writer that never comes."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        raise RapportError(f"{path} does not exist: check the path") from None
    except OSError as error:
        raise RapportError(f"cannot read {path}: {error.strerror or error}") from None
    if stat.S_ISDIR(found.st_mode):
        raise RapportError(f"{path} is a folder, not a file: give the file itself")
    if not stat.S_ISREG(found.st_mode):
        raise RapportError(
            f"{path} is not an ordinary file (it is a pipe, socket or device): save what it "
            "holds to a file, then give that file"
        )
    return Path(path)


def normal_file_mode() -> int:
    """The mode a new file gets under the user's umask (0644 with the usual umask 022)."""
    current_umask = os.umask(0)
    os.umask(current_umask)
    return 0o666 & ~current_umask


def is_disk_full(error: BaseException) -> bool:
    """Whether `error`, or what caused it, says the disk has no room left (an OSError, or
    SQLite's "database or disk is full")."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in DISK_FULL_ERRNOS:
            return True
        if "database or disk is full" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def free_space(folder: Path) -> int:
    """Bytes free for the user on the disk that holds `folder` (or its nearest existing
    parent)."""
    place = Path(folder).absolute()
    while place != place.parent:
        try:
            if place.exists():
                break
        except OSError:  # a name the system cannot take (too long): try its parent
            pass
        place = place.parent
    return shutil.disk_usage(place).free


def megabytes(size: int) -> str:
    """A size as people read it on a disk: "12.5 MB" (at least 0.1 MB)."""
    return f"{max(size, 100_000) / 1_000_000:.1f} MB"


def disk_full_message(what: str, folder: Path, *, needs: int | None = None) -> str:
    """The message for a disk too full for `what`: where, how much is free and (when known)
    how much the work needs."""
    free = free_space(folder)
    need = (
        f"it needs about {megabytes(needs)}"
        if needs is not None and needs > free
        else "it needs more than that"
    )
    return (
        f"the disk that holds {folder} is full: {what} cannot be done with "
        f"{megabytes(free)} free, and {need}. Nothing was written. Free some space (or "
        "choose another disk) and run it again"
    )


def _drop_failed_writers(error: BaseException) -> None:
    """Release what a writer that failed on a full disk left open. A library's half-written
    zip (zipfile, openpyxl) would otherwise be closed when collected, fail again and print
    "Exception ignored ... No space left on device" under the user's message."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        current: BaseException | None = error
        while current is not None:
            if current.__traceback__ is not None:
                traceback.clear_frames(current.__traceback__)
            current = current.__cause__ or current.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def require_free_space(what: str, folder: Path, needs: int) -> None:
    """RapportError, before any work starts, when the disk of `folder` has less than `needs`
    bytes free: better said at once than found halfway."""
    try:
        free = free_space(folder)
    except OSError:  # a place that cannot be used at all: opening it says why
        return
    if free < needs:
        raise RapportError(disk_full_message(what, folder, needs=needs))


@contextmanager
def atomic_output(target: Path, *, reading: tuple[Path, ...] = (), tag: str = "") -> Iterator[Path]:
    """A temporary path beside `target` that replaces it only if the block succeeds.

    A reader never sees a half-written file, a failure leaves no file behind, and the file
    gets the user's normal permissions (mkstemp alone would make it private, 0600). An open
    database, its companion files and the files in `reading` are never written over.
    """
    refuse_overwriting(target, reading)
    folder = Path(target).resolve().parent
    if not folder.is_dir():
        raise RapportError(f"cannot write {target}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(
        prefix=_temporary_prefix(Path(target), tag), suffix=Path(target).suffix, dir=folder
    )
    os.close(handle)
    temp_path = Path(temporary)
    temp_path.chmod(normal_file_mode())
    try:
        yield temp_path
        os.replace(temp_path, target)
    except Exception as error:
        if is_disk_full(error):
            message = disk_full_message(f"writing {Path(target).name}", folder)
            _drop_failed_writers(error)
            raise RapportError(message) from None
        raise
    finally:
        temp_path.unlink(missing_ok=True)


def _temporary_prefix(target: Path, tag: str) -> str:
    return f".{target.stem}.{tag}." if tag else f".{target.stem}."


def temporary_files(target: Path, tag: str) -> list[Path]:
    """The temporary files an `atomic_output(target, tag=tag)` left behind (its writer was
    killed before it could remove them)."""
    folder = Path(target).resolve().parent
    prefix = _temporary_prefix(Path(target), tag)
    return [path for path in folder.glob(f"{glob.escape(prefix)}*{glob.escape(target.suffix)}")]


_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
"""A zip entry's local header: its name and extra-field lengths say where its data starts."""


def archive_problem(
    path: Path, archive: zipfile.ZipFile, *, max_total: int, max_entry: int, max_entries: int
) -> str | None:
    """Why an archive must not be unpacked, from its directory alone (nothing decompressed):
    too many entries, an entry or the whole larger than the limits, or entries whose data
    overlap, the trick by which a few kilobytes unpack to gigabytes."""
    entries = archive.infolist()
    if len(entries) > max_entries:
        return f"holds {len(entries):,} files; at most {max_entries:,} are expected"
    total = 0
    for entry in entries:
        if entry.file_size > max_entry:
            return (
                f"holds {entry.filename}, which unpacks to {entry.file_size / 2**20:,.1f} MB "
                f"(at most {max_entry / 2**20:,.0f} MB)"
            )
        total += entry.file_size
    if total > max_total:
        return f"unpacks to {total / 2**20:,.1f} MB (at most {max_total / 2**20:,.0f} MB)"
    spans = []
    size = Path(path).stat().st_size
    with Path(path).open("rb") as handle:
        for entry in entries:
            # A damaged directory can point anywhere, even before the start of the file.
            if not 0 <= entry.header_offset <= size - _LOCAL_HEADER.size:
                return f"is damaged: the data of {entry.filename} is missing"
            handle.seek(entry.header_offset)
            header = handle.read(_LOCAL_HEADER.size)
            if len(header) < _LOCAL_HEADER.size:
                return f"is damaged: the data of {entry.filename} is missing"
            fields = _LOCAL_HEADER.unpack(header)
            start = entry.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10]
            spans.append((entry.header_offset, start + entry.compress_size, entry.filename))
    spans.sort()
    for (_begin, end, name), (begin, _end, other) in itertools.pairwise(spans):
        if begin < end:
            return (
                f"has files whose data overlap ({name} and {other}), which no ordinary zip file has"
            )
    return None
