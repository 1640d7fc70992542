"""Scripted demos (the shipped sample played forward and back in the real window; broken scripts name
file:line) and presenter mode (no facets or status noise, click highlights)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.ui.demo_script import DemoScriptError, available_scripts, load_demo, sample_path
from app.ui.main_window import TAB_ARCH, TAB_CATALOG, TAB_PLAN
from tests.ui.conftest import wait_for_query


def test_the_sample_script_loads() -> None:
    script = load_demo(sample_path())
    assert [s.kind for s in script.steps] == ["search", "select", "add", "figure", "figure", "plan_tab", "gap"]
    assert all(s.caption("ja") and s.caption("en") for s in script.steps)
    assert script.steps[3].overlay and script.steps[4].value == "セキュリティ機能群"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("title_ja: x\nsteps:\n  - search: a\n  - serch: b\n", 4, "unknown key 'serch'"),
    ("steps:\n  - search: a\n    select: b\n", 2, "exactly one"),
    ("steps: []\n", 1, "non-empty"),
    ("steps:\n  - search: [a, b]\n", 2, "must be text"),
    ("steps:\n  - figure: {overlay: true, zoom: 2}\n", 2, "unknown figure option 'zoom'"),
    ("steps:\n  - search: a\n   - bad indent\n", 3, "YAML syntax"),
    ("steps:\n  - search:\n", 2, "needs a value"),
])
def test_a_broken_script_names_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "talk.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DemoScriptError) as err:
        load_demo(path)
    assert str(err.value).startswith(f"{path}:{line}: ") and words in str(err.value)


def test_user_scripts_come_after_the_sample(ui_home: Path) -> None:
    folder = ui_home / "demo"
    folder.mkdir()
    (folder / "b.yaml").write_text("steps:\n  - search: a\n", encoding="utf-8")
    (folder / "a.yml").write_text("steps:\n  - search: a\n", encoding="utf-8")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in available_scripts()] == ["sample.yaml", "a.yml", "b.yaml"]


def test_demo_plays_forward_and_back(qtbot, window) -> None:
    win = window
    from app.ui.presenter import start_demo

    player = start_demo(win, sample_path())
    assert player is not None and player.bar.isVisible()
    wait_for_query(qtbot, win, "オンデマンド 分野:公共交通")
    assert win.tabs.currentIndex() == TAB_CATALOG
    assert "オンデマンド" in player.bar.caption.text() or "on-demand" in player.bar.caption.text()
    qtbot.keyClick(win.search.table, Qt.Key.Key_Right)  # → advances (the results table does not take it)
    assert player.engine.index == 1 and win.detail.current_id == "docomo-ai-unko-bus"
    qtbot.keyClick(win, Qt.Key.Key_PageDown)  # a presentation clicker
    assert player.engine.index == 2 and win.plan_count() == 3
    player.bar.next.click()
    fig = win.architecture.figure
    assert win.tabs.currentIndex() == TAB_ARCH and fig.overlay_on()
    player.bar.next.click()
    assert fig.focused_group() == "security" and fig.view.mode == "rect"
    player.bar.next.click()
    assert win.tabs.currentIndex() == TAB_PLAN
    player.bar.next.click()
    view = win.plans.widget
    assert view.tabs.currentIndex() == 1 and view.gap_tree.currentItem() is view.gap_tree.topLevelItem(0)
    assert player.bar.next.text() in ("End", "終わり")
    qtbot.keyClick(win, Qt.Key.Key_Left)  # ← goes back and shows the earlier step again
    assert player.engine.index == 5 and view.tabs.currentIndex() == 0
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert not player.active and not player.bar.isVisible()
    assert win.query_text() == "オンデマンド 分野:公共交通"  # Esc ended the demo, it did not clear the search


def test_a_missing_entry_is_said_not_fatal(qtbot, window, tmp_path: Path) -> None:
    from app.ui.presenter import start_demo

    path = tmp_path / "gone.yaml"
    path.write_text("steps:\n  - select: no-such-service\n    caption_ja: 存在しない\n", encoding="utf-8")
    player = start_demo(window, path)
    assert player is not None and "no-such-service" in player.bar.problem.text()


def test_presenter_mode_hides_noise_and_highlights_clicks(qtbot, window) -> None:
    from app.ui.presenter import ClickHighlight
    from app.ui.theme import Theme

    win = window
    win.set_presenter_mode(True)
    try:
        assert Theme.zoom >= 1.5
        assert win.menuBar().isHidden() and win.statusBar().isHidden() and not win.search.widget(0).isVisible()
        highlight = win.findChild(ClickHighlight)
        assert highlight is not None and highlight.isVisible()
        qtbot.mouseClick(win.search.table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
        assert len(highlight.circles) == 1
        pos, _t = highlight.circles[0]
        expected = win.search.table.viewport().mapTo(win, QPoint(20, 20))
        assert abs(pos.x() - expected.x()) <= 1 and abs(pos.y() - expected.y()) <= 1
        QApplication.processEvents()
    finally:
        win.set_presenter_mode(False)
    assert not win.menuBar().isHidden() and not win.statusBar().isHidden() and win.search.widget(0).isVisible()
    assert not win.findChild(ClickHighlight).isVisible()


def test_start_demo_is_an_action(window) -> None:
    assert window.commands["demo"].text()
    assert "demo" in {spec.id for spec, _a in window.commands.entries()}
