"""The plan tab: pick a plan, edit its basket, see SCRA coverage and gaps, answer considerations, export.

All plan logic lives in app.plan (no Qt there); this module only shows it. Removals, additions and
moves go through a QUndoStack, so Undo restores removed services at their old positions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.catalog.store import CatalogDB
from app.plan.considerations import Considerations, plan_considerations
from app.plan.coverage import Coverage, plan_coverage
from app.plan.export import FORMATS
from app.plan.marks import node_marks
from app.plan.plans import PlanError, PlanStore, resolve_items
from app.plan.taxonomy import personal_level_name_en
from app.ui.background_export import ExportJob
from app.ui.catalog_layout import StackWhenNarrow
from app.ui.flow import FlowLayout
from app.ui.i18n import current_language, localized, tr_args
from app.ui.jp_text import keep_words
from app.ui.plan_export import PlanExporter
from app.ui.plan_items_panel import PlanItemsPanel
from app.ui.plan_models import (
    MISSING_COLOUR,
    AddCommand,
    CoverageDiagram,
    MoveCommand,
    RemoveCommand,
    coverage_legend_html,
)
from app.ui.plan_panels import ConsiderationsForm, CoverageTree, GapTree
from app.ui.plan_properties import PlanPropertiesDialog
from app.ui.report_preview import PreviewButton

__all__ = ["MISSING_COLOUR", "PlanView"]

# -- the view --------------------------------------------------------------------------------------

PLAN_STACK_EM = 70  # narrower than this many ems: the basket above the coverage tabs, not beside them


class PlanView(QWidget):
    """Plans tab: picker, basket, coverage diagram + tree, gaps with fill suggestions, considerations, export."""

    planChanged = Signal(str)  # the current plan's name ('' when none) after any change or switch
    statusMessage = Signal(str)

    def __init__(self, store: PlanStore, db_provider: Callable[[], CatalogDB], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._db_provider = db_provider
        self.undo_stack = QUndoStack(self)
        self._plan = ""
        self._coverage: Coverage | None = None
        self._considerations: Considerations | None = None
        self._loading = False
        self._stale_language = False
        self.exporter = PlanExporter(self, store, db_provider)
        self.exporter.statusMessage.connect(self.statusMessage)
        self._build_ui()
        self.retranslate_ui()
        self.refresh()

    # -- public API ---------------------------------------------------------------------------
    def db(self) -> CatalogDB:
        return self._db_provider()

    def current_plan(self) -> str:
        return self._plan

    def set_current_plan(self, name: str) -> None:
        i = self.picker.findData(name)
        if i >= 0:
            self.picker.setCurrentIndex(i)

    def add_services(self, service_ids: list[str]) -> int:
        """Add catalog services to the current plan (creating one if there is none); undoable."""
        if not service_ids:
            return 0
        if not self._plan:
            name = self._unique_name(self.tr("Plan 1"))
            self.store.create(name)
            self._reload_plans(select=name)
        before = len(self.store.service_ids(self._plan))
        self.undo_stack.push(AddCommand(self, self._plan, list(service_ids), self.tr("Add services")))
        added = len(self.store.service_ids(self._plan)) - before
        self.statusMessage.emit(tr_args(self.tr("Added %1 to “%2”"), added, self._plan))
        return added

    def export_dialog(self, fmt: str) -> ExportJob | None:
        return self.exporter.export_dialog(self._plan, fmt)

    def export_to(self, fmt: str, path: Path, show_progress: bool = True) -> ExportJob | None:
        """Start writing the current plan's report as `fmt` to `path` off the GUI thread (dialogs optional)."""
        return self.exporter.export_to(self._plan, fmt, path, show_progress) if self._plan else None

    @property
    def answer_widgets(self) -> dict[str, tuple[QComboBox, QLineEdit]]:
        return self.cons_form.answer_widgets

    def refresh(self) -> None:
        """Reload everything (plans, basket, coverage, considerations), e.g. after a catalog rebuild."""
        self._reload_plans(select=self._plan or None)

    # -- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addLayout(self._build_bar())
        split = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(split, 1)
        self.basket = PlanItemsPanel(self.undo_stack)
        self.basket.model.noteEdited.connect(self._on_note)
        self.basket.moveRequested.connect(self._move_selected)
        self.basket.removeRequested.connect(self.remove_selected)
        # the basket's parts, by the names the rest of the view (and its tests) use
        b = self.basket
        self.model, self.table, self.basket_title = b.model, b.table, b.title
        self.up_button, self.down_button, self.remove_button = b.up_button, b.down_button, b.remove_button
        self.undo_button, self.redo_button = b.undo_button, b.redo_button
        split.addWidget(self.basket)
        self.tabs = QTabWidget()
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.stacking = StackWhenNarrow(split, PLAN_STACK_EM)
        self._build_analysis()
        for action, key in ((self.undo_stack.createUndoAction(self), QKeySequence.StandardKey.Undo),
                            (self.undo_stack.createRedoAction(self), QKeySequence.StandardKey.Redo)):
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # messages name plans and services
        self.status.setObjectName("planStatus")
        outer.addWidget(self.status)
        self.statusMessage.connect(self.status.setText)

    def _build_bar(self) -> FlowLayout:
        """Plan picker, new / rename / delete, export buttons (wrapping at large text sizes)."""
        bar = FlowLayout()
        self.plan_label = QLabel()
        self.picker = QComboBox()
        self.picker.setMinimumWidth(220)
        self.picker.setObjectName("planPicker")
        self.picker.currentIndexChanged.connect(self._on_pick)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self._on_new)
        self.rename_button = QPushButton()
        self.rename_button.clicked.connect(self._on_rename)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self._on_delete)
        self.props_button = QPushButton()  # the report cover's municipality / author (app.ui.plan_properties)
        self.props_button.clicked.connect(lambda: self._plan and PlanPropertiesDialog(self.store, self._plan, self).exec())
        self.export_buttons: dict[str, QToolButton] = {}
        bar.addWidget(self.plan_label)
        bar.addWidget(self.picker)
        for b in (self.new_button, self.rename_button, self.delete_button, self.props_button):
            bar.addWidget(b)
        self.export_label = QLabel()
        bar.addWidget(self.export_label)
        for fmt in FORMATS:
            tb = QToolButton()
            tb.setText(fmt.upper())
            tb.setObjectName(f"export_{fmt}")
            tb.clicked.connect(lambda _=False, f=fmt: self.export_dialog(f))
            self.export_buttons[fmt] = tb
            bar.addWidget(tb)
        self.preview_button = PreviewButton(self.store, self._db_provider, self.current_plan)
        bar.addWidget(self.preview_button)
        return bar

    def _build_analysis(self) -> None:
        """The right-hand tabs: SCRA coverage (diagram + tree), gaps, considerations."""
        cov_page = QWidget()
        cv = QVBoxLayout(cov_page)
        self.coverage_summary = QLabel()
        self.coverage_summary.setWordWrap(True)
        cv.addWidget(self.coverage_summary)
        self.diagram = CoverageDiagram()
        cv.addWidget(self.diagram, 2)
        self.legend = QLabel()  # the one coverage scale (app/plan/scale.py), shared with the figure and exports
        self.legend.setObjectName("coverageLegend")
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(0, 4, 0, 4)
        cv.addWidget(self.legend)
        self.node_tree = CoverageTree()
        self.diagram.groupClicked.connect(self.node_tree.focus_group)
        cv.addWidget(self.node_tree, 3)
        self.tabs.addTab(cov_page, "")

        gap_page = QWidget()
        gv = QVBoxLayout(gap_page)
        self.gap_summary = QLabel()
        self.gap_summary.setWordWrap(True)
        gv.addWidget(self.gap_summary)
        self.gap_tree = GapTree()
        self.gap_tree.addRequested.connect(self.add_services)
        gv.addWidget(self.gap_tree, 1)
        self.tabs.addTab(gap_page, "")

        self.cons_form = ConsiderationsForm()
        self.cons_form.answerEdited.connect(self._save_answer)
        self.cons_host = self.cons_form.host
        self.tabs.addTab(self.cons_form, "")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            # The picker, basket title, summaries, trees and the considerations form hold translated text and
            # catalog names in the UI language: rebuild them now if shown, else when the tab is next shown.
            if self.isVisible():
                self._retranslate_content()
            else:
                self._stale_language = True
        super().changeEvent(event)

    def showEvent(self, event: Any) -> None:
        if self._stale_language:
            self._retranslate_content()
        super().showEvent(event)

    def _retranslate_content(self) -> None:
        self._stale_language = False
        self._update_picker_counts()
        self._render()

    def retranslate_ui(self) -> None:
        self.plan_label.setText(self.tr("Plan:"))
        self.new_button.setText(self.tr("New…"))
        self.rename_button.setText(self.tr("Rename…"))
        self.delete_button.setText(self.tr("Delete…"))
        self.props_button.setText(self.tr("Properties…"))
        self.export_label.setText(self.tr("Export:"))
        for fmt, tb in self.export_buttons.items():
            tb.setToolTip(tr_args(self.tr("Export the plan report as %1"), fmt.upper()))
        self.basket.retranslate()
        self.tabs.setTabText(0, self.tr("SCRA coverage"))
        self.tabs.setTabText(1, self.tr("Gaps"))
        self.tabs.setTabText(2, self.tr("Considerations"))
        self.node_tree.retranslate()
        self.gap_tree.retranslate()
        self.legend.setText(coverage_legend_html(current_language()))
        self.diagram.update()

    # -- data flow ------------------------------------------------------------------------------
    def _unique_name(self, base: str) -> str:
        names = {p.name for p in self.store.list_plans()}
        if base not in names:
            return base
        i = 2
        stem = base.rstrip("0123456789") or base
        while f"{stem}{i}" in names:
            i += 1
        return f"{stem}{i}"

    def _reload_plans(self, select: str | None = None) -> None:
        self._loading = True
        try:
            self.picker.clear()
            for p in self.store.list_plans():
                self.picker.addItem(tr_args(self.tr("%1 (%2)"), p.name, p.item_count), p.name)
            idx = self.picker.findData(select) if select else -1
            if idx < 0 and self.picker.count():
                idx = 0
            self.picker.setCurrentIndex(idx)
        finally:
            self._loading = False
        new = self.picker.currentData() or ""
        if new != self._plan:
            self.undo_stack.clear()
        self._plan = new
        self._render()

    def _update_picker_counts(self) -> None:
        self._loading = True
        try:
            counts = {p.name: p.item_count for p in self.store.list_plans()}
            for i in range(self.picker.count()):
                name = self.picker.itemData(i)
                if name in counts:
                    self.picker.setItemText(i, tr_args(self.tr("%1 (%2)"), name, counts[name]))
        finally:
            self._loading = False

    def _on_pick(self, _index: int) -> None:
        if self._loading:
            return
        new = self.picker.currentData() or ""
        if new != self._plan:
            self.undo_stack.clear()
            self._plan = new
            self._render()
            self.planChanged.emit(self._plan)

    def after_change(self, plan: str) -> None:
        """Called by undo commands after they touched `plan`."""
        if plan != self._plan:
            self.set_current_plan(plan)
        self._update_picker_counts()
        self._render()
        self.planChanged.emit(self._plan)

    def _render(self) -> None:
        has = bool(self._plan)
        for w in (self.rename_button, self.delete_button, self.props_button, self.up_button, self.down_button,
                  self.remove_button, *self.export_buttons.values(), self.preview_button):
            w.setEnabled(has)
        if not has:
            self.model.set_rows([])
            self._coverage = None
            self._considerations = None
            self.basket_title.setText(self.tr("No plan yet. Create one with “New…”, or use “Add to plan” in the catalog."))
            self.diagram.set_groups([])
            self.node_tree.clear()
            self.gap_tree.clear()
            self.coverage_summary.setText("")
            self.gap_summary.setText("")
            self.cons_form.build(None, self._name, self._level_name)
            return
        db = self.db()
        rows = resolve_items(self.store, db, self._plan)
        self.model.set_rows(rows)
        missing = sum(1 for r in rows if r.missing)
        title = tr_args(self.tr("Services in “%1”: %2"), self._plan, len(rows))
        if missing:
            title += tr_args(self.tr(" (%1 no longer in the catalog)"), missing)
        self.basket_title.setText(title)
        self._render_analysis()
        self._considerations = plan_considerations(self.store, db, self._plan)
        self.cons_form.build(self._considerations, self._name, self._level_name)

    def _render_analysis(self) -> None:
        """Coverage and gaps only (answers can change gap severities without rebuilding the form)."""
        if not self._plan:
            return
        db = self.db()
        cov = plan_coverage(self.store, db, self._plan)
        self._coverage = cov
        self.diagram.set_groups(cov.groups, node_marks(cov))
        self.coverage_summary.setText(keep_words(tr_args(self.tr("Function blocks covered: %1% (%2/%3). A tile's colour and shape give its share of covered blocks; ▲ marks a group holding a critical gap."), cov.percent, cov.covered_blocks, cov.total_blocks)))
        self.node_tree.fill(cov, self._name)
        self.gap_summary.setText(GapTree.summary(cov))
        self.gap_tree.fill(cov)

    # -- actions ---------------------------------------------------------------------------------
    def _selected_ids(self) -> list[str]:
        rows = self.basket.selected_rows()
        return [r.item.service_id for r in (self.model.row_at(x) for x in rows) if r is not None]

    def select_service(self, sid: str) -> None:
        for i, r in enumerate(self.model.rows()):
            if r.item.service_id == sid:
                self.table.selectRow(i)
                return

    def remove_selected(self) -> None:
        ids = self._selected_ids()
        if not ids or not self._plan:
            return
        self.undo_stack.push(RemoveCommand(self, self._plan, ids, self.tr("Remove services")))
        self.statusMessage.emit(tr_args(self.tr("Removed %1 (can be undone)"), len(ids)))

    def _move_selected(self, delta: int) -> None:
        ids = self._selected_ids()
        if len(ids) != 1 or not self._plan:
            return
        rows = self.model.rows()
        old = next(i for i, r in enumerate(rows) if r.item.service_id == ids[0])
        new = old + delta
        if 0 <= new < len(rows):
            self.undo_stack.push(MoveCommand(self, self._plan, ids[0], old, new, self.tr("Reorder")))

    def _on_note(self, sid: str, note: str) -> None:
        if self._plan:
            self.store.set_note(self._plan, sid, note)
            rows = resolve_items(self.store, self.db(), self._plan)
            self.model.set_rows(rows)
            self.planChanged.emit(self._plan)

    def _ask_name(self, title: str, label: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return name.strip() if ok and name.strip() else None

    def _on_new(self) -> None:
        name = self._ask_name(self.tr("New plan"), self.tr("Plan name:"), self._unique_name(self.tr("Plan 1")))
        if name:
            self.create_plan(name)

    def create_plan(self, name: str) -> bool:
        try:
            self.store.create(name)
        except PlanError as exc:
            QMessageBox.warning(self, self.tr("Plan"), str(exc))
            return False
        self._reload_plans(select=" ".join(name.split()))
        self.planChanged.emit(self._plan)
        return True

    def _on_rename(self) -> None:
        if not self._plan:
            return
        name = self._ask_name(self.tr("Rename plan"), self.tr("New plan name:"), self._plan)
        if name and name != self._plan:
            try:
                self.store.rename(self._plan, name)
            except PlanError as exc:
                QMessageBox.warning(self, self.tr("Plan"), str(exc))
                return
            self.undo_stack.clear()
            self._plan = " ".join(name.split())
            self._reload_plans(select=self._plan)
            self.planChanged.emit(self._plan)

    def _on_delete(self) -> None:
        if not self._plan:
            return
        answer = QMessageBox.question(self, self.tr("Delete plan"),
                                      tr_args(self.tr("Delete the plan “%1”? This cannot be undone."), self._plan))
        if answer == QMessageBox.StandardButton.Yes:
            self.store.delete(self._plan)
            self.undo_stack.clear()
            self._plan = ""
            self._reload_plans()
            self.planChanged.emit(self._plan)

    # -- names and answers -----------------------------------------------------------------------
    def _name(self, sid: str) -> str:
        """A service's name: from the coverage, else the basket, else its id."""
        cov = self._coverage
        if cov and sid in cov.services:
            return cov.services[sid].name
        for r in self.model.rows():
            if r.item.service_id == sid:
                return r.name
        return sid

    def _level_name(self, level: str) -> str:
        """A personal-data level (catalog data, Japanese) in the UI language."""
        return localized(level, personal_level_name_en(self.db(), level)) if level else level

    def _save_answer(self, qid: str, value: str, note: str) -> None:
        if not self._plan:
            return
        old = self.store.answers(self._plan).get(qid)
        if old and (old.answer, old.note) == (value, note):
            return
        if not value and not note:
            if old:
                self.store.clear_answer(self._plan, qid)
        else:
            self.store.set_answer(self._plan, qid, value, note)
        self._render_analysis()  # answers can change gap severities
        self.statusMessage.emit(self.tr("Answer saved"))
        self.planChanged.emit(self._plan)
