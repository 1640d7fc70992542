"""Print preview of a plan's PDF report inside the app (QPrintPreviewDialog).

The preview paints the same report document through the same function as the PDF file
(app.ui.pdf.print_report: own pagination, table of contents, page numbers),
so what is shown is what the PDF export writes, and it can be printed from there. QtPrintSupport
ships with PySide6-Essentials and the Windows bundle (build.spec keeps every Qt module app/ imports);
QtPdf / QPdfView would need PySide6-Addons, which the app does not depend on.

The report is gathered off the GUI thread (a 100-service plan's coverage and suggestions take a
moment); the dialog opens when it is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QToolButton, QWidget

from app.catalog.store import CatalogDB
from app.fsio import CancelCheck, Progress, check_cancelled
from app.plan.export import build_report, document
from app.plan.plans import PlanStore
from app.plan.report_doc import ReportDoc
from app.ui import settings
from app.ui.background_export import ExportJob, run_export
from app.ui.i18n import current_language, tr_args
from app.ui.pdf import print_report
from app.ui.plan_export import worker_connections

translate = QCoreApplication.translate


class ReportPreview(QPrintPreviewDialog):
    """The report's A4 pages as the PDF export lays them out, with the usual zoom / page / print tools."""

    def __init__(self, doc: ReportDoc, title: str, parent: QWidget | None = None) -> None:
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(title)
        super().__init__(self.printer, parent)
        self.doc = doc
        self.setWindowTitle(tr_args(translate("Export", "Print preview: %1"), title))
        self.setObjectName("reportPreview")
        self.paintRequested.connect(lambda printer: print_report(self.doc, printer))
        self.resize(900, 1000)

    def preview_widget(self) -> QPrintPreviewWidget:
        w = self.findChild(QPrintPreviewWidget)
        assert w is not None
        return w

    def page_count(self) -> int:
        return self.preview_widget().pageCount()


def report_doc_work(store: PlanStore, db: CatalogDB, plan: str, sink: list[ReportDoc], lang: str = "ja",
                    era: bool = False) -> Callable[[Progress, CancelCheck], Path]:
    """Gather the report document (as the PDF export renders it) in a worker into `sink`."""

    def work(progress: Progress, cancelled: CancelCheck) -> Path:
        with worker_connections(store, db) as (own, cat):
            progress(0, 1)
            rep = build_report(own, cat, plan, lang=lang, era=era)
            check_cancelled(cancelled)
            sink.append(document(rep))
            progress(1, 1)
            return cat.path

    return work


class PreviewButton(QToolButton):
    """「印刷プレビュー」 for the plan tab: gathers the current plan's report, then opens ReportPreview."""

    previewShown = Signal(object)  # the ReportPreview

    def __init__(self, store: PlanStore, db_provider: Callable[[], CatalogDB], plan: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.db_provider, self.plan = store, db_provider, plan
        self.setObjectName("printPreview")
        self.job: ExportJob | None = None
        self.preview: ReportPreview | None = None
        self.clicked.connect(lambda: self.open_preview())
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(translate("Export", "Print preview"))
        self.setToolTip(translate("Export", "Print preview of the plan report"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def open_preview(self, modal: bool = True) -> ExportJob | None:
        """Start gathering the report; the preview opens when it is ready (`previewShown`)."""
        name = self.plan()
        if not name or (self.job is not None and self.job.running):
            return None
        sink: list[ReportDoc] = []
        # the language and era the PDF export would use (app.ui.plan_export), read on the GUI thread
        work = report_doc_work(self.store, self.db_provider(), name, sink, current_language(), settings.store().report_era())
        job = run_export(work, self.window(), translate("Export", "Preparing the preview…"), show_dialogs=False)
        job.finished.connect(lambda _p: self._show(sink[0], modal))
        job.failed.connect(lambda msg: self.setToolTip(tr_args(translate("Export", "Preview failed: %1"), msg)))
        self.job = job
        return job

    def _show(self, doc: ReportDoc, modal: bool) -> None:
        title = f"{doc.title}: {doc.plan_name}"  # the PDF's own title (app.plan.export.export_report)
        self.preview = ReportPreview(doc, title, self.window())
        self.previewShown.emit(self.preview)
        if modal:
            self.preview.exec()
        else:
            self.preview.show()
