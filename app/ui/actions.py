"""Every window command declared once: id, text, shortcuts, menu and handler.

The same table makes the QActions of the main window, its menus, the header buttons' triggers,
the keyboard shortcuts and the entries of the command palette (Ctrl+K). Texts are English source
strings in the "Actions" translation context; Japanese comes from the .qm like every UI string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from app.ui import i18n
from app.ui.main_tabs import TAB_ARCH

if TYPE_CHECKING:
    from app.ui.results_commands import ResultsCommands

CONTEXT = "Actions"
Key = str | QKeySequence.StandardKey


class CommandTarget(Protocol):
    """What the action handlers call: the main window's commands."""

    def addAction(self, action: QAction) -> None: ...
    def close(self) -> bool: ...
    def show_tab(self, index: int) -> None: ...
    def focus_query(self) -> None: ...
    def open_settings(self) -> None: ...
    def open_palette(self) -> None: ...
    def set_zoom(self, zoom: float) -> None: ...
    def set_high_contrast(self, on: bool) -> None: ...
    def set_full_screen(self, on: bool) -> None: ...
    def set_presenter_mode(self, on: bool) -> None: ...
    def start_demo(self) -> None: ...
    def set_language(self, lang: str, persist: bool = True) -> None: ...
    def add_selected_to_plan(self) -> None: ...
    def start_tour(self) -> None: ...
    def about(self) -> None: ...
    def rebuild_catalog(self) -> None: ...
    def escape(self) -> None: ...
    @property
    def results_commands(self) -> ResultsCommands: ...  # municipality page, map tab, export


Handler = Callable[[CommandTarget, bool], object]


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # English source text (translated in the "Actions" context), or a language's own name
    handler: Handler  # called with the window and the checked state
    shortcuts: tuple[Key, ...] = ()
    menu: str = ""  # a MENUS key, or "" for shortcut and palette only
    checkable: bool = False
    separator_before: bool = False
    translated: bool = True  # False for names that are the same in every UI language (日本語, English)

    def label(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.text) if self.translated else self.text

    def names(self) -> tuple[str, str]:
        """(Japanese, English) names, whatever the UI language is (the palette matches both)."""
        if not self.translated:
            return self.text, self.text
        return i18n.translate_to("ja", CONTEXT, self.text), self.text


def _restore_plans(window: CommandTarget) -> None:
    from app.ui.user_errors import restore_plans_from_backup

    if restore_plans_from_backup(window) and hasattr(window, "plans"):  # type: ignore[arg-type]
        window.plans.refresh()


def _plan_file(window: CommandTarget, export: bool) -> None:
    from app.ui import plan_files

    if export:
        plan_files.export_plan_file(window)
    else:
        plan_files.import_plan_files(window)


def _open_packs(window: CommandTarget) -> None:
    from app.ui.packs_dialog import open_packs_dialog

    open_packs_dialog(window, window.rebuild_catalog)  # type: ignore[arg-type]  # the window is a QWidget


def _tab(index: int) -> Handler:
    return lambda w, _on: w.show_tab(index)


def _zoom(step: float) -> Handler:
    from app.ui.theme import ZOOM_STEP, Theme

    return lambda w, _on: w.set_zoom(1.0 if step == 0 else Theme.zoom + step * ZOOM_STEP)


