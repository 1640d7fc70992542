"""Catalog build progress in the main window's status bar, and 「カタログを再構築」 in the File menu.

The build runs in a worker thread (SessionLoader at start-up, CatalogRebuild from the menu);
app.build.ensure_built's on_progress(step, done, total) arrives here through a queued signal, so
the window keeps painting and answering while catalog files are read, catalog.db is written and
the search index is built.

A rebuild from the menu first closes the window's catalog.db and search index (Windows cannot
replace a file that is open), with the window's catalog controls disabled; the build is atomic,
so on failure the previous catalog is opened again.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QProgressBar, QWidget

from app.ui.i18n import tr_args

translate = QCoreApplication.translate


def step_text(step: str) -> str:
    texts = {
        "read": translate("BuildProgress", "Reading catalog files…"),
        "write": translate("BuildProgress", "Writing the database…"),
        "index": translate("BuildProgress", "Building the search index…"),
    }
    return texts.get(step, step)


class BuildProgress(QWidget):
    """「カタログを構築中 (2/3) データベースを書き込んでいます…」 and a bar; hidden when no build runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buildProgress")
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(160)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 8, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        self.step = ""
        self.done = 0
        self.total = 0
        self.hide()

    def on_progress(self, step: str, done: int, total: int) -> None:
        self.step, self.done, self.total = step, done, total
        self.bar.setRange(0, 2 * total)
        self.bar.setValue(2 * done + 1)  # half of the running step: never an empty bar
        self._update_text()
        self.show()

    def finish(self, *_args: object) -> None:
        self.step = ""
        self.hide()

    def _update_text(self) -> None:
        if self.step:
            self.label.setText(tr_args(translate("BuildProgress", "Building the catalog (%1/%2): %3"),
                                       self.done + 1, self.total, step_text(self.step)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self._update_text()  # the File-menu action retranslates with the window's other actions
        super().changeEvent(event)


class CatalogRebuild(QObject):
    """ensure_built(force=True) + reopening catalog.db and the index, in a worker thread."""

    progress = Signal(str, int, int)
    done = Signal(object, object)  # CatalogDB, SearchEngine
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._work, name="catalog-rebuild", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        try:
            from app.build import ensure_built

            ensure_built(force=True, on_progress=self.progress.emit)
            self.done.emit(*open_catalog())
        except BaseException as exc:  # noqa: BLE001 - shown on the GUI thread
            self.failed.emit(exc)


def open_catalog() -> tuple[Any, Any]:
    from app import paths
    from app.catalog.store import CatalogDB
    from app.search.engine import SearchEngine

    return CatalogDB(paths.catalog_db_path()), SearchEngine(paths.catalog_db_path(), paths.index_dir())


class RebuildController(QObject):
    """The File menu's rebuild action for `win` (a MainWindow); `progress` relays the build's steps,
    `finished(ok)` comes after each rebuild."""

    progress = Signal(str, int, int)
    finished = Signal(bool)

    def __init__(self, win: QMainWindow, progress: BuildProgress, loader: Any = None) -> None:
        super().__init__(win)
        self.win = win
        self.progress_widget = progress
        self.loader = loader  # SessionLoader: its session is closed at exit, so it must hold the live objects
        self.job: CatalogRebuild | None = None
        self.progress.connect(progress.on_progress)
        self._disabled: list[Any] = []
        self.action: QAction = win.commands["rebuild_catalog"]  # type: ignore[attr-defined] - declared in app.ui.actions
        win.rebuild_handler = self.start  # type: ignore[attr-defined]

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        win: Any = self.win
        if self.running or win.loading or win.db is None:
            return
        self._set_enabled(False)
        win.search.controller.set_engine(None)  # searches wait for the new engine
        win.search.controller.run_now(win.query_text())
        for obj in (win.engine, win.db):  # Windows cannot replace an open catalog.db
            try:
                obj.close()
            except Exception:  # noqa: BLE001
                pass
        self.job = CatalogRebuild(self)
        self.job.progress.connect(self.progress)
        self.job.done.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.start()

    def _set_enabled(self, on: bool) -> None:
        win: Any = self.win
        if not on:
            self._disabled = [w for w in (win.centralWidget(), win.menuBar()) if w is not None and w.isEnabled()]
            self._disabled += [a for a in win.actions() if a.isEnabled()]
        for item in self._disabled:
            item.setEnabled(on)
        if on:
            self._disabled = []

    def _attach(self, db: Any, engine: Any) -> None:
        win: Any = self.win
        win.loading = True  # attach() lands a catalog in a loading window (and a new SCRA figure)
        win.attach(db, engine)
        session = getattr(self.loader, "session", None)
        if session is not None:
            session.db, session.engine = db, engine

    def _done(self, db: Any, engine: Any) -> None:
        self.job = None
        self.progress_widget.finish()
        self._attach(db, engine)
        self._set_enabled(True)
        self.finished.emit(True)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.progress_widget.finish()
        try:
            self._attach(*open_catalog())  # the build is atomic: the previous catalog is intact
        except Exception:  # noqa: BLE001 - reported below with the build error
            pass
        self._set_enabled(True)
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self.win, translate("BuildProgress", "Rebuild the catalog"),
                            tr_args(translate("BuildProgress", "The catalog could not be rebuilt:\n%1"), str(exc)))
        self.finished.emit(False)


def install_build_progress(win: QMainWindow, loader: Any = None) -> RebuildController:
    """Put the progress widget in `win`'s status bar, follow `loader` (a SessionLoader) and add the
    rebuild action to the File menu. Once per window: later calls return the same controller."""
    existing = getattr(win, "catalog_rebuild", None)
    if isinstance(existing, RebuildController):
        return existing
    widget = BuildProgress()
    win.statusBar().insertPermanentWidget(0, widget)  # permanent: status messages do not hide it
    win.build_progress = widget  # type: ignore[attr-defined]
    if loader is not None:
        loader.progress.connect(widget.on_progress)
        loader.ready.connect(widget.finish)
        loader.failed.connect(widget.finish)
    win.catalog_rebuild = RebuildController(win, widget, loader)  # type: ignore[attr-defined]
    return win.catalog_rebuild  # type: ignore[attr-defined]
