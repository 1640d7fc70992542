"""The main window's saved state (geometry, tab, splitters, results header, last query, SCRA edition,
zoom, contrast) in the settings store."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QTabWidget

from app.ui import settings
from app.ui.main_tabs import TAB_CATALOG
from app.ui.theme import Theme


@dataclass
class WindowParts:
    """The parts of the main window whose state is kept."""

    window: QMainWindow
    tabs: QTabWidget
    splitters: dict[str, QSplitter]  # catalog, arch, detail
    results_header: QHeaderView


@dataclass
class Restored:
    """Saved state the window applies itself."""

    edition: int
    high_contrast: bool


def restore(parts: WindowParts) -> Restored:
    s = settings.store()
    geo = s.blob("window/geometry")
    if geo is not None:
        parts.window.restoreGeometry(geo)
    else:
        parts.window.resize(1500, 940)
    for key, splitter in parts.splitters.items():
        state = s.blob(f"splitters/{key}")
        if state is not None:
            splitter.restoreState(state)
            if key == "catalog" and 0 in splitter.sizes():  # saved while the facets were folded away
                splitter.setSizes([290, 760, 560])
    header = s.blob("results/header")
    if header is not None:
        parts.results_header.restoreState(header)
    parts.tabs.setCurrentIndex(int(s.number("window/tab", TAB_CATALOG)))
    return Restored(edition=int(s.number("arch/edition", 2)), high_contrast=s.flag("theme/high_contrast"))


def save(parts: WindowParts, query: str, edition: int) -> None:
    s = settings.store()
    s.set("window/geometry", parts.window.saveGeometry())
    s.set("window/tab", parts.tabs.currentIndex())
    for key, splitter in parts.splitters.items():
        s.set(f"splitters/{key}", splitter.saveState())
    header = parts.results_header
    folded = [c for c in (header.property("mnAutoHidden") or []) if header.isSectionHidden(c)]
    for c in folded:  # columns hidden only for lack of room are not the user's choice: save them shown
        header.showSection(c)
    s.set("results/header", header.saveState())
    for c in folded:
        header.hideSection(c)
    s.set("search/last_query", query)
    s.set("arch/edition", edition)
    s.set("theme/zoom", Theme.zoom)
    s.set("theme/high_contrast", Theme.high_contrast)
    s.sync()


def last_query() -> str:
    return settings.store().last_query()
