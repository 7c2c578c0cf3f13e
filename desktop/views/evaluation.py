"""The evaluation screen: one section per page, every answer saved as it is given."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.questions import QuestionWidget
from forms.filling import FormFilling
from forms.store import SubmissionIncomplete


class EvaluationView(QWidget):
    """Fills one submission page by page, then shows a review page with the live score."""

    finished = Signal(str)
    """Emitted with the submission id once it is finalized."""
    closed = Signal()

    def __init__(self, filling: FormFilling, actor: str) -> None:
        super().__init__()
        self.filling = filling
        self.actor = actor
        self.page = filling.resume_page()
        self.question_widgets: dict[str, QuestionWidget] = {}

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.saved = QLabel("")
        self.saved.setObjectName("saved_indicator")
        self.saved.setEnabled(False)
        header.addWidget(self.title, 1)
        header.addWidget(self.saved)
        layout.addLayout(header)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress through the form")
        self.progress.setFormat("Page %v of %m")
        layout.addWidget(self.progress)

        self.page_area = QScrollArea()
        self.page_area.setWidgetResizable(True)
        layout.addWidget(self.page_area, 1)

        buttons = QHBoxLayout()
        self.back_button = QPushButton("&Back")
        self.next_button = QPushButton("&Next")
        self.finalize_button = QPushButton("&Finalize")
        self.close_button = QPushButton("Save and &close")
        self.next_button.setDefault(True)
        for button in (self.close_button, self.back_button, self.next_button):
            buttons.addWidget(button)
        buttons.insertStretch(1, 1)
        buttons.addWidget(self.finalize_button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.finalize_button.clicked.connect(self.finalize)
        self.close_button.clicked.connect(self.closed.emit)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, self.go_next)
        QShortcut(QKeySequence("Ctrl+PgUp"), self, self.go_back)
        self.show_page(self.page)

    # -- navigation ----------------------------------------------------------------
    def page_count(self) -> int:
        """Pages of questions plus the review page."""
        return len(self.filling.visible_sections()) + 1

    def on_review_page(self) -> bool:
        """Whether the review page is showing."""
        return self.page >= self.page_count() - 1

    def go_next(self) -> None:
        """Show the next page (the review page after the last section)."""
        if not self.on_review_page():
            self.show_page(self.page + 1)

    def go_back(self) -> None:
        """Show the previous page."""
        if self.page > 0:
            self.show_page(self.page - 1)

    def show_page(self, page: int) -> None:
        """Build and show page `page` (a section, or the review page)."""
        self.page = max(0, min(page, self.page_count() - 1))
        self.progress.setRange(1, self.page_count())
        self.progress.setValue(self.page + 1)
        self.back_button.setEnabled(self.page > 0)
        self.next_button.setVisible(not self.on_review_page())
        self.finalize_button.setVisible(self.on_review_page())
        content = self._review_page() if self.on_review_page() else self._section_page()
        self.page_area.setWidget(content)
        content.focusNextChild()

    def _section_page(self) -> QWidget:
        form = self.filling.form
        section = self.filling.visible_sections()[self.page]
        self.title.setText(form.text(section.label, self.filling.language))
        page = QWidget()
        layout = QVBoxLayout(page)
        self.question_widgets = {}
        for question in section.questions:
            if question.type == "calculate":
                continue
            widget = QuestionWidget(
                form,
                question,
                self.filling.state.visible_choices(question.name) if question.list_name else (),
                self.filling.answers.get(question.name),
                self.filling.language,
                partial(self.answer, question.name),
            )
            widget.setVisible(self.filling.is_visible(question))
            widget.show_problem(self.filling.problem_for(question.name))
            self.question_widgets[question.name] = widget
            layout.addWidget(widget)
        layout.addStretch(1)
        return page

    def _review_page(self) -> QWidget:
        self.title.setText("Review and finalize")
        page = QWidget()
        layout = QVBoxLayout(page)
        score = self.filling.live_score()
        overall = "–" if score.overall is None else f"{score.overall:.1f}"
        band = f" ({score.band})" if score.band else ""
        summary = QLabel(f"Score if finalized now: <b>{overall}</b>{band}")
        summary.setObjectName("live_score")
        layout.addWidget(summary)
        if score.critical_failure:
            layout.addWidget(QLabel("Critical failure: the visit scores 0 (raw score kept)."))
        problems = self.filling.problems()
        if problems:
            layout.addWidget(QLabel("Still to do before you can finalize:"))
            listing = QListWidget()
            listing.setObjectName("problems")
            listing.setAccessibleName("Questions still to answer")
            for problem in problems:
                label = self.filling.form.text(
                    self.filling.form.question(problem.question).label, self.filling.language
                )
                listing.addItem(f"{label}: {problem.message}")
            layout.addWidget(listing)
        else:
            layout.addWidget(QLabel("Every required question is answered."))
        layout.addStretch(1)
        return page

    # -- answers -------------------------------------------------------------------
    def answer(self, question: str, value: object) -> None:
        """Save an answer at once and apply skip logic to the page."""
        self.filling.set_answer(question, value)
        self.saved.setText("Saved")
        for name, widget in self.question_widgets.items():
            widget.setVisible(self.filling.is_visible(widget.question))
            if name == question:
                widget.show_problem(self.filling.problem_for(name))

    def finalize(self) -> None:
        """Lock the submission, or list what is missing."""
        try:
            self.filling.finalize(self.actor)
        except SubmissionIncomplete:
            self.show_page(self.page_count() - 1)
            return
        self.finished.emit(self.filling.submission_id)
