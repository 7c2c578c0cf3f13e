"""First pages of the four reports as PNG pictures for the README.

    .venv/bin/python -m tests.bench.report_pages [--out packaging/screenshots]

Renders each report on the sample company (with its name, a brand colour, a logo and two
photos of deficiencies, as a manager would set them up), then turns page 1 into
`report-<kind>.png` with poppler's pdftoppm (installed with apt-get when missing).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

SAMPLE_TODAY = date(2026, 6, 30)
BRAND_COLOUR = "#1f5f8b"


def _ensure_pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found:
        return found
    print("pdftoppm is missing: installing poppler-utils with apt-get", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "poppler-utils"], check=True)
    return shutil.which("pdftoppm") or "pdftoppm"


def _logo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, 114, 114), fill=BRAND_COLOUR)
    draw.rectangle((42, 30, 78, 90), fill="white")
    draw.rectangle((130, 40, 350, 56), fill=BRAND_COLOUR)
    draw.rectangle((130, 66, 300, 80), fill="#7a8794")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _photo(seed: int) -> bytes:
    """A stand-in for a shopper's photo: a tiled floor with a spill on it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), "#d9d4c7")
    draw = ImageDraw.Draw(image)
    for x in range(0, 1200, 150):
        draw.line((x, 0, x, 900), fill="#b9b2a2", width=4)
    for y in range(0, 900, 150):
        draw.line((0, y, 1200, y), fill="#b9b2a2", width=4)
    offset = 120 * seed
    draw.ellipse((300 + offset, 300, 780 + offset, 620), fill="#8a6a3c")
    draw.ellipse((520 + offset, 420, 900 + offset, 700), fill="#7a5a30")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def prepare(folder: Path) -> tuple[str, str]:
    """A sample database set up like a manager's; returns its URL and a visit with photos."""
    from sqlalchemy import select

    from forms.sample.company import COMPANY, load_sample_data
    from forms.storage import Store
    from forms.storage.tables import Agent, Answer, Blob, Location, Setting, Submission

    url = f"sqlite:///{folder / 'demo.db'}"
    store = Store.open(url)
    try:
        load_sample_data(store, today=SAMPLE_TODAY)
        logo = _logo()
        with store.writing() as session:
            session.add(Blob(sha256=hashlib.sha256(logo).hexdigest(), data=logo, size=len(logo)))
            for key, value in (
                ("company_name", COMPANY),
                ("brand_colour", BRAND_COLOUR),
                ("logo", hashlib.sha256(logo).hexdigest()),
            ):
                session.merge(Setting(key=key, value=value))
            source = session.scalars(
                select(Submission)
                .join(Location, Location.id == Submission.location_id)  # type: ignore[arg-type]
                .join(Agent, Agent.id == Submission.agent_id)  # type: ignore[arg-type]
                .where(Location.code == "HPO", Submission.respondent_kind == "shopper")
                .order_by(Submission.visit_at.desc())  # type: ignore[union-attr]
            ).first()
            assert source is not None
            answers = {
                row.question: row.value
                for row in session.scalars(select(Answer).where(Answer.submission_id == source.id))
            }
            started = (source.form_version_id, source.location_id, source.agent_id, source.channel)
        version, location, agent, channel = started
        visit = store.start_submission(
            version,
            location_id=location,
            agent_id=agent,
            channel=channel,
            visit_at=datetime.combine(SAMPLE_TODAY, datetime.min.time(), UTC).replace(hour=10),
        )
        for question, value in answers.items():
            store.save_answer(visit, question, value)
        store.save_answer(
            visit,
            "overall_comment",
            "The lobby spill was still there when I left; the agent was kind but nobody came.",
        )
        for seed in (0, 1):
            store.attach(
                visit,
                _photo(seed),
                filename=f"lobby-{seed + 1}.jpg",
                media_type="image/jpeg",
                question="evidence_photo",
            )
        store.finalize(visit, actor="report pages")
    finally:
        store.close()
    return url, visit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("packaging/screenshots"))
    args = parser.parse_args()
    pdftoppm = _ensure_pdftoppm()
    from forms.storage import Store
    from reports.queries import Period
    from reports.writer import ReportRequest, write_report

    args.out.mkdir(parents=True, exist_ok=True)
    period = Period(date(2025, 7, 1), SAMPLE_TODAY)
    with tempfile.TemporaryDirectory(prefix="rapport-pages-") as name:
        folder = Path(name)
        url, visit = prepare(folder)
        requests = {
            "location": ReportRequest("location", "Harbor Point Offices", period),
            "agent": ReportRequest("agent", "Linh Tran", period),
            "portfolio": ReportRequest("portfolio", period=Period(date(2026, 4, 1), SAMPLE_TODAY)),
            "visit": ReportRequest("visit", visit),
        }
        store = Store.open(url)
        try:
            for kind, request in requests.items():
                pdf = folder / f"{kind}.pdf"
                pages = write_report(store, request, pdf=pdf)
                target = args.out / f"report-{kind}"
                subprocess.run(
                    [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                     str(target)],
                    check=True,
                )  # fmt: skip
                print(f"{target}.png (page 1 of {pages})")
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
