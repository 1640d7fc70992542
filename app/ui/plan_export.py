"""Plan report export from the plan tab: the file dialog, then the export off the GUI thread
(app/ui/background_export.py: progress with cancel, 「フォルダを開く」 when done)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.catalog.store import CatalogDB, connect_ro
from app.fsio import CancelCheck, Progress
from app.plan.export import export_plan
from app.plan.plans import PlanStore
from app.ui import settings
from app.ui.background_export import ExportJob, run_export
from app.ui.i18n import current_language, tr_args
from app.ui.pdf import write_pdf

translate = QCoreApplication.translate

FORMAT_FILTERS = {"md": "Markdown (*.md)", "html": "HTML (*.html)", "pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)", "xlsx": "Excel (*.xlsx)"}


def plans_db_file(store: PlanStore) -> str:
    """The file behind the store's connection ('' for an in-memory one)."""
    row = store.conn.execute("pragma database_list").fetchone()
    return str(row[2] or "") if row else ""


@contextmanager
def worker_connections(store: PlanStore, db: CatalogDB) -> Iterator[tuple[PlanStore, CatalogDB]]:
    """The plan store and catalog for a worker thread: its own read-only connections to the same
    files, so the GUI thread can keep using (and editing) its own meanwhile."""
    cat = CatalogDB(db.path)
    plans_path = plans_db_file(store)
    conn = connect_ro(Path(plans_path)) if plans_path else None
    try:
        if conn is None:
            yield store, cat
        else:
            conn.row_factory = sqlite3.Row
            yield PlanStore(conn), cat
    finally:
        cat.close()
        if conn is not None:
            conn.close()


def plan_export_work(store: PlanStore, db: CatalogDB, plan: str, fmt: str, path: Path, lang: str = "ja",
                     era: bool = False) -> Callable[[Progress, CancelCheck], Path]:
    """The export as a function for a worker thread (see worker_connections); `lang` and `era` as in
    export_plan, read on the GUI thread by the caller."""

    def work(progress: Progress, cancelled: CancelCheck) -> Path:
        with worker_connections(store, db) as (own, cat):
            return export_plan(own, cat, plan, fmt, path, progress=progress, pdf_writer=write_pdf, cancelled=cancelled,
                               lang=lang, era=era)

    return work


class PlanExporter(QObject):
    """Exports a plan's report for the plan tab. Its strings are translated in the "PlanView" context."""

    statusMessage = Signal(str)

    def __init__(self, widget: QWidget, store: PlanStore, db_provider: Callable[[], CatalogDB]) -> None:
        super().__init__(widget)
        self.widget = widget  # dialogs are shown over it
        self.store = store
        self.db_provider = db_provider
        self.job: ExportJob | None = None  # the last export started

    def export_dialog(self, plan: str, fmt: str) -> ExportJob | None:
        """Ask where to write `plan`'s report as `fmt`, then start writing it."""
        if not plan:
            return None
        suggested = str(Path.home() / f"{plan}.{fmt}")
        out, _ = QFileDialog.getSaveFileName(self.widget, translate("PlanView", "Export plan report"), suggested,
                                             FORMAT_FILTERS.get(fmt, ""))
        if not out:
            return None
        path = Path(out)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        return self.export_to(plan, fmt, path)

    def export_to(self, plan: str, fmt: str, path: Path, show_progress: bool = True) -> ExportJob:
        """Start the export in a worker thread (progress dialog with cancel and the closing message
        when `show_progress`); the result is reported in the status line and by the job's signals."""
        title = tr_args(translate("PlanView", "Exporting “%1” as %2…"), plan, fmt.upper())
        work = plan_export_work(self.store, self.db_provider(), plan, fmt, Path(path), lang=current_language(),
                                era=settings.store().report_era())
        self.job = run_export(work, self.widget, title, show_dialogs=show_progress, on_status=self.statusMessage.emit)
        return self.job
