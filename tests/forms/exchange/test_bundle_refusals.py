"""A bundle that is damaged, tampered with, newer or not a bundle is refused, changing nothing."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from forms.definition.limits import MAX_QUESTIONS
from forms.exchange import BundleRefused, ExchangeError, export_bundle, import_bundle_file
from forms.exchange.bundle_file import read_bundle
from forms.storage import Store
from tests.forms.exchange.work import PHOTO, database_dump, shopper_work

Change = Callable[[dict[str, bytes]], None]
STRAY = b"three of these, of 1 GiB each, took 4.2 GB of memory to refuse"


@pytest.fixture
def bundle(laptop: Store, tmp_path: Path) -> Path:
    shopper_work(laptop)
    path = tmp_path / "march.zip"
    export_bundle(laptop, path)
    return path


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Store]:
    """The database a bundle is imported into. These refusals happen before anything is
    written, so SQLite suffices; refusals found while merging run on every backend
    (test_bundles)."""
    opened = Store.open(f"sqlite:///{tmp_path / 'target.db'}")
    yield opened
    opened.close()


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rebuild(path: Path, target: Path, change: Change, *, fix_manifest: bool = True) -> Path:
    """Write `target` with the members of `path` changed; the manifest sums redone if asked,
    as someone editing the bundle on purpose would."""
    found = members(path)
    change(found)
    if fix_manifest:
        manifest = json.loads(found["manifest.json"])
        manifest["members"] = {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in found.items()
            if name != "manifest.json"
        }
        found["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in found.items():
            archive.writestr(name, data)
    return target


def edit_json(member: str, edit: Callable[[list[dict[str, object]]], None]) -> Change:
    def change(found: dict[str, bytes]) -> None:
        records = json.loads(found[member])
        edit(records)
        found[member] = json.dumps(records).encode()

    return change


def edit_manifest(**values: object) -> Change:
    def change(found: dict[str, bytes]) -> None:
        found["manifest.json"] = json.dumps(
            {**json.loads(found["manifest.json"]), **values}
        ).encode()

    return change


def set_answer(records: list[dict[str, object]]) -> None:
    answers = records[0]["answers"]
    assert isinstance(answers, list)
    for answer in answers:
        if answer["question"] == "resolved":
            answer["value"] = "yes" if answer["value"] == "no" else "no"


def forget_sites(found: dict[str, bytes]) -> None:
    for member in ("locations.json", "agents.json", "assignments.json"):
        found[member] = b"[]"


def drop_field(records: list[dict[str, object]]) -> None:
    del records[0]["status"]


def set_field(name: str, value: object) -> Callable[[list[dict[str, object]]], None]:
    def edit(records: list[dict[str, object]]) -> None:
        records[0][name] = value

    return edit


def oversize_form(records: list[dict[str, object]]) -> None:
    """The bundle's form given one question more than forms.definition.limits allows."""
    definition = json.loads(str(records[0]["definition"]))
    definition["children"] = [
        {"kind": "question", "name": f"q{i}", "type": "text"} for i in range(MAX_QUESTIONS + 1)
    ]
    text = json.dumps(definition)
    records[0].update(definition=text, sha256=hashlib.sha256(text.encode()).hexdigest())


TAMPERED: list[tuple[str, Change, bool, str]] = [
    ("answer changed", edit_json("submissions.json", set_answer), True, "content hash"),
    (
        "form beyond the size limit",
        edit_json("forms.json", oversize_form),
        True,
        r"has 10,001 questions, groups, notes and calculations; a form may have at most 10,000",
    ),
    (
        "answer changed, sums not redone",
        edit_json("submissions.json", set_answer),
        False,
        "sha256 of submissions.json differs",
    ),
    ("field missing", edit_json("submissions.json", drop_field), True, r"at 0\.status: Field"),
    (
        "score no form can give",
        edit_json("submissions.json", set_field("score", 1e300)),
        True,
        r"at 0\.score: Input should be less than or equal to 100",
    ),
    (
        "score not a number",
        edit_json("submissions.json", set_field("score", float("nan"))),
        True,
        r"at 0\.score: Input should be a finite number",
    ),
    (
        "revision out of range",
        edit_json("submissions.json", set_field("revision", 2**63)),
        True,
        r"at 0\.revision: Input should be less than or equal to 100000",
    ),
    (
        "id not a UUID",
        edit_json("submissions.json", set_field("id", "visit-1")),
        True,
        r"at 0\.id: Value error, 'visit-1' is not a UUID",
    ),
    (
        "site time zone unknown",
        edit_json("locations.json", set_field("time_zone", "Mars/Olympus")),
        True,
        r"at 0\.time_zone: Value error, time zone 'Mars/Olympus' is unknown",
    ),
    (
        "reference missing",
        forget_sites,
        True,
        "refers to location LOBBY-1, which the bundle lacks",
    ),
    (
        "photo swapped",
        lambda found: found.update(
            {name: b"another picture" for name in found if name.startswith("blobs/")}
        ),
        True,
        "does not match its sha256",
    ),
    (
        "file nobody refers to",
        lambda found: found.update({f"blobs/{hashlib.sha256(STRAY).hexdigest()}": STRAY}),
        True,
        "which no attachment refers to",
    ),
    (
        "member added",
        lambda found: found.update({"notes.txt": b"hello"}),
        False,
        "holds notes.txt, which its manifest does not list",
    ),
    (
        "member removed",
        lambda found: found.pop("people.json") and None,
        False,
        "people.json .*is missing",
    ),
    ("newer format", edit_manifest(format_version=2), False, r"newer Rapport \(bundle format 2"),
    (
        "newer schema",
        edit_manifest(schema_revision="rev9999_from_the_future"),
        False,
        r"newer Rapport \(database schema rev9999",
    ),
    (
        "not a bundle manifest",
        edit_manifest(format="something-else"),
        False,
        "not a Rapport bundle",
    ),
]


