"""The PySide6 desktop app and the `rapport` command line: the only layer that imports Qt."""
