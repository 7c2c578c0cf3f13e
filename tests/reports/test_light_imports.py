"""`rapport report` starts its PDF renderer (which loads WeasyPrint) before this process
loads the database library, so that both load at once on two cores: what the command needs
until then must stay light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def test_periods_and_the_pdf_renderer_load_no_database_or_pdf_library() -> None:
    program = (
        "import sys\n"
        "from reports.queries import Period\n"
        "from reports.pdf_process import PdfProcess, fork_context\n"
        "Period(None, None).previous()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sqlalchemy', 'sqlmodel', 'weasyprint', 'pydantic'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_the_queries_package_still_names_every_query_helper() -> None:
    import reports.queries as queries

    for name in queries.__all__:
        assert getattr(queries, name) is not None
