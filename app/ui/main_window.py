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

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.ui import i18n
from app.ui.delegates import SnippetDelegate
from app.ui.detail_view import DetailPane
from app.ui.markdown_html import escape
from app.ui.models import SERVICE_MIME, FacetModel, IdRole, KindRole, ResultsModel, ResultsProxy
from app.ui.query_bar import QueryBar, completion_entries
from app.ui.search_controller import SearchController
from app.ui.theme import ZOOM_STEP, Theme, apply_stylesheet, apply_theme, scaled_font

log = logging.getLogger(__name__)

TAB_CATALOG, TAB_ARCH, TAB_PLAN = 0, 1, 2
_PLAN_SETTING = "plan.current"


class ResultsTable(QTableView):
    """Results; Enter adds the selected services to the plan; rows drag onto the plan tab."""

    addRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.verticalHeader().hide()
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSectionsMovable(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.addRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class _PlanDropTarget(QObject):
    """Accepts service drags on the plan tab (tab bar) and on the plan counter."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _on_plan(self, watched: QObject, pos: QPoint) -> bool:
        if watched is self.window.tabs.tabBar():
            return self.window.tabs.tabBar().tabAt(pos) == TAB_PLAN
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        et = event.type()
        if et in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            ev: QDragEnterEvent = event  # type: ignore[assignment]
            if ev.mimeData().hasFormat(SERVICE_MIME) and self._on_plan(watched, ev.position().toPoint()):
                ev.acceptProposedAction()
            else:
                ev.ignore()
            return True
        if et == QEvent.Type.Drop:
            drop: QDropEvent = event  # type: ignore[assignment]
            if drop.mimeData().hasFormat(SERVICE_MIME) and self._on_plan(watched, drop.position().toPoint()):
                ids = bytes(drop.mimeData().data(SERVICE_MIME).data()).decode("utf-8").split()
                self.window.add_to_plan(ids)
                drop.acceptProposedAction()
            return True
        return False


class MainWindow(QMainWindow):
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
        facet_box = QWidget()
        fl = QVBoxLayout(facet_box)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.facets_title)
        fl.addWidget(self.facet_view, 1)

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
        results_box = QWidget()
        rl = QVBoxLayout(results_box)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.results_title)
        rl.addWidget(self.table, 1)

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
        arch_side = QWidget()
        al = QVBoxLayout(arch_side)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(self.arch_list_title)
        al.addWidget(self.arch_list, 1)
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

    def ensure_plan_widget(self) -> Any:
        """Build the plan tab now if it is not built yet (PlanView, else a basket list); returns it or None."""
        if self.plan_widget is not None or self.plan_store is None or self._shut_down:
            return self.plan_widget
        remembered = self.current_plan()
        try:
            from app.ui.plan_view import PlanView

            view = PlanView(self.plan_store, lambda: self.db, self)
        except ImportError:
            from app.ui.plan_basket import PlanBasket

            view = PlanBasket(self.plan_store, lambda: self.db, self.current_plan, self)
        except Exception:  # noqa: BLE001 - the plan tab must not keep the catalog from opening
            log.exception("plan view failed; using the basket list")
            from app.ui.plan_basket import PlanBasket

            view = PlanBasket(self.plan_store, lambda: self.db, self.current_plan, self)
        self.plan_widget = view
        if remembered and callable(getattr(view, "set_current_plan", None)):
            view.set_current_plan(remembered)
        if hasattr(view, "planChanged"):
            view.planChanged.connect(self._plan_changed_elsewhere)
        if hasattr(view, "statusMessage"):
            view.statusMessage.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.plan_scroll.setWidget(view)
        self._plan_placeholder = None
        self._update_plan_counter()
        return view

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.plan_widget is None and not self._shut_down:
            self._plan_timer.start()  # build the plan tab after the first paint

    def shutdown(self) -> None:
        """Stop background work (searches, deferred builds) before the session's databases close."""
        self._shut_down = True
        self._plan_timer.stop()
        self.controller.shutdown()

    def _build_actions(self) -> None:
        def act(slot: Any, *keys: QKeySequence | QKeySequence.StandardKey | str, checkable: bool = False) -> QAction:
            a = QAction(self)
            if keys:
                a.setShortcuts([QKeySequence(k) for k in keys])
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.setCheckable(checkable)
            (a.toggled if checkable else a.triggered).connect(slot)
            self.addAction(a)
            return a

        self.act_focus = act(self.focus_query, "Ctrl+F", "Ctrl+L")
        self.act_add = act(self.add_selected_to_plan, "Ctrl+D")
        self.act_fullscreen = act(self.set_full_screen, "F11", checkable=True)
        self.act_presenter = act(self.set_presenter_mode, "F5", checkable=True)
        self.act_contrast = act(self.set_high_contrast, "Ctrl+Shift+H", checkable=True)
        self.act_zoom_in = act(lambda: self.set_zoom(Theme.zoom + ZOOM_STEP), "Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn)
        self.act_zoom_out = act(lambda: self.set_zoom(Theme.zoom - ZOOM_STEP), "Ctrl+-", QKeySequence.StandardKey.ZoomOut)
        self.act_zoom_reset = act(lambda: self.set_zoom(1.0), "Ctrl+0")
        self.act_tour = act(self.start_tour, "F1")
        self.act_settings = act(self.open_settings, "Ctrl+,")
        self.act_about = act(self.about)
        self.act_quit = act(self.close, QKeySequence.StandardKey.Quit)
        self.act_tab = [act(lambda _=False, i=i: self.tabs.setCurrentIndex(i), f"Ctrl+{i + 1}") for i in range(3)]
        self.act_lang = QActionGroup(self)
        self.act_lang_ja = QAction("日本語", self, checkable=True)
        self.act_lang_en = QAction("English", self, checkable=True)
        for a, code in ((self.act_lang_ja, "ja"), (self.act_lang_en, "en")):
            a.setData(code)
            self.act_lang.addAction(a)
            a.triggered.connect(lambda _=False, c=code: self.set_language(c))
        self.esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.esc.setContext(Qt.ShortcutContext.WindowShortcut)
        self.esc.activated.connect(self._escape)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        self.menu_file = mb.addMenu("")
        self.menu_file.addAction(self.act_settings)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_view = mb.addMenu("")
        for a in self.act_tab:
            self.menu_view.addAction(a)
        self.menu_view.addSeparator()
        for a in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset):
            self.menu_view.addAction(a)
        self.menu_view.addSeparator()
        for a in (self.act_contrast, self.act_fullscreen, self.act_presenter):
            self.menu_view.addAction(a)
        self.menu_lang = self.menu_view.addMenu("")
        self.menu_lang.addAction(self.act_lang_ja)
        self.menu_lang.addAction(self.act_lang_en)
        self.menu_plan = mb.addMenu("")
        self.menu_plan.addAction(self.act_add)
        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(self.act_tour)
        self.menu_help.addAction(self.act_focus)
        self.menu_help.addSeparator()
        self.menu_help.addAction(self.act_about)

    def _tour_steps(self) -> list[Any]:
        from app.ui.tour import TourStep

        def go(tab: int) -> Any:
            return lambda: self.tabs.setCurrentIndex(tab)

        def with_detail() -> None:
            self.tabs.setCurrentIndex(TAB_CATALOG)
            if not self.detail.current_id and self.proxy.rowCount():
                self.select_row(0)

        return [
            TourStep(lambda: self.query_bar, lambda: self.tr("1. Search"),
                     lambda: self.tr("Type what you are looking for, e.g. オンデマンド or マイナンバーカード. Results update as you type. "
                                     "Filters such as 分野:公共交通 appear as chips; remove a chip to widen the search."),
                     go(TAB_CATALOG)),
            TourStep(lambda: self.facet_view, lambda: self.tr("2. Refine"),
                     lambda: self.tr("Counts per field, prefecture, SCRA layer and more. Click a value to add it to the query."),
                     go(TAB_CATALOG)),
            TourStep(lambda: self.detail, lambda: self.tr("3. Details"),
                     lambda: self.tr("Pick a result to see its facts, sources and how it maps onto the SCRA — "
                                     "with a badge telling sourced facts from editorial judgement."),
                     with_detail),
            TourStep(lambda: self.arch, lambda: self.tr("4. Architecture"),
                     lambda: self.tr("The SCRA figure with the number of catalog entries per function. Click a box to list its "
                                     "services; the selected service's boxes are highlighted."),
                     go(TAB_ARCH)),
            TourStep(lambda: self.plan_button, lambda: self.tr("5. Plan"),
                     lambda: self.tr("Press Enter on a result, use “Add to plan”, or drag results onto the Plan tab. "
                                     "The counter shows how many services your plan holds."),
                     go(TAB_CATALOG)),
        ]

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

    # ------------------------------------------------------------------------------------------
    # search

    def query_text(self) -> str:
        return self.query_bar.text()

    def _on_query_edited(self, text: str) -> None:
        self.controller.request(text)

    def set_query(self, text: str, immediate: bool = True) -> None:
        """Put `text` in the search bar and search (now, or debounced)."""
        self.query_bar.set_text(text)
        if immediate:
            self.controller.run_now(text)
        else:
            self.controller.request(text)

    def apply_result(self, result: Any) -> None:
        selected = self.selected_id()
        self.last_result = result
        self.results_model.set_hits(result.hits)
        self.facet_model.set_facets(result.facets)
        for row, fname in enumerate(self.facet_model.fields()):
            idx = self.facet_model.index(row, 0)
            expand = fname not in self._collapsed_facets
            if self.facet_view.isExpanded(idx) != expand:
                self.facet_view.setExpanded(idx, expand)
        self._fit_facet_counts()
        msg = escape(result.message or "")
        if getattr(result, "suggestion", None):
            sug = result.suggestion
            link = escape(self.tr("Search for: %1").replace("%1", sug))
            msg += f" <a href='{escape(sug)}'>{link}</a>"
        self.query_bar.set_message(msg.strip())
        if self.arch is not None:
            self.arch.set_active_query(self.query_text())
        self._update_counts()
        self._update_arch_title()
        if selected and self.select_id(selected):
            pass
        elif self.arch is not None and self.detail.current_id and self.results_model.row_of(self.detail.current_id) < 0:
            self.arch.highlight_service(self.detail.current_id if self.detail.current_kind == "service" else None)
        self.queryApplied.emit(self.query_text())

    def _fit_facet_counts(self) -> None:
        """Width of the facet count column: its widest count (bold when selected), as ResizeToContents
        would make it, without the view asking the model for every row's size."""
        plain = QFontMetrics(self.facet_view.font())
        bold_font = QFont(self.facet_view.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        widest = max(((bold if b else plain).horizontalAdvance(t) for t, b in self.facet_model.counts_text()), default=0)
        margin = self.facet_view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.facet_view) + 1
        header = self.facet_view.header()
        if header.sectionSize(1) != widest + 2 * margin:
            header.resizeSection(1, widest + 2 * margin)

    def _search_failed(self, error: str) -> None:
        self.query_bar.set_message(escape(self.tr("Search failed: %1").replace("%1", error)))

    def toggle_facet(self, fv: Any) -> None:
        """A facet click: add `field:value` (or remove it if selected) — the same text one could type."""
        from app.search.query import parse

        q = parse(self.query_text())
        if fv.selected or getattr(fv, "negated", False):
            term = next((t for t in q.terms() if t.field == fv.field and t.value == fv.value), None)
            if term is None:
                term = next((t for t in q.terms() if t.text in (fv.query_text, f"-{fv.query_text}")), None)
            new = q.without(term) if term is not None else q
        else:
            new = q.with_filter(fv.field, fv.value, exact=getattr(fv, "exact", False))
        self.set_query(new.to_text())

    def _facet_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.parent().isValid():
            self.facet_model.setData(self.facet_model.index(index.row(), 0, index.parent()), Qt.CheckState.Checked,
                                     Qt.ItemDataRole.CheckStateRole)

    def _load_completions(self) -> None:
        if getattr(self.engine, "all_values", None):
            self.query_bar.completer.set_entries(completion_entries(self.engine.all_values))

    # ------------------------------------------------------------------------------------------
    # selection and detail

    def selected_id(self) -> str | None:
        idx = self.table.selectionModel().currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            idx = rows[0]
        return idx.data(IdRole) if idx.isValid() else None

    def selected_service_ids(self, view: QTableView | None = None) -> list[str]:
        view = view or self.table
        rows = view.selectionModel().selectedRows()
        return [r.data(IdRole) for r in rows if r.data(KindRole) == "service"]

    def select_row(self, row: int) -> None:
        idx = self.proxy.index(row, 0)
        if idx.isValid():
            self.table.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(idx)

    def select_id(self, entry_id: str) -> bool:
        src_row = self.results_model.row_of(entry_id)
        if src_row < 0:
            return False
        idx = self.proxy.mapFromSource(self.results_model.index(src_row, 0))
        if not idx.isValid():
            return False
        self.select_row(idx.row())
        return True

    def _on_table_selection(self) -> None:
        idx = self.table.selectionModel().currentIndex()
        if not idx.isValid():
            return
        src = self.proxy.mapToSource(idx)
        kind = src.data(KindRole)
        entry_id = src.data(IdRole)
        if (kind, entry_id) != (self.detail.current_kind, self.detail.current_id):  # not again per keystroke
            self.detail.show_entry(kind, entry_id)
            if self.arch is not None:
                self.arch.highlight_service(entry_id if kind == "service" else None)
        if not self._syncing_selection:
            self._syncing_selection = True
            aidx = self.arch_proxy.mapFromSource(src)
            if aidx.isValid():
                self.arch_list.selectionModel().setCurrentIndex(
                    aidx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            else:
                self.arch_list.clearSelection()
            self._syncing_selection = False

    def _on_arch_selection(self) -> None:
        if self._syncing_selection:
            return
        idx = self.arch_list.selectionModel().currentIndex()
        if not idx.isValid():
            return
        src = self.arch_proxy.mapToSource(idx)
        self._syncing_selection = True
        cidx = self.proxy.mapFromSource(src)
        if cidx.isValid():
            self.table.selectionModel().setCurrentIndex(
                cidx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._syncing_selection = False
        if self.arch is not None:
            self.arch.highlight_service(src.data(IdRole))

    def _open_from_arch(self, _index: QModelIndex) -> None:
        self.tabs.setCurrentIndex(TAB_CATALOG)
        self.detail.setFocus()

    def _arch_filter(self, text: str) -> None:
        self.set_query(text)

    def _arch_node_selected(self, node_id: str) -> None:
        self.statusBar().showMessage(self.tr("Filtering by %1").replace("%1", node_id), 4000)

    def show_in_architecture(self, service_id: str) -> None:
        if self.arch is None:
            return
        self.arch.highlight_service(service_id)
        self.tabs.setCurrentIndex(TAB_ARCH)

    def filter_by_node(self, node_id: str) -> None:
        if self.arch is None:
            return
        text = self.arch.query_for(node_id)
        if text:
            self.set_query(text)

    def _update_arch_title(self) -> None:
        shown = self.arch_proxy.rowCount()
        q = self.query_text().strip()
        if q:
            self.arch_list_title.setText(self.tr("%1 services for “%2”").replace("%1", str(shown)).replace("%2", q))
        else:
            self.arch_list_title.setText(self.tr("%1 services — click a box to filter").replace("%1", str(shown)))

    # ------------------------------------------------------------------------------------------
    # plan

    def current_plan(self) -> str:
        """The plan that 'add to plan' fills ('' while there is none): the plan tab's current plan,
        else the one remembered from last time, else the first plan."""
        if self.plan_store is None:
            return ""
        widget = self.plan_widget
        if widget is not None and callable(getattr(widget, "current_plan", None)):
            return str(widget.current_plan() or "")
        from app import userdb

        name = userdb.get_setting(self.user_conn, _PLAN_SETTING, "")
        if name and self.plan_store.exists(name):
            return name
        plans = self.plan_store.list_plans()
        return plans[0].name if plans else ""

    def _remember_plan(self, name: str) -> None:
        if self.plan_store is not None and name:
            from app import userdb

            userdb.set_setting(self.user_conn, _PLAN_SETTING, name)

    def use_plan(self, name: str) -> None:
        """Make `name` the plan that 'add to plan' fills and the plan tab shows."""
        if self.plan_store is None or not self.plan_store.exists(name):
            return
        self._remember_plan(name)
        view = self.ensure_plan_widget()
        if callable(getattr(view, "set_current_plan", None)):
            view.set_current_plan(name)
        elif hasattr(view, "refresh"):
            view.refresh()
        self._update_plan_counter()

    def plan_count(self) -> int:
        if self.plan_store is None:
            return 0
        name = self.current_plan()
        return len(self.plan_store.service_ids(name)) if name else 0

    def add_to_plan(self, service_ids: list[str]) -> int:
        """Add services to the current plan (undoable in the plan tab); returns how many were new."""
        ids = [i for i in service_ids if i]
        if self.plan_store is None or not ids:
            return 0
        view = self.ensure_plan_widget()
        if callable(getattr(view, "add_services", None)):
            added = int(view.add_services(ids))  # creates a plan if there is none
        else:
            from app.plan.plans import add_services

            name = self.current_plan()
            if not name:
                name = self.tr("My plan")
                self.plan_store.create(name)
                self._remember_plan(name)
            added, _unknown = add_services(self.plan_store, self.db, name, ids)
            view.refresh()
        name = self.current_plan()
        self._remember_plan(name)
        self._update_plan_counter()
        if added:
            self.statusBar().showMessage(self.tr("Added %1 to “%2”").replace("%1", str(added)).replace("%2", name), 4000)
        else:
            self.statusBar().showMessage(self.tr("Already in “%1”").replace("%1", name), 4000)
        return added

    def add_selected_to_plan(self) -> None:
        view = self.arch_list if self.tabs.currentIndex() == TAB_ARCH else self.table
        ids = self.selected_service_ids(view)
        if not ids and self.detail.current_kind == "service" and self.detail.current_id:
            ids = [self.detail.current_id]
        self.add_to_plan(ids)

    def _add_arch_selection(self) -> None:
        self.add_to_plan(self.selected_service_ids(self.arch_list))

    def _plan_changed_elsewhere(self, *_args: Any) -> None:
        self._remember_plan(self.current_plan())
        self._update_plan_counter()

    def _update_plan_counter(self) -> None:
        n = self.plan_count()
        if self.loading and self.plan_store is None:  # the plan store opens with the catalog
            self.plan_button.setText(self.tr("Plan: %1").replace("%1", "…"))
            self.plan_status.setText(self.tr("%1 in plan").replace("%1", "…"))
            return
        self.plan_button.setText(self.tr("Plan: %1").replace("%1", str(n)))
        self.plan_button.setToolTip(self.tr("Services in “%1” — click to open, or drop results here").replace(
            "%1", self.current_plan()))
        self.plan_status.setText(self.tr("%1 in plan").replace("%1", str(n)))
        self.planCountChanged.emit(n)

    # ------------------------------------------------------------------------------------------
    # status

    def _update_counts(self) -> None:
        total = self._total_services
        r = self.last_result
        if r is None and self.loading:  # "Loading…" is in the status bar
            self.results_title.setText(self.tr("Results"))
            self.count_label.setText("")
            return
        if r is None:
            self.results_title.setText(self.tr("Results"))
            self.count_label.setText(self.tr("%1 services in the catalog").replace("%1", str(total)))
            return
        services = sum(1 for h in r.hits if h.kind == "service")
        nodes = len(r.hits) - services
        self.results_title.setText(self.tr("%1 results (%2 services, %3 SCRA nodes)")
                                   .replace("%1", str(r.total)).replace("%2", str(services)).replace("%3", str(nodes)))
        self.count_label.setText(self.tr("%1 of %2 services shown").replace("%1", str(services)).replace("%2", str(total)))
        self.dev_label.setText(f"{self.controller.last_ms:.0f} ms · #{self.controller.generation}")

    def _tab_changed(self, index: int) -> None:
        if index == TAB_PLAN:
            built = self.plan_widget is not None
            view = self.ensure_plan_widget()
            if built and hasattr(view, "refresh"):
                view.refresh()

    # ------------------------------------------------------------------------------------------
    # presenter mode, zoom, theme

    def focus_query(self) -> None:
        self.query_bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_bar.edit.selectAll()

    def _escape(self) -> None:
        if self._tour is not None and self._tour.isVisible():
            self.tour.stop()
            return
        if self.query_bar.completer.popup().isVisible():
            self.query_bar.completer.popup().hide()
            return
        self.set_query("")
        self.focus_query()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query_bar.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down and not self.query_bar.completer.popup().isVisible() and self.proxy.rowCount():
                self.table.setFocus()
                self.select_row(0)
                return True
        return super().eventFilter(watched, event)

    def set_zoom(self, zoom: float) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, zoom=zoom)
        self._apply_font_metrics()
        self.statusBar().showMessage(self.tr("Text size %1%").replace("%1", str(round(Theme.zoom * 100))), 2000)

    def set_high_contrast(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, high_contrast=on)
        if self.act_contrast.isChecked() != on:
            self.act_contrast.setChecked(on)
        self._apply_font_metrics()
        if self.arch is not None:
            self.arch.rebuild()
        self.results_model.retranslate()
        if self.detail.current_id:
            self.detail.show_entry(self.detail.current_kind, self.detail.current_id)

    def _apply_font_metrics(self) -> None:
        fm = QFontMetrics(QApplication.font())
        line = fm.lineSpacing()
        self.table.verticalHeader().setDefaultSectionSize(int(line * 2 + 14))
        self.arch_list.verticalHeader().setDefaultSectionSize(int(line + 14))
        self.table.setIconSize(self.table.iconSize().__class__(int(line * 1.1), int(line * 1.1)))
        hh = self.table.horizontalHeader()
        em = fm.horizontalAdvance("あ")
        hh.resizeSection(ResultsModel.COL_KIND, int(em * 9.5))
        hh.resizeSection(ResultsModel.COL_NAME, int(em * 12))
        hh.resizeSection(ResultsModel.COL_PROVIDER, int(em * 9))
        hh.resizeSection(ResultsModel.COL_FIELD, int(em * 8))
        hh.resizeSection(ResultsModel.COL_SCORE, int(em * 4))
        self.app_title.setFont(scaled_font(1.45, bold=True))
        if self.detail.current_id:
            self.detail.show_entry(self.detail.current_kind, self.detail.current_id)
        else:
            self.detail.clear()

    def set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()
        if self.act_fullscreen.isChecked() != on:
            self.act_fullscreen.setChecked(on)

    def set_presenter_mode(self, on: bool) -> None:
        """Large text, full screen, no developer clutter (score column, timings, menu bar)."""
        self.presenter = on
        if self.act_presenter.isChecked() != on:
            self.act_presenter.setChecked(on)
        self.menuBar().setVisible(not on)
        self.dev_label.setVisible(not on)
        if on:
            self._zoom_before_presenter = Theme.zoom
            self.set_zoom(max(Theme.zoom, 1.4))
        else:
            self.set_zoom(getattr(self, "_zoom_before_presenter", 1.0))
        self.set_full_screen(on)

    def start_tour(self) -> None:
        self.tour.start()

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

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for col in range(self.results_model.columnCount()):
            a = menu.addAction(str(self.results_model.headerData(col, Qt.Orientation.Horizontal)))
            a.setCheckable(True)
            a.setChecked(not self.table.isColumnHidden(col))
            a.toggled.connect(lambda on, c=col: self.table.setColumnHidden(c, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    # ------------------------------------------------------------------------------------------
    # window state

    def restore_state(self) -> None:
        s = i18n.settings()
        geo = s.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        else:
            self.resize(1500, 940)
        for key, splitter in (("catalog", self.catalog_splitter), ("arch", self.arch_splitter), ("detail", self.detail.splitter)):
            st = s.value(f"splitters/{key}")
            if isinstance(st, QByteArray) and not st.isEmpty():
                splitter.restoreState(st)
        hs = s.value("results/header")
        if isinstance(hs, QByteArray) and not hs.isEmpty():
            self.table.horizontalHeader().restoreState(hs)
        self.tabs.setCurrentIndex(int(s.value("window/tab", TAB_CATALOG) or 0))
        self._arch_edition = int(s.value("arch/edition", 2) or 2)
        if self.arch is not None and self._arch_edition != self.arch.edition:
            self.arch.set_edition(self._arch_edition)
        if str(s.value("theme/high_contrast", "false")).lower() == "true":
            self.set_high_contrast(True)

    def last_query(self) -> str:
        return str(i18n.settings().value("search/last_query", "") or "")

    def save_state(self) -> None:
        s = i18n.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/tab", self.tabs.currentIndex())
        for key, splitter in (("catalog", self.catalog_splitter), ("arch", self.arch_splitter), ("detail", self.detail.splitter)):
            s.setValue(f"splitters/{key}", splitter.saveState())
        s.setValue("results/header", self.table.horizontalHeader().saveState())
        s.setValue("search/last_query", self.query_text())
        s.setValue("arch/edition", self.arch.edition if self.arch is not None else self._arch_edition)
        s.setValue("theme/zoom", Theme.zoom)
        s.setValue("theme/high_contrast", Theme.high_contrast)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.presenter:
            self.set_presenter_mode(False)
        if self.persist_state:
            self.save_state()
        self.shutdown()
        super().closeEvent(event)
