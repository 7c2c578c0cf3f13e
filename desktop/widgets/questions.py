"""A question as a respondent sees it: label, hint, the editor for its type, a comment, and
the message about its answer right beside it. Every change is saved through FormFilling.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.theme import problem_text
from desktop.widgets.base import Editor
from desktop.widgets.choices import ChoiceEditor, MultipleChoiceEditor
from desktop.widgets.inputs import DateTimeEditor, DecimalEditor, IntegerEditor, TextEditor
from desktop.widgets.kinds import editor_kind
from desktop.widgets.photo import PhotoEditor
from forms.definition.limits import MAX_TEXT_ANSWER
from forms.definition.model import Question
from forms.errors import RapportError
from forms.filling import FormFilling

_NO_COMMENT_KINDS = ("text", "multiline", "note")


def problem_colour(widget: QWidget) -> str:
    """A red that reads well on the widget's background, light or dark (from the theme)."""
    return problem_text(widget.palette()).name()


class _Note(Editor):
    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def build_editor(
    filling: FormFilling, question: Question, *, touch: bool, report: QLabel
) -> Editor:
    """The editor for a question's type, showing its saved answer."""
    form, language = filling.form, filling.language
    value = filling.answers.get(question.name)
    label = form.text(question.label, language)
    kind = editor_kind(form, question)
    if kind in ("rating", "yes_no", "nps", "choices"):
        choices = filling.state.visible_choices(question.name)
        return ChoiceEditor(form, question, choices, value, language, kind, touch=touch)
    if kind == "multiple":
        choices = filling.state.visible_choices(question.name)
        return MultipleChoiceEditor(form, question, choices, value, language, touch=touch)
    if kind == "integer":
        return IntegerEditor(question, value, label, touch=touch)
    if kind == "decimal":
        return DecimalEditor(value, label, touch=touch)
    if kind in ("text", "multiline"):
        return TextEditor(value, label, multiline=kind == "multiline", touch=touch)
    if kind in ("date", "time", "datetime"):
        return DateTimeEditor(kind, value, label, touch=touch)
    if kind == "photo" and not touch:
        # Never at the kiosk: picking a file opens the system's file dialog, and with it the
        # laptop's files (the kiosk refuses forms with photo questions).
        photo = filling.current_photo(question.name)
        data = filling.store.attachment_bytes(photo.id) if photo else None

        def attach(data: bytes, filename: str, media_type: str) -> None:
            filling.attach_photo(question.name, data, filename, media_type)

        def show(message: str) -> None:
            report.setText(message)
            report.setVisible(True)

        return PhotoEditor(label, photo.filename if photo else None, data, attach, show)
    return _Note()


