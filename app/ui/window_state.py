"""The main window's saved state (geometry, tab, splitters, results header, last query, SCRA edition,
zoom, contrast) in the settings store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QSplitter

from app.ui import settings
from app.ui.main_tabs import TAB_CATALOG
from app.ui.theme import Theme

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def _splitters(win: MainWindow) -> dict[str, QSplitter]:
    return {"catalog": win.search, "arch": win.architecture, "detail": win.detail.splitter}


def restore(win: MainWindow) -> None:
    s = settings.store()
    geo = s.blob("window/geometry")
    if geo is not None:
        win.restoreGeometry(geo)
    else:
        win.resize(1500, 940)
    for key, splitter in _splitters(win).items():
        state = s.blob(f"splitters/{key}")
        if state is not None:
            splitter.restoreState(state)
    header = s.blob("results/header")
    if header is not None:
        win.search.table.horizontalHeader().restoreState(header)
    win.tabs.setCurrentIndex(int(s.number("window/tab", TAB_CATALOG)))
    win.architecture.set_edition(int(s.number("arch/edition", 2)))
    if s.flag("theme/high_contrast"):
        win.set_high_contrast(True)


def save(win: MainWindow) -> None:
    s = settings.store()
    s.set("window/geometry", win.saveGeometry())
    s.set("window/tab", win.tabs.currentIndex())
    for key, splitter in _splitters(win).items():
        s.set(f"splitters/{key}", splitter.saveState())
    s.set("results/header", win.search.table.horizontalHeader().saveState())
    s.set("search/last_query", win.query_text())
    s.set("arch/edition", win.architecture.current_edition())
    s.set("theme/zoom", Theme.zoom)
    s.set("theme/high_contrast", Theme.high_contrast)
    s.sync()


def last_query() -> str:
    return settings.store().last_query()
