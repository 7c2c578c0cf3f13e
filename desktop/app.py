"""Start-up of the desktop app: QApplication, the store, the main window."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop.kiosk_flow import KioskSetup
    from forms.storage import Store

NO_DISPLAY_MESSAGE = (
    "rapport: no display found, so the window cannot open. Headless commands work without one: "
    "rapport demo, rapport report location NAME -o out.pdf (see rapport --help)."
)


def has_display() -> bool:
    """Whether a window can be shown: X11, Wayland, or a Qt platform such as offscreen."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    )


def run_app(db: str | None) -> int:
    """Open the main window on the chosen database; returns the exit code."""
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QMessageBox

    app = _application()
    # Something to see at once: the database library and a large file take a second or two.
    opening = _opening_window(app)

    from desktop.main_window import MainWindow
    from forms.errors import RapportError
    from forms.storage import Store
    from forms.storage.urls import resolve_database_url

    try:
        store = Store.open(resolve_database_url(db or _remembered_database()))
    except RapportError as error:
        opening.close()
        QMessageBox.critical(None, "Rapport cannot open its data", str(error))
        return 2
    window = MainWindow(store)
    window.show()
    opening.close()
    from desktop.views.first_start import needs_first_start

    if needs_first_start(store):
        window.first_start()
    if os.environ.get("RAPPORT_QUIT_AFTER_START") == "1":
        from PySide6.QtCore import QTimer

        QTimer.singleShot(500, app.quit)
    try:
        return int(app.exec())
    finally:
        store.close()


def _application() -> QApplication:
    """The one QApplication, named Rapport, with unexpected errors shown to the user."""
    from PySide6.QtWidgets import QApplication

    from desktop.pyside_fix import collect_garbage_on_the_gui_thread
    from desktop.theme import apply_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    collect_garbage_on_the_gui_thread()
    apply_theme(app)
    app.setApplicationName("Rapport")
    app.setOrganizationName("Rapport")
    app.setApplicationDisplayName("Rapport")
    sys.excepthook = _show_unexpected_error
    return app


KIOSK_CANNOT_START = "rapport kiosk: the survey cannot start yet ({error}); trying again every 30 s"


def run_kiosk_app(store: Store, setup: KioskSetup) -> int:
    """Kiosk mode at once (`rapport kiosk`): the survey full screen, nothing else; the
    manager PIN ends it and opens the main window.

    When the survey cannot start (the database busy, full or not writable), the screen says
    the kiosk is not available and tries again every 30 seconds: the main window never
    opens in its place, as nobody gave the PIN. The PIN there ends the program (exit 1).
    """
    app = _application()
    from desktop.kiosk_flow import KioskSession, kept_pin_lockout
    from desktop.main_window import MainWindow
    from desktop.views.kiosk_unavailable import KioskUnavailableWindow
    from forms.errors import RapportError
    from forms.storage.kiosk_pin import check_kiosk_pin

    windows: list[QWidget] = []  # the running program keeps its windows

    def start() -> KioskSession:
        return KioskSession(store, setup)

    def run(session: KioskSession) -> None:
        window = MainWindow(store)
        windows.append(window)
        window.show_kiosk(session)

    try:
        run(start())
    except RapportError as error:
        print(KIOSK_CANNOT_START.format(error=error), file=sys.stderr)
        unavailable = KioskUnavailableWindow(
            start,
            lambda pin: check_kiosk_pin(store, pin),
            str(error),
            lockout=kept_pin_lockout(store),
        )
        windows.append(unavailable)
        unavailable.started.connect(run)
        unavailable.left.connect(lambda: app.exit(1))
        unavailable.show_full_screen()
    if os.environ.get("RAPPORT_QUIT_AFTER_START") == "1":
        from PySide6.QtCore import QTimer

        # exit, not quit: quitting first closes every window, and the kiosk refuses that.
        QTimer.singleShot(500, lambda: app.exit(0))
    return int(app.exec())


def _opening_window(app: QApplication) -> QWidget:
    """A small window saying Rapport is opening, painted before anything slow happens."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QLabel

    from desktop.theme import TextRole, set_text_role

    label = QLabel("Rapport\n\nOpening your data…")
    label.setWindowTitle("Rapport")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setMinimumSize(320, 140)
    set_text_role(label, TextRole.SUBTITLE)
    label.show()
    # Showing, exposing and painting take a few turns of the event loop.
    for _turn in range(3):
        app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    return label


def _remembered_database() -> str | None:
    """The database chosen in Administration for the next start, unless RAPPORT_DB is set."""
    if os.environ.get("RAPPORT_DB"):
        return None
    from PySide6.QtCore import QSettings

    from desktop.views.admin_settings import DATABASE_SETTING

    value = QSettings().value(DATABASE_SETTING)
    return str(value) if value else None


def _show_unexpected_error(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """Log an unexpected error to the data folder and tell the user in a message, not a trace."""
    import logging

    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.errorlog import log_file_path, log_unexpected

    try:
        raise error.with_traceback(trace)
    except BaseException:
        log_unexpected("desktop app")
    logging.getLogger("rapport").debug("shown to the user: %s", kind.__name__)
    if QApplication.instance() is not None:
        QMessageBox.warning(
            None,
            "Something went wrong",
            f"Rapport hit an unexpected problem: {error}\n\n"
            f"Your answers so far are saved. Details are in {log_file_path()}.",
        )
