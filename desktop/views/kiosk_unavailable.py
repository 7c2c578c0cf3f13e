"""What an unattended kiosk shows when its survey cannot start (the database busy, full or
not writable): a full-screen notice for customers that tries again every 30 seconds. Like
the survey, only the manager PIN closes it; nothing else of Rapport is ever shown instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.kiosk_flow import KioskSession, PinLockout
from desktop.views.pin_dialog import PinDialog
from forms.errors import RapportError

RETRY_MS = 30_000
"""How often an unavailable kiosk tries to start its survey again."""
UNAVAILABLE_TEXT = "This kiosk is not available right now.\nPlease ask a member of staff."


class KioskUnavailableWindow(QWidget):
    """Says the kiosk is not available and tries `start` again every RETRY_MS; `started`
    is emitted with the session once it starts, `left` once the manager PIN closed it."""

    started = Signal(object)
    left = Signal()

    def __init__(
        self,
        start: Callable[[], KioskSession],
        check_pin: Callable[[str], bool],
        reason: str,
        *,
        lockout: PinLockout | None = None,
        retry_ms: int = RETRY_MS,
    ) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("kiosk_unavailable")
        self.setWindowTitle("Rapport survey")
        self.start = start
        self.check_pin = check_pin
        self.reason = reason
        """Why the survey could not start (for staff, in the PIN dialog; never shown large)."""
        self.unlocked = False
        self.lockout = lockout or PinLockout()
        """Wrong PINs here count as at the survey (kept with the data when it can be)."""
        self.pin_dialog: PinDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.addStretch(1)
        self.notice = QLabel(UNAVAILABLE_TEXT)
        self.notice.setObjectName("unavailable")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setStyleSheet("font-size: 30pt; font-weight: bold;")
        layout.addWidget(self.notice)
        layout.addStretch(2)
        self.staff_button = QPushButton("Staff")
        self.staff_button.setAutoDefault(False)
        self.staff_button.setMinimumHeight(44)
        self.staff_button.setAccessibleName("Staff: close the kiosk with the manager PIN")
        self.staff_button.clicked.connect(self.ask_pin)
        layout.addWidget(self.staff_button, 0, Qt.AlignmentFlag.AlignRight)
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(retry_ms)
        self.retry_timer.timeout.connect(self.retry)
        self.retry_timer.start()

    def show_full_screen(self) -> None:
        """Cover the whole screen, as the survey does."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.setGeometry(screen.availableGeometry())
        self.showFullScreen()

    def retry(self) -> None:
        """Try to start the survey again; once it starts, give way to it."""
        try:
            session = self.start()
        except RapportError as error:
            self.reason = str(error)
            return
        self.retry_timer.stop()
        if self.pin_dialog is not None:
            self.pin_dialog.reject()
        self.unlocked = True
        self.close()
        self.started.emit(session)

    def ask_pin(self) -> None:
        """Ask for the manager PIN; the right one closes the kiosk."""
        if self.pin_dialog is not None and self.pin_dialog.isVisible():
            return
        self.pin_dialog = PinDialog(self._pin_is_right, self.lockout, self)
        self.pin_dialog.message.setText(f"The survey could not start: {self.reason}")
        self.pin_dialog.accepted.connect(self._leave)
        self.pin_dialog.open()

    def _pin_is_right(self, pin: str) -> bool:
        try:
            return self.check_pin(pin)
        except RapportError:  # the PIN cannot be read either: the kiosk stays as it is
            return False

    def _leave(self) -> None:
        self.unlocked = True
        self.retry_timer.stop()
        self.close()
        self.left.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.ask_pin()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.unlocked:
            event.ignore()
            self.ask_pin()
            return
        super().closeEvent(event)
