"""Every view at 100/150/200 % text size on 1280×720 and 1920×1080, in Japanese and English: no
label, button, tab, header section or chip whose text does not fit, and no Japanese word broken
inside a word (the rules are in tests/ui/layout_check.py).

One real main window on the bundled catalog walks the whole matrix (zoom, size and language switch
live, as a user would). A PNG of every view is written under test-output/layout/ (gitignored) for a
person to page through; the list of problems goes to test-output/layout/problems.txt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.layout_check import Problem, check

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "layout"
ZOOMS = (1.0, 1.5, 2.0)
SIZES = ((1280, 720), (1920, 1080))
LANGS = ("ja", "en")
PLAN_IDS = ["nokkar", "ai-sakura-san", "mebuku-pay", "ckan", "docomo-ai-unko-bus"]


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


@pytest.fixture
def layout_window(qtbot, ui_home: Path) -> Iterator:  # type: ignore[no-untyped-def]
    from app.ui.app import create_application, create_main_window, open_session
    from app.ui.theme import apply_theme

    app = create_application("ja")
    apply_theme(app, high_contrast=False, zoom=1.0)
    session = open_session()
    win = create_main_window(session, synchronous=True, restore=False)
    win.persist_state = False
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.plans.ensure_widget()
    win.add_to_plan(PLAN_IDS)
    yield win
    from app.ui import i18n

    i18n.install_language("ja")
    QApplication.processEvents()
    win.shutdown()
    win.hide()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    session.close()
    apply_theme(app, zoom=1.0)


def _views(win) -> list[tuple[str, Callable[[], QWidget]]]:  # type: ignore[no-untyped-def]
    """(name, show it and return the top-level widget to check); each view leaves the window as it found it."""
    from app.ui.main_window import TAB_ARCH, TAB_CATALOG, TAB_PLAN

    def catalog() -> QWidget:
        win.tabs.setCurrentIndex(TAB_CATALOG)
        win.set_query("オンデマンド")
        win.search.select_first_service()
        return win

    def node_detail() -> QWidget:
        win.tabs.setCurrentIndex(TAB_CATALOG)
        win.set_query("地域間・分野間連携機能群")
        win.select_id(next(h.id for h in win.search.last_result.hits if h.kind == "architecture"))
        return win

    def arch(edition: int, overlay: bool = False) -> Callable[[], QWidget]:
        def show() -> QWidget:
            win.set_query("")
            win.tabs.setCurrentIndex(TAB_ARCH)
            win.architecture.set_edition(edition)
            win.architecture.figure.set_overlay(overlay)  # the plan overlay brings its legend
            return win
        return show

    def plan(tab: int) -> Callable[[], QWidget]:
        def show() -> QWidget:
            win.tabs.setCurrentIndex(TAB_PLAN)
            view = win.plans.ensure_widget()
            if hasattr(view, "tabs"):
                view.tabs.setCurrentIndex(tab)
            return win
        return show

    views: list[tuple[str, Callable[[], QWidget]]] = [
        ("catalog", catalog), ("detail-node", node_detail), ("architecture-2", arch(2)), ("architecture-1", arch(1)),
        ("architecture-overlay", arch(2, overlay=True)),
        ("plan-coverage", plan(0)), ("plan-gaps", plan(1)), ("plan-considerations", plan(2)),
    ]
    return views


def _dialogs(win) -> list[tuple[str, Callable[[], QWidget]]]:  # type: ignore[no-untyped-def]
    from app.ui.dialogs import SettingsDialog, about_box
    from app.ui.i18n import current_language
    from app.ui.palette import CommandPalette
    from app.ui.theme import Theme

    def settings() -> QWidget:
        return SettingsDialog(current_language(), Theme.zoom, False, win)

    def about() -> QWidget:
        return about_box(win, win.db.meta(), win.db.stats())

    def palette() -> QWidget:
        return CommandPalette(win.commands.entries(), win)

    def packs() -> QWidget:
        from app.ui.packs_dialog import PacksDialog

        return PacksDialog(win)

    def plan_properties() -> QWidget:
        from app.ui.plan_properties import PlanPropertiesDialog

        view = win.plans.ensure_widget()
        return PlanPropertiesDialog(view.store, view.current_plan(), win)

    return [("settings", settings), ("about", about), ("palette", palette), ("packs", packs),
            ("plan-properties", plan_properties)]


def _demo_caption(win, tag: str) -> list[Problem]:  # type: ignore[no-untyped-def]
    """The scripted demo's caption bar over its first step (a search: the plan is left as it is)."""
    from app.ui.demo_script import sample_path
    from app.ui.headless import save_png
    from app.ui.presenter import start_demo

    player = start_demo(win, sample_path())
    assert player is not None
    settle()
    found = check(f"{tag} demo", win, ())
    save_png(win.grab(), OUT / tag / "demo.png")
    player.stop()
    win.set_query("")
    return found


def test_every_view_fits_at_every_zoom_size_and_language(layout_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.headless import save_png
    from app.ui.main_window import TAB_CATALOG

    win = layout_window
    words: tuple[str, ...] = ()  # the katakana / okurigana / Latin rule; no glossary (see layout_check)
    problems: list[Problem] = []
    for lang in LANGS:
        win.set_language(lang, persist=False)
        for w, h in SIZES:
            win.resize(w, h)
            for zoom in ZOOMS:
                win.set_zoom(zoom)
                settle()
                tag = f"{lang}-{w}x{h}-{round(zoom * 100)}"
                if win.size().width() != w or win.size().height() != h:
                    problems.append(Problem(tag, "window-too-small", "MainWindow", "",
                                            f"asked for {w}×{h}, the window needs {win.width()}×{win.height()}"))
                for name, show in _views(win):
                    top = show()
                    settle()
                    if win.size().width() != w or win.size().height() != h:
                        problems.append(Problem(f"{tag} {name}", "window-too-small", "MainWindow", "",
                                                f"asked for {w}×{h}, the window needs {win.width()}×{win.height()}"))
                        win.resize(w, h)
                    problems += check(f"{tag} {name}", top, words)
                    (OUT / tag).mkdir(parents=True, exist_ok=True)
                    save_png(top.grab(), OUT / tag / f"{name}.png")
                for name, make in _dialogs(win):
                    dlg = make()
                    dlg.show()
                    settle()
                    problems += check(f"{tag} {name}", dlg, words)
                    save_png(dlg.grab(), OUT / tag / f"{name}.png")
                    dlg.close()
                    dlg.deleteLater()
                win.tabs.setCurrentIndex(TAB_CATALOG)
                win.start_tour()
                settle()
                problems += check(f"{tag} tour", win, words)
                save_png(win.grab(), OUT / tag / "tour.png")
                win.tour.stop()
                problems += _demo_caption(win, tag)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "problems.txt").write_text("\n".join(map(str, problems)) + "\n", encoding="utf-8")
    assert not problems, f"{len(problems)} clipped or broken texts (see {OUT / 'problems.txt'}):\n" + "\n".join(
        map(str, problems[:40]))
