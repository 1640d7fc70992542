"""The main window: search bar and chips, facets, results, detail, SCRA figure and the plan.

Wiring only. Queries are built with app.search.query (with_filter / without), searches run in
SearchController (off the GUI thread), plans change through app.plan.plans.

Start-up (app.ui.app.run_gui) opens the window before the catalog: `MainWindow(None, None)` is the
real window with an empty table and facets and "Loading…" in the status bar; it emits
`firstPainted`, the catalog is checked and opened in a worker thread, and `attach()` lands the
catalog, the search engine and the plan store (building the architecture figure, running the
query typed meanwhile). Given a db and an engine, the window is complete at once (tests, shots).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.ui import i18n
from app.ui.delegates import SnippetDelegate
from app.ui.detail_view import DetailPane
from app.ui.main_actions import WindowActions
from app.ui.main_plan import PlanWiring, _PlanDropTarget
from app.ui.main_search import ResultsTable, SearchPanel
from app.ui.main_tabs import TAB_ARCH, TAB_CATALOG, TAB_PLAN
from app.ui.models import FacetModel, ResultsModel, ResultsProxy
from app.ui.query_bar import QueryBar
from app.ui.search_controller import SearchController
from app.ui.theme import apply_stylesheet, scaled_font

log = logging.getLogger(__name__)


def _section(title: QLabel, body: QWidget) -> QWidget:
    """A section: its title above `body`, no margins."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(title)
    layout.addWidget(body, 1)
    return box


