"""What everyone sees: readable text on light and dark computers, nothing cut off at 1024x768,
a navigation bar that shows where you are, a Help menu, a window that fits the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import version

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow, default_window_size
from desktop.theme import (
    AA_TEXT,
    TextRole,
    apply_theme,
    bundled_icon,
    contrast,
    dark_desktop_palette,
    title_width,
)
from desktop.views.evaluation import EvaluationView
from desktop.views.help import AboutDialog, ShortcutsDialog
from forms.storage import Store
from forms.storage.urls import data_folder
from tests.desktop.screens import every_screen

SMALL_SCREEN = (1024, 768)


def _light() -> QPalette:
    """The palette of a light desktop (Qt's own standard one)."""
    style = QApplication.style()
    return QPalette(style.standardPalette())


@pytest.fixture
def themed_as(qapp: QApplication) -> Iterator[None]:
    """Lets a test choose the computer's palette; the suite's theme comes back afterwards."""
    before = QPalette(qapp.palette())
    yield
    apply_theme(qapp, before)


# -- colours drawn -----------------------------------------------------------------------
def _group(widget: QWidget) -> QPalette.ColorGroup:
    return QPalette.ColorGroup.Active if widget.isEnabled() else QPalette.ColorGroup.Disabled


def _background(widget: QWidget) -> QColor:
    """The colour under a widget's text: the nearest widget that paints its background."""
    found: QWidget | None = widget
    while found is not None:
        parent = found.parentWidget()
        # A style sheet's background (the kiosk's brand band) paints as autoFillBackground does.
        # (A styled button's colours are its own roles, checked with the button below; a
        # transparent style sheet background shows its parent's.)
        styled = (
            found.testAttribute(Qt.WidgetAttribute.WA_StyledBackground)
            and not isinstance(found, QAbstractButton)
            and found.palette().color(found.backgroundRole()).alpha() == 255
        )
        paints = found.autoFillBackground() or found.isWindow() or styled
        if isinstance(parent, QAbstractScrollArea) and found is parent.viewport():
            paints = True
        if paints:
            return found.palette().color(_group(found), found.backgroundRole())
        found = parent
    return widget.palette().color(QPalette.ColorRole.Window)


def _inline_colours(text: str) -> list[QColor]:
    return [QColor(value) for value in re.findall(r"color:\s*(#[0-9a-fA-F]{3,8})", text)]


def _drawn_pairs(widget: QWidget) -> list[tuple[str, QColor, QColor]]:
    """(what, text colour, background) of the text a widget draws now."""
    palette, group, role = widget.palette(), _group(widget), QPalette.ColorRole
    pairs: list[tuple[str, QColor, QColor]] = []
    if isinstance(widget, QLabel):
        if not widget.text().strip():
            return []
        background = _background(widget)
        pairs.append((widget.text(), palette.color(group, widget.foregroundRole()), background))
        pairs += [(widget.text(), colour, background) for colour in _inline_colours(widget.text())]
        return pairs
    if not widget.isEnabled():
        return []  # WCAG asks no contrast of controls that cannot be used
    if isinstance(widget, QAbstractButton) and widget.text():
        name = widget.text()
        if isinstance(widget, QCheckBox | QRadioButton):
            pairs.append((name, palette.color(group, role.WindowText), _background(widget)))
        elif isinstance(widget, QToolButton) and widget.autoRaise():
            pairs.append((name, palette.color(group, role.ButtonText), _background(widget)))
        else:
            pairs.append((name, palette.color(group, role.ButtonText), palette.color(role.Button)))
        if widget.isChecked():
            pairs.append((name, palette.color(role.HighlightedText), palette.color(role.Highlight)))
    elif isinstance(widget, QLineEdit | QAbstractSpinBox):
        base = palette.color(group, role.Base)
        pairs.append(("field", palette.color(group, role.Text), base))
        edit = widget if isinstance(widget, QLineEdit) else widget.lineEdit()
        if edit is not None and edit.placeholderText():
            pairs.append((edit.placeholderText(), palette.color(role.PlaceholderText), base))
    elif isinstance(widget, QComboBox) and widget.currentText():
        pairs.append(
            (
                widget.currentText(),
                palette.color(group, role.ButtonText),
                palette.color(role.Button),
            )
        )
    elif isinstance(widget, QHeaderView):
        pairs.append(("header", palette.color(group, role.ButtonText), palette.color(role.Button)))
    elif isinstance(widget, QAbstractItemView):
        pairs += _item_pairs(widget)
    elif isinstance(widget, QGroupBox) and widget.title():
        pairs.append((widget.title(), palette.color(group, role.WindowText), _background(widget)))
    elif isinstance(widget, QTabBar):
        pairs.append(("tabs", palette.color(group, role.WindowText), _background(widget)))
    return pairs


def _item_pairs(view: QAbstractItemView) -> list[tuple[str, QColor, QColor]]:
    """Rows of a list or table: plain, alternate, selected, and colours the model asks for."""
    palette, role = view.palette(), QPalette.ColorRole
    text = palette.color(role.Text)
    pairs = [
        ("rows", text, palette.color(role.Base)),
        ("selected row", palette.color(role.HighlightedText), palette.color(role.Highlight)),
    ]
    if view.alternatingRowColors():
        pairs.append(("alternate rows", text, palette.color(role.AlternateBase)))
    model = view.model()
    if model is None:
        return pairs
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for row in range(min(model.rowCount(QModelIndex()), 20)):
        for column in range(columns):
            index = model.index(row, column, QModelIndex())
            foreground = model.data(index, Qt.ItemDataRole.ForegroundRole)
            background = model.data(index, Qt.ItemDataRole.BackgroundRole)
            if foreground is None and background is None:
                continue
            pairs.append(
                (
                    str(model.data(index, Qt.ItemDataRole.DisplayRole)),
                    QColor(foreground.color() if hasattr(foreground, "color") else foreground)
                    if foreground is not None
                    else text,
                    QColor(background.color() if hasattr(background, "color") else background)
                    if background is not None
                    else palette.color(role.Base),
                )
            )
    return pairs


def _unreadable(top: QWidget) -> list[str]:
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        for what, foreground, background in _drawn_pairs(widget):
            ratio = contrast(foreground, background)
            if ratio < AA_TEXT:
                found.append(
                    f"{type(widget).__name__} {what[:50]!r}: {foreground.name()} on "
                    f"{background.name()} is {ratio:.1f}:1"
                )
    return found


@pytest.mark.usefixtures("themed_as")
@pytest.mark.parametrize("system", [_light, dark_desktop_palette], ids=["light", "dark"])
def test_every_text_of_every_screen_meets_wcag_aa_on_light_and_dark_computers(
    qtbot: QtBot, qapp: QApplication, sample_store: Store, system: object
) -> None:
    assert callable(system)
    apply_theme(qapp, system())
    problems = {
        f"{name}: {problem}"
        for name, top in every_screen(qtbot, sample_store, SMALL_SCREEN)
        for problem in _unreadable(top)
    }
    assert not problems, "text below 4.5:1 contrast:\n" + "\n".join(sorted(problems))


# -- sizes -------------------------------------------------------------------------------
def _text_width_as_drawn(label: QLabel) -> int:
    """Qt draws the letters on each side of an underlined shortcut letter separately."""
    metrics = label.fontMetrics()
    text = label.text()
    if label.buddy() is None or "&" not in text:
        return metrics.horizontalAdvance(text)
    before, _amp, after = text.partition("&")
    return sum(metrics.horizontalAdvance(part) for part in (before, after[:1], after[1:]) if part)


def _cut_off(top: QWidget) -> list[str]:
    found = []
    for label in top.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        room = label.contentsRect()
        if label.wordWrap():
            needed = QSize(0, label.heightForWidth(label.width()))
        else:
            needed = label.sizeHint()
            if label.textFormat() != Qt.TextFormat.RichText and "\n" not in label.text():
                needed.setWidth(max(needed.width(), _text_width_as_drawn(label)))
        if needed.width() > room.width() or needed.height() > room.height():
            found.append(
                f"label {label.text()!r} needs {needed.toTuple()}, has {room.size().toTuple()}"
            )
    if isinstance(top, QDialog) and top.width() < title_width(top.windowTitle(), top.font()):
        found.append(f"title {top.windowTitle()!r} cut at {top.width()} pixels")
    return found


def test_no_label_or_dialog_title_is_cut_off_on_a_1024_by_768_screen(
    qtbot: QtBot, sample_store: Store
) -> None:
    problems = [
        f"{name}: {problem}"
        for name, top in every_screen(qtbot, sample_store, SMALL_SCREEN)
        for problem in _cut_off(top)
    ]
    assert not problems, "\n".join(problems)


def test_a_long_error_in_a_site_dialog_is_shown_whole(qtbot: QtBot, sample_store: Store) -> None:
    window = MainWindow(sample_store, actor="manager")
    qtbot.addWidget(window)
    window.show_admin()
    assert window.admin is not None
    window.admin.sites.add_location()
    dialog = window.admin.sites.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    taken = window.admin.sites.location_model.rows()[0]
    dialog.edits["code"].setText(taken.code)
    dialog.try_save()
    qtbot.wait(20)
    message = dialog.message
    assert taken.code in message.text()
    assert message.heightForWidth(message.width()) <= message.height()


def test_the_window_opens_no_larger_than_the_screen(qtbot: QtBot, store: Store) -> None:
    assert default_window_size(QRect(0, 0, 1024, 768)).boundedTo(QSize(1024, 768)) == (
        default_window_size(QRect(0, 0, 1024, 768))
    )
    assert default_window_size(QRect(0, 0, 1920, 1080)) == QSize(1100, 720)
    window = MainWindow(store, actor="test")
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert window.width() <= available.width()
    assert window.height() <= available.height()


# -- navigation --------------------------------------------------------------------------
def test_the_bar_shows_which_screen_is_current_with_an_icon_for_each(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = MainWindow(sample_store, actor="test")
    qtbot.addWidget(window)
    window.show()

    def current() -> list[str]:
        return [name for name, action in window.screen_actions.items() if action.isChecked()]

    assert current() == ["home"]
    for name, show in (
        ("submissions", window.show_submissions),
        ("reports", window.show_reports),
        ("administration", window.show_admin),
        ("home", window.show_home),
    ):
        show()
        assert current() == [name]
    window.screen_actions["reports"].trigger()
    window.screen_actions["reports"].trigger()  # pressed again: still the current screen
    assert current() == ["reports"]
    for action in window.screen_actions.values():
        assert not action.icon().isNull()
        assert not action.icon().pixmap(20, 20).isNull()


def test_the_bundled_icons_draw_in_the_palette_text_colour(qapp: QApplication) -> None:
    palette = qapp.palette()
    image = bundled_icon("home", palette).pixmap(32, 32).toImage()
    drawn = {
        image.pixelColor(x, y).rgb()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }
    assert palette.color(QPalette.ColorRole.ButtonText).rgb() in drawn


# -- help --------------------------------------------------------------------------------
def test_help_lists_every_shortcut_registered_in_the_window_and_the_evaluation(
    qtbot: QtBot, sample_store: Store
) -> None:
    window = MainWindow(sample_store, actor="shopper")
    qtbot.addWidget(window)
    forms = {info.key: info.id for info in sample_store.list_forms()}
    location = site_list_first_id(sample_store)
    window.open_evaluation(
        sample_store.start_submission(forms["customer_survey"], location_id=location)
    )
    assert isinstance(window.evaluation, EvaluationView)
    dialog = ShortcutsDialog(window.menuBar(), window)
    qtbot.addWidget(dialog)
    listed = {keys for keys, _does in dialog.listed()}
    registered = {
        action.shortcut().toString(action.shortcut().SequenceFormat.NativeText)
        for action in window.findChildren(QAction)
        if not action.shortcut().isEmpty()
    } | {
        shortcut.key().toString(shortcut.key().SequenceFormat.NativeText)
        for shortcut in window.evaluation.findChildren(QShortcut)
    }
    assert registered
    assert registered <= listed
    assert "Keyboard shortcuts" in [a.text().replace("&", "") for a in window.findChildren(QAction)]


def site_list_first_id(store: Store) -> int:
    from reports.queries.screens import site_list

    return site_list(store)[0].id


def test_about_names_the_installed_version_the_data_folder_and_the_licence(
    qtbot: QtBot, store: Store
) -> None:
    dialog = AboutDialog(store.shown_url, None)
    qtbot.addWidget(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert version("rapport") in shown
    assert str(data_folder()) in shown
    assert "Proprietary" in shown
    assert store.shown_url in shown
    assert isinstance(dialog.open_folder, QPushButton)


def test_every_screen_has_its_title_in_one_size_at_one_margin(
    qtbot: QtBot, sample_store: Store
) -> None:
    titles: dict[str, tuple[float, int]] = {}
    for name, top in every_screen(qtbot, sample_store, SMALL_SCREEN):
        if name not in ("home", "submissions", "evaluation", "reports", "admin-sites"):
            continue
        shown = [
            label
            for label in top.findChildren(QLabel)
            if label.isVisible() and label.property("textRole") == TextRole.TITLE.value
        ]
        assert len(shown) == 1, f"{name} has {len(shown)} titles"
        title = shown[0]
        left = title.mapTo(top, title.contentsRect().topLeft()).x()
        titles[name] = (title.font().pointSizeF(), left)
    sizes = {size for size, _left in titles.values()}
    margins = {left for _size, left in titles.values()}
    assert len(sizes) == 1, titles
    assert len(margins) == 1, titles
    assert sizes.pop() > QApplication.font().pointSizeF() * 1.5
