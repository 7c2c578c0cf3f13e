"""One submission, read-only: every answer, its photos, the score breakdown and its history.
A manager accepts, rejects, reopens (sends back with a note) or voids it from here; each
of those is audited by the store.
"""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.theme import fit_title
from desktop.views.dates import date_text, datetime_text
from desktop.views.review import score_text
from desktop.widgets.photo import thumbnail
from desktop.widgets.questions import problem_colour
from forms.definition.limits import MAX_NOTE
from forms.errors import RapportError
from forms.storage import Store
from forms.vocabulary import ANONYMOUS_ACTOR, RespondentKind, SubmissionStatus, band_label
from reports.queries.submissions import SubmissionDetail, submission_detail


def note_dialog(parent: QWidget, title: str, label: str) -> QInputDialog:
    """A dialog asking for a manager's note, whose box stops at the store's MAX_NOTE."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    box = dialog.findChild(QLineEdit)
    if box is not None:
        box.setMaxLength(MAX_NOTE)
    return dialog


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    """Ask for a short text (a note, a reason); None when cancelled."""
    dialog = note_dialog(parent, title, label)
    fit_title(dialog)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None


class VoidDialog(QDialog):
    """Asks why a submission is voided and says that voiding is for good."""

    WARNING = (
        "Voiding leaves this submission out of every figure and report, for good: "
        "it cannot be undone (the submission and its history are kept, read-only)."
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Void this submission?")
        layout = QVBoxLayout(self)
        warning = QLabel(self.WARNING)
        warning.setObjectName("void_warning")
        warning.setWordWrap(True)
        layout.addWidget(warning)
        layout.addWidget(QLabel("Why is it voided? (kept in its history)"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for voiding")
        self.reason.setMaxLength(MAX_NOTE)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.void_button = self.buttons.addButton(
            "&Void for good", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.void_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(
            lambda text: self.void_button.setEnabled(bool(text.strip()))
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)


def ask_void_reason(parent: QWidget) -> str | None:
    """Confirm voiding and ask for its reason; None when the manager changes their mind."""
    dialog = VoidDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason.text().strip()


def _table(
    headers: list[str], rows: list[list[str]], name: str, stretch: tuple[int, ...] = ()
) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch or (len(headers) - 1,):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()
    return table


class SubmissionDetailDialog(QDialog):
    """A submission in full, with the manager's actions on it."""

    changed = Signal(str)
    """Emitted with the submission id after its status changed."""
    visit_report = Signal(str, str)
    """Emitted with (submission id, label) when the manager asks for its PDF."""

    def __init__(self, store: Store, submission_id: str, actor: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.submission_id = submission_id
        self.actor = actor
        self.setWindowTitle("Submission")
        self.resize(900, 640)
        self.layout_ = QVBoxLayout(self)
        self.body: QWidget | None = None
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {problem_colour(self)};")
        self.error.hide()
        self.refusal = QLabel("")
        self.refusal.setObjectName("refusal")
        self.refusal.setWordWrap(True)
        self.refusal.hide()
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("&Accept")
        self.reject_button = QPushButton("Re&ject…")
        self.reopen_button = QPushButton("&Reopen…")
        self.void_button = QPushButton("&Void…")
        self.pdf_button = QPushButton("Visit &PDF…")
        self.pdf_button.setAccessibleName("Write the visit report of this submission")
        close = QPushButton("&Close")
        self.accept_button.setAccessibleName("Accept this visit")
        self.reopen_button.setAccessibleName("Reopen: send it back to the shopper with a note")
        self.void_button.setAccessibleName("Void: leave it out of every figure, with a reason")
        for button in (
            self.accept_button,
            self.reject_button,
            self.reopen_button,
            self.void_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(close)
        self.accept_button.clicked.connect(self.accept_visit)
        self.reject_button.clicked.connect(lambda: self.reject_visit(None))
        self.reopen_button.clicked.connect(lambda: self.reopen(None))
        self.void_button.clicked.connect(lambda: self.void(None))
        self.pdf_button.clicked.connect(self._ask_pdf)
        close.clicked.connect(self.close)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.refusal)
        self.layout_.addLayout(buttons)
        self.detail: SubmissionDetail | None = None
        self.reload()

    # -- showing -------------------------------------------------------------------
    def reload(self) -> None:
        """Read the submission again and show it."""
        detail = submission_detail(self.store, self.submission_id)
        self.detail = detail
        if self.body is not None:
            self.layout_.removeWidget(self.body)
            self.body.deleteLater()
        self.body = self._body(detail)
        self.layout_.insertWidget(0, self.body, 1)
        status = SubmissionStatus(detail.status)
        self.accept_button.setEnabled(status.can_become(SubmissionStatus.ACCEPTED))
        self.reject_button.setEnabled(status.can_become(SubmissionStatus.REJECTED))
        self.reopen_button.setEnabled(status.can_become(SubmissionStatus.REVISION_REQUESTED))
        self.void_button.setEnabled(status.can_become(SubmissionStatus.VOID))
        self.pdf_button.setEnabled(detail.report_refusal is None)
        if detail.report_refusal is not None:
            refusal = detail.report_refusal[0].upper() + detail.report_refusal[1:] + "."
            self.pdf_button.setToolTip(refusal)
            self.refusal.setText(refusal)
        self.refusal.setVisible(detail.report_refusal is not None)

    def _body(self, detail: SubmissionDetail) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        title = detail.form.text(detail.form.title, detail.language)
        status = SubmissionStatus(detail.status).label
        band = band_label(detail.score.band, detail.score.critical_failure)
        score = (
            "–"
            if detail.stored_score is None or detail.score.overall is None
            else (f"{detail.score.overall:.1f}" + (f" ({band})" if band else ""))
        )
        self.summary = QLabel(
            f"<b>{_escape(title)}</b> — status: <b>{status}</b> — score: <b>{score}</b>"
        )
        self.summary.setObjectName("summary")
        layout.addWidget(self.summary)
        self.where = QLabel(where_and_who(detail))
        self.where.setTextFormat(Qt.TextFormat.PlainText)  # a site may be "Smith & Sons"
        self.where.setObjectName("where_and_who")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        self.void_note: QLabel | None = None
        if detail.status == SubmissionStatus.VOID:
            reason = f": {detail.void_reason}" if detail.void_reason else ""
            self.void_note = QLabel(f"Voided{reason}. It counts in no figure or report.")
            self.void_note.setTextFormat(Qt.TextFormat.PlainText)  # the manager's own words
            self.void_note.setObjectName("void_reason")
            self.void_note.setWordWrap(True)
            self.void_note.setStyleSheet(f"color: {problem_colour(self)}; font-weight: bold;")
            layout.addWidget(self.void_note)
        if detail.score.critical_failure:
            failed = QLabel("Critical failure: the visit scores 0 (raw score kept).")
            failed.setStyleSheet(f"color: {problem_colour(self)};")
            layout.addWidget(failed)
        if detail.review_note:
            review_note = QLabel(f"Review note: {detail.review_note}")
            review_note.setTextFormat(Qt.TextFormat.PlainText)
            review_note.setWordWrap(True)
            layout.addWidget(review_note)
        self.tabs = QTabWidget()
        self.answers = _table(
            ["Section", "Question", "Answer", "Points", "Comment"],
            [[a.section, a.question, a.answer, a.points, a.comment] for a in detail.lines],
            "Answers",
            stretch=(1, 2, 4),
        )
        self.tabs.addTab(self.answers, "A&nswers")
        labels = {
            s.name: detail.form.text(s.label, detail.language) for s in detail.form.sections()
        }
        self.breakdown = _table(
            ["Section", "Weight", "Earned", "Possible", "Score"],
            [
                [
                    labels.get(s.name, s.name),
                    f"{s.weight:g}",
                    f"{s.earned:g}",
                    f"{s.possible:g}",
                    "–" if s.score is None else f"{s.score:.1f}",
                ]
                for s in detail.score.sections
                if s.possible > 0
            ],
            "Score by section",
        )
        score_page = QWidget()
        score_layout = QVBoxLayout(score_page)
        overall = f"Overall: {score_text(detail.score)}"
        if detail.score.empathy_index is not None:
            overall += f" — Empathy Index: {detail.score.empathy_index:.1f}"
        score_layout.addWidget(QLabel(overall))
        score_layout.addWidget(self.breakdown)
        self.tabs.addTab(score_page, "&Score")
        self.tabs.addTab(self._photos(detail), f"&Photos ({len(detail.photos)})")
        self.history = QListWidget()
        self.history.setAccessibleName("History")
        for entry in detail.audit:
            note = entry.detail.get("note") or entry.detail.get("reason") or ""
            # What the anonymous respondent did is kept to its (UTC) day: no time to show.
            when = (
                date_text(entry.at.date())
                if entry.actor == ANONYMOUS_ACTOR
                else datetime_text(entry.at)
            )
            self.history.addItem(
                f"{when}  {entry.action} by {entry.actor or 'unknown'}"
                + (f": {note}" if note else "")
            )
        self.tabs.addTab(self.history, "&History")
        layout.addWidget(self.tabs, 1)
        return body

    def _photos(self, detail: SubmissionDetail) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        self.photo_labels: list[QLabel] = []
        for index, (attachment_id, filename) in enumerate(detail.photos):
            picture = QLabel()
            pixmap = thumbnail(self.store.attachment_bytes(attachment_id), 240)
            if pixmap is not None:
                picture.setPixmap(pixmap)
            else:
                picture.setText(filename)
            picture.setToolTip(filename)
            picture.setAccessibleName(f"Photo {filename}")
            self.photo_labels.append(picture)
            grid.addWidget(picture, (index // 3) * 2, index % 3)
            grid.addWidget(QLabel(filename), (index // 3) * 2 + 1, index % 3)
        if not detail.photos:
            grid.addWidget(QLabel("No photos attached."), 0, 0)
        grid.setRowStretch(grid.rowCount(), 1)
        return page

    # -- the manager's actions ---------------------------------------------------------
    def _ask_pdf(self) -> None:
        detail = self.detail
        title = detail.form.text(detail.form.title, detail.language) if detail else "Visit"
        self.visit_report.emit(self.submission_id, f"{title} ({self.submission_id[:8]})")
        self.close()

    def _fail(self, error: RapportError) -> None:
        self.error.setText(str(error))
        self.error.show()

    def _done(self) -> None:
        self.error.hide()
        self.reload()
        self.changed.emit(self.submission_id)

    def accept_visit(self) -> None:
        """Accept a final visit: it counts in reports from now on."""
        try:
            self.store.review(self.submission_id, actor=self.actor, decision="accepted")
        except RapportError as error:
            self._fail(error)
            return
        self._done()

    def reject_visit(self, note: str | None) -> None:
        """Reject a final visit, with a note saying why."""
        note = note if note is not None else ask_text(self, "Reject", "Why is it rejected?")
        if note is None:
            return
        try:
            self.store.review(self.submission_id, actor=self.actor, decision="rejected", note=note)
        except RapportError as error:
            self._fail(error)
            return
        self._done()

    def reopen(self, note: str | None) -> None:
        """Send the visit back to the shopper with a note (the finalized version is kept)."""
        note = note if note is not None else ask_text(self, "Reopen", "What should be changed?")
        if note is None:
            return
        try:
            self.store.reopen(self.submission_id, actor=self.actor, note=note)
        except RapportError as error:
            self._fail(error)
            return
        self._done()

    def void(self, reason: str | None) -> None:
        """Take the submission out of every figure, with a reason."""
        if reason is None:
            reason = ask_void_reason(self)
        if reason is None:
            return
        try:
            self.store.void(self.submission_id, actor=self.actor, reason=reason)
        except RapportError as error:
            self._fail(error)
            return
        self._done()


def where_and_who(detail: SubmissionDetail) -> str:
    """ "Site: Harbor Point Offices · Agent: Maria Alvarez · Shopper: sam · Visit: 30/06/2026
    14:05 (America/New_York)": where, about whom, by whom and when a submission was made (in
    the site's time zone, named, when it has one; else in this computer's)."""
    kind = RespondentKind(detail.respondent_kind).label
    when = "not dated yet"
    if detail.visit_at is not None and detail.respondent == ANONYMOUS_ACTOR:
        # A pulse answer keeps its UTC day only (forms.anonymity): no clock to move.
        when = date_text(detail.visit_at.astimezone(UTC).date())
    elif detail.visit_at is not None:
        when = datetime_text(detail.visit_at)
        try:
            zone = ZoneInfo(detail.location_time_zone) if detail.location_time_zone else None
        except (ZoneInfoNotFoundError, ValueError):
            zone = None  # a zone this computer no longer knows: its own clock, as before
        if zone is not None:
            when = f"{datetime_text(detail.visit_at, zone)} ({detail.location_time_zone})"
    parts = [
        f"Site: {detail.location or 'none'}",
        f"Agent: {detail.agent or 'none'}",
        f"{kind}: {detail.respondent or 'not recorded'}",
        f"Visit: {when}",
    ]
    return " · ".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
