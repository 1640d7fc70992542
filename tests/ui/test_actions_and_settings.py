"""The action table and the command palette, the translation helper, the settings store and the
headless check — on the real main window where it matters."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from app.ui.actions import ACTIONS, MENUS
from app.ui.main_window import TAB_ARCH, TAB_PLAN
from app.ui.palette import CommandPalette, ShortcutRole
from tests.ui.conftest import type_text


def _palette(win) -> CommandPalette:  # type: ignore[no-untyped-def]
    pal = CommandPalette(win.commands.entries(), win)
    pal.show()
    return pal


def test_every_action_has_a_shortcut_or_a_menu_and_translations(window) -> None:
    win = window
    assert len({spec.id for spec in ACTIONS}) == len(ACTIONS)
    menu_actions = {a for m in win.commands.menus.values() for a in m.actions()}
    keys: dict[str, str] = {}
    for spec in ACTIONS:
        action = win.commands[spec.id]
        assert action.shortcuts() or action in menu_actions, spec.id
        if spec.menu:
            assert action in menu_actions, spec.id
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            if text:  # (a standard key the platform does not define is empty)
                assert keys.setdefault(text, spec.id) == spec.id, f"{text} is bound to {keys[text]} and {spec.id}"
        ja, en = spec.names()
        assert en == spec.text
        if spec.translated:
            assert ja != en and any("\u3040" <= c <= "\u9fff" for c in ja), f"no Japanese for {spec.id}: {en}"
    for _key, title in MENUS:
        assert QCoreApplication.translate("Actions", title) != title  # the UI is Japanese in this test
    assert win.commands["palette"].shortcut().toString() == "Ctrl+K"


def test_palette_filters_japanese_and_english_names(window) -> None:
    assert "add_to_plan" not in CommandPalette(window.commands.entries(), window).model.ids()  # nothing to add yet
    window.search.select_first_service()  # now 「選択したサービスを計画に追加」 can run
    pal = _palette(window)
    try:
        enabled = [e for e in window.commands.entries() if e[1].isEnabled()]
        assert pal.model.rowCount() == len(enabled)  # nothing typed: every command that can run now
        pal.set_filter("拡大")
        assert pal.model.ids()[0] == "zoom_in"
        pal.set_filter("zoom in")
        assert pal.model.ids()[0] == "zoom_in"
        pal.set_filter("zom in")  # a typo still finds it
        assert "zoom_in" in pal.model.ids()[:3]
        pal.set_filter("全画面")
        assert pal.model.ids()[0] == "full_screen"
        pal.set_filter("plan")
        assert {"tab_plan", "add_to_plan"} <= set(pal.model.ids())
        pal.set_filter("xqzxqz")
        assert pal.model.rowCount() == 0
        pal.set_filter("拡大")
        shown = str(pal.model.index(0).data())
        assert "拡大" in shown and "Zoom in" in shown  # both names
        assert "Ctrl" in str(pal.model.index(0).data(ShortcutRole))
    finally:
        pal.close()


def _drive_palette(win, keys) -> None:  # type: ignore[no-untyped-def]
    """Open the palette as Ctrl+K does and, once it is up, let `keys(palette)` type into it."""
    seen: list[object] = []

    def drive() -> None:
        pal = QApplication.activeModalWidget()
        seen.append(pal)
        if isinstance(pal, CommandPalette):
            keys(pal)
        elif pal is not None:
            pal.close()

    QTimer.singleShot(0, drive)
    win.commands["palette"].trigger()  # returns when the palette has closed and its action ran
    assert len(seen) == 1 and isinstance(seen[0], CommandPalette)


def test_palette_enter_runs_the_selected_action(qtbot, window) -> None:
    win = window

    def japanese(pal: CommandPalette) -> None:
        type_text(pal.edit, "アーキテクチャ")
        assert pal.model.ids()[0] == "tab_architecture"
        qtbot.keyClick(pal.edit, Qt.Key.Key_Return)

    _drive_palette(win, japanese)
    assert win.tabs.currentIndex() == TAB_ARCH

    def english_and_arrows(pal: CommandPalette) -> None:
        type_text(pal.edit, "plan")
        ids = pal.model.ids()
        for _ in range(ids.index("tab_plan")):
            qtbot.keyClick(pal.edit, Qt.Key.Key_Down)  # arrows move the selection while typing stays in the box
        assert pal.model.ids()[pal.current_row()] == "tab_plan"
        qtbot.keyClick(pal.edit, Qt.Key.Key_Return)

    _drive_palette(win, english_and_arrows)
    assert win.tabs.currentIndex() == TAB_PLAN

    def escape(pal: CommandPalette) -> None:
        type_text(pal.edit, "カタログ")
        qtbot.keyClick(pal.edit, Qt.Key.Key_Escape)  # closes without running anything

    _drive_palette(win, escape)
    assert win.tabs.currentIndex() == TAB_PLAN


def test_ctrl_k_opens_the_palette_and_runs_a_command(qtbot, window) -> None:
    win = window
    assert win.commands["palette"].shortcut().toString() == "Ctrl+K"
    win.search.table.setFocus()

    def search_box(pal: CommandPalette) -> None:
        type_text(pal.edit, "検索欄")
        qtbot.keyClick(pal.edit, Qt.Key.Key_Return)

    _drive_palette(win, search_box)
    # the window's focus widget now (it gets the keyboard as soon as the window is active again)
    assert win.focusWidget() is win.search.query_bar.edit
    qtbot.waitUntil(win.search.query_bar.edit.hasFocus, timeout=5000)


def test_tr_args_fills_markers_once() -> None:
    from app.ui.i18n import tr_args

    assert tr_args("%1 (%2)", "豊明モデル", 6) == "豊明モデル (6)"
    assert tr_args("「%2」のサービス %1 件", 3, "交通") == "「交通」のサービス 3 件"  # a translation may reorder
    assert tr_args("%1 / %2", "100%2", "x") == "100%2 / x"  # a value with a marker is not filled again
    assert tr_args("Text size %1%", 150) == "Text size 150%"
    assert tr_args("%1 and %2", "a") == "a and %2"


def test_settings_read_once_from_the_old_plans_db_store(user_home: Path) -> None:
    from app import userdb
    from app.ui import settings

    conn = userdb.connect()
    userdb.set_setting(conn, "ui.language", "en")
    userdb.set_setting(conn, "plan.current", "交通計画")
    conn.close()
    assert not (user_home / settings.FILE_NAME).exists()
    store = settings.store()
    assert store.language() == "en" and store.current_plan() == "交通計画"
    assert store.file_name() == str(user_home / settings.FILE_NAME)
    store.set_language("ja")
    conn = userdb.connect()
    userdb.set_setting(conn, "ui.language", "en")  # the old store is read once, never again
    conn.close()
    assert settings.store().language() == "ja"


def test_settings_without_a_plans_db(user_home: Path) -> None:
    from app import paths
    from app.ui import settings

    store = settings.store()
    assert store.language() == "" and store.current_plan() == "" and store.zoom() == 1.0
    assert not paths.plans_db_path().exists()  # reading the old store never creates plans.db


def test_ctrl_k_opens_the_palette_while_typing_in_the_search_box(qtbot, window) -> None:
    """QLineEdit claims Ctrl+K (delete to end of line on X11): the query box must let the window's
    Ctrl+K through, or the palette never opens while the search box has focus (issue 14)."""
    win = window
    win.activateWindow()
    edit = win.search.query_bar.edit
    edit.setFocus()
    edit.setText("オンデマンド")
    edit.setCursorPosition(0)
    seen: list[object] = []

    def close_it() -> None:
        pal = QApplication.activeModalWidget()
        seen.append(pal)
        if pal is not None:
            pal.close()

    QTimer.singleShot(0, close_it)
    qtbot.keyClick(edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1 and isinstance(seen[0], CommandPalette)
    assert edit.text() == "オンデマンド"  # the key did not delete to the end of the line
