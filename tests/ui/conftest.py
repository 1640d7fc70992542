"""UI fixtures: the real catalog is built once per session and copied into each test's MACHI_NAVI_HOME."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("ui-built")
    mp = pytest.MonkeyPatch()
    mp.setenv("MACHI_NAVI_HOME", str(home))
    mp.delenv("MACHI_NAVI_CATALOG", raising=False)
    try:
        from app.build import ensure_built

        ensure_built()
    finally:
        mp.undo()
    return home


@pytest.fixture
def ui_home(user_home: Path, built_home: Path) -> Path:
    """This test's MACHI_NAVI_HOME with a copy of the session's built catalog.db and index."""
    shutil.copy2(built_home / "catalog.db", user_home / "catalog.db")
    shutil.copytree(built_home / "index", user_home / "index", dirs_exist_ok=True)
    return user_home


@pytest.fixture
def window(qtbot, ui_home: Path) -> Iterator:  # type: ignore[no-untyped-def]
    from app.ui.app import create_application, create_main_window, open_session
    from app.ui.theme import Theme, apply_theme

    app = create_application("ja")
    apply_theme(app, high_contrast=False, zoom=1.0)
    session = open_session()
    win = create_main_window(session, restore=False)
    win.persist_state = False
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.queryApplied, timeout=5000):
        win.set_query("")
    yield win
    win.shutdown()
    win.hide()
    # Delete it now: a closed window left alive would still get later tests' LanguageChange and touch its closed db.
    from PySide6.QtCore import QCoreApplication, QEvent

    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    session.close()
    Theme.zoom = 1.0
    Theme.high_contrast = False


def wait_for_query(qtbot, win, text: str, timeout: int = 5000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the result for `text` is what the window shows."""
    from app.search.query import parse

    want = parse(text).to_text()

    def shown() -> bool:
        r = win.search.last_result
        return win.search.controller.last_text == text and r is not None and r.query.to_text() == want

    qtbot.waitUntil(shown, timeout=timeout)


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type `text` key by key (QTest.keyClicks only handles ASCII; IME commits arrive as key text too)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
