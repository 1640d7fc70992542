"""Plan exports: the export dialog and progress (a PlanView mixin), and the plan tab rendered to a PNG."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from app.catalog.store import CatalogDB
from app.plan.export import export_plan
from app.plan.plans import PlanStore
from app.ui.headless import ensure_qapp, save_png
from app.ui.pdf import write_pdf

translate = QCoreApplication.translate

FORMAT_FILTERS = {"md": "Markdown (*.md)", "html": "HTML (*.html)", "pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)", "xlsx": "Excel (*.xlsx)"}


class PlanExport:
    """PlanView's report export. Its strings are translated in the "PlanView" context."""

    def export_dialog(self, fmt: str) -> Path | None:
        if not self._plan:
            return None
        suggested = str(Path.home() / f"{self._plan}.{fmt}")
        out, _ = QFileDialog.getSaveFileName(self, translate("PlanView", "Export plan report"), suggested, FORMAT_FILTERS.get(fmt, ""))
        if not out:
            return None
        path = Path(out)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        return self.export_to(fmt, path)

    def export_to(self, fmt: str, path: Path, show_progress: bool = True) -> Path | None:
        """Run the export with a progress dialog; reports the result in the status line."""
        dlg: QProgressDialog | None = None
        if show_progress:
            dlg = QProgressDialog(translate("PlanView", "Exporting…"), "", 0, 100, self)
            dlg.setCancelButton(None)
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
            written = export_plan(self.store, self.db(), self._plan, fmt, path, progress=progress, pdf_writer=write_pdf)
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing half-written (atomic export)
            self.statusMessage.emit(translate("PlanView", "Export failed: %1").replace("%1", str(exc)))
            if show_progress:
                QMessageBox.warning(self, translate("PlanView", "Export"), str(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
            if dlg is not None:
                dlg.close()
        self.statusMessage.emit(translate("PlanView", "Exported %1 (%2 s)").replace("%1", str(written))
                                .replace("%2", f"{time.perf_counter() - started:.1f}"))
        return written



# -- screenshots ---------------------------------------------------------------------------------

def render_plan_png(plan_name: str, out: Path, size: tuple[int, int] = (1600, 1000), lang: str = "") -> Path:
    """Render the plan tab for `plan_name` (from the user's plans.db) to a PNG, offscreen if needed.

    `lang` ('ja' or 'en') switches the UI language first; without it a new application gets the saved one.
    """
    from app.ui import i18n

    fresh = QApplication.instance() is None
    app = ensure_qapp()
    if lang or fresh:
        i18n.install_language(lang or i18n.saved_language())
    from app import userdb
    from app.build import ensure_built

    res = ensure_built(with_index=False)
    db = CatalogDB(res.db_path)
    conn = userdb.connect()
    try:
        store = PlanStore(conn)
        store.info(plan_name)  # raises PlanError for an unknown plan
        from app.ui.plan_view import PlanView

        view = PlanView(store, lambda: db)
        view.set_current_plan(plan_name)
        view.resize(*size)
        view.show()
        for tab in (1, 0):  # lay out the gap tab once, then show coverage
            view.tabs.setCurrentIndex(tab)
            app.processEvents()
        out = save_png(view, Path(out))
        view.close()
        view.deleteLater()
        app.processEvents()
    finally:
        conn.close()
        db.close()
    return out
