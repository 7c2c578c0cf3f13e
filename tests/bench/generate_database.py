"""Write a synthetic Rapport database the size of a national facility-services company.

    .venv/bin/python -m tests.bench.generate_database --size full   # ~150,000 submissions
    .venv/bin/python -m tests.bench.generate_database --size small  # ~10,000

The schema comes from Store.open (the Alembic migrations) and the forms from the built-in
library (Store.add_form), so the file is exactly what the app reads. Rows are then written
with sqlite3's executemany in one transaction, with the journal and fsync off: the file is
built beside its target and renamed into place only when complete, then put back into WAL.
The same seed gives the same data; see synthetic_company for the distributions.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from forms.authoring.loader import load_builtin_forms
from forms.definition.model import FormDefinition
from forms.sample.company import (
    CUSTOMER_COMMENTS,
    EMPLOYEE_COMMENTS,
    SCENARIOS,
    SHOPPER_COMMENTS_GOOD,
    SHOPPER_COMMENTS_POOR,
)
from forms.storage import Store
from forms.storage.values import canonical_json, content_hash
from tests.bench.answer_patterns import Pattern, PatternBook
from tests.bench.synthetic_company import (
    FIRST_NAMES,
    LAST_NAMES,
    RESPONDENT_KIND,
    SHOPPERS,
    PlannedSubmission,
    SiteProfile,
    plan_company,
)

SIZES = {"full": 150_000, "small": 10_000, "tiny": 2_000, "micro": 600}
DEFAULT_END = date(2026, 10, 31)
DEFAULT_SEED = 2026
BUILD_FOLDER = Path("build/bench")
CHUNK = 4_000
"""Submissions per executemany batch (about 100,000 answer rows)."""
ANSWER_NOTES = (
    "Shopper noted the agent checked the rota before answering.",
    "Agent used the caller's name twice.",
    "Had to repeat the request once.",
    "Agent offered a call back time without being asked.",
    "Response was polite but scripted.",
    "Supervisor joined the conversation at the end.",
)
OPTIONAL_TEXT_SHARE = {
    "mystery_shop_empathy": 0.95,  # programs ask shoppers to comment on every section
    "customer_survey": 0.35,
    "employee_pulse": 0.4,
    "site_inspection": 0.5,
}
PHOTO_SHARE = {"evidence_photo": 0.06}
"""Share of submissions attaching a photo to an optional image question; inspection
photos of failed items are taken 75 % of the time."""


def _when(value: datetime) -> str:
    # How SQLAlchemy's SQLite DateTime stores a UTC datetime: 2026-10-31 14:05:00.000000.
    return value.isoformat(sep=" ", timespec="microseconds")[:26]


def _photo(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (96, 72), tuple(rng.randrange(90, 230) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y = rng.randrange(80), rng.randrange(56)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + rng.randrange(8, 40), y + rng.randrange(6, 30)), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


@dataclass
class Tables:
    """Rows of one batch, in the column order of the INSERT statements."""

    submissions: list[tuple[object, ...]]
    answers: list[tuple[object, ...]]
    audit: list[tuple[object, ...]]
    attachments: list[tuple[object, ...]]
    blobs: list[tuple[object, ...]]


SUBMISSION_COLUMNS = (
    "id, form_version_id, location_id, agent_id, assignment_id, respondent_kind, respondent_id, "
    "status, channel, started_at, finished_at, visit_at, device_id, language, current_question, "
    "score, raw_score, empathy_index, band, critical_failure, content_hash, review_note, revision"
)
ANSWER_COLUMNS = (
    "submission_id, question, value, points, possible, not_applicable, comment, updated_at"
)
AUDIT_COLUMNS = "at, actor, action, submission_id, detail"
ATTACHMENT_COLUMNS = "id, submission_id, question, filename, media_type, sha256"


class Writer:
    """Turns planned submissions into rows, with the pattern book and the stored form ids."""

    def __init__(
        self,
        forms: dict[str, FormDefinition],
        form_ids: dict[str, int],
        form_hashes: dict[str, str],
        book: PatternBook,
        sites: list[SiteProfile],
        location_ids: dict[int, int],
        agent_ids: dict[tuple[int, int], int],
        shopper_ids: list[int],
    ) -> None:
        self.forms = forms
        self.form_ids = form_ids
        self.form_hashes = form_hashes
        self.book = book
        self.sites = sites
        self.location_ids = location_ids
        self.agent_ids = agent_ids
        self.shopper_ids = shopper_ids
        self.types = {
            key: {q.name: q.type for q in form.questions()} for key, form in forms.items()
        }
        self._json: dict[object, str] = {}

    def json_text(self, value: object) -> str:
        """The answer as the JSON column stores it (free texts repeat, so they are cached)."""
        found = self._json.get(value)
        if found is None:
            found = self._json[value] = json.dumps(value)
        return found

    def _free_value(
        self, planned: PlannedSubmission, name: str, rng: random.Random
    ) -> object | None:
        kind = self.types[planned.form_key][name]
        if kind == "integer":
            return min(60, int(rng.expovariate(1 / 4)))
        if kind == "image":
            share = PHOTO_SHARE.get(name, 0.75)
            return f"{name}-{rng.randrange(10_000):04d}.jpg" if rng.random() < share else None
        if name == "scenario":
            return rng.choice(SCENARIOS)
        if name == "contact_email":
            return f"customer{rng.randrange(1_000_000)}@example.com"
        if rng.random() >= OPTIONAL_TEXT_SHARE[planned.form_key]:
            return None
        if planned.form_key == "mystery_shop_empathy":
            good = rng.random() < planned.quality
            return rng.choice(SHOPPER_COMMENTS_GOOD if good else SHOPPER_COMMENTS_POOR)
        if planned.form_key == "employee_pulse":
            return rng.choice([text for text in EMPLOYEE_COMMENTS if text])
        if planned.form_key == "customer_survey":
            return rng.choice([text for text in CUSTOMER_COMMENTS if text])
        return rng.choice(("Floors freshly mopped.", "Bins emptied on time.", "Signage missing."))

    def rows(self, batch: Sequence[PlannedSubmission], tables: Tables) -> None:
        """Append the rows of each planned submission to `tables`."""
        for planned in batch:
            self._submission(planned, tables)

    def _submission(self, planned: PlannedSubmission, tables: Tables) -> None:
        rng = random.Random(planned.seed)
        submission_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        form = self.forms[planned.form_key]
        pattern: Pattern = self.book.pick(planned.form_key, planned.channel, planned.quality, rng)
        answers: dict[str, object] = dict(pattern.answers)
        free: dict[str, object] = {}
        for name in pattern.free_questions:
            if name == "contact_email" and answers.get("contact_consent") != "yes":
                continue
            value = self._free_value(planned, name, rng)
            if value is not None:
                free[name] = value
        answers.update(free)
        notes = {
            name: rng.choice(ANSWER_NOTES)
            for name in pattern.scored_questions
            if rng.random() < 0.03
        }
        draft = planned.status == "draft"
        if draft:
            # A draft stops part-way: only the first answers of the form are saved.
            order = [q.name for q in form.questions() if q.name in answers]
            kept = set(order[: rng.randint(3, max(3, len(order) - 2))])
            answers = {name: value for name, value in answers.items() if name in kept}
            notes = {name: text for name, text in notes.items() if name in kept}
        started = planned.visit_at - timedelta(minutes=rng.randint(2, 30))
        finished = None if draft else planned.visit_at + timedelta(minutes=rng.randint(15, 120))
        photos: list[str] = []
        for name in sorted(answers):
            if self.types[planned.form_key][name] == "image":
                data = _photo(rng)
                sha256 = hashlib.sha256(data).hexdigest()
                tables.blobs.append((sha256, data, len(data)))
                attachment_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                tables.attachments.append(
                    (attachment_id, submission_id, name, str(answers[name]), "image/jpeg", sha256)
                )
                photos.append(sha256)
        digest = (
            None
            if draft
            else content_hash(self.form_hashes[planned.form_key], answers, notes, photos)
        )
        site = self.sites[planned.site]
        kind = RESPONDENT_KIND[planned.form_key]
        language = None
        if planned.form_key == "customer_survey" and rng.random() < 0.2:
            language = form.languages[1]
        tables.submissions.append(
            (
                submission_id,
                self.form_ids[planned.form_key],
                self.location_ids[planned.site],
                None if planned.agent is None else self.agent_ids[(planned.site, planned.agent)],
                None,
                kind,
                None if planned.shopper is None else self.shopper_ids[planned.shopper],
                planned.status,
                planned.channel,
                _when(started),
                None if finished is None else _when(finished),
                _when(planned.visit_at),
                f"kiosk-{site.code}" if kind == "customer" else f"laptop-{rng.randrange(60):02d}",
                language,
                max(answers, key=list(answers).index) if draft and answers else None,
                None if draft else pattern.score,
                None if draft else pattern.raw_score,
                None if draft else pattern.empathy_index,
                None if draft else pattern.band,
                0 if draft else int(pattern.critical_failure),
                digest,
                "",
                0,
            )
        )
        saved_at = _when(finished or started)
        for name in sorted(set(answers) | set(notes)):
            row = pattern.rows.get(name)
            value = answers.get(name)
            if row is not None and not draft:
                stored = (row.value_json, row.points, row.possible, int(row.not_applicable))
            else:
                stored = (None if value is None else self.json_text(value), None, None, 0)
            tables.answers.append((submission_id, name, *stored, notes.get(name, ""), saved_at))
        self._audit(planned, submission_id, started, finished, pattern, digest, tables, rng)

    def _audit(
        self,
        planned: PlannedSubmission,
        submission_id: str,
        started: datetime,
        finished: datetime | None,
        pattern: Pattern,
        digest: str | None,
        tables: Tables,
        rng: random.Random,
    ) -> None:
        actor = "kiosk" if planned.form_key == "customer_survey" else "field"
        started_detail = canonical_json({"form_version_id": self.form_ids[planned.form_key]})
        tables.audit.append((_when(started), actor, "started", submission_id, started_detail))
        if finished is None:
            return
        finalized = {"content_hash": digest, "revision": 0, "score": pattern.score}
        tables.audit.append(
            (_when(finished), actor, "finalized", submission_id, canonical_json(finalized))
        )
        reviewed = _when(finished + timedelta(days=rng.randint(1, 12)))
        if planned.status in ("accepted", "rejected"):
            detail = canonical_json({"note": ""})
            tables.audit.append((reviewed, "manager", planned.status, submission_id, detail))
        elif planned.status == "void":
            detail = canonical_json({"previous_status": "final", "reason": "duplicate visit"})
            tables.audit.append((reviewed, "manager", "voided", submission_id, detail))


def _batches(items: list[PlannedSubmission], size: int) -> Iterator[list[PlannedSubmission]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_people(
    connection: sqlite3.Connection, sites: list[SiteProfile]
) -> tuple[dict[int, int], dict[tuple[int, int], int], list[int]]:
    location_ids: dict[int, int] = {}
    agent_ids: dict[tuple[int, int], int] = {}
    for site in sites:
        cursor = connection.execute(
            "INSERT INTO location (code, name, city, active) VALUES (?, ?, ?, 1)",
            (site.code, site.name, site.city),
        )
        assert cursor.lastrowid is not None
        location_ids[site.index] = cursor.lastrowid
        for number, agent in enumerate(site.agents):
            cursor = connection.execute(
                "INSERT INTO agent (code, name, location_id, active) VALUES (?, ?, ?, ?)",
                (agent.code, agent.name, location_ids[site.index], int(agent.active)),
            )
            assert cursor.lastrowid is not None
            agent_ids[(site.index, number)] = cursor.lastrowid
    shopper_ids: list[int] = []
    for number in range(SHOPPERS):
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        last = LAST_NAMES[(number * 7 + 3) % len(LAST_NAMES)]
        cursor = connection.execute(
            "INSERT INTO person (name, role) VALUES (?, 'shopper')",
            (f"{first} {last} ({number + 1:03d})",),
        )
        assert cursor.lastrowid is not None
        shopper_ids.append(cursor.lastrowid)
    connection.execute("INSERT INTO person (name, role) VALUES ('Program manager', 'manager')")
    return location_ids, agent_ids, shopper_ids


def _store_forms(url: str) -> tuple[dict[str, FormDefinition], dict[str, int], dict[str, str]]:
    forms: dict[str, FormDefinition] = {}
    form_ids: dict[str, int] = {}
    form_hashes: dict[str, str] = {}
    with Store.open(url) as store:
        for form in load_builtin_forms():
            form_ids[form.key] = store.add_form(form)
            forms[form.key] = store.form_definition(form_ids[form.key])
            form_hashes[form.key] = form.sha256()
    return forms, form_ids, form_hashes


def generate(
    target: Path, submissions: int, *, seed: int = DEFAULT_SEED, end: date = DEFAULT_END
) -> dict[str, object]:
    """Write the database to `target` (replacing it); returns what was written."""
    began = time.perf_counter()
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.{os.getpid()}.building")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    forms, form_ids, form_hashes = _store_forms(f"sqlite:///{building}")
    book = PatternBook(forms, seed=seed, today=end)
    sites, planned = plan_company(seed, end, submissions)
    connection = sqlite3.connect(building, isolation_level=None)
    try:
        for pragma in (
            "journal_mode = OFF",
            "synchronous = OFF",
            "cache_size = -1000000",
            "temp_store = MEMORY",
            "foreign_keys = OFF",
        ):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("BEGIN")
        location_ids, agent_ids, shopper_ids = _insert_people(connection, sites)
        writer = Writer(
            forms, form_ids, form_hashes, book, sites, location_ids, agent_ids, shopper_ids
        )
        counts = {"submissions": 0, "answers": 0, "attachments": 0, "audit_events": 0}
        for batch in _batches(planned, CHUNK):
            tables = Tables([], [], [], [], [])
            writer.rows(batch, tables)
            connection.executemany(
                f"INSERT INTO submission ({SUBMISSION_COLUMNS}) VALUES ({', '.join('?' * 23)})",
                tables.submissions,
            )
            connection.executemany(
                f"INSERT INTO answer ({ANSWER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                tables.answers,
            )
            connection.executemany(
                f"INSERT INTO auditevent ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?)", tables.audit
            )
            connection.executemany(
                "INSERT OR IGNORE INTO blob (sha256, data, size) VALUES (?, ?, ?)", tables.blobs
            )
            connection.executemany(
                f"INSERT INTO attachment ({ATTACHMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                tables.attachments,
            )
            counts["submissions"] += len(tables.submissions)
            counts["answers"] += len(tables.answers)
            counts["attachments"] += len(tables.attachments)
            counts["audit_events"] += len(tables.audit)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    os.replace(building, target)
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    manifest: dict[str, object] = {
        "seed": seed,
        "end": end.isoformat(),
        "sites": len(sites),
        "agents": len(agent_ids),
        **counts,
        "patterns": len(book),
        "seconds": round(time.perf_counter() - began, 1),
        "bytes": target.stat().st_size,
    }
    Path(f"{target}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def default_path(size: str) -> Path:
    """Where `--size SIZE` writes by default."""
    return BUILD_FOLDER / f"rapport-{size}.db"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate one database and print what was written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--submissions", type=int, help="about how many (overrides --size)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--end", type=date.fromisoformat, default=DEFAULT_END, help="YYYY-MM-DD")
    parser.add_argument("-o", "--output", type=Path, help="default: build/bench/rapport-SIZE.db")
    args = parser.parse_args(argv)
    target = args.output or default_path(args.size)
    manifest = generate(target, args.submissions or SIZES[args.size], seed=args.seed, end=args.end)
    print(f"{target}: " + ", ".join(f"{key} {value}" for key, value in manifest.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
