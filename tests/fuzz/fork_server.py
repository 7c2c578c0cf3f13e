"""Starts `rapport` commands quickly: a process that has imported Rapport once forks a
child for each command, and that child runs the command exactly as `python -m desktop.cli`
does (runpy runs desktop.cli as __main__), in its own folder, environment, memory limit and
time limit. A fresh interpreter spends 0.3 to 1 s importing before it reads the first byte;
a fork starts in milliseconds, which lets the fuzz suite run every command on every case.

Protocol (one JSON object a line): the parent writes {"args", "cwd", "env", "stdout",
"stderr", "timeout", "memory"}; the server answers {"exit_code" (null when stopped at the
time limit), "seconds", "peak_memory_bytes"}, the child's own peak (wait4's ru_maxrss).
The server itself has one thread, so forking it is safe.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import runpy
import signal
import sys
import time
import traceback
from typing import Any

PRELOADED = (
    "desktop.commands",
    "desktop.errorlog",
    "forms.authoring.loader",
    "forms.authoring.builder",
    "forms.exchange",
    "forms.exchange.bundle_file",
    "forms.exchange.locations_import",
    "forms.scoring.points",
    "forms.storage.store",
    "forms.storage.migrations",
    "openpyxl",
    "yaml",
    "sqlalchemy",
    "alembic",
    "pydantic",
)
"""What the commands import anyway: imported once here, before any fork. Not desktop.cli
itself, which each child runs as __main__ as `python -m desktop.cli` does (runpy warns when
the module it runs was imported already)."""
_POLL_SECONDS = 0.002


def _child(request: dict[str, Any]) -> None:
    """Run the command in this forked child, then leave without returning."""
    code = 1
    try:
        resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for fd, path, flags in (
            (0, os.devnull, os.O_RDONLY),
            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        ):
            opened = os.open(path, flags, 0o644)
            os.dup2(opened, fd)
            os.close(opened)
        sys.argv = ["rapport", *request["args"]]
        try:
            runpy.run_module("desktop.cli", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as done:
            # As the interpreter does: an int is the status, anything else is printed.
            if done.code is None or isinstance(done.code, int):
                code = done.code or 0
            else:
                print(done.code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
    finally:
        os._exit(code)


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Fork a child for one command and wait for it, at most request["timeout"] seconds."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(request)
    deadline = started + request["timeout"]
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done == pid:
            exit_code: int | None = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            _done, _status, usage = os.wait4(pid, 0)
            exit_code = None
            break
        time.sleep(_POLL_SECONDS)
    return {
        "exit_code": exit_code,
        "seconds": time.monotonic() - started,
        "peak_memory_bytes": usage.ru_maxrss * 1024,  # kilobytes on Linux
    }


def serve() -> None:
    """Answer requests on stdin until it closes."""
    # The protocol keeps its own descriptors; 0 and 1 are what each child redirects.
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    for module in PRELOADED:
        importlib.import_module(module)
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    for line in requests:
        replies.write(json.dumps(run(json.loads(line))) + "\n")
        replies.flush()


if __name__ == "__main__":
    serve()
