"""Whether the write-ahead log beside a SQLite database belongs to it.

After a crash the newest saved answers are still in `rapport.db-wal`, and SQLite replays
them into `rapport.db` when it is next opened: that is how a shopper's visit survives a
power cut. But a log left beside a *different* file, say a backup copied over rapport.db,
is replayed all the same: its pages land on a file they were not written for, and visits
and answers silently go missing. SQLite cannot tell the two apart, so Rapport looks before
SQLite opens the file:

1. The log's frames, read as SQLite reads them (salts and checksums), name the pages each
   commit changed and how many pages the database then had: every other page must come
   from the file. A file too short to hold them is not the one the log was written on.
2. The file as it would be with the log replayed (read-only, nothing written) must keep
   everything the file holds without it: Rapport never deletes a submission or an audit
   event, and never changes the answers of a finalized visit without reopening it.

A log that another program has open (a Rapport still running) is that program's to
replay, and is left alone.
"""

from __future__ import annotations

import sqlite3
import struct
import sys
import threading
from collections import Counter
from pathlib import Path

_open_stores: Counter[Path] = Counter()
_open_lock = threading.Lock()

WAL_HEADER = struct.Struct(">IIIIIIII")
FRAME_HEADER = struct.Struct(">IIIIII")
_MAGIC_LITTLE, _MAGIC_BIG = 0x377F0682, 0x377F0683
_SHM_DMS_BYTE = 128
"""SQLite's unix VFS: every connection to a WAL database holds a read lock on this byte of
the -shm file (`UNIX_SHM_DMS`)."""


def _checksum(data: bytes, big_endian: bool, first: int, second: int) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for index in range(0, len(words), 2):
        first = (first + words[index] + second) & 0xFFFFFFFF
        second = (second + words[index + 1] + first) & 0xFFFFFFFF
    return first, second


def _pages_needed_from_the_file(wal: Path, page_size: int) -> tuple[int, int] | None:
    """(pages the file must have, the log's page size) for the log's valid commits; None
    when the log holds no valid commit (SQLite then ignores it)."""
    with wal.open("rb") as handle:
        header = handle.read(WAL_HEADER.size)
        if len(header) < WAL_HEADER.size:
            return None
        magic, _version, log_page_size, _sequence, salt1, salt2, check1, check2 = WAL_HEADER.unpack(
            header
        )
        if magic not in (_MAGIC_LITTLE, _MAGIC_BIG):
            return None
        big_endian = magic == _MAGIC_BIG
        running = _checksum(header[:24], big_endian, 0, 0)
        if running != (check1, check2):
            return None
        if log_page_size != page_size:
            return 0, log_page_size
        written: set[int] = set()
        pending: set[int] = set()
        needed = 0
        while True:
            frame = handle.read(FRAME_HEADER.size + log_page_size)
            if len(frame) < FRAME_HEADER.size + log_page_size:
                break
            page, commit_size, frame_salt1, frame_salt2, check1, check2 = FRAME_HEADER.unpack(
                frame[: FRAME_HEADER.size]
            )
            if (frame_salt1, frame_salt2) != (salt1, salt2):
                break
            running = _checksum(frame[:8], big_endian, *running)
            running = _checksum(frame[FRAME_HEADER.size :], big_endian, *running)
            if running != (check1, check2):
                break
            pending.add(page)
            if commit_size:
                written |= pending
                pending = set()
                # The highest page of the database after this commit that the log does
                # not hold must be read from the file.
                top = commit_size
                while top > 0 and top in written:
                    top -= 1
                needed = max(needed, top)
    return needed, log_page_size


def store_opened(path: Path) -> None:
    """A Store of this program opened the database at `path` (its log is live)."""
    with _open_lock:
        _open_stores[path.resolve()] += 1


def store_closed(path: Path) -> None:
    """A Store of this program closed the database at `path`."""
    with _open_lock:
        resolved = path.resolve()
        _open_stores[resolved] -= 1
        if _open_stores[resolved] <= 0:
            del _open_stores[resolved]


# struct flock differs between systems: which fields come first, and where l_type is.
_FLOCK = {"darwin": ("qqihh", 3), "freebsd": ("qqihhi", 3)}.get(
    sys.platform.rstrip("0123456789"), ("hhqqi", 0)
)


