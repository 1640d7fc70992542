"""The main window: a header (title, query bar, plan counter, tour) over three tabs, composed of
owned panes that talk through signals:

- SearchPane: query bar, facets, results and the search controller (app/ui/search_pane.py)
- DetailPane: the selected entry (app/ui/detail_view.py), beside the results
- ArchitecturePane: the SCRA figure and the services of the query (app/ui/architecture_pane.py)
- PlanPane: the plan store, the current plan and the plan tab (app/ui/plan_pane.py)

Commands come from one table (app/ui/actions.py) shared by menus, shortcuts, header buttons and
the command palette. Start-up (app.ui.app.run_gui) opens the window before the catalog:
`MainWindow(None, None)` shows empty panes and "Loading…"; it emits `firstPainted`, the catalog is
opened in a worker thread, and `attach()` lands it. Given a db and an engine, the window is
complete at once (tests, shots).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFontMetrics, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QMainWindow, QTabWidget, QToolButton, QVBoxLayout, QWidget

from app.ui import i18n, window_state
from app.ui.actions import WindowActions
from app.ui.architecture_pane import ArchitecturePane
from app.ui.detail_view import DetailPane
from app.ui.i18n import tr_args
from app.ui.main_tabs import TAB_ARCH, TAB_CATALOG, TAB_PLAN
from app.ui.plan_pane import PlanDropTarget, PlanFileDrop, PlanPane
from app.ui.results_commands import ResultsCommands
from app.ui.search_pane import SearchPane
from app.ui.theme import Theme, apply_stylesheet, apply_theme, scaled_font

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from app.catalog.store import CatalogDB
    from app.plan.plans import PlanStore
    from app.search.engine import SearchEngine, SearchResult
    from app.ui.tour import TourOverlay

log = logging.getLogger(__name__)

__all__ = ["TAB_ARCH", "TAB_CATALOG", "TAB_PLAN", "MainWindow"]


class MainWindow(QMainWindow):
    """Search-first main window. `synchronous=True` searches on the GUI thread (screenshots)."""

    queryApplied = Signal(str)  # after a result for this query text is shown
    planCountChanged = Signal(int)
    firstPainted = Signal()  # queued after the window's first paint
    catalogReady = Signal()  # attach() has landed the catalog and the search engine

    def __init__(self, db: CatalogDB | None, engine: SearchEngine | None, user_conn: sqlite3.Connection | None = None,
                 synchronous: bool = False, restore: bool = True) -> None:
        """`db`/`engine` None: the window opens at once, "Loading…", and attach() completes it."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.db = db
        self.engine = engine
        self.user_conn = user_conn
        self.loading = db is None or engine is None
        self._painted = False
        self._tour: TourOverlay | None = None
        self._syncing_selection = False
        self._zoom_before_presenter = 1.0
        self.presenter = False
        self.persist_state = True  # False for screenshots: leave the user's window state alone
        self._shut_down = False
        self._total_services = len(db.service_ids()) if db is not None else 0

        self.search = SearchPane(engine, synchronous)  # no parent yet: sized as a window until it is a tab
        self.detail = DetailPane(db)  # db None while loading: nothing can be selected yet
        self.search.add_side(self.detail)
        self.plans = PlanPane(lambda: self.db)
        self.architecture = ArchitecturePane(self.search.results_model, self.plans)
        self.plans.open_store(user_conn)
        self._build_ui()
        self._wire()
        self.rebuild_handler: Callable[[], None] | None = None  # set by app.ui.build_progress
        self.results_commands = ResultsCommands(self)
        self.commands = WindowActions(self)
        self.commands.build_menus(self.menuBar())
        if not self.loading:
            self.plans.set_loaded()
            assert db is not None
            self.architecture.set_catalog(db)
        self.retranslate_ui()
        self._apply_font_metrics()
        if restore:
            self.restore_state()
        app = QApplication.instance()
        if isinstance(app, QApplication) and not app.styleSheet():
            apply_stylesheet(app)  # once, after building: cheaper than polishing every widget under it
        if not self.loading:  # (while loading, retranslate_ui put "Loading…" in the status bar)
            QTimer.singleShot(0, self.search.load_completions)

    def _build_ui(self) -> None:
        self.app_title = QLabel()
        self.app_title.setObjectName("appTitle")
        self.plan_button = QToolButton()
        self.plan_button.setObjectName("planCounter")
        self.plan_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.plan_button.setAcceptDrops(True)
        self.tour_button = QToolButton()
        header = QWidget()
        header.setObjectName("header")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(12, 10, 12, 4)
        hl.setSpacing(14)
        hl.addWidget(self.app_title, 0, Qt.AlignmentFlag.AlignTop)
        hl.addWidget(self.search.query_bar, 1)
        hl.addWidget(self.plan_button, 0, Qt.AlignmentFlag.AlignTop)
        hl.addWidget(self.tour_button, 0, Qt.AlignmentFlag.AlignTop)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        for pane in (self.search, self.architecture, self.plans):
            self.tabs.addTab(pane, "")
        self._drop_target = PlanDropTarget(self._drop_allowed, self.add_to_plan, self)
        self.tabs.tabBar().setAcceptDrops(True)
        self.tabs.tabBar().installEventFilter(self._drop_target)
        self.plan_button.installEventFilter(self._drop_target)
        self._file_drop = PlanFileDrop(self)  # .machiplan files dropped on the window are imported

        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(header)
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.setContentsMargins(10, 2, 10, 6)
        bl.addWidget(self.tabs)
        cl.addWidget(body, 1)
        self.setCentralWidget(central)

        sb = self.statusBar()
        self.count_label = QLabel()
        self.dev_label = QLabel()
        self.dev_label.setObjectName("devInfo")
        self.plan_status = QLabel()
        for label in (self.dev_label, self.count_label, self.plan_status):
            sb.addPermanentWidget(label)

    def _wire(self) -> None:
        """Connect the panes: each emits what happened; the window decides what follows."""
        s, a, d, p = self.search, self.architecture, self.detail, self.plans
        s.resultApplied.connect(self._result_applied)
        s.entrySelected.connect(self._entry_selected)
        s.addRequested.connect(self._add_or_detail)
        s.activated.connect(lambda: d.setFocus())
        s.townRequested.connect(lambda name: self.results_commands.open_town(name))
        for sig in (s.statusMessage, d.statusMessage, p.statusMessage):
            sig.connect(lambda m: self.show_status(m, 5000))
        d.townRequested.connect(lambda name: self.results_commands.open_town(name))
        a.queryRequested.connect(self.set_query)
        a.nodeClicked.connect(lambda message: self.show_status(message, 4000))
        a.serviceSelected.connect(self._arch_service_selected)
        a.addRequested.connect(self.add_to_plan)
        a.openRequested.connect(self._open_from_arch)
        d.addToPlanRequested.connect(self.add_to_plan)
        d.showInArchitectureRequested.connect(self.show_in_architecture)
        d.filterByNodeRequested.connect(self.filter_by_node)
        p.countChanged.connect(self._plan_count_changed)
        p.countChanged.connect(lambda _n: s.results_model.set_in_plan(p.plan_ids()))  # ✓ marks in the results
        self.plan_button.clicked.connect(lambda: self.tabs.setCurrentIndex(TAB_PLAN))
        self.tour_button.clicked.connect(self.start_tour)
        self.tabs.currentChanged.connect(self._tab_changed)

    def attach(self, db: CatalogDB, engine: SearchEngine, user_conn: sqlite3.Connection | None = None) -> None:
        """Land the catalog opened after the first paint: the architecture figure, the plan store,
        completions, and the search for whatever the search bar holds now (typed while loading)."""
        if not self.loading or self._shut_down:
            return
        self.db, self.engine = db, engine
        if user_conn is not None and self.user_conn is None:
            self.user_conn = user_conn
            self.plans.open_store(user_conn)
        self._total_services = len(db.service_ids())
        self.detail.db = db
        self.architecture.set_catalog(db)
        if self.query_text():
            self.architecture.show_query(self.query_text())
        self.loading = False
        self.statusBar().clearMessage()
        self.plans.set_loaded()
        self._update_counts()
        self.search.set_engine(engine)  # runs the query typed (or restored) while loading
        if self.isVisible():
            if self.tabs.currentIndex() == TAB_PLAN:
                self.plans.ensure_widget()
            else:
                self.plans.schedule_build()
        self.catalogReady.emit()

    # ------------------------------------------------------------------------------------------
    # the panes' conversation

    def query_text(self) -> str:
        return self.search.query_text()

    def set_query(self, text: str, immediate: bool = True) -> None:
        self.search.set_query(text, immediate)

    def select_id(self, entry_id: str) -> bool:
        return self.search.select_id(entry_id)

    def _result_applied(self, result: SearchResult) -> None:
        text = self.query_text()
        self.architecture.show_query(text)
        self._update_counts()
        current = self.detail.current_id
        if current and self.search.results_model.row_of(current) < 0:
            self.architecture.highlight_service(current if self.detail.current_kind == "service" else None)
        self.queryApplied.emit(text)

    def _entry_selected(self, kind: str, entry_id: str) -> None:
        if (kind, entry_id) != (self.detail.current_kind, self.detail.current_id):  # not again per keystroke
            self.detail.show_entry(kind, entry_id)
            self.architecture.highlight_service(entry_id if kind == "service" else None)
        if not self._syncing_selection:
            row = self.search.results_model.row_of(entry_id)
            self.architecture.select_source_row(self.search.results_model.index(row, 0))

    def _arch_service_selected(self, service_id: str) -> None:
        self._syncing_selection = True
        try:
            self.search.select_id(service_id)
        finally:
            self._syncing_selection = False

    def _open_from_arch(self) -> None:
        self.tabs.setCurrentIndex(TAB_CATALOG)
        self.detail.setFocus()

    def show_in_architecture(self, service_id: str) -> None:
        if self.architecture.figure is None:
            return
        self.architecture.highlight_service(service_id)
        self.tabs.setCurrentIndex(TAB_ARCH)

    def filter_by_node(self, node_id: str) -> None:
        text = self.architecture.query_for(node_id)
        if text:
            self.set_query(text)

    def show_status(self, message: str, msecs: int = 0) -> None:
        self.statusBar().showMessage(message, msecs)

    def _update_counts(self) -> None:
        self.search.update_title()
        r = self.search.last_result
        if r is None:
            total = "" if self.loading else tr_args(self.tr("%1 services in the catalog"), self._total_services)
            self.count_label.setText(total)  # while loading, "Loading…" is in the status bar
            return
        services = sum(1 for h in r.hits if h.kind == "service")
        self.count_label.setText(tr_args(self.tr("%1 of %2 services shown"), services, self._total_services))
        ctl = self.search.controller
        self.dev_label.setText(f"{ctl.last_ms:.0f} ms · #{ctl.generation}")

    # ------------------------------------------------------------------------------------------
    # plans

    @property
    def plan_store(self) -> PlanStore | None:
        return self.plans.store

    def plan_count(self) -> int:
        return self.plans.plan_count()

    def use_plan(self, name: str) -> None:
        self.plans.use_plan(name)

    def add_to_plan(self, service_ids: list[str]) -> int:
        return self.plans.add_services(service_ids)

    def _add_or_detail(self, ids: list[str]) -> None:
        """Enter on the results: the selected services, else the service in the detail pane."""
        if not ids and self.detail.current_kind == "service" and self.detail.current_id:
            ids = [self.detail.current_id]
        self.add_to_plan(ids)

    def add_selected_to_plan(self) -> None:
        pane = self.architecture if self.tabs.currentIndex() == TAB_ARCH else self.search
        self._add_or_detail(pane.selected_service_ids())

    def _drop_allowed(self, watched: QObject, pos: QPoint) -> bool:
        bar = self.tabs.tabBar()
        return bar.tabAt(pos) == TAB_PLAN if watched is bar else True

    def _plan_count_changed(self, n: int) -> None:
        if self.loading and self.plans.store is None:  # the plan store opens with the catalog
            self.plan_button.setText(tr_args(self.tr("Plan: %1"), "…"))
            self.plan_status.setText(tr_args(self.tr("%1 in plan"), "…"))
            return
        self.plan_button.setText(tr_args(self.tr("Plan: %1"), n))
        self.plan_button.setToolTip(tr_args(self.tr("Services in “%1” — click to open, or drop results here"),
                                            self.plans.current_plan()))
        self.plan_status.setText(tr_args(self.tr("%1 in plan"), n))
        self.planCountChanged.emit(n)

    def _tab_changed(self, index: int) -> None:
        self.search.query_bar.set_hint_allowed(index != TAB_PLAN)  # the plan does not follow the query
        if index == TAB_PLAN:
            if self.plans.widget is not None:
                self.plans.refresh()
            self.plans.ensure_widget()

    # ------------------------------------------------------------------------------------------
    # commands (the handlers of app.ui.actions)

    @property
    def tour(self) -> TourOverlay:
        """The guided tour's overlay (built on first use)."""
        if self._tour is None:
            from app.ui.tour import TourOverlay, main_window_steps

            self._tour = TourOverlay(self, main_window_steps(self.show_tab, self.search, self.detail,
                                                             lambda: self.architecture.figure, self.plan_button))
        return self._tour

    def start_tour(self) -> None:
        self.tour.start()

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    def focus_query(self) -> None:
        self.search.focus_query()

    def rebuild_catalog(self) -> None:
        """File → rebuild: done by the RebuildController that app.ui.build_progress installs (with progress)."""
        if self.rebuild_handler is not None:
            self.rebuild_handler()

    def open_palette(self) -> None:
        from app.ui.palette import CommandPalette

        palette = CommandPalette(self.commands.entries(), self)
        palette.exec_and_run()
        palette.deleteLater()

    def escape(self) -> None:
        if self._tour is not None and self._tour.isVisible():
            self._tour.stop()
            return
        if self.search.hide_completion():
            return
        self.set_query("")
        self.focus_query()

    def set_zoom(self, zoom: float) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, zoom=zoom)
        self._apply_font_metrics()
        self.show_status(tr_args(self.tr("Text size %1%"), round(Theme.zoom * 100)), 2000)

    def set_high_contrast(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, high_contrast=on)
        if self.commands["high_contrast"].isChecked() != on:
            self.commands["high_contrast"].setChecked(on)
        self._apply_font_metrics()
        self.detail.refresh()  # its HTML carries the theme's colours
        self.architecture.relayout()
        self.search.results_model.retranslate()

    def _apply_font_metrics(self) -> None:
        fm = QFontMetrics(QApplication.font())
        self.search.apply_font_metrics(fm.lineSpacing(), fm.horizontalAdvance("あ"))
        self.architecture.apply_font_metrics(fm.lineSpacing())
        self.app_title.setFont(scaled_font(1.45, bold=True))

    def set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()
        if self.commands["full_screen"].isChecked() != on:
            self.commands["full_screen"].setChecked(on)

    def set_presenter_mode(self, on: bool) -> None:
        """Full screen, large text, no clutter, click highlights (app/ui/presenter.py)."""
        from app.ui.presenter import set_presenter_mode

        set_presenter_mode(self, on)

    def start_demo(self, path: Path | None = None) -> None:
        from app.ui.presenter import start_demo

        start_demo(self, path)

    def set_language(self, lang: str, persist: bool = True) -> None:
        """Switch the UI language live (every widget retranslates on LanguageChange)."""
        if lang not in i18n.LANGUAGES:
            return
        i18n.install_language(lang)
        if persist:
            try:
                i18n.save_language(lang)
            except Exception:  # noqa: BLE001
                log.exception("could not save the language")
        QApplication.processEvents()  # deliver LanguageChange now so callers see new strings
        self.retranslate_ui()

    def open_settings(self) -> None:
        from app.ui.dialogs import SettingsDialog

        dlg = SettingsDialog(i18n.current_language(), Theme.zoom, Theme.high_contrast, self)
        dlg.languageChosen.connect(self.set_language)
        dlg.zoomChosen.connect(self.set_zoom)
        dlg.contrastChosen.connect(self.set_high_contrast)
        dlg.exec()

    def about(self) -> None:
        from app.ui.dialogs import show_about

        if self.db is not None:
            show_about(self, self.db.meta(), self.db.stats())

    # ------------------------------------------------------------------------------------------
    # i18n, window events and state

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Machi Navi — smart-city catalog"))
        self.app_title.setText(self.tr("Machi Navi"))
        self.app_title.setFont(scaled_font(1.45, bold=True))
        self.tour_button.setText(self.tr("Tour"))
        self.tour_button.setToolTip(self.tr("A short guided tour (F1)"))
        self.tabs.setTabText(TAB_CATALOG, self.tr("Catalog"))
        self.tabs.setTabText(TAB_ARCH, self.tr("Architecture"))
        self.tabs.setTabText(TAB_PLAN, self.tr("Plan"))
        self.tabs.setTabToolTip(TAB_PLAN, self.tr("Drop results here to add them to the plan"))
        self.commands.retranslate()
        self.plans.retranslate()
        self.architecture.retranslate()
        if self.loading:
            self.show_status(self.tr("Loading…"))
        self.search.retranslate()
        self._update_counts()
        self.plans.update_count()
        self.architecture.update_title(self.query_text())

    def _state_parts(self) -> window_state.WindowParts:
        return window_state.WindowParts(self, self.tabs, {"catalog": self.search, "arch": self.architecture,
                                                          "detail": self.detail.splitter},
                                        self.search.table.horizontalHeader())

    def restore_state(self) -> None:
        state = window_state.restore(self._state_parts())
        self.architecture.set_edition(state.edition)
        if state.high_contrast:
            self.set_high_contrast(True)

    def save_state(self) -> None:
        window_state.save(self._state_parts(), self.query_text(), self.architecture.current_edition())

    def last_query(self) -> str:
        return window_state.last_query()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.firstPainted.emit)  # after this frame is on screen

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.plans.schedule_build()  # build the plan tab after the first paint

    def shutdown(self) -> None:
        """Stop background work (searches, deferred builds) before the session's databases close."""
        self._shut_down = True
        self.plans.shutdown()
        self.search.controller.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.presenter:
            self.set_presenter_mode(False)
        if self.persist_state:
            self.save_state()
        self.shutdown()
        super().closeEvent(event)