class MainWindow(SearchPanel, PlanWiring, WindowActions, QMainWindow):
    """Search-first main window. `synchronous=True` searches on the GUI thread (screenshots)."""

    queryApplied = Signal(str)  # after a result for this query text is shown
    planCountChanged = Signal(int)
    firstPainted = Signal()  # queued after the window's first paint
    catalogReady = Signal()  # attach() has landed the catalog and the search engine

    def __init__(self, db: Any, engine: Any, user_conn: Any = None, synchronous: bool = False,
                 restore: bool = True) -> None:
        """`db`/`engine` None: the window opens at once, "Loading…", and attach() completes it."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.db = db
        self.engine = engine
        self.user_conn = user_conn
        self.loading = db is None or engine is None
        self._painted = False
        self.plan_store: Any = None
        self._open_plan_store(user_conn)
        self.arch: Any = None  # ArchitectureView, built with the catalog (see _build_arch)
        self._arch_edition = 2
        self._tour: Any = None  # TourOverlay, built when first started
        self.presenter = False
        self.persist_state = True  # False for screenshots: leave the user's window state alone
        self._shut_down = False
        self._plan_timer = QTimer(self)
        self._plan_timer.setSingleShot(True)
        self._plan_timer.setInterval(150)
        self._plan_timer.timeout.connect(self.ensure_plan_widget)
        self._syncing_selection = False
        self._collapsed_facets: set[str] = set()
        self.last_result: Any = None
        self._total_services = len(db.service_ids()) if db is not None else 0
        self.controller = SearchController(engine, self)
        self.controller.synchronous = synchronous
        self.controller.resultReady.connect(self.apply_result)
        self.controller.searchFailed.connect(self._search_failed)

        self._build_ui()
        if not self.loading:
            self._build_arch()
        self._build_actions()
        self._build_menus()
        self.retranslate_ui()
        self._apply_font_metrics()
        if restore:
            self.restore_state()
        app = QApplication.instance()
        if isinstance(app, QApplication) and not app.styleSheet():
            apply_stylesheet(app)  # once, after building: cheaper than polishing every widget under it
        if not self.loading:  # (while loading, retranslate_ui put "Loading…" in the status bar)
            QTimer.singleShot(0, self._load_completions)

    def _open_plan_store(self, user_conn: Any) -> None:
        if user_conn is None:
            return
        try:
            from app.plan.plans import PlanStore

            self.plan_store = PlanStore(user_conn)
        except ImportError:  # pragma: no cover - plan package missing
            self.plan_store = None

    def attach(self, db: Any, engine: Any, user_conn: Any = None) -> None:
        """Land the catalog opened after the first paint: the architecture figure, the plan store,
        completions, and the search for whatever the search bar holds now (typed while loading)."""
        if not self.loading or self._shut_down:
            return
        self.db, self.engine = db, engine
        if user_conn is not None and self.user_conn is None:
            self.user_conn = user_conn
            self._open_plan_store(user_conn)
        self._total_services = len(db.service_ids())
        self.detail.db = db
        self._build_arch()
        self.loading = False
        self.statusBar().clearMessage()
        if self._plan_placeholder is not None:
            self._plan_placeholder.setText(self.tr("Plans are not available (no user database).")
                                           if self.plan_store is None else self.tr("Loading…"))
        self._update_counts()
        self._update_plan_counter()
        self.controller.set_engine(engine)  # runs the query typed (or restored) while loading
        self._load_completions()
        if self.plan_widget is None and self.isVisible():
            if self.tabs.currentIndex() == TAB_PLAN:
                self.ensure_plan_widget()
            else:
                self._plan_timer.start()
        self.catalogReady.emit()

    def _build_arch(self) -> None:
        """The architecture tab's figure (it counts services per SCRA node, so it needs the catalog)."""
        from app.ui.architecture_view import ArchitectureView

        self.arch = ArchitectureView(self.db)
        self.arch.filterRequested.connect(self._arch_filter)
        self.arch.nodeSelected.connect(self._arch_node_selected)
        if self._arch_edition != self.arch.edition:
            self.arch.set_edition(self._arch_edition)
        old, self._arch_placeholder = self._arch_placeholder, None
        sizes = self.arch_splitter.sizes()
        self.arch_splitter.replaceWidget(0, self.arch)
        self.arch_splitter.setSizes(sizes)
        self.arch_splitter.setStretchFactor(0, 4)
        if old is not None:
            old.deleteLater()
        if self.query_text():
            self.arch.set_active_query(self.query_text())

    @property
    def tour(self) -> Any:
        """The guided tour's overlay (built on first use)."""
        if self._tour is None:
            from app.ui.tour import TourOverlay

            self._tour = TourOverlay(self, self._tour_steps())
        return self._tour

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.firstPainted.emit)  # after this frame is on screen

    # ------------------------------------------------------------------------------------------
    # construction

    def _build_ui(self) -> None:
        # header: app name, query bar, plan counter
        self.app_title = QLabel()
        self.app_title.setObjectName("appTitle")
        self.query_bar = QueryBar()
        self.query_bar.edited.connect(self._on_query_edited)
        self.query_bar.submitted.connect(lambda t: self.set_query(t))
        self.query_bar.message.linkActivated.connect(self.set_query)
        self.query_bar.edit.installEventFilter(self)
        self.plan_button = QToolButton()
        self.plan_button.setObjectName("planCounter")
        self.plan_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.plan_button.clicked.connect(lambda: self.tabs.setCurrentIndex(TAB_PLAN))
        self.plan_button.setAcceptDrops(True)
        self.tour_button = QToolButton()
        self.tour_button.clicked.connect(self.start_tour)
        header = QWidget()
        header.setObjectName("header")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(12, 10, 12, 4)
        hl.setSpacing(14)
        hl.addWidget(self.app_title, 0, Qt.AlignmentFlag.AlignTop)
        hl.addWidget(self.query_bar, 1)
        hl.addWidget(self.plan_button, 0, Qt.AlignmentFlag.AlignTop)
        hl.addWidget(self.tour_button, 0, Qt.AlignmentFlag.AlignTop)

        # catalog tab: facets | results | detail
        self.facet_model = FacetModel(self)
        self.facet_model.toggled.connect(self.toggle_facet)
        self.facet_view = QTreeView()
        self.facet_view.setObjectName("facetView")
        self.facet_view.setModel(self.facet_model)
        self.facet_view.setHeaderHidden(True)
        self.facet_view.setUniformRowHeights(True)
        self.facet_view.setRootIsDecorated(True)
        self.facet_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.facet_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.facet_view.header().setStretchLastSection(False)
        self.facet_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # the count column is sized from the counts (_fit_facet_counts), not by measuring every row
        self.facet_view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.facet_view.clicked.connect(self._facet_clicked)
        self.facet_view.collapsed.connect(lambda i: self._collapsed_facets.add(self.facet_model.fields()[i.row()]))
        self.facet_view.expanded.connect(lambda i: self._collapsed_facets.discard(self.facet_model.fields()[i.row()]))
        self.facets_title = QLabel()
        self.facets_title.setObjectName("sectionTitle")
        facet_box = _section(self.facets_title, self.facet_view)

        self.results_model = ResultsModel(self)
        self.proxy = ResultsProxy(self)
        self.proxy.setSourceModel(self.results_model)
        self.table = ResultsTable()
        self.table.setObjectName("resultsTable")
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(ResultsModel.COL_SNIPPET, SnippetDelegate(self.table))
        self.table.addRequested.connect(self.add_selected_to_plan)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection)
        self.table.doubleClicked.connect(lambda _i: self.detail.setFocus())
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(ResultsModel.COL_SNIPPET, QHeaderView.ResizeMode.Stretch)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._header_menu)
        self.table.setColumnHidden(ResultsModel.COL_FIELD, True)
        self.table.setColumnHidden(ResultsModel.COL_SCORE, True)  # developer detail; header menu shows it
        self.table.sortByColumn(ResultsModel.COL_SCORE, Qt.SortOrder.DescendingOrder)
        self.results_title = QLabel()
        self.results_title.setObjectName("sectionTitle")
        results_box = _section(self.results_title, self.table)

        self.detail = DetailPane(self.db)  # db None while loading: nothing can be selected yet
        self.detail.addToPlanRequested.connect(self.add_to_plan)
        self.detail.showInArchitectureRequested.connect(self.show_in_architecture)
        self.detail.filterByNodeRequested.connect(self.filter_by_node)
        self.detail.statusMessage.connect(lambda m: self.statusBar().showMessage(m, 5000))

        self.catalog_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.catalog_splitter.setObjectName("catalogSplitter")
        self.catalog_splitter.addWidget(facet_box)
        self.catalog_splitter.addWidget(results_box)
        self.catalog_splitter.addWidget(self.detail)
        self.catalog_splitter.setStretchFactor(0, 0)
        self.catalog_splitter.setStretchFactor(1, 3)
        self.catalog_splitter.setStretchFactor(2, 2)
        self.catalog_splitter.setSizes([290, 760, 560])

        # architecture tab: figure (built with the catalog: _build_arch) | services of the current query
        self.arch_proxy = ResultsProxy(self)
        self.arch_proxy.setSourceModel(self.results_model)
        self.arch_proxy.set_kind("service")
        self.arch_list = ResultsTable()
        self.arch_list.setObjectName("archList")
        self.arch_list.setModel(self.arch_proxy)
        self.arch_list.setSortingEnabled(False)
        for col in range(ResultsModel.COL_SCORE + 1):
            self.arch_list.setColumnHidden(col, col != ResultsModel.COL_NAME)
        self.arch_list.horizontalHeader().setSectionResizeMode(ResultsModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.arch_list.horizontalHeader().hide()
        self.arch_list.selectionModel().selectionChanged.connect(self._on_arch_selection)
        self.arch_list.addRequested.connect(self._add_arch_selection)
        self.arch_list.doubleClicked.connect(self._open_from_arch)
        self.arch_list_title = QLabel()
        self.arch_list_title.setObjectName("sectionTitle")
        self.arch_list_title.setWordWrap(True)
        arch_side = _section(self.arch_list_title, self.arch_list)
        self.arch_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.arch_splitter.setObjectName("archSplitter")
        self._arch_placeholder: QLabel | None = QLabel()  # replaced by the figure when the catalog is open
        self._arch_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.arch_splitter.addWidget(self._arch_placeholder)
        self.arch_splitter.addWidget(arch_side)
        self.arch_splitter.setStretchFactor(0, 4)
        self.arch_splitter.setStretchFactor(1, 1)
        self.arch_splitter.setSizes([1200, 340])

        # the plan tab is built after the first paint (or when first needed): it computes coverage
        self.plan_widget: Any = None
        self._plan_placeholder = QLabel()
        self._plan_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.plan_scroll = QScrollArea()  # the plan tab's minimum width must not set the window's
        self.plan_scroll.setWidget(self._plan_placeholder)
        self.plan_scroll.setWidgetResizable(True)
        self.plan_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        for w in (self.catalog_splitter, self.arch_splitter, self.plan_scroll):
            self.tabs.addTab(w, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self._drop_target = _PlanDropTarget(self)
        self.tabs.tabBar().setAcceptDrops(True)
        self.tabs.tabBar().installEventFilter(self._drop_target)
        self.plan_button.installEventFilter(self._drop_target)

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
        sb.addPermanentWidget(self.dev_label)
        sb.addPermanentWidget(self.count_label)
        sb.addPermanentWidget(self.plan_status)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.plan_widget is None and not self._shut_down:
            self._plan_timer.start()  # build the plan tab after the first paint

    def shutdown(self) -> None:
        """Stop background work (searches, deferred builds) before the session's databases close."""
        self._shut_down = True
        self._plan_timer.stop()
        self.controller.shutdown()
    # ------------------------------------------------------------------------------------------
    # i18n

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
        self.facets_title.setText(self.tr("Refine"))
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_plan.setTitle(self.tr("&Plan"))
        self.menu_help.setTitle(self.tr("&Help"))
        self.menu_lang.setTitle(self.tr("Language"))
        texts = {
            self.act_focus: self.tr("Focus search"), self.act_add: self.tr("Add selection to plan"),
            self.act_fullscreen: self.tr("Full screen"), self.act_presenter: self.tr("Presenter mode"),
            self.act_contrast: self.tr("High contrast"), self.act_zoom_in: self.tr("Zoom in"),
            self.act_zoom_out: self.tr("Zoom out"), self.act_zoom_reset: self.tr("Actual size"),
            self.act_tour: self.tr("Guided tour"), self.act_settings: self.tr("Settings…"),
            self.act_about: self.tr("About Machi Navi"), self.act_quit: self.tr("Quit"),
        }
        for a, t in texts.items():
            a.setText(t)
        for i, a in enumerate(self.act_tab):
            a.setText(self.tabs.tabText(i))
        self.act_lang_ja.setChecked(i18n.current_language() == "ja")
        self.act_lang_en.setChecked(i18n.current_language() == "en")
        if self._plan_placeholder is not None:
            self._plan_placeholder.setText(self.tr("Plans are not available (no user database).")
                                           if self.plan_store is None and not self.loading else self.tr("Loading…"))
        if self._arch_placeholder is not None:
            self._arch_placeholder.setText(self.tr("Loading…"))
        if self.loading:
            self.statusBar().showMessage(self.tr("Loading…"))
        self.results_model.retranslate()
        self.facet_model.retranslate()
        self._update_counts()
        self._update_plan_counter()
        self._update_arch_title()

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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query_bar.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down and not self.query_bar.completer.popup().isVisible() and self.proxy.rowCount():
                self.table.setFocus()
                self.select_row(0)
                return True
        return super().eventFilter(watched, event)
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.presenter:
            self.set_presenter_mode(False)
        if self.persist_state:
            self.save_state()
        self.shutdown()
        super().closeEvent(event)
