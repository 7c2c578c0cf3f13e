"""The review page of an evaluation: live score, what is still missing, what is flagged."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.questions import problem_colour
from forms.filling import FormFilling
from forms.scoring.points import ScoreResult


def score_text(score: ScoreResult) -> str:
    """The overall score as a shopper reads it: "82.4 (Meets)"."""
    if score.overall is None:
        return "– (nothing scored yet)"
    band = f" ({score.band})" if score.band else ""
    return f"{score.overall:.1f}{band}"


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class ReviewPage(QWidget):
    """Shows the live score and lists the questions to fix or look at again."""

    go_to_question = Signal(str)
    """Emitted with a question name when the shopper picks it from a list."""

    def __init__(self, filling: FormFilling) -> None:
        super().__init__()
        self.filling = filling
        layout = QVBoxLayout(self)
        score = filling.live_score()
        self.score_label = QLabel(f"Score if finalized now: <b>{score_text(score)}</b>")
        self.score_label.setObjectName("live_score")
        self.score_label.setAccessibleName(f"Score if finalized now: {score_text(score)}")
        layout.addWidget(self.score_label)
        if score.empathy_index is not None:
            layout.addWidget(QLabel(f"Empathy Index: {score.empathy_index:.1f}"))
        if score.critical_failure:
            critical = QLabel(
                "Critical failure: the visit scores 0 "
                f"(raw score {score.raw_score or 0:.1f} is kept and shown)."
            )
            critical.setObjectName("critical_failure")
            critical.setStyleSheet(f"color: {problem_colour(self)};")
            layout.addWidget(critical)
        self.sections = self._section_table(score)
        if self.sections.rowCount():
            layout.addWidget(self.sections)

        problems = filling.problems()
        self.problems = self._listing(
            "problems",
            "Questions still to answer or fix",
            [(p.question, p.message) for p in problems],
        )
        if problems:
            layout.addWidget(_heading(f"Still to do before you can finalize ({len(problems)})"))
            layout.addWidget(self.problems)
        else:
            done = QLabel("Every required question is answered: you can finalize.")
            done.setObjectName("ready")
            layout.addWidget(done)
        flags = filling.flagged()
        self.flags = self._listing(
            "flagged", "Answers flagged for a second look", [(f.question, f.reason) for f in flags]
        )
        if flags:
            layout.addWidget(_heading(f"Flagged for a second look ({len(flags)})"))
            layout.addWidget(self.flags)
        to_do = {p.question for p in problems}
        optional = [name for name in filling.unanswered() if name not in to_do]
        self.optional = self._listing(
            "unanswered", "Optional questions not answered", [(n, "not answered") for n in optional]
        )
        if optional:
            layout.addWidget(_heading(f"Optional questions left blank ({len(optional)})"))
            layout.addWidget(self.optional)
        layout.addStretch(1)

    def _section_table(self, score: ScoreResult) -> QTableWidget:
        labels = {s.name: self.filling.text(s.label) for s in self.filling.sections()}
        scored = [s for s in score.sections if s.possible > 0 or s.score is not None]
        table = QTableWidget(len(scored), 2)
        table.setObjectName("section_scores")
        table.setAccessibleName("Score by section")
        table.setHorizontalHeaderLabels(["Section", "Score"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, section in enumerate(scored):
            table.setItem(row, 0, QTableWidgetItem(labels.get(section.name, section.name)))
            value = "–" if section.score is None else f"{section.score:.1f}"
            item = QTableWidgetItem(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 1, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.setMaximumHeight(
            table.horizontalHeader().height()
            + sum(table.rowHeight(r) for r in range(len(scored)))
            + 4
        )
        return table

    def _listing(self, name: str, accessible: str, entries: list[tuple[str, str]]) -> QListWidget:
        listing = QListWidget()
        listing.setObjectName(name)
        listing.setAccessibleName(accessible)
        sections = {q.name: s for s in self.filling.sections() for q in s.questions}
        for question, message in entries:
            label = self.filling.text(self.filling.form.question(question).label) or question
            section = sections.get(question)
            if section is not None and section.group is not None:
                label = f"{self.filling.text(section.label)}: {label}"
            item = QListWidgetItem(f"{label} — {message}")
            item.setData(Qt.ItemDataRole.UserRole, question)
            listing.addItem(item)
        listing.setMaximumHeight(max(60, min(220, 24 * len(entries) + 8)))
        listing.itemActivated.connect(
            lambda item: self.go_to_question.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        return listing
