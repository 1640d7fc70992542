"""GUI entry point: QApplication set-up (High-DPI, Japanese font, theme, translator), catalog
build with a splash when needed, and the main window."""

from __future__ import annotations

import importlib
import sys
import threading
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QSplashScreen

from app import APP_NAME, __version__, paths
from app.ui import i18n
from app.ui.theme import Theme, apply_theme

SPLASH_AFTER_S = 0.3


def create_application(lang: str | None = None, argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), themed and translated. `lang` None = the saved setting."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setApplicationDisplayName("まちナビ")
        app.setApplicationVersion(__version__)
        app.setOrganizationName(APP_NAME)
        icon = paths.resources_dir() / "icons" / "app.png"
        if icon.exists():
            app.setWindowIcon(QIcon(str(icon)))
    assert isinstance(app, QApplication)
    settings = i18n.settings()
    try:
        zoom = float(settings.value("theme/zoom", 1.0) or 1.0)
    except (TypeError, ValueError):
        zoom = 1.0
    apply_theme(app, zoom=zoom, stylesheet=False)  # the main window applies the style sheet once it is built
    i18n.install_language(lang or i18n.saved_language())
    return app


def _splash(text: str) -> QSplashScreen:
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

    db: Any
    engine: Any
    user_conn: Any

    def close(self) -> None:
        for obj in (self.engine, self.db, self.user_conn):
            try:
                obj.close()
            except Exception:  # noqa: BLE001
                pass


def open_session() -> Session:
    from app import userdb
    from app.catalog.store import CatalogDB
    from app.search.engine import SearchEngine

    db = CatalogDB(paths.catalog_db_path())
    engine = SearchEngine(paths.catalog_db_path(), paths.index_dir())
    try:
        conn = userdb.connect()
    except Exception:  # noqa: BLE001 - plans unavailable, the catalog still works
        conn = None
    return Session(db, engine, conn)


def create_main_window(session: Session, synchronous: bool = False, restore: bool = True) -> Any:
    from app.ui.main_window import MainWindow

    return MainWindow(session.db, session.engine, session.user_conn, synchronous=synchronous, restore=restore)


def run_gui(lang: str | None = None) -> int:
    build = CatalogBuild()  # checks (or rebuilds) the catalog while Qt starts and the UI modules load
    qapp = create_application(lang)
    for module in ("app.search.engine", "app.ui.main_window"):  # load while the build check runs
        importlib.import_module(module)

    build.wait()
    session = open_session()
    win = create_main_window(session)
    last = win.last_query()
    win.set_query(last)
    win.show()
    settings = i18n.settings()
    if str(settings.value("tour/seen", "false")).lower() != "true":  # first start: offer the tour once
        settings.setValue("tour/seen", True)
        QTimer.singleShot(400, win.start_tour)
    code = qapp.exec()
    session.close()
    return code
