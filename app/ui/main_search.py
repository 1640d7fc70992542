"""The main window's search side: the results table, the query, facets, results and their selection.

SearchPanel is a mixin of MainWindow (it uses the window's widgets, controller and detail pane); its
strings are translated in the "MainWindow" context, as when these methods were written there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QStyle, QTableView, QWidget

from app.ui.main_tabs import TAB_ARCH, TAB_CATALOG
from app.ui.markdown_html import escape
from app.ui.models import IdRole, KindRole
from app.ui.query_bar import completion_entries

translate = QCoreApplication.translate


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


class SearchPanel:
    """MainWindow's search, facet, results-selection and architecture-list behaviour."""

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
            link = escape(translate("MainWindow", "Search for: %1").replace("%1", sug))
            msg += f" <a href='{escape(sug)}'>{link}</a>"
        self.query_bar.set_message(msg.strip())
        self.query_bar.set_reading(getattr(result, "segments", {}) or {},
                                   getattr(result, "matched_words", None) if getattr(result, "partial", False) else None,
                                   getattr(result, "missing_words", None))
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
        self.query_bar.set_message(escape(translate("MainWindow", "Search failed: %1").replace("%1", error)))

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
        self.statusBar().showMessage(translate("MainWindow", "Filtering by %1").replace("%1", node_id), 4000)

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
            self.arch_list_title.setText(translate("MainWindow", "%1 services for “%2”").replace("%1", str(shown)).replace("%2", q))
        else:
            self.arch_list_title.setText(translate("MainWindow", "%1 services — click a box to filter").replace("%1", str(shown)))


    def _update_counts(self) -> None:
        total = self._total_services
        r = self.last_result
        if r is None and self.loading:  # "Loading…" is in the status bar
            self.results_title.setText(translate("MainWindow", "Results"))
            self.count_label.setText("")
            return
        if r is None:
            self.results_title.setText(translate("MainWindow", "Results"))
            self.count_label.setText(translate("MainWindow", "%1 services in the catalog").replace("%1", str(total)))
            return
        services = sum(1 for h in r.hits if h.kind == "service")
        nodes = len(r.hits) - services
        self.results_title.setText(translate("MainWindow", "%1 results (%2 services, %3 SCRA nodes)")
                                   .replace("%1", str(r.total)).replace("%2", str(services)).replace("%3", str(nodes)))
        self.count_label.setText(translate("MainWindow", "%1 of %2 services shown").replace("%1", str(services)).replace("%2", str(total)))
        self.dev_label.setText(f"{self.controller.last_ms:.0f} ms · #{self.controller.generation}")
