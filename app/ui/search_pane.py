"""The search pane: the query bar, the facets and the results table, with the search controller
that fills them. It owns its models, views and controller; the main window places the query bar
in its header, adds the detail pane beside the results, and listens to the pane's signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QMenu,
    QScrollArea,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolButton,
    QTreeView,
    QWidget,
)

from app.ui.catalog_layout import CompactCatalog
from app.ui.column_fit import ColumnFitter
from app.ui.delegates import SnippetDelegate
from app.ui.facet_model import CHILD_BASE, FacetModel
from app.ui.i18n import one_language, tr_args
from app.ui.japan_map import JapanMap, adoptions_by_prefecture
from app.ui.jp_text import KeepWordsDelegate
from app.ui.markdown_html import escape
from app.ui.models import IdRole, KindRole, ResultsModel, ResultsProxy
from app.ui.query_bar import QueryBar, completion_entries
from app.ui.results_table import ResultsTable, section
from app.ui.search_controller import SearchController

if TYPE_CHECKING:
    from app.search.engine import FacetValue, SearchEngine, SearchResult
    from app.search.export import Table
    from app.search.hits import Hit

TAB_LIST, TAB_MAP = 0, 1  # the results' tabs


class SearchPane(QSplitter):
    """Query bar + facets | results (| the side widget the window adds). A splitter itself, so the
    tab page keeps its saved section sizes. `synchronous=True` searches on the GUI thread (screenshots)."""

    resultApplied = Signal(object)  # SearchResult, after the models show it
    entrySelected = Signal(str, str)  # kind, id: the current result row changed
    addRequested = Signal(list)  # service ids (Enter on the results)
    activated = Signal()  # a result was double-clicked
    townRequested = Signal(str)  # a municipality's page was asked for (facet or results menu)
    statusMessage = Signal(str)

    def __init__(self, engine: SearchEngine | None, synchronous: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("catalogSplitter")
        self.engine = engine
        self.last_result: SearchResult | None = None
        self._browse_total = 0  # results of the catalog.db browse list shown before the engine (show_browse)
        self._collapsed_facets: set[str] = set()
        self._reselect: str | None = None  # the row selected before the result's first rows, if not among them
        self._rows_of: SearchResult | None = None  # the result whose first rows are shown (apply_rows)
        self.controller = SearchController(engine, self)
        self.controller.synchronous = synchronous
        self.controller.resultReady.connect(self.apply_rows)
        self.controller.resultCompleted.connect(self.apply_result)
        self.controller.highlighted.connect(lambda r: self.results_model.refresh_snippets() if r is self.last_result else None)
        self.controller.searchFailed.connect(self._search_failed)

        self.query_bar = QueryBar()  # placed in the window's header
        self.query_bar.edited.connect(self.controller.request)
        self.query_bar.submitted.connect(lambda t: self.set_query(t))
        self.query_bar.message.linkActivated.connect(self.set_query)
        self.query_bar.synonymsToggled.connect(self.set_use_synonyms)
        from app.ui import settings

        self.controller.synonyms = settings.store().use_synonyms()
        self.query_bar.edit.installEventFilter(self)

        self.facet_model = FacetModel(self)
        self.facet_model.toggled.connect(self.toggle_facet)
        self.facet_view = self._facet_view()
        self.facets_title = QLabel()
        self.facets_title.setObjectName("sectionTitle")

        self.results_model = ResultsModel(self)
        self.proxy = ResultsProxy(self)
        self.proxy.setSourceModel(self.results_model)
        self.table = self._results_table()
        self.results_title = QLabel()
        self.results_title.setObjectName("sectionTitle")

        self.map = JapanMap()
        self.map.prefectureClicked.connect(self.filter_prefecture)
        self.results_tabs = QTabWidget()
        self.results_tabs.setObjectName("resultsTabs")
        self.results_tabs.setDocumentMode(True)
        self.results_tabs.addTab(self.table, "")
        self.map_scroll = QScrollArea()  # at a large text size the map keeps readable tiles and scrolls
        self.map_scroll.setWidgetResizable(True)
        self.map_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.map_scroll.setWidget(self.map)
        self.results_tabs.addTab(self.map_scroll, "")

        self.facets_box = section(self.facets_title, self.facet_view)
        self.addWidget(self.facets_box)
        self.facets_button = QToolButton()  # 「絞り込み」: shows the folded facets (compact layout)
        self.facets_button.setObjectName("facetsToggle")
        self.addWidget(section(self.results_title, self.results_tabs, self.facets_button))
        self.compact = CompactCatalog(self, self.facets_box, self.facets_button)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 3)

    def _facet_view(self) -> QTreeView:
        view = QTreeView()
        view.setObjectName("facetView")
        view.setModel(self.facet_model)
        view.setHeaderHidden(True)
        view.setUniformRowHeights(True)
        view.setRootIsDecorated(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        view.header().setStretchLastSection(False)
        view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # the count column is sized from the counts (_fit_facet_counts), not by measuring every row
        view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        view.clicked.connect(self._facet_clicked)
        # only the field rows' expansion is remembered (a prefecture's municipalities start collapsed)
        view.collapsed.connect(lambda i: None if i.parent().isValid() else self._collapsed_facets.add(self.facet_model.fields()[i.row()]))
        view.expanded.connect(lambda i: None if i.parent().isValid() else self._collapsed_facets.discard(self.facet_model.fields()[i.row()]))
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._facet_menu)
        return view

    def _facet_menu(self, pos: QPoint) -> None:
        """A municipality (or a prefecture's own adoption) under 都道府県: open its page."""
        idx = self.facet_view.indexAt(pos)
        if not idx.isValid() or idx.internalId() < CHILD_BASE:
            return
        name = self.facet_model.index(idx.row(), 0, idx.parent()).data(IdRole)
        menu = QMenu(self)
        menu.addAction(tr_args(self.tr("Open the page of %1"), name), lambda: self.townRequested.emit(name))
        menu.exec(self.facet_view.viewport().mapToGlobal(pos))

    def _results_table(self) -> ResultsTable:
        table = ResultsTable()
        table.setObjectName("resultsTable")
        table.setModel(self.proxy)
        table.setItemDelegateForColumn(ResultsModel.COL_SNIPPET, SnippetDelegate(table))
        words = KeepWordsDelegate(table)  # wrapped cells keep words whole: 「AIチャットボット」, 「サービス」
        for col in (ResultsModel.COL_KIND, ResultsModel.COL_NAME, ResultsModel.COL_PROVIDER, ResultsModel.COL_FIELD,
                    ResultsModel.COL_MUNI):
            table.setItemDelegateForColumn(col, words)
        table.addRequested.connect(lambda: self.addRequested.emit(table.selected_service_ids()))
        table.copyRequested.connect(self.copy_selected_rows)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._table_menu)
        table.selectionModel().selectionChanged.connect(self._on_selection)
        table.doubleClicked.connect(lambda _i: self.activated.emit())
        hh = table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(ResultsModel.COL_SNIPPET, QHeaderView.ResizeMode.Stretch)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._header_menu)
        hh.moveSection(hh.visualIndex(ResultsModel.COL_MUNI), hh.visualIndex(ResultsModel.COL_SNIPPET))  # 自治体 before the text
        table.setColumnHidden(ResultsModel.COL_FIELD, True)
        table.setColumnHidden(ResultsModel.COL_SCORE, True)  # developer detail; header menu shows it
        table.sortByColumn(ResultsModel.COL_SCORE, Qt.SortOrder.DescendingOrder)
        m = ResultsModel
        facts = range(m.COL_FACTS, m.COL_SCORE)
        self.column_fit = ColumnFitter(
            table, [m.COL_NAME, m.COL_KIND, m.COL_SNIPPET, m.COL_PROVIDER, m.COL_MUNI, *facts, m.COL_FIELD, m.COL_SCORE],
            {m.COL_KIND: (6, 9.5), m.COL_NAME: (8, 12), m.COL_PROVIDER: (6, 9), m.COL_FIELD: (6, 8),
             m.COL_SNIPPET: (10, 10), m.COL_MUNI: (6, 11), m.COL_SCORE: (0, 4), **{c: (0, 6) for c in facts}},
            m.COL_SNIPPET)
        return table

    def add_side(self, widget: QWidget) -> None:
        """Put `widget` (the detail pane) to the right of the results."""
        self.addWidget(widget)
        self.setStretchFactor(self.count() - 1, 2)
        self.setSizes([290, 760, 560])

    # -- the engine and the query
    def set_engine(self, engine: SearchEngine) -> None:
        """Search with `engine` from now on (runs the query typed while there was none)."""
        self.engine = engine
        self.controller.set_engine(engine)
        QTimer.singleShot(0, self.load_completions)  # after the first result is shown

    def load_completions(self) -> None:
        if self.engine is not None:
            self.query_bar.completer.set_entries(completion_entries(self.engine.all_values))

    def query_text(self) -> str:
        return self.query_bar.text()

    def set_query(self, text: str, immediate: bool = True) -> None:
        """Put `text` in the search bar and search (now, or debounced)."""
        self.query_bar.set_text(text)
        if immediate:
            self.controller.run_now(text)
        else:
            self.controller.request(text)

    def set_use_synonyms(self, on: bool) -> None:
        """Switch synonym expansion (kept as a setting) and search the current query again."""
        from app.ui import settings

        self.controller.synonyms = bool(on)
        settings.store().set_use_synonyms(bool(on))
        self.controller.run_now(self.query_text())

    def focus_query(self) -> None:
        self.query_bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_bar.edit.selectAll()

    def hide_completion(self) -> bool:
        """Close the completion popup if it is open; True if it was."""
        popup = self.query_bar.completer.popup()
        if popup.isVisible():
            popup.hide()
            return True
        return False

    def toggle_facet(self, fv: FacetValue) -> None:
        """A facet click: add `field:value` (or remove it if selected) — the same text one could type."""
        from app.search.query import parse

        q = parse(self.query_text())
        if fv.selected or fv.negated:
            term = next((t for t in q.terms() if t.field == fv.field and t.value == fv.value), None)
            if term is None:
                term = next((t for t in q.terms() if t.text in (fv.query_text, f"-{fv.query_text}")), None)
            new = q.without(term) if term is not None else q
        else:
            new = q.with_filter(fv.field, fv.value, exact=fv.exact)
        self.set_query(new.to_text())

    def _facet_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.parent().isValid():
            self.facet_model.setData(self.facet_model.index(index.row(), 0, index.parent()), Qt.CheckState.Checked,
                                     Qt.ItemDataRole.CheckStateRole)

    # -- results
    def show_browse(self, total: int, hits: list[Hit]) -> None:
        """Rows shown before the engine is open: the empty query's, read from catalog.db
        (app.search.browse). Facets and the map follow with the engine's first result."""
        if self._rows_of is not None or self.query_text().strip():
            return  # the engine answered first, or a query was typed meanwhile
        self.results_model.set_hits(hits)
        self._browse_total = total
        self.update_title()

    def apply_rows(self, result: SearchResult) -> None:
        """A result's first rows (search_controller: the rest follows in apply_result). In another sort
        than by score they would not be the rows shown first: the table then waits for the rest."""
        self._rows_of = result
        self._reselect = self.selected_id() or self._reselect  # (kept while a result's rest never came)
        if self.proxy.source_order():
            self.results_model.set_hits(result.hits)
            if self._reselect and self.select_id(self._reselect):
                self._reselect = None

    def apply_result(self, result: SearchResult) -> None:
        """The whole result: every row, the facets, the map and the query bar's notes."""
        if result is not self._rows_of:
            self.apply_rows(result)
        self.last_result = result
        selected, self._reselect = self._reselect, None
        self.results_model.extend_hits(result.hits)
        self.facet_model.set_facets(result.facets)
        for row, fname in enumerate(self.facet_model.fields()):
            idx = self.facet_model.index(row, 0)
            expand = fname not in self._collapsed_facets
            if self.facet_view.isExpanded(idx) != expand:
                self.facet_view.setExpanded(idx, expand)
        for idx in self.facet_model.selected_parents():  # a chosen prefecture shows its municipalities
            self.facet_view.setExpanded(idx, True)
        self._fit_facet_counts()
        self.update_map()
        msg = escape(one_language(result.message or "")).replace("\n", "<br>")
        if result.suggestion:
            link = escape(tr_args(self.tr("Search for: %1"), result.suggestion))
            msg += f" <a href='{escape(result.suggestion)}'>{link}</a>"
        self.query_bar.set_message(msg.strip())
        self.query_bar.set_reading(result.segments or {}, result.matched_words if result.partial else None,
                                   result.missing_words)
        self.query_bar.set_synonyms(getattr(result, "synonyms", {}) or {}, getattr(result, "unexpanded", []) or [])
        if selected:
            self.select_id(selected)
        self.resultApplied.emit(result)

    # -- the map, the municipalities, exports
    def update_map(self) -> None:
        """Colour the map by the adoptions of the results shown (the kind filter applies)."""
        hits = self.results_model.hits()
        self.map.set_counts(adoptions_by_prefecture(getattr(h, "municipalities", ()) for h in hits),
                            tr_args(self.tr("Adoptions by prefecture: %1 services of the current results"),
                                    sum(1 for h in hits if getattr(h, "municipalities", None))))

    def filter_prefecture(self, prefecture: str) -> None:
        """A map click: add 自治体:<prefecture> as a chip (the same text one could type)."""
        from app.search.query import parse

        q = parse(self.query_text())
        if any(t.field == "自治体" and t.value == prefecture for t in q.terms()):
            return
        self.set_query(q.with_filter("自治体", prefecture).to_text())

    def _table_menu(self, pos: QPoint) -> None:
        idx = self.table.indexAt(pos)
        if not idx.isValid():
            return
        hit = self.results_model.hit(self.proxy.mapToSource(idx).row())
        menu = QMenu(self)
        menu.addAction(self.tr("Copy selected rows"), self.copy_selected_rows)
        munis = list(getattr(hit, "municipalities", ()) or ())
        if munis:
            sub = menu.addMenu(self.tr("Municipality page"))
            for m in munis[:30]:
                sub.addAction(m, lambda m=m: self.townRequested.emit(m))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def visible_table(self, rows: list[int] | None = None) -> Table:
        """The table as shown: visible columns in their on-screen order, rows in the current sort and
        filter (`rows`: only these proxy rows)."""
        from app.search.export import Table

        hh = self.table.horizontalHeader()
        cols = [hh.logicalIndex(v) for v in range(hh.count())]
        cols = [c for c in cols if not self.table.isColumnHidden(c)]
        header = [str(self.proxy.headerData(c, Qt.Orientation.Horizontal) or "") for c in cols]
        which = range(self.proxy.rowCount()) if rows is None else rows
        body = [[str(self.proxy.index(r, c).data() or "") for c in cols] for r in which]
        return Table(header, body)

    def copy_selected_rows(self) -> int:
        """Ctrl+C: the selected rows (visible columns, shown order) as TSV on the clipboard."""
        from app.search.export import to_tsv

        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        if not rows:
            return 0
        QGuiApplication.clipboard().setText(to_tsv(self.visible_table(rows)))
        self.statusMessage.emit(tr_args(self.tr("Copied %1 rows"), len(rows)))
        return len(rows)

    def export_results(self, path: str, fmt: str, encoding: str = "utf-8") -> tuple[str, int]:
        """Write the table as shown to `path` (csv/xlsx); (path, characters replaced for Shift_JIS)."""
        from app.search.export import export_table

        out, bad = export_table(self.visible_table(), fmt, path, encoding)
        return str(out), bad

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
        # the field headings (表示対象, LGWAN-ASP …) are never elided: the pane is at least that wide
        headings = max((bold.horizontalAdvance(str(self.facet_model.index(r, 0).data() or ""))
                        for r in range(self.facet_model.rowCount())), default=0)
        scroll = self.facet_view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.facet_view)
        self.facet_view.setMinimumWidth(headings + self.facet_view.indentation() + widest + 4 * margin + scroll + 12)

    def _search_failed(self, error: str) -> None:
        self.query_bar.set_message(escape(tr_args(self.tr("Search failed: %1"), error)))

    def update_title(self) -> None:
        r = self.last_result
        hits = r.hits if r is not None else self.results_model.hits()
        if r is None and not hits:
            self.results_title.setText(self.tr("Results"))
            return
        services = sum(1 for h in hits if h.kind == "service")
        self.results_title.setText(tr_args(self.tr("%1 results (%2 services, %3 SCRA nodes)"),
                                           r.total if r is not None else self._browse_total, services, len(hits) - services))

    # -- selection
    def selected_id(self) -> str | None:
        idx = self.table.selectionModel().currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            idx = rows[0]
        return idx.data(IdRole) if idx.isValid() else None

    def selected_service_ids(self) -> list[str]:
        return self.table.selected_service_ids()

    def select_row(self, row: int) -> None:
        self.table.set_current_row(row)

    def select_first_service(self) -> None:
        first = next((r for r in range(self.proxy.rowCount()) if self.proxy.index(r, 0).data(KindRole) == "service"), 0)
        self.select_row(first)

    def select_id(self, entry_id: str) -> bool:
        src_row = self.results_model.row_of(entry_id)
        if src_row < 0:
            return False
        idx = self.proxy.mapFromSource(self.results_model.index(src_row, 0))
        if not idx.isValid():
            return False
        self.select_row(idx.row())
        return True

    def _on_selection(self) -> None:
        idx = self.table.selectionModel().currentIndex()
        if idx.isValid():
            self.entrySelected.emit(idx.data(KindRole), idx.data(IdRole))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.query_bar.edit and event.type() == QEvent.Type.ShortcutOverride
                and QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+K")):  # type: ignore[attr-defined]
            return True  # the window's command palette, not QLineEdit's delete-to-end-of-line (X11 key scheme)
        if watched is self.query_bar.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down and not self.query_bar.completer.popup().isVisible() and self.proxy.rowCount():
                self.table.setFocus()
                self.select_row(0)
                return True
        return super().eventFilter(watched, event)

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for col in range(self.results_model.columnCount()):
            a = menu.addAction(str(self.results_model.headerData(col, Qt.Orientation.Horizontal)))
            a.setCheckable(True)
            a.setChecked(not self.table.isColumnHidden(col))
            a.toggled.connect(lambda on, c=col: self.column_fit.set_user_hidden(c, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    # -- i18n and metrics
    def retranslate(self) -> None:
        self.facets_title.setText(self.tr("Refine"))
        self.facets_button.setText(self.tr("Refine"))
        self.facets_button.setToolTip(self.tr("Show or hide the facets"))
        self.results_tabs.setTabText(TAB_LIST, self.tr("List"))
        self.results_tabs.setTabText(TAB_MAP, self.tr("Map"))
        self.results_tabs.setTabToolTip(TAB_MAP, self.tr("Where the current results are used: click a prefecture to filter"))
        self.results_model.retranslate()
        self.facet_model.retranslate()

    def apply_font_metrics(self, line: int, em: int) -> None:
        """Row heights and column widths from the current text size (zoom)."""
        self.table.verticalHeader().setDefaultSectionSize(int(line * 2 + 14))
        self.table.setIconSize(self.table.iconSize().__class__(int(line * 1.1), int(line * 1.1)))
        self.column_fit.fit()  # column widths in em, and only the columns that fit (app/ui/column_fit.py)
        self._fit_facet_counts()
