"""GUI entry point: QApplication set-up (High-DPI, Japanese font, theme, translator) and the
main window, shown before the catalog is opened.

Start-up order (run_gui): the QApplication, then the real main window, empty and "Loading…",
is shown and painted; only then does a worker thread check the catalog (content hash; a build
if it changed), open catalog.db and the search index and import what that needs (whoosh,
rapidfuzz, …). The window's attach() lands the result on the GUI thread: the architecture
figure, the plan store and the search for the query in the search bar (restored, or typed
while loading). `prepare_catalog` + `open_session` + `create_main_window` is the synchronous
path (tests, screenshots, benchmarks).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from app import APP_NAME, __version__, paths
from app.ui import i18n, settings
from app.ui.theme import Theme, apply_theme

if TYPE_CHECKING:
    import sqlite3

    from app.catalog.store import CatalogDB
    from app.search.engine import SearchEngine
    from app.ui.main_window import MainWindow

SPLASH_AFTER_S = 0.3
LOAD_FALLBACK_MS = 500  # open the catalog after this long even if the window has not been painted


def create_application(lang: str | None = None, argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), themed and translated. `lang` None = the saved setting."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        from app.ui.platform_check import PlatformGuard

        with PlatformGuard():  # Linux: one clear line instead of Qt's abort when no window can be opened
            app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setApplicationDisplayName("まちナビ")
        app.setApplicationVersion(__version__)
        app.setOrganizationName(APP_NAME)
        icon = paths.resources_dir() / "icons" / "app.png"
        if icon.exists():
            app.setWindowIcon(QIcon(str(icon)))
    assert isinstance(app, QApplication)
    apply_theme(app, zoom=settings.store().zoom(), stylesheet=False)  # the main window applies the style sheet once it is built
    i18n.install_language(lang or i18n.saved_language())
    return app


def _splash(text: str) -> Any:
    from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
    from PySide6.QtWidgets import QSplashScreen

    pm = QPixmap(520, 220)
    pm.fill(QColor("#1565c0"))
    p = QPainter(pm)
    p.setPen(QColor("#ffffff"))
    f = QFont(Theme.family) if Theme.family else QFont()
    f.setPixelSize(44)
    f.setBold(True)
    p.setFont(f)
    p.drawText(pm.rect().adjusted(0, 40, 0, -90), int(Qt.AlignmentFlag.AlignCenter), "まちナビ")
    f.setPixelSize(16)
    f.setBold(False)
    p.setFont(f)
    p.drawText(pm.rect().adjusted(0, 120, 0, -30), int(Qt.AlignmentFlag.AlignCenter), text)
    p.end()
    return QSplashScreen(pm)


class CatalogBuild:
    """ensure_built() running in a worker thread (start it early; wait for it when the catalog is needed)."""

    def __init__(self) -> None:
        self.box: dict[str, Any] = {}
        self.thread = threading.Thread(target=self._work, name="catalog-build", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        try:
            from app.build import ensure_built

            self.box["result"] = ensure_built()
        except BaseException as exc:  # noqa: BLE001 - re-raised on the GUI thread
            self.box["error"] = exc

    def wait(self, show_splash: bool = True) -> Any:
        """The BuildResult; shows a splash if the build is still running after a moment."""
        self.thread.join(SPLASH_AFTER_S)
        splash = None
        if self.thread.is_alive() and show_splash and QCoreApplication.instance() is not None:
            splash = _splash(QCoreApplication.translate("Startup", "Building the catalog…"))
            splash.show()
            loop = QEventLoop()
            timer = QTimer()
            timer.timeout.connect(lambda: loop.quit() if not self.thread.is_alive() else None)
            timer.start(50)
            loop.exec()
            timer.stop()
        self.thread.join()
        if splash is not None:
            splash.close()
        if "error" in self.box:
            raise self.box["error"]
        return self.box["result"]


def prepare_catalog(show_splash: bool = True) -> Any:
    """ensure_built() in a worker thread; a splash appears if it takes longer than a moment."""
    return CatalogBuild().wait(show_splash)


@dataclass
class Session:
    """What a main window needs; close() releases it."""

    db: CatalogDB
    engine: SearchEngine
    user_conn: sqlite3.Connection | None
    plans_error: BaseException | None = None  # why plans are unavailable (shown, with the file and advice)
    notices: list[str] = field(default_factory=list)  # e.g. a damaged plans.db was salvaged

    def close(self) -> None:
        for obj in (self.engine, self.db, self.user_conn):
            try:
                if obj is not None:
                    obj.close()
            except Exception:  # noqa: BLE001
                pass


def open_session() -> Session:
    from app import userdb
    from app.catalog.store import CatalogDB, current_db
    from app.search.engine import SearchEngine

    db_path = current_db(paths.catalog_db_path())  # newest, if a rebuild had to go beside an open catalog.db
    db = CatalogDB(db_path)
    engine = SearchEngine(db_path, paths.index_dir())
    try:
        conn = userdb.connect()
    except Exception as exc:  # noqa: BLE001 - plans unavailable, the catalog still works; the user is told why
        return Session(db, engine, None, plans_error=exc)
    return Session(db, engine, conn, notices=list(conn.notices))


def create_main_window(session: Session, synchronous: bool = False, restore: bool = True) -> MainWindow:
    from app.ui.main_window import MainWindow

    return MainWindow(session.db, session.engine, session.user_conn, synchronous=synchronous, restore=restore)


class SessionLoader(QObject):
    """ensure_built() + open_session() in a worker thread; `ready(Session)` or `failed(exc)` arrive
    on the GUI thread. `building` is emitted when catalog.db has to be (re)built (slow), then
    `progress(step, done, total)` as each build step starts (app.build.ensure_built)."""

    ready = Signal(object)
    failed = Signal(object)
    building = Signal()
    progress = Signal(str, int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread: threading.Thread | None = None
        self.session: Session | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._work, name="catalog-open", daemon=True)
            self.thread.start()

    def _work(self) -> None:
        try:
            from app.build import ensure_built

            ensure_built(on_build=self.building.emit, on_progress=self.progress.emit)
            self.session = open_session()
            self.ready.emit(self.session)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the GUI thread
            self.failed.emit(exc)

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)


def bring_to_front(win: Any) -> None:
    """Show `win` above other windows (a second start of the app asked for it)."""
    if win.isMinimized():
        win.showNormal()
    win.show()
    win.raise_()
    win.activateWindow()


def already_running(instance: Any) -> int:
    """A second start: raise the first GUI's window, or say clearly that the app is open."""
    if instance.request_raise():
        sys.stderr.write("まちナビ is already running for this user: its window was brought to the front.\n")
        return 0
    from PySide6.QtWidgets import QMessageBox

    text = QCoreApplication.translate(
        "Startup", "Machi Navi is already open for this user. Switch to its window (taskbar), or close it and start again.")
    sys.stderr.write(text + "\n")
    QMessageBox.information(None, QCoreApplication.translate("Startup", "Machi Navi"), text)
    return 1


