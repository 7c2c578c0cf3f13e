"""Write a bundle as a zip file, and read one back only after checking every byte of it.

Reading refuses, with a message saying what is wrong: a file that is not a zip, a zip that
is not a bundle, a truncated or damaged zip, a member whose sha256 differs from the
manifest (changed after it was made), a member missing from or missing in the manifest,
a bundle from a newer Rapport (format or schema), and JSON of the wrong shape.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from forms.errors import RapportError
from forms.exchange.bundle_model import (
    BLOB_FOLDER,
    FORMAT_NAME,
    FORMAT_VERSION,
    JSON_MEMBERS,
    MANIFEST,
    Bundle,
    Manifest,
    ManifestMember,
)
from forms.exchange.common import ExchangeError
from forms.files import archive_problem, readable_file
from forms.storage.migrations import is_known_revision, newest_revision

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_MEMBER_BYTES = 256 * 1024 * 1024
"""Largest file inside a bundle (a photo or a JSON member)."""
MAX_BUNDLE_BYTES = 4 * 1024 * 1024 * 1024
"""Largest a bundle may unpack to, checked from its directory before anything is read."""
MAX_BUNDLE_MEMBERS = 100_000
_SHA256_TEXT = re.compile(r"[0-9a-f]{64}")
"""Members larger than this are refused before they are read (a zip can expand enormously)."""
ZIP_MAGIC = b"PK\x03\x04"
_BLOB_NAME = re.compile(rf"^{BLOB_FOLDER}([0-9a-f]{{64}})$")


class BundleRefused(ExchangeError):  # noqa: N818 - the name says what happened
    """A bundle file cannot be imported; the message names the file and the problem."""


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def _records(bundle: Bundle, member: str) -> list[BaseModel]:
    records: list[BaseModel] = getattr(bundle, member.removesuffix(".json"))
    return records


def write_bundle(bundle: Bundle, target: Path) -> None:
    """Write `bundle` to `target` (give a temporary path and move it into place when done)."""
    members: list[tuple[str, bytes, int]] = []
    for name in JSON_MEMBERS:
        data = _json_bytes([record.model_dump(mode="json") for record in _records(bundle, name)])
        members.append((name, data, zipfile.ZIP_DEFLATED))
    for sha256 in sorted(bundle.blobs):
        # Photos are compressed already; storing them keeps the zip fast to write and read.
        members.append((f"{BLOB_FOLDER}{sha256}", bundle.blobs[sha256], zipfile.ZIP_STORED))
    manifest = Manifest(
        format=FORMAT_NAME,
        format_version=FORMAT_VERSION,
        schema_revision=bundle.schema_revision,
        bundle_id=bundle.bundle_id,
        created_at=datetime.now(UTC),
        selection=bundle.selection,
        counts=bundle.counts(),
        members={
            name: ManifestMember(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
            for name, data, _ in members
        },
    )
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(
            MANIFEST, _json_bytes(manifest.model_dump(mode="json")), zipfile.ZIP_DEFLATED
        )
        for name, data, compression in members:
            archive.writestr(name, data, compression)


def _shape_error(where: str, error: ValidationError) -> str:
    first = error.errors()[0]
    place = ".".join(str(part) for part in first["loc"])
    more = f" (and {error.error_count() - 1} more problems)" if error.error_count() > 1 else ""
    return f"{where} is not what Rapport writes: at {place or 'the top'}: {first['msg']}{more}"


class _Reader:
    """Reads one bundle file; every problem is raised as BundleRefused naming the file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def refuse(self, problem: str) -> BundleRefused:
        return BundleRefused(f"{self.path} {problem}")

    def open(self) -> zipfile.ZipFile:
        try:
            readable_file(self.path)
        except RapportError as error:
            raise BundleRefused(str(error)) from None
        try:
            with self.path.open("rb") as handle:
                start = handle.read(len(ZIP_MAGIC))
        except FileNotFoundError:
            raise self.refuse("does not exist: check the path") from None
        except OSError as error:
            raise self.refuse(f"cannot be read ({error.strerror or error})") from error
        try:
            return zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            if start == ZIP_MAGIC:
                raise self.refuse(
                    f"is a damaged or truncated zip file ({error}): copy the bundle again "
                    "from where it was made"
                ) from error
            raise self.refuse(
                "is not a Rapport bundle (it is not a zip file): give the .zip file that "
                "`rapport export bundle` wrote"
            ) from error

    def member(self, archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
        info = archive.getinfo(name)
        if info.file_size > limit:
            raise self.refuse(f"has a member {name} of {info.file_size} bytes, too large to read")
        try:
            return archive.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise self.refuse(
                f"is damaged: its member {name} cannot be read ({error}). The file was changed "
                "or cut short after it was made; copy the bundle again"
            ) from error
        except (RuntimeError, NotImplementedError) as error:
            raise self.refuse(f"has a member {name} Rapport cannot read ({error})") from error

    def manifest(self, archive: zipfile.ZipFile) -> Manifest:
        names = archive.namelist()
        if MANIFEST not in names:
            raise self.refuse(
                "is a zip file but not a Rapport bundle (it has no manifest.json): give the "
                "file that `rapport export bundle` wrote"
            )
        raw = self.member(archive, MANIFEST, MAX_MANIFEST_BYTES)
        try:
            data: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise self.refuse(f"has a manifest.json that is not JSON ({error})") from error
        except (ValueError, RecursionError) as error:
            # Python refuses integers of more than 4,300 digits, and nesting deeper than it
            # can follow: Rapport writes neither.
            raise self.refuse(
                "has a manifest.json that Rapport did not write (it holds a number of "
                "thousands of digits or values nested thousands deep)"
            ) from error
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise self.refuse(
                "is a zip file but not a Rapport bundle (its manifest.json does not say "
                f"format '{FORMAT_NAME}')"
            )
        version = data.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise self.refuse(
                f"was made by a newer Rapport (bundle format {version}; this Rapport reads up "
                f"to {FORMAT_VERSION}): update Rapport, then import it"
            )
        try:
            manifest = Manifest.model_validate(data)
        except ValidationError as error:
            raise self.refuse(_shape_error("manifest.json", error)) from error
        if not is_known_revision(manifest.schema_revision):
            raise self.refuse(
                f"was made by a newer Rapport (database schema {manifest.schema_revision}; this "
                f"Rapport knows up to {newest_revision()}): update Rapport, then import it"
            )
        if len(set(names)) != len(names):
            raise self.refuse("holds two members with the same name: it was not made by Rapport")
        listed, present = set(manifest.members), set(names) - {MANIFEST}
        if listed - present:
            missing = ", ".join(sorted(listed - present)[:3])
            raise self.refuse(f"is incomplete: {missing} (listed in its manifest) is missing")
        if present - listed:
            extra = ", ".join(sorted(present - listed)[:3])
            raise self.refuse(
                f"holds {extra}, which its manifest does not list: it was changed after it was made"
            )
        for name in sorted(listed):
            if name not in JSON_MEMBERS and not _BLOB_NAME.match(name):
                raise self.refuse(f"holds {name}, which is not part of a Rapport bundle")
        for name in JSON_MEMBERS:
            if name not in listed:
                raise self.refuse(f"is incomplete: it has no {name}")
        return manifest

    def checked(self, archive: zipfile.ZipFile, name: str, expected: ManifestMember) -> bytes:
        data = self.member(archive, name, MAX_MEMBER_BYTES)
        if len(data) != expected.size or hashlib.sha256(data).hexdigest() != expected.sha256:
            raise self.refuse(
                f"was changed or damaged after it was made: the sha256 of {name} differs from "
                "the one in its manifest. Copy the bundle again from where it was made"
            )
        return data

    def read(self) -> Bundle:
        with self.open() as archive:
            problem = archive_problem(
                self.path,
                archive,
                max_total=MAX_BUNDLE_BYTES,
                max_entry=MAX_MEMBER_BYTES,
                max_entries=MAX_BUNDLE_MEMBERS,
            )
            if problem is not None:
                raise self.refuse(f"{problem}: it was not made by Rapport")
            manifest = self.manifest(archive)
            bundle = Bundle(
                bundle_id=manifest.bundle_id,
                schema_revision=manifest.schema_revision,
                selection=dict(manifest.selection),
            )
            members = sorted(manifest.members.items())
            # The records first: a file that no attachment refers to is refused, not read.
            for name, expected in members:
                if _BLOB_NAME.match(name):
                    continue
                data = self.checked(archive, name, expected)
                model = JSON_MEMBERS[name]
                try:
                    records = TypeAdapter(list[model]).validate_json(data)  # type: ignore[valid-type]
                except ValidationError as error:
                    raise self.refuse(_shape_error(name, error)) from error
                getattr(bundle, name.removesuffix(".json")).extend(records)
            referenced = _referenced_blobs(bundle)
            for name, expected in members:
                blob = _BLOB_NAME.match(name)
                if blob is None:
                    continue
                if blob.group(1) not in referenced:
                    raise self.refuse(
                        f"holds {name}, which no attachment refers to: it was changed after "
                        "it was made"
                    )
                bundle.blobs[blob.group(1)] = self.checked(archive, name, expected)
        return bundle


def _referenced_blobs(bundle: Bundle) -> set[str]:
    """The sha256 of every file an attachment (or an earlier version's) refers to."""
    found: set[str] = set()
    for submission in bundle.submissions:
        found.update(attachment.sha256 for attachment in submission.attachments)
        for revision in submission.revisions:
            found.update(_SHA256_TEXT.findall(revision.attachments))
    return found


def read_bundle(path: Path) -> Bundle:
    """The bundle in `path`, after checking the zip, the manifest, every sum and JSON shape.

    Raises BundleRefused naming the file and what is wrong. References and content hashes
    are checked by import_bundle, which every bundle goes through.
    """
    return _Reader(Path(path)).read()
