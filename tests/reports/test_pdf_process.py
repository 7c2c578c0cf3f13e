"""The one child process that writes PDFs for the app, the command line and `report all`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from forms.errors import RapportError
from forms.storage import Store
from reports.pdf_process import (
    HtmlOrder,
    PdfProcess,
    ReportOrder,
    ReportTimeLimitError,
    fork_context,
)
from reports.render import ReportError
from tests.reports.conftest import pdf_text


def _order(store: Store, target: Path, subject: str = "HPO") -> ReportOrder:
    return ReportOrder(store.url, "location", subject, None, None, str(target))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the PDFs (tmp_path also holds the test's home folder)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_a_report_order_reports_its_pages_then_writes_the_pdf(
    sample_store: Store, out: Path
) -> None:
    target = out / "hpo.pdf"
    child = PdfProcess(fork_context())
    seen: list[tuple[int, int]] = []
    try:
        pages = child.run(_order(sample_store, target), progress=lambda *step: seen.append(step))
        # The same child takes a second order, of HTML built by the caller.
        again = child.run(HtmlOrder("<p>Only this</p>", str(out / "plain.pdf")))
    finally:
        child.close()
    assert pages >= 2
    assert seen[-1] == (pages, pages)
    assert "Harbor Point Offices" in pdf_text(target)
    assert again == 1
    assert "Only this" in pdf_text(out / "plain.pdf")
    assert sorted(path.name for path in out.iterdir()) == ["hpo.pdf", "plain.pdf"]


def test_a_report_that_cannot_be_made_is_its_message_and_writes_nothing(
    sample_store: Store, out: Path
) -> None:
    child = PdfProcess(fork_context())
    try:
        with pytest.raises(ReportError, match="no location called 'NOPE'"):
            child.run(_order(sample_store, out / "x.pdf", subject="NOPE"))
    finally:
        child.close()
    assert list(out.iterdir()) == []


def test_a_report_over_the_time_limit_is_stopped_and_leaves_no_file(out: Path) -> None:
    child = PdfProcess(fork_context())
    started = time.monotonic()
    # Some hundred pages: WeasyPrint lays them out for far longer than the limit.
    html = "".join(f"<p>Visit {number}: the agent listened.</p>" for number in range(20000))
    with pytest.raises(ReportTimeLimitError) as stopped:
        child.run(HtmlOrder(html, str(out / "long.pdf")), time_limit=2.0, what="the long report")
    assert time.monotonic() - started < 10
    # Not bad input (that would be a RapportError, exit 2): it says what was too slow and
    # what to try.
    assert not isinstance(stopped.value, RapportError)
    message = str(stopped.value)
    assert "the long report took more than 2 seconds and was stopped" in message
    assert "Try a shorter period" in message
    # The child unwound on being stopped: not even its temporary file is left.
    assert list(out.iterdir()) == []


def test_without_a_child_the_order_is_carried_out_in_this_process(
    sample_store: Store, out: Path
) -> None:
    inline = PdfProcess(None)
    assert inline.connection is None
    assert inline.run(_order(sample_store, out / "hpo.pdf")) >= 2
    with pytest.raises(ReportError, match="no location called"):
        inline.run(_order(sample_store, out / "x.pdf", subject="NOPE"))
    inline.close()
    assert [path.name for path in out.iterdir()] == ["hpo.pdf"]


def test_a_child_stopped_while_writing_removes_its_temporary_file(out: Path) -> None:
    child = PdfProcess(fork_context())
    html = "".join(f"<p>Visit {number}: the agent listened.</p>" for number in range(20000))
    child.send(HtmlOrder(html, str(out / "long.pdf")))
    deadline = time.monotonic() + 30
    while not list(out.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [path.suffix for path in out.iterdir()] == [".pdf"]  # the temporary file
    child.close()  # what Cancel in the app does
    assert list(out.iterdir()) == []


def test_a_child_that_died_is_a_message_not_a_crash(out: Path) -> None:
    child = PdfProcess(fork_context())
    child._process.kill()  # the system's out-of-memory killer, say
    child._process.join()
    with pytest.raises(ReportError, match="PDF writer stopped"):
        child.run(HtmlOrder("<p>" + "x" * 200_000 + "</p>", str(out / "x.pdf")))
    child.close()
    assert list(out.iterdir()) == []


def test_report_all_goes_on_when_one_of_its_children_dies(sample_store: Store, out: Path) -> None:
    import multiprocessing
    import os
    import signal

    from reports.batch import plan_batch, run_batch

    jobs = plan_batch(sample_store, out)[:6]
    killed: list[int] = []

    def kill_one_child(done: int, _total: int, _name: str) -> None:
        if done == 1 and not killed:
            victim = multiprocessing.active_children()[0]
            killed.append(victim.pid or 0)
            os.kill(victim.pid or 0, signal.SIGKILL)

    outcomes = run_batch(sample_store.url, jobs, workers=2, progress=kill_one_child)
    assert killed
    failed = [outcome for outcome in outcomes if outcome.error]
    assert len(failed) <= 1
    assert all("PDF writer stopped" in outcome.error for outcome in failed)
    written = [outcome.job.target.name for outcome in outcomes if not outcome.error]
    assert len(written) >= 5
    assert sorted(path.name for path in out.iterdir()) == sorted(written)
