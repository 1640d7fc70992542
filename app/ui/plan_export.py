"""Plan report export from the plan tab: the file dialog, a progress dialog and the status line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.catalog.store import CatalogDB
from app.plan.export import export_plan
from app.plan.plans import PlanStore
from app.ui import settings
from app.ui.i18n import current_language, tr_args
from app.ui.pdf import write_pdf

translate = QCoreApplication.translate

FORMAT_FILTERS = {"md": "Markdown (*.md)", "html": "HTML (*.html)", "pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)", "xlsx": "Excel (*.xlsx)"}


class PlanExporter(QObject):
    """Exports a plan's report for the plan tab. Its strings are translated in the "PlanView" context."""

    statusMessage = Signal(str)

    def __init__(self, widget: QWidget, store: PlanStore, db_provider: Callable[[], CatalogDB]) -> None:
        super().__init__(widget)
        self.widget = widget  # dialogs are shown over it
        self.store = store
        self.db_provider = db_provider

    def export_dialog(self, plan: str, fmt: str) -> Path | None:
        """Ask where to write `plan`'s report as `fmt`, then write it."""
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

    def export_to(self, plan: str, fmt: str, path: Path, show_progress: bool = True) -> Path | None:
        """Run the export with a progress dialog; reports the result in the status line."""
        dlg: QProgressDialog | None = None
        if show_progress:
            dlg = QProgressDialog(translate("PlanView", "Exporting…"), "", 0, 100, self.widget)
            dlg.setCancelButton(None)  # type: ignore[arg-type]
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setMinimumDuration(0)
            dlg.setValue(0)

        def progress(pct: int, _msg: str) -> None:
            if dlg is not None:
                dlg.setValue(pct)
                QApplication.processEvents()

        started = time.perf_counter()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = export_plan(self.store, self.db_provider(), plan, fmt, path, progress=progress, pdf_writer=write_pdf,
                                  lang=current_language(), era=settings.store().report_era())
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing half-written (atomic export)
            self.statusMessage.emit(tr_args(translate("PlanView", "Export failed: %1"), exc))
            if show_progress:
                QMessageBox.warning(self.widget, translate("PlanView", "Export"), str(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
            if dlg is not None:
                dlg.close()
        self.statusMessage.emit(tr_args(translate("PlanView", "Exported %1 (%2 s)"), written,
                                        f"{time.perf_counter() - started:.1f}"))
        return written
