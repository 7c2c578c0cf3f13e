"""The Help menu's dialogs: every keyboard shortcut, and what Rapport is and where its data is."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, metadata

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errorlog import log_file_path
from desktop.theme import SPACING, TextRole, set_text_role
from desktop.views.evaluation import PAGE_SHORTCUTS
from forms.storage.urls import data_folder


@dataclass(frozen=True)
class Shortcut:
    """One shortcut as the user reads it: where it works, its keys, what it does."""

    place: str
    keys: str
    does: str


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def menu_shortcuts(menu_bar: QMenuBar) -> list[Shortcut]:
    """The shortcuts of every action in the menus, read from the actions themselves."""
    found: list[Shortcut] = []

    def visit(menu: QMenu, place: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                visit(submenu, f"{place} › {submenu.title().replace('&', '')}")
            elif isinstance(action, QAction) and action.shortcuts():
                keys = ", ".join(_keys(sequence) for sequence in action.shortcuts())
                found.append(Shortcut(place, keys, action.text().replace("&", "").rstrip("…")))

    for action in menu_bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            visit(menu, f"{menu.title().replace('&', '')} menu")
    return found


def all_shortcuts(menu_bar: QMenuBar) -> list[Shortcut]:
    """The menus' shortcuts, then those of the evaluation screen."""
    return [
        *menu_shortcuts(menu_bar),
        *(
            Shortcut("While filling an evaluation", _keys(QKeySequence(keys)), does)
            for keys, does in PAGE_SHORTCUTS
        ),
    ]


class ShortcutsDialog(QDialog):
    """A list of every keyboard shortcut, grouped by where it works."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "What they do"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        places: dict[str, QTreeWidgetItem] = {}
        for shortcut in all_shortcuts(menu_bar):
            if shortcut.place not in places:
                heading = QTreeWidgetItem(self.tree, [shortcut.place])
                heading.setFirstColumnSpanned(True)
                font = heading.font(0)
                font.setBold(True)
                heading.setFont(0, font)
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                places[shortcut.place] = heading
            QTreeWidgetItem(places[shortcut.place], [shortcut.keys, shortcut.does])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, self.tree.columnWidth(0) + 3 * SPACING)
        layout.addWidget(self.tree, 1)
        note = QLabel(
            "Everywhere: Alt and the underlined letter of a label or button moves to that "
            "field or presses that button; Tab and Shift+Tab move between fields."
        )
        note.setWordWrap(True)
        set_text_role(note, TextRole.SECONDARY)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 480)

    def listed(self) -> list[tuple[str, str]]:
        """(keys, what they do) of every row shown."""
        rows = []
        for top in range(self.tree.topLevelItemCount()):
            heading = self.tree.topLevelItem(top)
            assert heading is not None
            for child in range(heading.childCount()):
                item = heading.child(child)
                assert item is not None
                rows.append((item.text(0), item.text(1)))
        return rows


@dataclass(frozen=True)
class AboutRapport:
    """What the About dialog says: read from the installed package and the data folder."""

    version: str
    licence: str
    data_folder: str
    log_file: str


def about_rapport() -> AboutRapport:
    """The installed package's version and licence, and where the user's files are."""
    try:
        info = metadata("rapport")
        version = info["Version"]
        # A missing field is None from the standard library, an error from its backport.
        stated = (info.get_all("License-Expression") or []) + (info.get_all("License") or [])
        licence = stated[0] if stated else "not stated"
    except PackageNotFoundError:
        version, licence = "development copy", "see the LICENSE file of the source"
    return AboutRapport(version, licence, str(data_folder()), str(log_file_path()))


class AboutDialog(QDialog):
    """Rapport's version, licence, data folder and the database in use."""

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Rapport")
        self.about = about_rapport()
        layout = QVBoxLayout(self)
        title = QLabel("Rapport")
        set_text_role(title, TextRole.TITLE)
        layout.addWidget(title)
        intro = QLabel(
            "Measures empathy in customer service: mystery shoppers, kiosk customers and "
            "employees answer; site managers get PDF reports."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for caption, value in (
            ("Version", self.about.version),
            ("Licence", self.about.licence),
            ("Data folder", self.about.data_folder),
            ("Database", database),
            ("Problem log", self.about.log_file),
        ):
            shown = QLabel(value)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(caption)
            facts.addRow(f"{caption}:", shown)
        layout.addSpacing(SPACING)
        layout.addLayout(facts)
        layout.addSpacing(SPACING)
        credits_note = QLabel(
            "Built with Qt for Python (PySide6, LGPL-3.0), SQLAlchemy, Jinja2 and WeasyPrint; "
            "reports use the DejaVu fonts."
        )
        credits_note.setWordWrap(True)
        set_text_role(credits_note, TextRole.SECONDARY)
        layout.addWidget(credits_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_folder = buttons.addButton(
            "&Open data folder", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.about.data_folder))
        )
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Wrapped lines at this width, and no gaps between them.
        self.resize(560, max(self.heightForWidth(560), self.minimumSizeHint().height()))