# Menus in menu-bar order: key → title (in the "Actions" context).
MENUS: tuple[tuple[str, str], ...] = (
    ("file", QT_TRANSLATE_NOOP("Actions", "&File")),
    ("view", QT_TRANSLATE_NOOP("Actions", "&View")),
    ("lang", QT_TRANSLATE_NOOP("Actions", "Language")),  # a submenu of View
    ("plan", QT_TRANSLATE_NOOP("Actions", "&Plan")),
    ("help", QT_TRANSLATE_NOOP("Actions", "&Help")),
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("rebuild_catalog", QT_TRANSLATE_NOOP("Actions", "Rebuild the catalog"), lambda w, _on: w.rebuild_catalog(),
               (), "file"),
    ActionSpec("restore_plans", QT_TRANSLATE_NOOP("Actions", "Restore plans from a backup…"),
               lambda w, _on: _restore_plans(w), (), "file"),
    ActionSpec("packs", QT_TRANSLATE_NOOP("Actions", "Catalog packs…"), lambda w, _on: _open_packs(w), (), "file"),
    ActionSpec("settings", QT_TRANSLATE_NOOP("Actions", "Settings…"), lambda w, _on: w.open_settings(),
               ("Ctrl+,",), "file"),
    ActionSpec("export_results", QT_TRANSLATE_NOOP("Actions", "Export results (CSV / Excel)…"),
               lambda w, _on: w.results_commands.export_results(), ("Ctrl+E",), "file"),
    ActionSpec("quit", QT_TRANSLATE_NOOP("Actions", "Quit"), lambda w, _on: w.close(),
               (QKeySequence.StandardKey.Quit,), "file", separator_before=True),
    ActionSpec("tab_catalog", QT_TRANSLATE_NOOP("Actions", "Catalog"), _tab(0), ("Ctrl+1",), "view"),
    ActionSpec("tab_architecture", QT_TRANSLATE_NOOP("Actions", "Architecture"), _tab(1), ("Ctrl+2",), "view"),
    ActionSpec("tab_plan", QT_TRANSLATE_NOOP("Actions", "Plan"), _tab(2), ("Ctrl+3",), "view"),
    ActionSpec("show_map", QT_TRANSLATE_NOOP("Actions", "Map of the results"), lambda w, _on: w.results_commands.show_map(),
               ("Ctrl+M",), "view"),
    ActionSpec("town_page", QT_TRANSLATE_NOOP("Actions", "Municipality page…"), lambda w, _on: w.results_commands.open_town(),
               ("Ctrl+Shift+T",), "view"),
    ActionSpec("zoom_in", QT_TRANSLATE_NOOP("Actions", "Zoom in"), _zoom(1),
               ("Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn), "view", separator_before=True),
    ActionSpec("zoom_out", QT_TRANSLATE_NOOP("Actions", "Zoom out"), _zoom(-1),
               ("Ctrl+-", QKeySequence.StandardKey.ZoomOut), "view"),
    ActionSpec("zoom_reset", QT_TRANSLATE_NOOP("Actions", "Actual size"), _zoom(0), ("Ctrl+0",), "view"),
    ActionSpec("high_contrast", QT_TRANSLATE_NOOP("Actions", "High contrast"), lambda w, on: w.set_high_contrast(on),
               ("Ctrl+Shift+H",), "view", checkable=True, separator_before=True),
    ActionSpec("full_screen", QT_TRANSLATE_NOOP("Actions", "Full screen"), lambda w, on: w.set_full_screen(on),
               ("F11",), "view", checkable=True),
    ActionSpec("presenter", QT_TRANSLATE_NOOP("Actions", "Presenter mode"), lambda w, on: w.set_presenter_mode(on),
               ("F5",), "view", checkable=True),
    ActionSpec("demo", QT_TRANSLATE_NOOP("Actions", "Start demo…"), lambda w, _on: w.start_demo(), ("Shift+F5",), "view"),
    ActionSpec("lang_ja", "日本語", lambda w, _on: w.set_language("ja"), (), "lang", checkable=True, translated=False),
    ActionSpec("lang_en", "English", lambda w, _on: w.set_language("en"), (), "lang", checkable=True, translated=False),
    ActionSpec("add_to_plan", QT_TRANSLATE_NOOP("Actions", "Add selection to plan"),
               lambda w, _on: w.add_selected_to_plan(), ("Ctrl+D",), "plan"),
    ActionSpec("export_plan_file", QT_TRANSLATE_NOOP("Actions", "Export plan to a file (.machiplan)…"),
               lambda w, _on: _plan_file(w, export=True), (), "plan", separator_before=True),
    ActionSpec("import_plan_file", QT_TRANSLATE_NOOP("Actions", "Import a plan file (.machiplan)…"),
               lambda w, _on: _plan_file(w, export=False), (), "plan"),
    ActionSpec("tour", QT_TRANSLATE_NOOP("Actions", "Guided tour"), lambda w, _on: w.start_tour(), ("F1",), "help"),
    ActionSpec("focus_search", QT_TRANSLATE_NOOP("Actions", "Focus search"), lambda w, _on: w.focus_query(),
               ("Ctrl+F", "Ctrl+L"), "help"),
    ActionSpec("palette", QT_TRANSLATE_NOOP("Actions", "Command palette…"), lambda w, _on: w.open_palette(),
               ("Ctrl+K",), "help"),
    ActionSpec("about", QT_TRANSLATE_NOOP("Actions", "About Machi Navi"), lambda w, _on: w.about(), (), "help",
               separator_before=True),
    ActionSpec("clear_search", QT_TRANSLATE_NOOP("Actions", "Clear the search (or close the tour)"),
               lambda w, _on: w.escape(), ("Esc",)),
)


def shortcut_text(action: QAction, most: int = 2) -> str:
    """The action's first shortcuts as the user's platform writes them (Ctrl+F, ⌘F …), without repeats."""
    keys = dict.fromkeys(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
    return ", ".join([k for k in keys if k][:most])


class WindowActions:
    """The QActions of one window, made from ACTIONS; `[id]` gives one, `menus[key]` a menu."""

    def __init__(self, window: CommandTarget) -> None:
        self.window = window
        self.specs = {spec.id: spec for spec in ACTIONS}
        self.actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self.languages = QActionGroup(None)
        for spec in ACTIONS:
            self.actions[spec.id] = self._make(spec)
        self._track_add_to_plan()

    def _track_add_to_plan(self) -> None:
        """「選択したサービスを計画に追加」 is enabled only when there is a service to add: the
        selected results (or figure list rows), else the service shown in the detail pane."""
        w = self.window
        search, arch, detail, tabs = (getattr(w, n, None) for n in ("search", "architecture", "detail", "tabs"))
        if search is None or arch is None or detail is None or tabs is None:
            return

        def update(*_args: object) -> None:
            pane = arch if tabs.currentIndex() == TAB_ARCH else search
            shown = detail.current_kind == "service" and bool(detail.current_id)
            self.actions["add_to_plan"].setEnabled(bool(pane.selected_service_ids()) or shown)
        for signal in (search.entrySelected, search.resultApplied, arch.serviceSelected, tabs.currentChanged):
            signal.connect(update)
        search.table.selectionModel().selectionChanged.connect(update)
        update()

    def _make(self, spec: ActionSpec) -> QAction:
        a = QAction(self.window)  # type: ignore[arg-type]  # the window is a QObject
        a.setObjectName(f"action_{spec.id}")
        if spec.shortcuts:
            a.setShortcuts([QKeySequence(k) for k in spec.shortcuts])
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        a.setCheckable(spec.checkable)
        if spec.menu == "lang":
            a.setData(spec.id.removeprefix("lang_"))
            self.languages.addAction(a)
            a.triggered.connect(lambda on=False, s=spec: s.handler(self.window, on))
        elif spec.checkable:
            a.toggled.connect(lambda on, s=spec: s.handler(self.window, on))
        else:
            a.triggered.connect(lambda on=False, s=spec: s.handler(self.window, on))
        self.window.addAction(a)
        return a

    def __getitem__(self, action_id: str) -> QAction:
        return self.actions[action_id]

    def build_menus(self, bar: QMenuBar) -> None:
        for key, _title in MENUS:
            parent: QWidget = self.menus["view"] if key == "lang" else bar
            self.menus[key] = parent.addMenu("")  # type: ignore[attr-defined]
        for spec in ACTIONS:
            if not spec.menu:
                continue
            menu = self.menus[spec.menu]
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(self.actions[spec.id])
        view = self.menus["view"]
        view.removeAction(self.menus["lang"].menuAction())
        view.addMenu(self.menus["lang"])  # the language submenu last in View, as before

    def entries(self) -> list[tuple[ActionSpec, QAction]]:
        """Every action in table order (the command palette's rows)."""
        return [(spec, self.actions[spec.id]) for spec in ACTIONS if spec.id != "palette"]

    def retranslate(self) -> None:
        titles = dict(MENUS)
        for key, menu in self.menus.items():
            menu.setTitle(QCoreApplication.translate(CONTEXT, titles[key]))
        for spec in ACTIONS:
            self.actions[spec.id].setText(spec.label())
        lang = i18n.current_language()
        self.actions["lang_ja"].setChecked(lang == "ja")
        self.actions["lang_en"].setChecked(lang == "en")
