"""One module per screen of the app."""

# Qt code lives below this package: guard against PySide6 6.12 losing references to None.
import desktop.pyside_fix  # noqa: F401
