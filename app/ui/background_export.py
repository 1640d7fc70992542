"""Exports off the GUI thread: a worker on the global QThreadPool, a progress dialog with 「キャンセル」,
and when the file is written a message offering 「フォルダを開く」.

The work is a plain function `work(progress, cancelled) -> Path` (the domain's export functions take
the same two callbacks, app.fsio.Progress / CancelCheck). It runs in a pool thread; its progress and
its end reach the GUI thread as queued signals of a QObject that lives there, so the event loop keeps
running (the window repaints, timers fire) while a large plan or 10,000 results are written. A cancel
makes the work raise app.fsio.Cancelled before the file is moved into place: nothing is written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from app.errors import UserError
from app.fsio import CancelCheck, Cancelled, Progress
from app.ui.i18n import tr_args

translate = QCoreApplication.translate

Work = Callable[[Progress, CancelCheck], Path]
_RUNNING: set[ExportJob] = set()


class ExportJob(QObject):
    """One export running in a pool thread. Its public signals are emitted in the GUI thread (the
    worker only emits the private relays, queued to here), so any slot may touch widgets."""

    progressed = Signal(int, int)  # done, total
    finished = Signal(object)  # Path written
    failed = Signal(str)  # message for the user
    cancelled = Signal()
    ended = Signal()  # after any of the three above

    _progress_relay = Signal(int, int)
    _end_relay = Signal(str, object)  # "finished" | "failed" | "cancelled", payload

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._stop = threading.Event()
        self.running = False
        self.seconds = 0.0
        self.result: Path | None = None
        self.ui: ExportUi | None = None
        self._progress_relay.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self._end_relay.connect(self._ended, Qt.ConnectionType.QueuedConnection)

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        _RUNNING.add(self)  # alive until it ends, whatever happens to the window that started it
        (pool or QThreadPool.globalInstance()).start(_Runner(self))

    def cancel(self) -> None:
        """Ask the work to stop at its next check; `cancelled` follows (or `finished` if it was done)."""
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def _run(self) -> None:  # pool thread: only the relays are emitted here
        started = time.perf_counter()
        try:
            path = self._work(self._progress_relay.emit, self._stop.is_set)
            kind, payload = "finished", Path(path)
        except Cancelled:
            kind, payload = "cancelled", None
        except UserError as exc:
            kind, payload = "failed", exc.text("ja" if _ja() else "en")
        except Exception as exc:  # noqa: BLE001 - shown to the user; the atomic write left nothing half-done
            kind, payload = "failed", f"{type(exc).__name__}: {exc}"
        self.seconds = time.perf_counter() - started
        try:
            self._end_relay.emit(kind, payload)
        except RuntimeError:  # the app is quitting and the job object is gone: nobody to tell
            pass

    def _ended(self, kind: str, payload: object) -> None:  # GUI thread
        self.running = False
        _RUNNING.discard(self)
        if kind == "finished":
            self.result = payload  # type: ignore[assignment]
            self.finished.emit(payload)
        elif kind == "failed":
            self.failed.emit(str(payload))
        else:
            self.cancelled.emit()
        self.ended.emit()


def _ja() -> bool:
    from app.ui.i18n import current_language

    return current_language() != "en"


class _Runner(QRunnable):
    def __init__(self, job: ExportJob) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job._run()


def open_folder(path: Path) -> bool:
    """Show the folder holding `path` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).resolve().parent)))


class ExportUi(QObject):
    """The progress dialog and the closing message of one ExportJob, over `parent`.

    Strings are translated in the "Export" context."""

    statusMessage = Signal(str)

    def __init__(self, job: ExportJob, parent: QWidget | None, title: str, show_dialogs: bool = True) -> None:
        super().__init__(job)
        self.job, self.parent_widget, self.title, self.show_dialogs = job, parent, title, show_dialogs
        self.progress: QProgressDialog | None = None
        self.message: QMessageBox | None = None
        self.open_button: QPushButton | None = None
        if show_dialogs:
            dlg = QProgressDialog(title, translate("Export", "Cancel"), 0, 0, parent)
            dlg.setWindowTitle(translate("Export", "Export"))
            dlg.setMinimumDuration(300)  # quick exports finish before it would appear
            dlg.setAutoClose(False)
            dlg.setAutoReset(False)
            dlg.canceled.connect(job.cancel)
            self.progress = dlg
        job.progressed.connect(self._progressed)
        job.finished.connect(self._finished)
        job.failed.connect(self._failed)
        job.cancelled.connect(self._cancelled)

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and not self.job.is_cancelled():
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, total))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.job.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _finished(self, path: Path) -> None:
        self._close_progress()
        self.statusMessage.emit(tr_args(translate("Export", "Exported %1 (%2 s)"), path, f"{self.job.seconds:.1f}"))
        if not self.show_dialogs:
            return
        box = QMessageBox(QMessageBox.Icon.Information, translate("Export", "Export"),
                          tr_args(translate("Export", "Saved %1"), path), QMessageBox.StandardButton.Close,
                          self.parent_widget)
        self.open_button = box.addButton(translate("Export", "Open folder"), QMessageBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(lambda: open_folder(path))
        box.setDefaultButton(self.open_button)
        box.setObjectName("exportDoneMessage")
        self.message = box
        box.open()  # window-modal, returns at once: the event loop goes on

    def _failed(self, message: str) -> None:
        self._close_progress()
        self.statusMessage.emit(tr_args(translate("Export", "Export failed: %1"), message))
        if self.show_dialogs:
            box = QMessageBox(QMessageBox.Icon.Warning, translate("Export", "Export"), message,
                              QMessageBox.StandardButton.Close, self.parent_widget)
            self.message = box
            box.open()

    def _cancelled(self) -> None:
        self._close_progress()
        self.statusMessage.emit(translate("Export", "Export cancelled; no file was written"))


def run_export(work: Work, parent: QWidget | None, title: str, show_dialogs: bool = True,
               on_status: Callable[[str], None] | None = None) -> ExportJob:
    """Start `work` off the GUI thread with a progress dialog and a closing message; returns the job."""
    job = ExportJob(work)
    ui = job.ui = ExportUi(job, parent, title, show_dialogs)
    if on_status is not None:
        ui.statusMessage.connect(on_status)
    job.start()
    return job