def in_use_elsewhere(path: Path) -> bool:
    """Whether another program has the database at `path` open, or whether that cannot be
    told (Windows): either way its log is not ours to judge."""
    if sys.platform == "win32":
        return True
    shm = path.with_name(path.name + "-shm")
    if not shm.exists():
        return False
    import fcntl

    layout, type_field = _FLOCK
    fields: list[int] = [0] * len(layout)
    fields[type_field] = fcntl.F_WRLCK
    if type_field == 0:  # Linux: l_type, l_whence, l_start, l_len, l_pid
        fields[2], fields[3] = _SHM_DMS_BYTE, 1
    else:  # BSD, macOS: l_start, l_len, l_pid, l_type, l_whence
        fields[0], fields[1] = _SHM_DMS_BYTE, 1
    try:
        with shm.open("rb+") as handle:
            found = fcntl.fcntl(handle.fileno(), fcntl.F_GETLK, struct.pack(layout, *fields))
    except OSError:
        return True  # cannot tell: leave the log alone
    lock_type: int = struct.unpack(layout, found)[type_field]
    return lock_type != fcntl.F_UNLCK


_KEPT = (
    ("visits", "SELECT id FROM submission"),
    ("audit events", "SELECT id FROM auditevent"),
)
"""What Rapport never deletes: replaying a log that belongs keeps every one of them."""


def _lost_by_replaying(path: Path) -> str | None:
    """What replaying the log would lose of what the file holds without it; None if nothing
    (or if the file alone cannot be compared: a crash during a checkpoint leaves it half
    written, and only the log makes it whole again)."""
    shm = path.with_name(path.name + "-shm")
    made_shm = not shm.exists()
    connections: list[sqlite3.Connection] = []
    try:
        replayed = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        connections.append(replayed)
        if replayed.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            return "the file with the log replayed is damaged"
        base = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        connections.append(base)
        try:
            if base.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return None
        except sqlite3.DatabaseError:
            return None
        for what, ids in _KEPT:
            before = {row[0] for row in base.execute(ids)}
            after = {row[0] for row in replayed.execute(ids)}
            if missing := len(before - after):
                return f"{missing} of the {len(before)} {what} in the file would be gone"
        answers = (
            "SELECT s.id, s.revision, count(a.id) FROM submission s "
            "LEFT JOIN answer a ON a.submission_id = s.id "
            "WHERE s.content_hash IS NOT NULL GROUP BY s.id, s.revision"
        )
        before_answers = {(row[0], row[1]): row[2] for row in base.execute(answers)}
        after_answers = {(row[0], row[1]): row[2] for row in replayed.execute(answers)}
        changed = [
            key
            for key, number in before_answers.items()
            if after_answers.get(key, number) != number
        ]
        if changed:
            return f"the answers of {len(changed)} finalized visits would change"
    except sqlite3.DatabaseError as error:
        return f"the file with the log replayed cannot be read ({error})"
    finally:
        for connection in connections:
            connection.close()
        if made_shm and not in_use_elsewhere(path):
            # Reading the log made SQLite's index of it; nobody else has the file open.
            shm.unlink(missing_ok=True)
    return None


def foreign_log_problem(path: Path) -> str | None:
    """Why the -wal file beside `path` was not written on this file (replaying it would
    destroy data), or None when it belongs to it, is empty, or is another program's."""
    wal = path.with_name(path.name + "-wal")
    try:
        if not wal.exists() or wal.stat().st_size <= WAL_HEADER.size:
            return None
        with _open_lock:
            live_here = _open_stores[path.resolve()] > 0
        if live_here or in_use_elsewhere(path):
            return None
        with path.open("rb") as handle:
            header = handle.read(100)
        if len(header) < 100:
            return None
        page_size = struct.unpack(">H", header[16:18])[0]
        page_size = 65536 if page_size == 1 else page_size
        found = _pages_needed_from_the_file(wal, page_size)
        if found is None:
            return None
        needed, log_page_size = found
        if log_page_size != page_size:
            return f"the log is of pages of {log_page_size} bytes, the file of {page_size}"
        pages = path.stat().st_size // page_size
        if needed > pages:
            return f"the log needs page {needed} of the file, which has {pages} pages"
    except OSError as error:
        return f"the log cannot be read ({error.strerror or error})"
    return _lost_by_replaying(path)
