"""`shot`: render a view of the real main window offscreen to a PNG (docs, demos, tests).

The `shot` command itself (arguments) is registered by app.commands.shot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _town_grab(win: Any, town: str, size: tuple[int, int]) -> Any:
    """The municipality page (a dialog of its own) instead of the window."""
    from PySide6.QtWidgets import QApplication

    page = win.results_commands.open_town(town or "長野県茅野市")
    if page is None:
        return win.grab()
    page.resize(*size)
    QApplication.processEvents()
    return page.grab()


def render_shot(view: str, query: str, out: Path, size: tuple[int, int] = (1600, 1000), lang: str | None = None,
                plan: str = "", select: str = "", edition: int = 2, zoom: float = 1.0, contrast: bool = False,
                tour: int = 0, town: str = "") -> Path:
    """Render `view` (app.commands.shot.VIEWS) of a fresh main window with `query` searched synchronously; save a PNG."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from app.ui.app import create_application, create_main_window, open_session, prepare_catalog
    from app.ui.headless import save_png
    from app.ui.main_window import TAB_ARCH, TAB_CATALOG, TAB_PLAN
    from app.ui.theme import apply_theme

    app = create_application(lang)
    apply_theme(app, high_contrast=contrast, zoom=zoom)
    prepare_catalog(show_splash=False)
    session = open_session()
    try:
        win = create_main_window(session, synchronous=True, restore=False)
        win.persist_state = False
        win.resize(*size)
        if contrast:
            win.set_high_contrast(True)
        if edition != 2:
            win.architecture.set_edition(edition)
        if plan and win.plan_store is not None:
            if not win.plan_store.exists(plan):
                raise SystemExit(f"no plan named {plan!r}")
            win.use_plan(plan)
        win.show()
        win.set_query(query)
        QApplication.processEvents()
        if select:
            win.select_id(select)
        elif view in ("detail", "architecture", "catalog", "map"):
            win.search.select_first_service()
        if view == "map":
            win.results_commands.show_map()
        win.tabs.setCurrentIndex({"architecture": TAB_ARCH, "plan": TAB_PLAN}.get(view, TAB_CATALOG))
        if view == "detail":
            w = size[0]
            win.search.setSizes([int(w * 0.16), int(w * 0.36), int(w * 0.48)])
        for _ in range(3):
            QApplication.processEvents()
        if view == "architecture" and win.architecture.figure is not None:
            win.architecture.figure.view.fit(None)
        if tour:
            win.start_tour()
            win.tour.go(max(0, min(tour - 1, len(win.tour.steps) - 1)))
        QApplication.processEvents()
        save_png(_town_grab(win, town, size) if view == "town" else win, out)
        win.shutdown()
        win.hide()
        win.deleteLater()
        # deleted now (processEvents leaves DeferredDelete alone): a window left alive in-process would
        # still get a later LanguageChange and read the closed catalog
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    finally:
        session.close()
    return out
