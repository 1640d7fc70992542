"""The window's commands about the results as a whole: a municipality's page, the map tab and
exporting the table as shown (app/ui/town_page.py, japan_map.py, app/search/export.py).

Kept out of main_window.py; talks to the window through a small protocol (no import of it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from app.fsio import CancelCheck, Progress
from app.ui.background_export import ExportJob, run_export
from app.ui.i18n import tr_args
from app.ui.main_tabs import TAB_CATALOG

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB
    from app.ui.detail_view import DetailPane
    from app.ui.search_pane import SearchPane


class ResultsWindow(Protocol):
    db: CatalogDB | None
    search: SearchPane
    detail: DetailPane
    tabs: QTabWidget

    def set_query(self, text: str, immediate: bool = True) -> None: ...
    def show_status(self, message: str, msecs: int = 0) -> None: ...


class ResultsCommands(QObject):
    def __init__(self, window: ResultsWindow) -> None:
        super().__init__()
        self.w = window
        self.town_page: QWidget | None = None  # the last municipality page opened (non-modal)
        self.job: ExportJob | None = None  # the last results export started

    def open_town(self, name: str = "") -> QWidget | None:
        """The page of one municipality (asks for the name when none is given)."""
        w = self.w
        if w.db is None:
            return None
        parent = w if isinstance(w, QWidget) else None
        if not name:
            from PySide6.QtWidgets import QInputDialog

            from app.catalog.towns import municipality_names

            name, ok = QInputDialog.getItem(parent, self.tr("Municipality page"), self.tr("Municipality:"),
                                            municipality_names(w.db), 0, True)
            if not ok or not name:
                return None
        from app.ui.town_page import TownPage

        page = TownPage(w.db, name, parent)
        page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        page.queryRequested.connect(self._town_query)
        page.serviceActivated.connect(self._town_service)
        page.show()
        self.town_page = page
        return page

    def _town_query(self, text: str) -> None:
        self.w.tabs.setCurrentIndex(TAB_CATALOG)
        self.w.set_query(text)

    def _town_service(self, service_id: str) -> None:
        self.w.tabs.setCurrentIndex(TAB_CATALOG)
        if not self.w.search.select_id(service_id):
            self.w.detail.show_entry("service", service_id)

    def show_map(self) -> None:
        from app.ui.search_pane import TAB_MAP

        self.w.tabs.setCurrentIndex(TAB_CATALOG)
        self.w.search.results_tabs.setCurrentIndex(TAB_MAP)

    def export_results(self, path: str = "", fmt: str = "", encoding: str = "") -> ExportJob | None:
        """Save the results table as shown (File ▸ Export results): XLSX, CSV UTF-8 (BOM) or CSV Shift_JIS,
        written off the GUI thread (the returned job says when it is done)."""
        filters = {self.tr("Excel workbook (*.xlsx)"): ("xlsx", "utf-8"),
                   self.tr("CSV, UTF-8 (*.csv)"): ("csv", "utf-8"),
                   self.tr("CSV, Shift_JIS for older Excel (*.csv)"): ("csv", "shift_jis")}
        if not path:
            from PySide6.QtWidgets import QFileDialog

            parent = self.w if isinstance(self.w, QWidget) else None
            path, chosen = QFileDialog.getSaveFileName(parent, self.tr("Export results"), "machi-navi-results.xlsx",
                                                       ";;".join(filters))
            if not path:
                return None
            fmt, encoding = filters.get(chosen, ("xlsx", "utf-8"))
            if path.lower().endswith(".csv") and fmt == "xlsx":
                fmt = "csv"
        fmt = fmt or ("csv" if path.lower().endswith(".csv") else "xlsx")
        return self._export_table(path, fmt, encoding or "utf-8")

    def _export_table(self, path: str, fmt: str, encoding: str) -> ExportJob:
        """Read the table as shown here (GUI thread), write it in a worker: 10,000 rows of XLSX take
        seconds. The closing message offers 「フォルダを開く」; cancel writes nothing."""
        from app.search.export import export_table

        table = self.w.search.visible_table()
        replaced: list[int] = []

        def work(progress: Progress, cancelled: CancelCheck) -> Path:
            out, bad = export_table(table, fmt, path, encoding, progress=progress, cancelled=cancelled)
            replaced.append(bad)
            return out

        def finished(out: Path) -> None:
            msg = tr_args(self.tr("Saved %1"), out)
            if replaced and replaced[0]:
                msg += " " + tr_args(self.tr("(%1 characters not in Shift_JIS were written as 〓)"), replaced[0])
            self.w.show_status(msg, 8000)

        parent = self.w if isinstance(self.w, QWidget) else None
        title = tr_args(self.tr("Exporting %1 results…"), len(table.rows))
        self.job = run_export(work, parent, title, show_dialogs=parent is not None and parent.isVisible())
        self.job.finished.connect(finished)
        self.job.failed.connect(lambda msg: self.w.show_status(tr_args(self.tr("Export failed: %1"), msg), 8000))
        return self.job
