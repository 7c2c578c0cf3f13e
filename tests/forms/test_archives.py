"""Archives Rapport reads (.xlsx forms, bundles) are checked from their directory before
anything is unpacked: a few kilobytes that would unpack to gigabytes are refused at once."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from forms.authoring.loader import load_form
from forms.errors import FormDefinitionError

END_OF_DIRECTORY = struct.Struct("<4s4H2LH")


def overlapping_workbook(path: Path, *, copies: int, size: int) -> Path:
    """A zip whose directory lists the same compressed data `copies` times under other
    names (the trick of the smallest zip bombs): each copy unpacks to `size` bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/a.xml", b"\0" * size)
    data = path.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    fields = list(END_OF_DIRECTORY.unpack(data[end : end + END_OF_DIRECTORY.size]))
    directory_size, directory_offset = fields[5], fields[6]
    record = data[directory_offset : directory_offset + directory_size]
    records = b"".join(
        record.replace(b"xl/a.xml", f"xl/{chr(ord('a') + n)}.xml".encode()) for n in range(copies)
    )
    fields[3] = fields[4] = copies
    fields[5] = len(records)
    ending = END_OF_DIRECTORY.pack(*fields) + data[end + END_OF_DIRECTORY.size :]
    path.write_bytes(data[:directory_offset] + records + ending)
    return path


@pytest.mark.timeout(20)
def test_a_workbook_that_would_unpack_to_gigabytes_is_refused_at_once(tmp_path: Path) -> None:
    bomb = overlapping_workbook(tmp_path / "bomb.xlsx", copies=20, size=100 * 2**20)
    assert bomb.stat().st_size < 200_000  # 20 × 100 MB declared
    with pytest.raises(FormDefinitionError, match=r"unpacks to 2,000\.0 MB \(at most 200 MB\)"):
        load_form(bomb)


@pytest.mark.timeout(20)
def test_entries_sharing_their_data_are_refused_even_within_the_size_limit(
    tmp_path: Path,
) -> None:
    bomb = overlapping_workbook(tmp_path / "shared.xlsx", copies=2, size=10 * 2**20)
    with pytest.raises(FormDefinitionError, match="whose data overlap"):
        load_form(bomb)
