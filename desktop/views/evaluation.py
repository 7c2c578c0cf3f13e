"""The evaluation screen: one section per page, every answer saved as it is given.

Keyboard: Tab moves through the questions, Alt+N / Ctrl+PgDown goes to the next page,
Alt+B / Ctrl+PgUp back, Alt+Z / Ctrl+Return finalizes on the review page, Alt+C saves
and closes.
"""

from __future__ import annotations

from datetime import datetime

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.theme import TextRole, set_text_role
from desktop.views.delete_draft import allow_delete
from desktop.views.review import ReviewPage
from desktop.widgets.questions import QuestionWidget, problem_colour
from forms.definition.model import Question
from forms.errors import RapportError
from forms.filling import FormFilling
from forms.storage import SentBack, SubmissionIncomplete
from reports.queries.screens import DraftRow

SAVED = "Saved"
PAGE_SHORTCUTS = (
    ("Ctrl+PgDown", "Next page"),
    ("Ctrl+PgUp", "Previous page"),
    ("Ctrl+Return", "Finalize, on the review page"),
)
"""The evaluation screen's keys and what they do (the Help menu lists them from here)."""


class EvaluationView(QWidget):
    """Fills one submission page by page, then shows a review page with the live score."""

    finished = Signal(str)
    """Emitted with the submission id once it is finalized."""
    closed = Signal()
    delete_requested = Signal()
    """The shopper asked to delete this draft (the window asks them to confirm)."""

    def __init__(
        self,
        filling: FormFilling,
        actor: str,
        *,
        visit_summary: str = "",
        draft: DraftRow | None = None,
    ) -> None:
        """`draft` is how Home lists this visit (None: it is no draft, it cannot be deleted)."""
        super().__init__()
        self.setObjectName("evaluation")
        self.filling = filling
        self.actor = actor
        self.page = filling.resume_page()
        self.question_widgets: dict[str, QuestionWidget] = {}
        self.review: ReviewPage | None = None
        self.filtered_choices: dict[str, tuple[str, ...]] = {}
        """Questions with a choice_filter -> the choices they show now."""
        self.page_layout = QVBoxLayout()
        self.left_pages: set[str] = set()
        """Sections the shopper has moved on from: their missing answers are pointed out."""
        self._told: tuple[QWidget, str, str] | None = None
        """The control whose description carries a notice for a screen reader: the control,
        what it said before, what it says now."""
        self._note_told = False

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        set_text_role(self.title, TextRole.TITLE)
        self.title.setAccessibleName("Page title")
        self.saved = QLabel("")
        self.saved.setObjectName("saved_indicator")
        self.saved.setAccessibleName("Save status")
        set_text_role(self.saved, TextRole.SECONDARY)
        header.addWidget(self.title, 1)
        header.addWidget(self.saved)
        layout.addLayout(header)
        form_title = filling.text(filling.form.title)
        self.summary = QLabel(" · ".join(part for part in (form_title, visit_summary) if part))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        set_text_role(self.summary, TextRole.SECONDARY)
        layout.addWidget(self.summary)
        self.revision_banner = _revision_banner(filling.details.sent_back, self)
        if self.revision_banner is not None:
            layout.addWidget(self.revision_banner)
        self.scenario = QLabel(f"Scenario: {filling.details.scenario}")
        self.scenario.setObjectName("scenario_brief")
        self.scenario.setTextFormat(Qt.TextFormat.PlainText)
        self.scenario.setWordWrap(True)
        self.scenario.setVisible(bool(filling.details.scenario))
        layout.addWidget(self.scenario)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress through the form")
        self.progress.setFormat("Page %v of %m")
        layout.addWidget(self.progress)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {problem_colour(self)};")
        self.error.hide()
        layout.addWidget(self.error)
        self.notice = QLabel("")
        self.notice.setObjectName("left_unanswered")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()
        layout.addWidget(self.notice)

        self.page_area = QScrollArea()
        self.page_area.setWidgetResizable(True)
        self.page_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.page_area, 1)

        buttons = QHBoxLayout()
        self.close_button = QPushButton("Save and &close")
        self.back_button = QPushButton("&Back")
        self.next_button = QPushButton("&Next")
        self.finalize_button = QPushButton("Finali&ze")
        self.delete_button = QPushButton("&Delete draft…")
        self.delete_button.setAccessibleName("Delete this draft for good")
        self.delete_button.setVisible(draft is not None)
        if draft is not None:
            allow_delete(self.delete_button, draft)
        self.close_button.setAccessibleName("Save and close (answers are already saved)")
        self.finalize_button.setAccessibleName("Finalize and lock the evaluation")
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.finalize_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.finalize_button.clicked.connect(self.finalize)
        self.close_button.clicked.connect(self.save_and_close)
        self.delete_button.clicked.connect(self._ask_to_delete)
        for (keys, does), slot in zip(
            PAGE_SHORTCUTS, (self.go_next, self.go_back, self._finalize_if_reviewing), strict=True
        ):
            QShortcut(QKeySequence(keys), self, slot).setWhatsThis(does)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_moved)
        self.show_page(self.page, focus=filling.current_question)

    # -- navigation ----------------------------------------------------------------
    def page_count(self) -> int:
        """Pages of questions plus the review page."""
        return len(self.filling.visible_sections()) + 1

    def on_review_page(self) -> bool:
        """Whether the review page is showing."""
        return self.page >= self.page_count() - 1

    def go_next(self) -> None:
        """Show the next page (the review page after the last section); required questions
        left blank are marked and counted, but never stop the shopper."""
        if not self.on_review_page():
            left = self._leave_page()
            self.show_page(self.page + 1)
            if left:
                self._say_left_unanswered(left)

    def go_back(self) -> None:
        """Show the previous page."""
        if self.page > 0:
            self._leave_page()
            self.show_page(self.page - 1)

    def go_to_question(self, name: str) -> None:
        """Show the page holding a question and put the keyboard on it."""
        page = self.filling.page_of(name)
        if page is not None:
            self.show_page(page, focus=name)

    def _leave_page(self) -> list[str]:
        """Mark the page's required questions left blank; returns their names."""
        self.flush()
        if self.on_review_page():
            return []
        self.left_pages.add(self.filling.visible_sections()[self.page].name)
        missing = self.filling.state.missing_required
        left = [name for name in self.question_widgets if name in missing]
        for name in left:
            self._mark_required(self.question_widgets[name])
        return left

    @staticmethod
    def _mark_required(widget: QuestionWidget) -> None:
        widget.show_required = True
        widget.refresh_problem()

    def _say_left_unanswered(self, left: list[str]) -> None:
        count = "1 required question" if len(left) == 1 else f"{len(left)} required questions"
        where = self.filling.page_of(left[0])
        page = f" on page {where + 1}" if where is not None else ""
        self.notice.setText(
            f"⚠ {count}{page} not answered yet: marked there, and listed on the review page. "
            "You can go on and come back to it."
        )
        self.notice.show()
        self._tell(self.notice.text())

    def _tell(self, text: str) -> None:
        """Add `text` to what a screen reader reads of the control that has the keyboard,
        until the keyboard leaves it: notices above the page are labels, which take no focus."""
        widget = self.focusWidget()  # this screen's, even while a dialog has the keyboard
        if widget is None or not self.isAncestorOf(widget):
            return
        if self._told is not None and self._told[0] is widget:
            before, said = self._told[1], f"{self._told[2]} {text}"
        else:
            self._untell()
            before = widget.accessibleDescription()
            said = " ".join(part for part in (text, before) if part)
        widget.setAccessibleDescription(said)
        self._told = (widget, before, said)

    def _untell(self) -> None:
        if self._told is None:
            return
        widget, before, said = self._told
        self._told = None
        # Unless the control has said something new of its own since (a problem, a hint).
        if shiboken6.isValid(widget) and widget.accessibleDescription() == said:
            widget.setAccessibleDescription(before)

    def show_page(self, page: int, *, focus: str | None = None) -> None:
        """Build and show page `page` (a section, or the review page)."""
        self._untell()  # before its page, and the control, go
        self.page = max(0, min(page, self.page_count() - 1))
        self.notice.hide()
        self.error.hide()
        self._update_buttons()
        self.question_widgets = {}
        self.review = None
        content = self._review_page() if self.on_review_page() else self._section_page()
        self.page_area.setWidget(content)
        self._focus_on_page(focus)

    def _update_buttons(self) -> None:
        self.progress.setRange(0, self.page_count())
        self.progress.setValue(self.page + 1)
        self.back_button.setEnabled(self.page > 0)
        review_next = self.page == self.page_count() - 2
        self.next_button.setText("&Review" if review_next else "&Next")
        self.next_button.setVisible(not self.on_review_page())
        self.finalize_button.setVisible(self.on_review_page())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        # Focus cannot be given while hidden: the first page gets it once shown.
        self._focus_on_page(self.filling.current_question)

    def _focus_on_page(self, name: str | None) -> None:
        if not self.isVisible():
            return
        if self.review is not None:
            target: QWidget = self.finalize_button
            if self.review.problems.count():
                target = self.review.problems
                self.review.problems.setCurrentRow(0)
        else:
            shown = [w for w in self.question_widgets.values() if not w.isHidden()]
            chosen = self.question_widgets.get(name or "") or (shown[0] if shown else None)
            if chosen is None:
                return
            target = chosen.focus_target()
            if self.filling.editable:
                self.filling.set_position(chosen.question.name)
        target.setFocus(Qt.FocusReason.TabFocusReason)
        QTimer.singleShot(0, target, lambda: self.page_area.ensureWidgetVisible(target))
        banner = self.revision_banner
        if banner is not None and (not self._note_told or self.review is not None):
            # The note is a label, which takes no focus: a screen reader hears it with the
            # first control, when the visit opens and again before finalizing.
            self._note_told = True
            self._tell(banner.text())

    def _section_page(self) -> QWidget:
        section = self.filling.visible_sections()[self.page]
        self.title.setText(self.filling.text(section.label))
        show_required = section.name in self.left_pages
        page = QWidget()
        self.page_layout = QVBoxLayout(page)
        self.filtered_choices = {}
        for question in section.questions:
            if question.type != "calculate":
                self.page_layout.addWidget(self._question_widget(question, show_required))
        self.page_layout.addStretch(1)
        return page

    def _question_widget(self, question: Question, show_required: bool) -> QuestionWidget:
        widget = QuestionWidget(self.filling, question, read_only=not self.filling.editable)
        widget.show_required = show_required
        widget.refresh_problem()
        widget.setVisible(self.filling.is_visible(question))
        widget.answered.connect(self._answered)
        self.question_widgets[question.name] = widget
        if question.choice_filter:
            self.filtered_choices[question.name] = self._choice_names(question.name)
        return widget

    def _choice_names(self, name: str) -> tuple[str, ...]:
        return tuple(c.name for c in self.filling.state.visible_choices(name))

    def _refilter(self, answered: str) -> None:
        """Rebuild questions whose choice list depends on an answer just given."""
        for name, shown in list(self.filtered_choices.items()):
            if name == answered or self._choice_names(name) == shown:
                continue
            old = self.question_widgets[name]
            new = self._question_widget(old.question, old.show_required)
            self.page_layout.replaceWidget(old, new)
            old.hide()
            old.deleteLater()

    def _review_page(self) -> QWidget:
        self.title.setText("Review and finalize")
        self.review = ReviewPage(self.filling)
        self.review.go_to_question.connect(self.go_to_question)
        self.finalize_button.setEnabled(self.filling.editable)
        return self.review

    # -- answers -------------------------------------------------------------------
    def _answered(self, question: str) -> None:
        """An answer was saved: say so quietly and apply skip logic to the page."""
        self.error.hide()
        self.saved.setText(SAVED)
        self.saved.setToolTip(f"Every answer is saved as it is given (last at {_now()}).")
        self._refilter(question)
        for widget in self.question_widgets.values():
            widget.setVisible(self.filling.is_visible(widget.question))
            if widget.question.name != question:
                widget.refresh_problem()
        self._update_buttons()

    def _question_of(self, widget: QWidget | None) -> QuestionWidget | None:
        """The question of this page that holds a widget, if any."""
        while widget is not None and not isinstance(widget, QuestionWidget):
            widget = widget.parentWidget()
        if isinstance(widget, QuestionWidget) and (
            self.question_widgets.get(widget.question.name) is widget
        ):
            return widget
        return None

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._told is not None and old is self._told[0]:
            self._untell()
        left, widget = self._question_of(old), self._question_of(new)
        if (
            left is not None
            and left is not widget
            and self.filling.editable
            and self.filling.state.is_missing(left.question.name)
        ):
            # Moving past a required question left blank marks it; nothing stops the shopper.
            self._mark_required(left)
        if widget is not None and self.filling.editable:
            try:
                self.filling.set_position(widget.question.name)
            except RapportError as error:
                self.show_error(str(error))

    def flush(self) -> None:
        """Save any answer still being typed."""
        for widget in self.question_widgets.values():
            widget.flush()

    def save_and_close(self) -> None:
        """Leave the evaluation; it stays a draft to resume later."""
        self.flush()
        self.closed.emit()

    def show_error(self, message: str) -> None:
        """Show a problem at the top of the screen."""
        self.error.setText(message)
        self.error.show()

    def _ask_to_delete(self) -> None:
        self.flush()
        self.delete_requested.emit()

    def _finalize_if_reviewing(self) -> None:
        if self.on_review_page():
            self.finalize()
        else:
            self.show_page(self.page_count() - 1)

    def finalize(self) -> None:
        """Lock the submission, or take the shopper to the first thing still missing."""
        self.flush()
        try:
            self.filling.finalize(self.actor)
        except SubmissionIncomplete as incomplete:
            self.show_page(self.page_count() - 1)
            count = len(incomplete.problems)
            what = "1 question still needs" if count == 1 else f"{count} questions still need"
            self.show_error(
                f"Not finalized: {what} an answer or a fix. The first is selected in the list "
                "below: press Enter to go to it."
            )
            self._tell(self.error.text())
            return
        except RapportError as error:
            self.show_error(str(error))
            return
        self.finished.emit(self.filling.submission_id)


def _revision_banner(sent_back: SentBack | None, parent: QWidget) -> QLabel | None:
    """The manager's note on a visit sent back, shown above every page of it."""
    if sent_back is None:
        return None
    when = sent_back.at.astimezone().strftime("%Y-%m-%d")
    text = f"Sent back for revision by {sent_back.by} on {when}: {sent_back.note}"
    banner = QLabel(text)
    banner.setObjectName("revision_banner")
    banner.setTextFormat(Qt.TextFormat.PlainText)
    banner.setWordWrap(True)
    banner.setAccessibleName(text)
    colour = problem_colour(parent)
    banner.setStyleSheet(
        f"QLabel#revision_banner {{ border: 2px solid {colour}; border-left-width: 8px;"
        " border-radius: 4px; padding: 6px 10px; font-weight: bold; }"
    )
    return banner


def _now() -> str:
    return datetime.now().strftime("%H:%M:%S")