class QuestionWidget(QFrame):
    """One question of the form, saved through `filling` the moment it changes."""

    answered = Signal(str)
    """Emitted with the question name after its answer was saved."""
    save_failed = Signal()
    """Emitted when an answer or comment could not be saved (its message is shown)."""

    def __init__(
        self,
        filling: FormFilling,
        question: Question,
        *,
        touch: bool = False,
        read_only: bool = False,
        message: QLabel | None = None,
    ) -> None:
        """`message`: where to say what is wrong with the answer (the kiosk's one message
        line, above its buttons); by default a line under the question."""
        super().__init__()
        self.filling = filling
        self.question = question
        self.show_required = False
        self.touch = touch
        self.setObjectName(f"question_{question.name}")
        self.setFrameShape(QFrame.Shape.StyledPanel if not touch else QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        if touch:
            layout.setSpacing(18)
        form, language = filling.form, filling.language
        label = form.text(question.label, language) or question.name
        # On the kiosk, a long question (a shopper's form shown there) takes a smaller size
        # so that it and its options fit a small screen.
        size = ("18pt" if len(label) > 80 else "22pt") if touch else "11pt"
        required = " *" if question.required else ""
        self.label = QLabel(
            f'<span style="font-size: {size}"><b>{escape(label)}</b>{required}</span>'
        )
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.label)
        hint = form.text(question.hint, language)
        self._hint = hint
        if hint:
            self.hint = QLabel(hint)
            self.hint.setObjectName("hint")
            self.hint.setWordWrap(True)
            self.hint.setTextFormat(Qt.TextFormat.PlainText)
            if touch:
                self.hint.setStyleSheet(f"font-size: {13 if len(hint) > 100 else 15}pt;")
            if not touch:  # the kiosk gives hints a softer colour that still reads 4.5:1
                self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(self.hint)
        own_message = message is None
        self._own_message = own_message
        self.message = QLabel("") if message is None else message
        if own_message:
            self.message.setObjectName("problem")
            self.message.setWordWrap(True)
            self.message.setTextFormat(Qt.TextFormat.PlainText)
            self.message.setStyleSheet(
                f"color: {problem_colour(self)};" + (" font-size: 16pt;" if touch else "")
            )
        self.message.hide()
        self.editor = build_editor(filling, question, touch=touch, report=self.message)
        self.editor.setAccessibleDescription(hint)
        self.editor.changed.connect(self._save)
        layout.addWidget(self.editor)
        self.comment_button: QToolButton | None = None
        self.comment: QLineEdit | None = None
        if not touch and editor_kind(form, question) not in _NO_COMMENT_KINDS:
            self._add_comment(layout, label, read_only)
        self.sign = QLabel("⚠")
        self.sign.setObjectName("problem_sign")
        self.sign.setAccessibleName("Problem")
        self.sign.setStyleSheet(self.message.styleSheet())
        self.sign.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.sign.hide()
        if own_message:
            problem_row = QHBoxLayout()
            problem_row.addWidget(self.sign)
            problem_row.addWidget(self.message, 1)
            layout.addLayout(problem_row)
        if read_only:
            self.editor.set_read_only(True)
        self.refresh_problem()

    def _add_comment(self, layout: QVBoxLayout, label: str, read_only: bool) -> None:
        row = QHBoxLayout()
        saved = self.filling.comments.get(self.question.name, "")
        self.comment_button = QToolButton()
        self.comment_button.setText("Comment")
        self.comment_button.setCheckable(True)
        self.comment_button.setAccessibleName(f"Comment on: {label}")
        self.comment_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.comment = QLineEdit(saved)
        self.comment.setMaxLength(MAX_TEXT_ANSWER)
        self.comment.setPlaceholderText("Your comment on this question (optional)")
        self.comment.setAccessibleName(f"Comment on: {label}")
        self.comment.setVisible(bool(saved))
        self.comment.setReadOnly(read_only)
        self.comment_button.setChecked(bool(saved))
        self.comment_button.setEnabled(not read_only)
        self.comment_button.toggled.connect(self._toggle_comment)
        self.comment.editingFinished.connect(self._save_comment)
        row.addWidget(self.comment_button)
        row.addWidget(self.comment, 1)
        row.addStretch(0)  # keeps the button at the left while the comment is hidden
        layout.addLayout(row)

    def _toggle_comment(self, shown: bool) -> None:
        assert self.comment is not None
        self.comment.setVisible(shown)
        if shown:
            self.comment.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_comment(self) -> None:
        assert self.comment is not None
        text = self.comment.text()
        if text.strip() == self.filling.comments.get(self.question.name, ""):
            return
        try:
            self.filling.set_comment(self.question.name, text)
        except RapportError as error:
            self.show_problem(str(error))
            self.save_failed.emit()
            return
        self.answered.emit(self.question.name)

    def _save(self, value: object) -> None:
        try:
            self.filling.set_answer(self.question.name, value)
        except RapportError as error:
            self.show_problem(str(error))
            self.save_failed.emit()
            return
        self.refresh_problem()
        self.answered.emit(self.question.name)

    def flush(self) -> None:
        """Save whatever is still being typed."""
        self.editor.flush()
        if self.comment is not None and self.comment.isVisible():
            self._save_comment()

    def focus_target(self) -> QWidget:
        """Where the keyboard goes when this question is reached."""
        return self.editor.focus_target()

    def refresh_problem(self) -> None:
        """Show the message about the current answer (missing ones once `show_required`)."""
        self.show_problem(self.filling.problem_for(self.question.name, required=self.show_required))

    def show_problem(self, text: str | None) -> None:
        """Show (or clear) the message about this question's answer: a warning sign and a
        border as well as the colour, so it reads without colour too."""
        self.message.setText(text or "")
        self.message.setVisible(bool(text))
        # The kiosk shows its message in a line of its own, without this sign.
        self.sign.setVisible(bool(text) and self._own_message)
        self.editor.setAccessibleDescription(" ".join(t for t in (self._hint, text) if t))
        # A property picks this frame, not its name: a question name may hold a dot (q1.2).
        self.setProperty("question_frame", True)
        self.setStyleSheet(
            f'QFrame[question_frame="true"] {{ border: 2px solid {problem_colour(self)}; }}'
            if text and not self.touch
            else ""
        )