def run_gui(lang: str | None = None) -> int:
    qapp = create_application(lang)
    from app.ui.single_instance import SingleInstance
    from app.ui.user_errors import install_excepthook

    install_excepthook()  # an exception in a slot: logged and named in a dialog, never a silent traceback

    instance = SingleInstance(paths.user_dir())  # one GUI per user data folder (plans.db, catalog.db)
    if not instance.acquire():
        return already_running(instance)
    try:
        return _run_main_window(qapp, instance)
    finally:
        instance.release()


def show_browse_list(win: MainWindow) -> bool:
    """Fill the results table from catalog.db (the empty query needs no index) and paint it now,
    before the worker thread starts opening the index: that is when the window becomes usable.
    False when there is a query to run instead, or no readable catalog.db yet (the loader builds it)."""
    if win.query_text().strip():
        return False
    import sqlite3

    from app.catalog.store import current_db
    from app.search.browse import browse_hits
    from app.ui.search_controller import RESULT_LIMIT

    path = current_db(paths.catalog_db_path())
    if not path.exists():
        return False
    try:
        total, hits = browse_hits(path, RESULT_LIMIT)
    except (sqlite3.Error, OSError):  # stale or damaged: the loader checks, rebuilds and says so
        return False
    win.search.show_browse(total, hits)
    if win.isVisible():
        win.search.table.viewport().repaint()
    return True


def _run_main_window(qapp: QApplication, instance: Any) -> int:
    from app.ui.main_window import MainWindow
    from app.ui.user_errors import show_notices, show_user_error, user_error_text

    win = MainWindow(None, None)  # the real window, empty and "Loading…" until attach()
    instance.raise_requested.connect(lambda: bring_to_front(win))
    win.set_query(win.last_query())  # searched as soon as the engine is open
    loader = SessionLoader(win)
    errors: list[BaseException] = []

    def opened(session: Session) -> None:
        win.attach(session.db, session.engine, session.user_conn)
        if session.plans_error is not None:
            win.plans.set_unavailable(user_error_text(session.plans_error))
            QTimer.singleShot(0, lambda: show_user_error(win, session.plans_error))
        QTimer.singleShot(0, lambda: show_notices(win, session.notices))
        store = settings.store()
        if not store.flag("tour/seen"):  # first start: offer the tour once
            store.set("tour/seen", True)
            QTimer.singleShot(400, win.start_tour)
        from app.ui.whats_new import schedule_whats_new

        schedule_whats_new(win)  # 「この版の新着」 after a catalog update (a first start only records)

    def failed(exc: BaseException) -> None:
        show_user_error(win, exc)  # a windowed app has no console: say it here
        errors.append(exc)
        qapp.exit(1)

    loader.ready.connect(opened)
    loader.failed.connect(failed)
    loader.building.connect(lambda: win.statusBar().showMessage(
        QCoreApplication.translate("Startup", "Building the catalog…")))

    def start_loading() -> None:
        if loader.thread is not None:
            return
        show_browse_list(win)  # the empty query's rows from catalog.db, painted before anything else loads
        from app.ui.build_progress import install_build_progress  # after the first paint: costs it nothing

        install_build_progress(win, loader)  # build steps in the status bar; File → rebuild the catalog
        loader.start()

    win.firstPainted.connect(start_loading)
    QTimer.singleShot(LOAD_FALLBACK_MS, start_loading)  # e.g. started minimised: nothing is painted
    win.show()
    code = qapp.exec()
    win.shutdown()
    loader.join(5.0)  # a catalog still opening (the window was closed at once): let it finish
    if loader.session is not None:
        loader.session.close()
    if errors:
        raise errors[0]
    return code