@pytest.mark.parametrize(
    ("change", "fix_manifest", "message"),
    [pytest.param(change, fix, message, id=name) for name, change, fix, message in TAMPERED],
)
def test_a_tampered_bundle_is_refused_and_changes_nothing(
    target: Store,
    bundle: Path,
    tmp_path: Path,
    change: Change,
    fix_manifest: bool,
    message: str,
) -> None:
    tampered = rebuild(bundle, tmp_path / "tampered.zip", change, fix_manifest=fix_manifest)
    before = database_dump(target)

    with pytest.raises(ExchangeError, match=message):
        import_bundle_file(target, tampered, actor="dana")

    assert database_dump(target) == before


def test_a_truncated_bundle_is_refused(target: Store, bundle: Path, tmp_path: Path) -> None:
    data = bundle.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) * 2 // 3])
    before = database_dump(target)
    with pytest.raises(BundleRefused, match="damaged or truncated zip"):
        import_bundle_file(target, cut, actor="dana")
    assert database_dump(target) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(PHOTO, "not a Rapport bundle \\(it is not a zip file\\)", id="a photo"),
        pytest.param(b"", "not a Rapport bundle", id="empty file"),
    ],
)
def test_a_file_that_is_not_a_zip_is_refused(
    target: Store, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bundle.zip"
    path.write_bytes(content)
    with pytest.raises(BundleRefused, match=message):
        import_bundle_file(target, path, actor="dana")


def test_a_zip_that_is_not_a_bundle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("spill.jpg", PHOTO)
    with pytest.raises(BundleRefused, match=r"not a Rapport bundle \(it has no manifest.json\)"):
        read_bundle(path)


def _middles(path: Path) -> dict[str, int]:
    """The position of the middle byte of each member's data inside the zip."""
    raw = path.read_bytes()
    middles = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            start = info.header_offset
            name_length, extra_length = struct.unpack("<HH", raw[start + 26 : start + 30])
            middles[info.filename] = (
                start + 30 + name_length + extra_length + info.compress_size // 2
            )
    return middles


def test_a_changed_byte_in_any_member_is_refused(bundle: Path, tmp_path: Path) -> None:
    original = bundle.read_bytes()
    changed = tmp_path / "changed.zip"
    middles = _middles(bundle)
    assert {"manifest.json", "submissions.json", "forms.json"} <= set(middles)
    refused = []
    for name, position in middles.items():
        data = bytearray(original)
        data[position] ^= 0xFF
        changed.write_bytes(bytes(data))
        with pytest.raises(BundleRefused, match=r"damaged|changed|not JSON") as error:
            read_bundle(changed)
        assert "copy the bundle again" in str(error.value).lower() or name == "manifest.json"
        refused.append(name)
    assert refused == list(middles)


def test_a_changed_byte_anywhere_never_yields_different_data(bundle: Path, tmp_path: Path) -> None:
    original = bundle.read_bytes()
    expected = read_bundle(bundle)
    changed = tmp_path / "changed.zip"
    refused = 0
    for position in range(0, len(original), 11):
        data = bytearray(original)
        data[position] ^= 0x20
        changed.write_bytes(bytes(data))
        try:
            found = read_bundle(changed)
        except BundleRefused:
            refused += 1
            continue
        # Only bytes no reader uses (zip timestamps, the "made by" field) may change unnoticed.
        assert (found.submissions, found.forms, found.blobs) == (
            expected.submissions,
            expected.forms,
            expected.blobs,
        )
    assert refused > len(original) // 11 * 0.9


def test_ids_in_capitals_or_braces_are_the_same_visits(
    target: Store, bundle: Path, tmp_path: Path
) -> None:
    # A spreadsheet round trip writes the office's own visits back with their ids shouted.
    assert import_bundle_file(target, bundle, actor="office").submissions_added > 0
    before = database_dump(target)

    def shout(records: list[dict[str, object]]) -> None:
        for record in records:
            record["id"] = "{" + str(record["id"]).upper() + "}"
            for attachment in record["attachments"]:  # type: ignore[attr-defined]
                attachment["id"] = str(attachment["id"]).upper()

    shouted = rebuild(bundle, tmp_path / "shouted.zip", edit_json("submissions.json", shout))
    report = import_bundle_file(target, shouted, actor="office")
    assert report.submissions_added == 0
    assert database_dump(target) == before


def test_a_survey_sent_without_a_visit_time_counts_from_when_it_was_sent(
    target: Store, bundle: Path, tmp_path: Path
) -> None:
    # What a laptop of an older version sent for a kiosk survey: no visit time.
    def undate(records: list[dict[str, object]]) -> None:
        for record in records:
            record["visit_at"] = None

    undated = rebuild(bundle, tmp_path / "undated.zip", edit_json("submissions.json", undate))
    assert import_bundle_file(target, undated, actor="office").submissions_added > 0
    with target.reading() as session:
        times = session.execute(text("SELECT visit_at, finished_at FROM submission")).all()
    assert times
    assert all(visit == finished for visit, finished in times)
