"""Fixtures of the fuzz suite: the process that runs every command, and the real files the
corpus changes (bundles exported from the sample company, an empty and a full database).

The hypothesis profile "fuzz" is registered here, not loaded: each fuzz test names it, so
the other property tests keep their own settings when they run in the same session.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.real_files import RealFiles
from tests.fuzz.run_command import ForkServer, check

settings.register_profile(
    "fuzz",
    deadline=None,  # each example runs commands in child processes
    derandomize=True,  # the same examples on every run and every machine
    database=None,  # nothing written into the repository (.hypothesis/)
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=50,
)


@pytest.fixture(scope="session")
def rapport() -> Iterator[ForkServer]:
    """Runs `rapport` commands, each in a child process of its own."""
    server = ForkServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def real_files(
    rapport: ForkServer, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> RealFiles:
    """Made once per run: under pytest-xdist the first worker makes them in the folder the
    workers share, and the others wait for it (the sample company takes seconds to make)."""
    if worker_id == "master":
        folder = tmp_path_factory.mktemp("real-files")
        _make_real_files(rapport, folder)
    else:
        folder = tmp_path_factory.getbasetemp().parent / "fuzz-real-files"
        _made_once(folder, lambda: _make_real_files(rapport, folder))
    return RealFiles(
        sample_database=folder / "sample.db",
        empty_database=folder / "empty.db",
        bundle=folder / "work" / "b.zip",
        whole_bundle=folder / "work" / "all.zip",
    )


def _make_real_files(rapport: ForkServer, folder: Path) -> None:
    from forms.sample.company import load_sample_data
    from forms.storage import Store
    from tests.conftest import SAMPLE_TODAY

    with Store.open(f"sqlite:///{folder / 'sample.db'}") as store:
        load_sample_data(store, today=SAMPLE_TODAY)
    Store.open(f"sqlite:///{folder / 'empty.db'}").close()
    work = folder / "work"
    work.mkdir()
    # Exported from a copy: export bundle notes in the database what it sent, and the
    # corpus starts from the sample company as it was.
    shutil.copyfile(folder / "sample.db", work / "sample.db")
    check(rapport.run(["--db", "sample.db", "export", "bundle", "--all", "-o", "all.zip"], work))
    period = ["--from", "2026-06-20", "--to", "2026-06-30"]
    check(rapport.run(["--db", "sample.db", "export", "bundle", *period, "-o", "b.zip"], work))


def _made_once(folder: Path, make: Callable[[], None], timeout: float = 600) -> None:
    """`make` run by the first worker to create `folder`; the others wait until it is done."""
    done, failed = folder / ".done", folder / ".failed"
    try:
        folder.mkdir()
    except FileExistsError:
        deadline = time.monotonic() + timeout
        while not done.exists():
            if failed.exists() or time.monotonic() > deadline:
                raise RuntimeError(f"another worker could not make {folder}") from None
            time.sleep(0.1)
        return
    try:
        make()
    except BaseException:
        failed.touch()
        raise
    done.touch()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The working folder of this test's commands (their home folder is beside it)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder
