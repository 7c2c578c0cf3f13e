"""Qt item models adapting the pure-Python query results of reports.queries and the store."""

# Qt code lives below this package: guard against PySide6 6.12 losing references to None.
import desktop.pyside_fix  # noqa: F401
