"""The architecture pane: the SCRA figure and, beside it, the services of the current query.

The side list is a second view (a services-only proxy) over the search pane's results model. The
figure counts services per SCRA node, so it is built when the catalog is open (set_catalog);
until then a "Loading…" placeholder holds its place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QWidget

from app.ui.i18n import tr_args
from app.ui.jp_text import keep_words
from app.ui.models import IdRole, ResultsModel, ResultsProxy
from app.ui.results_table import ResultsTable, section

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB
    from app.ui.architecture_view import ArchitectureView
    from app.ui.plan_pane import PlanPane


class ArchitecturePane(QSplitter):
    """Figure | services list (a splitter, so the tab keeps its saved sizes). Emits requests; the main
    window turns them into queries and selections."""

    queryRequested = Signal(str)  # a box was clicked: the query with its chip added or removed
    nodeClicked = Signal(str)  # a status message for the click (names the chip, never a node id)
    serviceSelected = Signal(str)  # the user picked a service in the side list
    addRequested = Signal(list)  # service ids (Enter in the side list)
    openRequested = Signal()  # a service in the side list was double-clicked

    def __init__(self, results: ResultsModel, plans: PlanPane | None = None, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("archSplitter")
        self.figure: ArchitectureView | None = None
        self.results = results
        self.plans = plans  # the current plan, for the figure's plan overlay
        if plans is not None:
            plans.countChanged.connect(lambda _n: self.refresh_plan())
        self.edition = 2
        self._syncing = False
        self.proxy = ResultsProxy(self)
        self.proxy.setSourceModel(results)
        self.proxy.set_kind("service")
        self.list = ResultsTable()
        self.list.setObjectName("archList")
        self.list.setModel(self.proxy)
        self.list.setSortingEnabled(False)
        for col in range(ResultsModel.COL_SCORE + 1):
            self.list.setColumnHidden(col, col != ResultsModel.COL_NAME)
        self.list.horizontalHeader().setSectionResizeMode(ResultsModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.list.horizontalHeader().hide()
        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        self.list.addRequested.connect(lambda: self.addRequested.emit(self.list.selected_service_ids()))
        self.list.doubleClicked.connect(lambda _i: self.openRequested.emit())
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self._placeholder: QLabel | None = QLabel()
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self._placeholder)
        self.addWidget(section(self.title, self.list))
        self.setStretchFactor(0, 4)
        self.setStretchFactor(1, 1)
        self.setSizes([1200, 340])

    def set_catalog(self, db: CatalogDB) -> None:
        """Build the figure (it needs the catalog's nodes and counts) in place of the placeholder."""
        from app.ui.architecture_view import ArchitectureView

        figure = ArchitectureView(db)
        figure.filterRequested.connect(self.queryRequested)
        figure.chipToggled.connect(self._chip_message)
        if self.edition != figure.edition:
            figure.set_edition(self.edition)
        sizes = self.sizes()
        old = self.replaceWidget(0, figure)
        if old is not None and old is self.figure:  # a rebuilt catalog replaces the previous figure
            old.deleteLater()
        self.setSizes(sizes)
        self.setStretchFactor(0, 4)
        if self._placeholder is not None:
            self._placeholder.deleteLater()
            self._placeholder = None
        self.figure = figure
        self.db = db
        self.refresh_plan()
        if self.results.rowCount():
            figure.set_result_ids(self._service_ids())

    def _chip_message(self, chip: str, added: bool) -> None:
        self.nodeClicked.emit(tr_args(self.tr("Added the filter %1") if added else self.tr("Removed the filter %1"), chip))

    def _service_ids(self) -> list[str]:
        return [h.id for h in self.results.hits() if h.kind == "service"]

    def refresh_plan(self) -> None:
        """Give the figure the current plan's coverage (for its overlay); None when there is no plan."""
        if self.figure is None:
            return
        store = self.plans.store if self.plans is not None else None
        name = self.plans.current_plan() if self.plans is not None else ""
        cov = None
        if store is not None and name and store.exists(name):
            from app.plan.coverage import plan_coverage

            cov = plan_coverage(store, self.db, name, with_suggestions=False)
        self.figure.set_plan_coverage(cov)

    def current_edition(self) -> int:
        return self.figure.edition if self.figure is not None else self.edition

    def set_edition(self, edition: int) -> None:
        if edition not in (1, 2):
            return
        self.edition = edition
        if self.figure is not None and self.figure.edition != edition:
            self.figure.set_edition(edition)

    # -- following the search
    def show_query(self, text: str) -> None:
        """Outline the boxes the query filters on and title the list with it."""
        if self.figure is not None:
            self.figure.set_active_query(text)
            self.figure.set_result_ids(self._service_ids())
        self.update_title(text)

    def update_title(self, query_text: str) -> None:
        shown = self.proxy.rowCount()
        q = query_text.strip()
        if q:
            self.title.setText(keep_words(tr_args(self.tr("%1 services for “%2”"), shown, q)))
        else:
            self.title.setText(keep_words(tr_args(self.tr("%1 services — click a box to filter"), shown)))

    def highlight_service(self, service_id: str | None) -> None:
        if self.figure is not None:
            self.figure.highlight_service(service_id)

    def query_for(self, node_id: str) -> str | None:
        return self.figure.query_for(node_id) if self.figure is not None else None

    def select_source_row(self, source: QModelIndex) -> None:
        """Follow the catalog's selection (a row of the shared results model) without echoing it back."""
        self._syncing = True
        try:
            idx = self.proxy.mapFromSource(source)
            if idx.isValid():
                self.list.selectionModel().setCurrentIndex(
                    idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            else:
                self.list.clearSelection()
        finally:
            self._syncing = False

    def selected_service_ids(self) -> list[str]:
        return self.list.selected_service_ids()

    def _on_selection(self) -> None:
        if self._syncing:
            return
        idx = self.list.selectionModel().currentIndex()
        if idx.isValid():
            sid = idx.data(IdRole)
            self.serviceSelected.emit(sid)
            self.highlight_service(sid)

    # -- i18n, theme, metrics
    def retranslate(self) -> None:
        if self._placeholder is not None:
            self._placeholder.setText(self.tr("Loading…"))

    def relayout(self) -> None:
        """Lay the figure out again (the theme changed); a hidden figure waits until it is shown."""
        if self.figure is not None:
            self.figure.relayout()

    def apply_font_metrics(self, line: int) -> None:
        self.list.verticalHeader().setDefaultSectionSize(int(line + 14))
        if self.figure is not None:
            self.figure.rebuild_later()  # the figure's text follows the UI text size
