"""Background work: results and failures come back to the window; surprises are logged."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from desktop.errorlog import log_file_path
from desktop.workers import Background
from forms.errors import RapportError


def test_a_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    background = Background()
    threads: list[bool] = []
    results: list[object] = []

    def job() -> int:
        threads.append(threading.current_thread() is threading.main_thread())
        return 42

    def done(value: object) -> None:
        threads.append(threading.current_thread() is threading.main_thread())
        results.append(value)

    background.run(job, done)
    qtbot.waitUntil(lambda: results == [42])
    assert threads == [False, True]  # worked off the GUI thread, delivered on it
    background.wait()


def test_a_known_problem_is_reported_as_its_message(qtbot: QtBot) -> None:
    background = Background()
    messages: list[str] = []

    def job() -> None:
        raise RapportError("the bundle is from a newer Rapport: update first")

    background.run(job, lambda _value: None, messages.append)
    qtbot.waitUntil(lambda: bool(messages))
    assert messages == ["the bundle is from a newer Rapport: update first"]
    background.wait()


def test_an_unexpected_error_is_logged_and_told_in_words(qtbot: QtBot) -> None:
    background = Background()
    messages: list[str] = []

    def job() -> None:
        raise ZeroDivisionError("division by zero in a worker")

    background.run(job, lambda _value: None, messages.append)
    qtbot.waitUntil(lambda: bool(messages))
    assert "unexpected problem" in messages[0]
    assert "Traceback" not in messages[0]
    assert "division by zero in a worker" in log_file_path().read_text(encoding="utf-8")
    background.wait()


def test_progress_reaches_the_window(qtbot: QtBot) -> None:
    background = Background()
    seen: list[tuple[int, int]] = []
    finished: list[object] = []

    def job(progress: object) -> str:
        for step in range(1, 4):
            progress(step, 3)  # type: ignore[operator]
        return "done"

    background.run_with_progress(job, finished.append, None, lambda d, t: seen.append((d, t)))
    qtbot.waitUntil(lambda: finished == ["done"])
    assert seen == [(1, 3), (2, 3), (3, 3)]
    background.wait()
