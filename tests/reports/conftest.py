"""Fixtures of the report tests: a fresh SQLite store per test, the sample company on demand,
and a way to read a PDF's text as a manager's PDF viewer would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from forms.storage import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rapport.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{db_path}")
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does reaches the user's own folders or database."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("RAPPORT_DB", raising=False)


def pdf_text(path: Path) -> str:
    """The text of every page, with runs of white space made single spaces."""
    pages = PdfReader(path).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))


def pdf_pages(path: Path) -> int:
    """How many pages the PDF has."""
    return len(PdfReader(path).pages)


def png_photo(colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A small PNG made on the spot, as a shopper's photo would be stored."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, "PNG")
    return out.getvalue()


def copy_of_visit(
    store: Store,
    source_id: str,
    *,
    visit_at: datetime,
    changes: dict[str, object] | None = None,
    comments: dict[str, str] | None = None,
    photo: bytes | None = None,
    location_id: int | None = None,
    agent_id: int | None = None,
) -> str:
    """A new finished submission with the answers of `source_id`, some changed, through the
    same steps as in the app: start, answer, attach, finalize."""
    from sqlalchemy import select

    from forms.storage.tables import Answer, Submission

    with store.reading() as session:
        source = session.get(Submission, source_id)
        assert source is not None
        answers = {
            row.question: row.value
            for row in session.scalars(select(Answer).where(Answer.submission_id == source_id))
        }
        started = {
            "location_id": source.location_id,
            "agent_id": source.agent_id,
            "channel": source.channel,
        }
        if location_id is not None:  # the same visit, made at another site by its agent
            started["location_id"], started["agent_id"] = location_id, agent_id
        version = source.form_version_id
    submission = store.start_submission(version, visit_at=visit_at, **started)  # type: ignore[arg-type]
    answers.update(changes or {})
    for question, value in answers.items():
        store.save_answer(submission, question, value, comment=(comments or {}).get(question))
    for question, comment in (comments or {}).items():
        if question not in answers:
            store.save_answer(submission, question, None, comment=comment)
    if photo is not None:
        store.attach(
            submission,
            photo,
            filename="spill.png",
            media_type="image/png",
            question="evidence_photo",
        )
    store.finalize(submission, actor="test")
    return submission
