"""Build progress in the status bar: a first start without catalog.db, and File → カタログを再構築."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from app.build import ensure_built
from tests.ui.conftest import wait_for_query

STEP_TEXTS = {"read": "カタログのファイルを読み込んでいます…", "write": "データベースに書き込んでいます…",
              "index": "検索インデックスを作成しています…"}


class Recorder:
    """What the progress widget shows at each step, and how many GUI timer ticks happened by then."""

    def __init__(self, widget: Any) -> None:
        self.widget = widget
        self.ticks = 0
        self.seen: list[tuple[str, bool, str, int, int]] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(20)

    def _tick(self) -> None:
        self.ticks += 1

    def __call__(self, step: str, _done: int, _total: int) -> None:  # connected after the widget's slot
        w = self.widget
        self.seen.append((step, w.isVisible(), w.label.text(), w.bar.value(), self.ticks))

    def check_steps(self) -> None:
        assert [s[0] for s in self.seen] == ["read", "write", "index"]
        for n, (step, visible, text, value, _ticks) in enumerate(self.seen):
            assert visible, step
            assert text == f"カタログを構築中（{n + 1}/3）：{STEP_TEXTS[step]}"
            assert value == 2 * n + 1  # of 6: the running step half filled
        # the GUI thread kept running its event loop while the worker built the catalog
        assert self.seen[-1][4] > self.seen[0][4]


def test_ensure_built_reports_three_steps_only_when_building(user_home: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    res = ensure_built(on_progress=lambda *a: calls.append(a))
    assert res.built and res.index_built
    assert calls == [("read", 0, 3), ("write", 1, 3), ("index", 2, 3)]
    calls.clear()
    assert not ensure_built(on_progress=lambda *a: calls.append(a)).built
    assert calls == []


def test_first_start_shows_the_build_steps_while_the_window_stays_responsive(qtbot, user_home: Path) -> None:
    from app.ui.app import SessionLoader, create_application
    from app.ui.build_progress import install_build_progress
    from app.ui.main_window import MainWindow

    assert not (user_home / "catalog.db").exists()  # the build really runs
    create_application("ja")
    win = MainWindow(None, None, restore=False)
    win.persist_state = False
    qtbot.addWidget(win)
    loader = SessionLoader(win)
    install_build_progress(win, loader)
    rec = Recorder(win.build_progress)
    loader.progress.connect(rec)
    win.show()
    qtbot.waitExposed(win)
    assert not win.build_progress.isVisible()
    with qtbot.waitSignal(loader.ready, timeout=180_000) as blocker:
        loader.start()
    session = blocker.args[0]
    try:
        rec.check_steps()
        assert not win.build_progress.isVisible()  # gone once the catalog is open
        with qtbot.waitSignal(win.catalogReady, timeout=5000):
            win.attach(session.db, session.engine, session.user_conn)
    finally:
        rec.timer.stop()
        win.shutdown()
        loader.join()
        session.close()


def test_menu_rebuild_shows_the_steps_and_reopens_the_catalog(qtbot, window) -> None:
    from app.ui.build_progress import install_build_progress

    rebuild = install_build_progress(window)
    assert window.commands.menus["file"].actions()[0] is rebuild.action
    assert rebuild.action.text() == "カタログを再構築"
    rec = Recorder(window.build_progress)
    rebuild.progress.connect(rec)
    old_db, old_engine = window.db, window.engine
    window.set_query("オンデマンド")
    wait_for_query(qtbot, window, "オンデマンド")
    before = window.search.proxy.rowCount()
    with qtbot.waitSignal(rebuild.finished, timeout=180_000) as blocker:
        rebuild.action.trigger()
        assert rebuild.running
        assert not window.centralWidget().isEnabled()  # no clicks on a closed catalog meanwhile
    try:
        assert blocker.args == [True]
        rec.check_steps()
        assert not window.build_progress.isVisible()
        assert window.centralWidget().isEnabled() and window.menuBar().isEnabled()
        assert window.db is not old_db and window.engine is not old_engine
        wait_for_query(qtbot, window, "オンデマンド")
        assert window.search.proxy.rowCount() == before > 0
        assert window.engine.search("オンデマンド").hits
    finally:
        rec.timer.stop()
