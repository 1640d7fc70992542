"""Exports off the GUI thread (app/ui/background_export.py) with real widgets, offscreen: the event
loop keeps running during a real export, cancel (also from the progress dialog) writes nothing and
keeps an older file, a finished export offers 「フォルダを開く」 which asks for the folder's URL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton, QWidget

from app import userdb
from app.catalog.store import CatalogDB
from app.fsio import Cancelled
from app.plan.plans import PlanStore, add_services
from app.ui import i18n
from app.ui.background_export import ExportJob, run_export
from app.ui.plan_export import plan_export_work
from app.ui.plan_view import PlanView
from tests.plan_support import REAL_FIVE


@pytest.fixture
def store(tmp_path: Path, catdb: CatalogDB) -> PlanStore:
    st = PlanStore(userdb.connect(tmp_path / "plans.db"))
    st.create("大きな計画")
    add_services(st, catdb, "大きな計画", catdb.service_ids()[:100])
    st.create("豊明モデル")
    add_services(st, catdb, "豊明モデル", REAL_FIVE)
    return st


@pytest.fixture
def host(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    i18n.install_language("ja")
    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    return w


def _wait(qtbot, job: ExportJob) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(job.ended, timeout=180_000):
        pass


class _UrlCatcher(QObject):
    """Registered for file: URLs instead of the real file manager."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_export_runs_while_the_event_loop_keeps_running(qtbot, host: QWidget, store: PlanStore, catdb: CatalogDB,
                                                        tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The work waits until a GUI-thread timer has fired: on the GUI thread it would never get there."""
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    gui_alive = threading.Event()
    timer.timeout.connect(gui_alive.set)
    real = plan_export_work(store, catdb, "大きな計画", "pdf", tmp_path / "big.pdf")
    seen_during: list[int] = []

    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        assert threading.current_thread() is not threading.main_thread()
        before = len(ticks)
        assert gui_alive.wait(30), "the GUI thread's timer did not fire while the export ran"
        out = real(progress, cancelled)
        seen_during.append(len(ticks) - before)
        return out

    progress: list[tuple[int, int]] = []
    timer.start()
    job = run_export(work, host, "PDF", show_dialogs=False)
    job.progressed.connect(lambda d, t: progress.append((d, t)))
    _wait(qtbot, job)
    timer.stop()
    assert job.result == tmp_path / "big.pdf" and job.result.read_bytes().startswith(b"%PDF-")
    assert seen_during and seen_during[0] > 1, "the timer kept firing during the real export"
    assert progress[0] == (0, 2) and progress[-1] == (2, 2)


def test_cancel_from_the_progress_dialog_writes_nothing(qtbot, host: QWidget, store: PlanStore, catdb: CatalogDB,
                                                        tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.xlsx"
    gate = threading.Event()
    real = plan_export_work(store, catdb, "大きな計画", "xlsx", out)

    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        gate.wait(30)  # hold the export until the dialog's cancel was pressed
        return real(progress, cancelled)

    job = run_export(work, host, "XLSX", show_dialogs=True)
    assert job.ui is not None and job.ui.progress is not None
    button = job.ui.progress.findChild(QPushButton)
    assert button is not None and button.text() == "キャンセル"
    button.click()  # the dialog's 「キャンセル」
    assert job.is_cancelled()
    gate.set()
    with qtbot.waitSignal(job.cancelled, timeout=180_000):
        pass
    assert not out.exists() and not list(tmp_path.glob(".*.tmp*")), "no file and no temp file"
    assert job.result is None and not job.running


def test_cancel_keeps_the_previous_file(qtbot, host: QWidget, store: PlanStore, catdb: CatalogDB,
                                        tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old report")
    real = plan_export_work(store, catdb, "豊明モデル", "pdf", out)
    job_box: list[ExportJob] = []

    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        def step(done: int, total: int) -> None:
            progress(done, total)
            if done == 1:  # the report is gathered; the user cancels while the PDF renders
                job_box[0].cancel()
        return real(step, cancelled)

    job = ExportJob(work)
    job_box.append(job)
    cancelled: list[bool] = []
    job.cancelled.connect(lambda: cancelled.append(True))
    job.start()
    _wait(qtbot, job)
    assert cancelled and out.read_bytes() == b"old report"
    assert not list(tmp_path.glob(".*.tmp*"))


def test_finished_export_offers_open_folder(qtbot, host: QWidget, store: PlanStore, catdb: CatalogDB,
                                            tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        out = tmp_path / "sub" / "計画.md"
        job = run_export(plan_export_work(store, catdb, "豊明モデル", "md", out), host, "MD")
        _wait(qtbot, job)
        assert out.read_text(encoding="utf-8").startswith("# ")
        ui = job.ui
        assert ui is not None and ui.message is not None and ui.message.isVisible()
        assert ui.open_button is not None and ui.open_button.text() == "フォルダを開く"
        ui.open_button.click()
        assert [u.toLocalFile() for u in catcher.urls] == [str(out.parent.resolve())]
        ui.message.close()
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_failure_is_reported_not_raised(qtbot, host: QWidget) -> None:  # type: ignore[no-untyped-def]
    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        raise OSError("disk on fire")

    messages: list[str] = []
    job = run_export(work, host, "X", show_dialogs=False, on_status=messages.append)
    with qtbot.waitSignal(job.failed, timeout=30_000) as sig:
        pass
    assert "disk on fire" in sig.args[0] and messages and "disk on fire" in messages[0]


def test_plan_view_export_through_the_worker(qtbot, store: PlanStore, catdb: CatalogDB,
                                             tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """PlanView's export (the export buttons' path) writes in a worker and reports in the status line;
    the plan can be edited meanwhile (the worker reads through its own connections)."""
    view = PlanView(store, lambda: catdb)
    qtbot.addWidget(view)
    view.set_current_plan("豊明モデル")
    job = view.export_to("csv", tmp_path / "p.csv", show_progress=False)
    assert job is not None
    view.add_services(["noroute"])  # GUI thread writes plans.db while the export reads it
    _wait(qtbot, job)
    assert job.result is not None and job.result.stat().st_size > 0
    assert "p.csv" in view.status.text()


def test_cancelled_is_an_exception_the_atomic_write_undoes(tmp_path: Path) -> None:
    from app.fsio import atomic_path, check_cancelled

    target = tmp_path / "t.txt"
    with pytest.raises(Cancelled):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            check_cancelled(lambda: True)
    assert not target.exists() and not list(tmp_path.iterdir())


# -- print preview of the PDF report (app/ui/report_preview.py) -----------------------------------

def test_print_preview_shows_the_reports_pages(qtbot, store: PlanStore, catdb: CatalogDB) -> None:  # type: ignore[no-untyped-def]
    """The plan tab's 「印刷プレビュー」 gathers the report off the GUI thread, then opens a preview with
    the same A4 pages the PDF export writes."""
    from app.ui.report_preview import ReportPreview

    i18n.install_language("ja")
    view = PlanView(store, lambda: catdb)
    qtbot.addWidget(view)
    view.set_current_plan("大きな計画")
    button = view.preview_button
    assert button.text() == "印刷プレビュー" and button.isEnabled()
    with qtbot.waitSignal(button.previewShown, timeout=180_000) as sig:
        job = button.open_preview(modal=False)
        assert job is not None
    preview = sig.args[0]
    assert isinstance(preview, ReportPreview) and preview.isVisible()
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.page_count() >= 1, timeout=60_000)
    pages = preview.page_count()
    assert pages >= 3, pages  # a 100-service plan's report runs over several A4 pages
    # the report document the PDF export renders, in the UI language
    assert "大きな計画" in preview.windowTitle() and preview.doc.plan_name == "大きな計画" and preview.doc.lang == "ja"
    assert preview.doc.body and preview.doc.appendix
    preview.close()


def test_print_preview_and_pdf_paint_the_same_pages(qtbot, store: PlanStore, catdb: CatalogDB,
                                                    tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """One rendering path: the preview's page count equals the PDF file's."""
    import re

    from app.plan.export import build_report, document
    from app.ui.pdf import write_pdf
    from app.ui.report_preview import ReportPreview

    doc = document(build_report(store, catdb, "豊明モデル"))
    written = write_pdf(doc, tmp_path / "r.pdf", "r")
    pdf_pages = len(re.findall(rb"/Type\s*/Page[^s]", (tmp_path / "r.pdf").read_bytes()))
    assert written.pages == pdf_pages
    preview = ReportPreview(doc, "r")
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitUntil(lambda: preview.page_count() >= 1, timeout=60_000)
    assert preview.page_count() == pdf_pages >= 1
