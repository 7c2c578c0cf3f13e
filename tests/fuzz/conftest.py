"""Fixtures of the fuzz suite: the process that runs every command, and the real files the
corpus changes (bundles exported from the sample company, an empty and a full database).

The hypothesis profile "fuzz" is registered here, not loaded: each fuzz test names it, so
the other property tests keep their own settings when they run in the same session.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
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
    rapport: ForkServer, sample_company_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> RealFiles:
    folder = tmp_path_factory.mktemp("real-files")
    work = folder / "work"
    work.mkdir()
    shutil.copyfile(sample_company_file, work / "sample.db")
    check(rapport.run(["--db", "sample.db", "export", "bundle", "--all", "-o", "all.zip"], work))
    period = ["--from", "2026-06-20", "--to", "2026-06-30"]
    check(rapport.run(["--db", "sample.db", "export", "bundle", *period, "-o", "b.zip"], work))
    from forms.storage import Store

    Store.open(f"sqlite:///{folder / 'empty.db'}").close()
    # The exports were remembered in sample.db (export bundle notes what it sent): the
    # corpus starts from the sample company as it was.
    return RealFiles(
        sample_database=sample_company_file,
        empty_database=folder / "empty.db",
        bundle=work / "b.zip",
        whole_bundle=work / "all.zip",
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The working folder of this test's commands (their home folder is beside it)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder
