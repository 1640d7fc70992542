"""The plan tab: pick a plan, edit its basket, see SCRA coverage and gaps, answer considerations, export.

All plan logic lives in app.plan (no Qt there); this module only shows it. Removals, additions and
moves go through a QUndoStack, so Undo restores removed services at their old positions.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QPen, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.catalog.store import CatalogDB
from app.plan.considerations import SECTIONS, Considerations, Question, plan_considerations
from app.plan.coverage import Coverage, GroupCoverage, plan_coverage
from app.plan.export import FORMATS, export_plan
from app.plan.plans import PlanError, PlanItem, PlanStore, ResolvedItem, add_services, resolve_items
from app.ui.i18n import localized, node_name

COVERAGE_COLOURS = ((67, "#cdebc5"), (34, "#fff0b3"), (1, "#ffd9b3"), (0, "#f6c6c6"))
STATUS_COLOURS = {"provided": "#cdebc5", "used": "#e3f2d9", "inherited": "#f1f7ea", "none": "#f6c6c6"}
SEVERITY_COLOURS = {"critical": "#f6c6c6", "important": "#fff0b3", "normal": "#eeeeee"}
MISSING_COLOUR = "#8a8a8a"
FORMAT_FILTERS = {"md": "Markdown (*.md)", "html": "HTML (*.html)", "pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)", "xlsx": "Excel (*.xlsx)"}


def coverage_colour(percent: int) -> str:
    for floor, colour in COVERAGE_COLOURS:
        if percent >= floor:
            return colour
    return COVERAGE_COLOURS[-1][1]


# -- basket model ---------------------------------------------------------------------------------

class PlanItemsModel(QAbstractTableModel):
    """The plan's services: name, field, note (editable). Entries gone from the catalog are greyed."""

    COL_NAME, COL_FIELD, COL_NOTE = range(3)
    noteEdited = Signal(str, str)  # service_id, note

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ResolvedItem] = []

    def set_rows(self, rows: list[ResolvedItem]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ResolvedItem]:
        return list(self._rows)

    def row_at(self, row: int) -> ResolvedItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Service"), self.tr("Field"), self.tr("Note"))[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def retranslate(self) -> None:
        """Headers and the "not in the catalog" marks are translated text: ask the views to fetch them again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_NOTE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        it = self.row_at(index.row())
        if it is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.COL_NAME:
                return it.name + (self.tr(" (not in the catalog)") if it.missing else "")
            if col == self.COL_FIELD:
                return it.field_name
            return it.item.note
        if role == Qt.ItemDataRole.ForegroundRole and it.missing:
            return QColor(MISSING_COLOUR)
        if role == Qt.ItemDataRole.FontRole and it.missing and col == self.COL_NAME:
            f = QFont()
            f.setItalic(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            if it.missing:
                return self.tr("“%1” (%2) is no longer in the catalog. It stays in the plan.").replace(
                    "%1", it.item.last_name or it.item.service_id).replace("%2", it.item.service_id)
            s = it.service
            assert s is not None
            return f"{s.name}\n{s.provider}\n{s.kind}\nID: {s.id}"
        if role == Qt.ItemDataRole.UserRole:
            return it.item.service_id
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        it = self.row_at(index.row())
        if it is None or index.column() != self.COL_NOTE or role != Qt.ItemDataRole.EditRole:
            return False
        note = str(value or "")
        if note == it.item.note:
            return False
        self.noteEdited.emit(it.item.service_id, note)
        return True


# -- undo commands ---------------------------------------------------------------------------------

class _PlanCommand(QUndoCommand):
    def __init__(self, view: PlanView, plan: str, text: str) -> None:
        super().__init__(text)
        self.view = view
        self.plan = plan

    def _done(self) -> None:
        self.view._after_change(self.plan)


class RemoveCommand(_PlanCommand):
    def __init__(self, view: PlanView, plan: str, ids: list[str], text: str) -> None:
        super().__init__(view, plan, text)
        self.ids = ids
        self.removed: list[PlanItem] = []

    def redo(self) -> None:
        self.removed = self.view.store.remove(self.plan, self.ids)
        self._done()

    def undo(self) -> None:
        self.view.store.restore(self.plan, self.removed)
        self._done()


class AddCommand(_PlanCommand):
    def __init__(self, view: PlanView, plan: str, ids: list[str], text: str) -> None:
        super().__init__(view, plan, text)
        self.ids = ids
        self.added: list[str] = []

    def redo(self) -> None:
        before = set(self.view.store.service_ids(self.plan))
        add_services(self.view.store, self.view.db(), self.plan, self.ids)
        self.added = [i for i in self.view.store.service_ids(self.plan) if i not in before]
        self._done()

    def undo(self) -> None:
        self.view.store.remove(self.plan, self.added)
        self._done()


class MoveCommand(_PlanCommand):
    def __init__(self, view: PlanView, plan: str, sid: str, old: int, new: int, text: str) -> None:
        super().__init__(view, plan, text)
        self.sid, self.old, self.new = sid, old, new

    def redo(self) -> None:
        self.view.store.move(self.plan, self.sid, self.new)
        self._done()
        self.view._select_service(self.sid)

    def undo(self) -> None:
        self.view.store.move(self.plan, self.sid, self.old)
        self._done()
        self.view._select_service(self.sid)


# -- coverage diagram ------------------------------------------------------------------------------

class CoverageDiagram(QWidget):
    """SCRA city-OS groups as boxes coloured by this plan's coverage: layers stacked, pillars beside."""

    groupClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[GroupCoverage] = []
        self._boxes: list[tuple[QRectF, str]] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def set_groups(self, groups: list[GroupCoverage]) -> None:
        self.groups = list(groups)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, 280)

    def _layout(self) -> list[tuple[QRectF, GroupCoverage]]:
        w, h = float(self.width()), float(self.height())
        pad = 6.0
        layers = [g for g in self.groups if g.axis != "pillar"]
        pillars = [g for g in self.groups if g.axis == "pillar"]
        left_w = (w - 2 * pad) * (0.55 if pillars else 1.0)
        out: list[tuple[QRectF, GroupCoverage]] = []
        if layers:
            bh = (h - pad * (len(layers) + 1)) / len(layers)
            for i, g in enumerate(layers):
                out.append((QRectF(pad, pad + i * (bh + pad), left_w - pad, bh), g))
        if pillars:
            x0 = pad + left_w
            pw = (w - x0 - pad * len(pillars)) / len(pillars)
            for i, g in enumerate(pillars):
                out.append((QRectF(x0 + i * (pw + pad), pad, pw, h - 2 * pad), g))
        return out

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._boxes = []
        if not self.groups:
            p.setPen(self.palette().color(self.foregroundRole()))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Pick a plan to see its SCRA coverage"))
            p.end()
            return
        for rect, g in self._layout():
            p.setPen(QPen(QColor("#7a8597"), 1))
            p.setBrush(QColor(coverage_colour(g.percent)))
            p.drawRoundedRect(rect, 6, 6)
            p.setPen(QColor("#1d2430"))
            text = f"{node_name(g)}\n{g.percent}%  ({g.blocks_covered}/{g.blocks_total})"
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            p.drawText(rect.adjusted(4, 4, -4, -4), int(flags), text)
            self._boxes.append((rect, g.id))
        p.end()

    def group_at(self, x: float, y: float) -> str | None:
        for rect, gid in self._boxes or [(r, g.id) for r, g in self._layout()]:
            if rect.contains(x, y):
                return gid
        return None

    def mousePressEvent(self, event: Any) -> None:
        gid = self.group_at(event.position().x(), event.position().y())
        if gid:
            self.groupClicked.emit(gid)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        gid = self.group_at(event.position().x(), event.position().y())
        g = next((x for x in self.groups if x.id == gid), None)
        self.setToolTip(self.tr("%1: %2 service(s)").replace("%1", node_name(g)).replace("%2", str(len(g.services))) if g else "")
        super().mouseMoveEvent(event)


# -- the view --------------------------------------------------------------------------------------

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
        self.statusMessage.emit(self.tr("Added %1 to “%2”").replace("%1", str(added)).replace("%2", self._plan))
        return added

    def refresh(self) -> None:
        """Reload everything (plans, basket, coverage, considerations), e.g. after a catalog rebuild."""
        self._reload_plans(select=self._plan or None)

    # -- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)

        bar = QHBoxLayout()
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
        self.export_buttons: dict[str, QToolButton] = {}
        bar.addWidget(self.plan_label)
        bar.addWidget(self.picker, 1)
        for b in (self.new_button, self.rename_button, self.delete_button):
            bar.addWidget(b)
        bar.addSpacing(16)
        self.export_label = QLabel()
        bar.addWidget(self.export_label)
        for fmt in FORMATS:
            tb = QToolButton()
            tb.setText(fmt.upper())
            tb.setObjectName(f"export_{fmt}")
            tb.clicked.connect(lambda _=False, f=fmt: self.export_dialog(f))
            self.export_buttons[fmt] = tb
            bar.addWidget(tb)
        outer.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(split, 1)

        # basket
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.basket_title = QLabel()
        self.basket_title.setObjectName("basketTitle")
        lv.addWidget(self.basket_title)
        self.model = PlanItemsModel(self)
        self.model.noteEdited.connect(self._on_note)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        # The name gets the room; long field names (マイナンバーカード利用のための…) are elided, not the name.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 120)
        header.resizeSection(2, 110)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        lv.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.up_button = QPushButton()
        self.up_button.clicked.connect(lambda: self._move_selected(-1))
        self.down_button = QPushButton()
        self.down_button.clicked.connect(lambda: self._move_selected(1))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected)
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button = QPushButton()
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.redo_button.setEnabled(False)
        for b in (self.up_button, self.down_button, self.remove_button, self.undo_button, self.redo_button):
            row.addWidget(b)
        row.addStretch(1)
        lv.addLayout(row)
        self.remove_action = QAction(self)
        self.remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.table.addAction(self.remove_action)
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.undo_action)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.redo_action)
        split.addWidget(left)

        # right: tabs
        self.tabs = QTabWidget()
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        cov_page = QWidget()
        cv = QVBoxLayout(cov_page)
        self.coverage_summary = QLabel()
        self.coverage_summary.setWordWrap(True)
        cv.addWidget(self.coverage_summary)
        self.diagram = CoverageDiagram()
        self.diagram.groupClicked.connect(self._focus_group)
        cv.addWidget(self.diagram, 2)
        self.node_tree = QTreeWidget()
        self.node_tree.setColumnCount(3)
        self.node_tree.setRootIsDecorated(True)
        self.node_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.node_tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        cv.addWidget(self.node_tree, 3)
        self.tabs.addTab(cov_page, "")

        gap_page = QWidget()
        gv = QVBoxLayout(gap_page)
        self.gap_summary = QLabel()
        self.gap_summary.setWordWrap(True)
        gv.addWidget(self.gap_summary)
        self.gap_tree = QTreeWidget()
        self.gap_tree.setColumnCount(4)
        header = self.gap_tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 300)
        self.gap_tree.setUniformRowHeights(False)
        self.gap_tree.setWordWrap(True)
        gv.addWidget(self.gap_tree, 1)
        self.tabs.addTab(gap_page, "")

        self.cons_scroll = QScrollArea()
        self.cons_scroll.setWidgetResizable(True)
        self.cons_host = QWidget()
        self.cons_layout = QVBoxLayout(self.cons_host)
        self.cons_scroll.setWidget(self.cons_host)
        self.tabs.addTab(self.cons_scroll, "")

        self.status = QLabel()
        self.status.setObjectName("planStatus")
        outer.addWidget(self.status)
        self.statusMessage.connect(self.status.setText)

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
        self.export_label.setText(self.tr("Export:"))
        for fmt, tb in self.export_buttons.items():
            tb.setToolTip(self.tr("Export the plan report as %1").replace("%1", fmt.upper()))
        self.up_button.setText(self.tr("Move up"))
        self.down_button.setText(self.tr("Move down"))
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove the selected services from the plan (Delete); can be undone"))
        self.undo_button.setText(self.tr("Undo"))
        self.redo_button.setText(self.tr("Redo"))
        self.remove_action.setText(self.tr("Remove from plan"))
        self.tabs.setTabText(0, self.tr("SCRA coverage"))
        self.tabs.setTabText(1, self.tr("Gaps"))
        self.tabs.setTabText(2, self.tr("Considerations"))
        self.node_tree.setHeaderLabels([self.tr("SCRA node"), self.tr("Status"), self.tr("Covered by")])
        self.gap_tree.setHeaderLabels([self.tr("Severity"), self.tr("Node / suggestion"), self.tr("Reason"), ""])
        self.model.retranslate()
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
                self.picker.addItem(self.tr("%1 (%2)").replace("%1", p.name).replace("%2", str(p.item_count)), p.name)
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
                    self.picker.setItemText(i, self.tr("%1 (%2)").replace("%1", name).replace("%2", str(counts[name])))
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

    def _after_change(self, plan: str) -> None:
        """Called by undo commands after they touched `plan`."""
        if plan != self._plan:
            self.set_current_plan(plan)
        self._update_picker_counts()
        self._render()
        self.planChanged.emit(self._plan)

    def _render(self) -> None:
        has = bool(self._plan)
        for w in (self.rename_button, self.delete_button, self.up_button, self.down_button, self.remove_button,
                  *self.export_buttons.values()):
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
            self._build_considerations_form(None)
            return
        db = self.db()
        rows = resolve_items(self.store, db, self._plan)
        self.model.set_rows(rows)
        missing = sum(1 for r in rows if r.missing)
        title = self.tr("Services in “%1”: %2").replace("%1", self._plan).replace("%2", str(len(rows)))
        if missing:
            title += self.tr(" (%1 no longer in the catalog)").replace("%1", str(missing))
        self.basket_title.setText(title)
        self._render_analysis()
        self._build_considerations_form(plan_considerations(self.store, db, self._plan))

    def _render_analysis(self) -> None:
        """Coverage and gaps only (answers can change gap severities without rebuilding the form)."""
        if not self._plan:
            return
        db = self.db()
        cov = plan_coverage(self.store, db, self._plan)
        self._coverage = cov
        self.diagram.set_groups(cov.groups)
        self.coverage_summary.setText(self.tr("Function blocks covered: %1% (%2/%3). Colours: green = well covered, yellow = partly, orange = barely, red = not covered.")
                                      .replace("%1", str(cov.percent)).replace("%2", str(cov.covered_blocks))
                                      .replace("%3", str(cov.total_blocks)))
        self._fill_node_tree(cov)
        self._fill_gaps(cov)

    def _name(self, sid: str) -> str:
        cov = self._coverage
        if cov and sid in cov.services:
            return cov.services[sid].name
        for r in self.model.rows():
            if r.item.service_id == sid:
                return r.name
        return sid

    def _fill_node_tree(self, cov: Coverage) -> None:
        status_text = {"provided": self.tr("Provided"), "used": self.tr("Used only"),
                       "inherited": self.tr("Via parent block"), "none": self.tr("Not covered")}
        sep = self.tr(", ")  # list separator: 、 in Japanese
        self.node_tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for n in cov.nodes.values():
            parent = items.get(n.parent or "")
            who = sep.join(self._name(s) for s in (n.covered_by or n.inherited_from_parent))
            label = node_name(n)
            if n.level == "group":
                g = next((x for x in cov.groups if x.id == n.id), None)
                if g:
                    label += f"  {g.percent}%"
            it = QTreeWidgetItem([label, status_text[n.status], who])
            it.setData(0, Qt.ItemDataRole.UserRole, n.id)
            it.setToolTip(0, n.id)
            it.setToolTip(2, who)
            colour = QColor(STATUS_COLOURS[n.status])
            for c in range(3):
                it.setBackground(c, colour)
                it.setForeground(c, QColor("#1d2430"))
            if parent is None:
                self.node_tree.addTopLevelItem(it)
            else:
                parent.addChild(it)
            items[n.id] = it
        self.node_tree.expandAll()

    def _fill_gaps(self, cov: Coverage) -> None:
        sev_text = {"critical": self.tr("Critical"), "important": self.tr("Important"), "normal": self.tr("Normal")}
        self.gap_tree.clear()
        crit = sum(1 for g in cov.gaps if g.severity == "critical")
        self.gap_summary.setText(self.tr("Uncovered functions: %1 (%2 critical). Click “Add” on a suggestion to put it in the plan (can be undone).")
                                 .replace("%1", str(len(cov.gaps))).replace("%2", str(crit)))
        for g in cov.gaps:
            reasons = "\n".join(localized(r.text_ja, r.text_en) for r in g.reasons)
            top = QTreeWidgetItem([sev_text.get(g.severity, g.severity), node_name(g), reasons, ""])
            top.setData(0, Qt.ItemDataRole.UserRole, g.node_id)
            top.setToolTip(1, g.node_id + ("\n" + "\n".join(g.folded) if g.folded else ""))
            top.setToolTip(2, reasons)
            colour = QColor(SEVERITY_COLOURS.get(g.severity, "#eeeeee"))
            for c in range(4):
                top.setBackground(c, colour)
                top.setForeground(c, QColor("#1d2430"))
            self.gap_tree.addTopLevelItem(top)
            for s in cov.suggestions.get(g.node_id, []):
                extra = []
                if s.same_field:
                    extra.append(self.tr("Same field"))
                extra.append(self.tr("Provides") if s.provides else self.tr("Uses"))
                if s.fills:
                    extra.append(self.tr("Closes %1 gap(s)").replace("%1", str(len(s.fills))))
                if s.raises:
                    extra.append(self.tr("Makes %1 gap(s) more urgent").replace("%1", str(len(s.raises))))
                child = QTreeWidgetItem(["", s.name, f"{s.field_name} · " + " · ".join(extra), ""])
                child.setData(0, Qt.ItemDataRole.UserRole, s.service_id)
                child.setToolTip(1, s.service_id)
                top.addChild(child)
                btn = QPushButton(self.tr("Add"))
                btn.setObjectName(f"addSuggestion_{s.service_id}")
                btn.clicked.connect(lambda _=False, sid=s.service_id: self.add_services([sid]))
                self.gap_tree.setItemWidget(child, 3, btn)
            top.setExpanded(g.severity == "critical")

    def _focus_group(self, gid: str) -> None:
        for i in range(self.node_tree.topLevelItemCount()):
            it = self.node_tree.topLevelItem(i)
            if it.data(0, Qt.ItemDataRole.UserRole) == gid:
                self.node_tree.setCurrentItem(it)
                self.node_tree.scrollToItem(it, QAbstractItemView.ScrollHint.PositionAtTop)

    # -- considerations form --------------------------------------------------------------------
    def _build_considerations_form(self, cons: Considerations | None) -> None:
        self._considerations = cons
        while self.cons_layout.count():
            item = self.cons_layout.takeAt(0)
            w = item.widget()
            if w is not None:
                w.deleteLater()
        self.answer_widgets: dict[str, tuple[QComboBox, QLineEdit]] = {}
        if cons is None:
            self.cons_layout.addStretch(1)
            return
        summary = QLabel()
        summary.setWordWrap(True)
        lines = [self.tr("Expected TYPE: %1").replace("%1", cons.type_label) + (
            self.tr(" (data linkage: %1)").replace("%1", self.tr(", ").join(self._name(x) for x in cons.linkage_services))
            if cons.linkage_services else self.tr(" (no service links data)")),
            self.tr("Most sensitive personal data: %1").replace("%1", self._level_name(cons.personal_level))]
        for s in cons.sectors:
            lines.append(f"【{s.sector}】 {s.note}")
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setText("\n".join(lines))
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cons_layout.addWidget(summary)
        for sec, title_ja, title_en in SECTIONS:
            qs = [q for q in cons.section(sec) if q.applies]
            if not qs:
                continue
            box = QGroupBox(localized(title_ja, title_en))
            form = QVBoxLayout(box)
            for q in qs:
                form.addWidget(self._question_label(q))
                form.addWidget(self._question_editor(q))
                form.addSpacing(4)
            self.cons_layout.addWidget(box)
        self.cons_layout.addStretch(1)

    def _level_name(self, level: str) -> str:
        """A personal-data level (catalog data, Japanese) in the UI language, from the taxonomy's name_en."""
        rows = self.db().q("select name_en from personal_levels where name = ?", (level,)) if level else []
        return localized(level, str(rows[0]["name_en"] or "")) if rows else level

    def _question_label(self, q: Question) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.RichText)
        note = html.escape(q.note).replace("\n", "<br>")
        label.setText(f"<b>{html.escape(localized(q.text_ja, q.text_en))}</b>" + (f'<br><span style="color:#5b6576">{note}</span>' if note else ""))
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _question_editor(self, q: Question) -> QWidget:
        host = QWidget()
        h = QHBoxLayout(host)
        h.setContentsMargins(0, 0, 0, 0)
        combo = QComboBox()
        combo.setObjectName(f"answer_{q.id}")
        combo.addItem(self.tr("(no answer)"), "")
        for o in q.options:
            label = localized(o.label_ja, o.label_en) + (self.tr(" (suggested)") if o.id == q.suggested else "")
            combo.addItem(label, o.id)
            if o.note:
                combo.setItemData(combo.count() - 1, o.note, Qt.ItemDataRole.ToolTipRole)
        current = q.answer.answer if q.answer else ""
        combo.setCurrentIndex(max(combo.findData(current), 0))
        note = QLineEdit(q.answer.note if q.answer else "")
        note.setPlaceholderText(self.tr("Note"))
        note.setObjectName(f"note_{q.id}")
        combo.currentIndexChanged.connect(lambda _i, qid=q.id: self._save_answer(qid))
        note.editingFinished.connect(lambda qid=q.id: self._save_answer(qid))
        h.addWidget(combo, 2)
        h.addWidget(note, 3)
        self.answer_widgets[q.id] = (combo, note)
        return host

    def _save_answer(self, qid: str) -> None:
        if not self._plan or qid not in self.answer_widgets:
            return
        combo, note = self.answer_widgets[qid]
        value, text = combo.currentData() or "", note.text().strip()
        old = self.store.answers(self._plan).get(qid)
        if old and (old.answer, old.note) == (value, text):
            return
        if not value and not text:
            if old:
                self.store.clear_answer(self._plan, qid)
        else:
            self.store.set_answer(self._plan, qid, value, text)
        self._render_analysis()  # answers can change gap severities
        self.statusMessage.emit(self.tr("Answer saved"))
        self.planChanged.emit(self._plan)

    # -- actions ---------------------------------------------------------------------------------
    def _selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()} |
                      {i.row() for i in self.table.selectionModel().selectedIndexes()})
        return [r.item.service_id for r in (self.model.row_at(x) for x in rows) if r is not None]

    def _select_service(self, sid: str) -> None:
        for i, r in enumerate(self.model.rows()):
            if r.item.service_id == sid:
                self.table.selectRow(i)
                return

    def remove_selected(self) -> None:
        ids = self._selected_ids()
        if not ids or not self._plan:
            return
        self.undo_stack.push(RemoveCommand(self, self._plan, ids, self.tr("Remove services")))
        self.statusMessage.emit(self.tr("Removed %1 (can be undone)").replace("%1", str(len(ids))))

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
                                      self.tr("Delete the plan “%1”? This cannot be undone.").replace("%1", self._plan))
        if answer == QMessageBox.StandardButton.Yes:
            self.store.delete(self._plan)
            self.undo_stack.clear()
            self._plan = ""
            self._reload_plans()
            self.planChanged.emit(self._plan)

    def export_dialog(self, fmt: str) -> Path | None:
        if not self._plan:
            return None
        suggested = str(Path.home() / f"{self._plan}.{fmt}")
        out, _ = QFileDialog.getSaveFileName(self, self.tr("Export plan report"), suggested, FORMAT_FILTERS.get(fmt, ""))
        if not out:
            return None
        path = Path(out)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        return self.export_to(fmt, path)

    def export_to(self, fmt: str, path: Path, show_progress: bool = True) -> Path | None:
        """Run the export with a progress dialog; reports the result in the status line."""
        dlg: QProgressDialog | None = None
        if show_progress:
            dlg = QProgressDialog(self.tr("Exporting…"), "", 0, 100, self)
            dlg.setCancelButton(None)
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setMinimumDuration(0)
            dlg.setValue(0)

        def progress(pct: int, _msg: str) -> None:
            if dlg is not None:
                dlg.setValue(pct)
                QApplication.processEvents()

        started = time.perf_counter()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = export_plan(self.store, self.db(), self._plan, fmt, path, progress=progress)
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing half-written (atomic export)
            self.statusMessage.emit(self.tr("Export failed: %1").replace("%1", str(exc)))
            if show_progress:
                QMessageBox.warning(self, self.tr("Export"), str(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
            if dlg is not None:
                dlg.close()
        self.statusMessage.emit(self.tr("Exported %1 (%2 s)").replace("%1", str(written))
                                .replace("%2", f"{time.perf_counter() - started:.1f}"))
        return written


# -- screenshots ---------------------------------------------------------------------------------

def render_plan_png(plan_name: str, out: Path, size: tuple[int, int] = (1600, 1000), lang: str = "") -> Path:
    """Render the plan tab for `plan_name` (from the user's plans.db) to a PNG, offscreen if needed.

    `lang` ('ja' or 'en') switches the UI language first; without it a new application gets the saved one.
    """
    import os

    from app.ui import i18n

    if QApplication.instance() is None and not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux") \
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    fresh = QApplication.instance() is None
    app = QApplication.instance() or QApplication(["machi-navi"])
    if lang or fresh:
        i18n.install_language(lang or i18n.saved_language())
    from app import userdb
    from app.build import ensure_built

    res = ensure_built(with_index=False)
    db = CatalogDB(res.db_path)
    conn = userdb.connect()
    try:
        store = PlanStore(conn)
        store.info(plan_name)  # raises PlanError for an unknown plan
        view = PlanView(store, lambda: db)
        view.set_current_plan(plan_name)
        view.resize(*size)
        view.show()
        for tab in (1, 0):  # lay out the gap tab once, then show coverage
            view.tabs.setCurrentIndex(tab)
            app.processEvents()
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not view.grab().save(str(out), "PNG"):
            raise OSError(f"could not write {out}")
        view.close()
        view.deleteLater()
        app.processEvents()
    finally:
        conn.close()
        db.close()
    return out
