"""Entry point of the frozen Rapport program built by packaging/rapport.spec."""

from __future__ import annotations

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    # A frozen program is its own Python: without this, a child process started with
    # multiprocessing (PDF rendering) would start a second copy of the app instead.
    multiprocessing.freeze_support()
    sys.exit(main())
