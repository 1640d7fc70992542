"""The plan tab's basket: the plan's services (note editable) with move, remove, undo and redo."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.column_fit import ColumnFitter
from app.ui.flow import FlowLayout
from app.ui.plan_models import PlanItemsModel

translate = QCoreApplication.translate


class PlanItemsPanel(QWidget):
    """Shows the rows it is given and asks for edits; the plan view pushes them on `undo_stack`.
    Strings are translated in the "PlanView" context (they are the plan tab's)."""

    moveRequested = Signal(int)  # -1 up, +1 down (the one selected row)
    removeRequested = Signal()

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lv = QVBoxLayout(self)
        lv.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("basketTitle")
        lv.addWidget(self.title)
        self.model = PlanItemsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        # The name gets the room; long field names (マイナンバーカード利用のための…) are elided, not the name.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # widths in em, and only the columns that fit (large text, narrow pane): app/ui/column_fit.py
        self.column_fit = ColumnFitter(self.table, [0, 1, 2], {0: (6, 10), 1: (4, 8), 2: (3, 7)}, 0)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # rows follow the text size
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        lv.addWidget(self.table, 1)
        lv.addLayout(self._buttons(undo_stack))

    def _buttons(self, undo_stack: QUndoStack) -> FlowLayout:
        row = FlowLayout()  # wraps at large text sizes
        self.up_button = QPushButton()
        self.up_button.clicked.connect(lambda: self.moveRequested.emit(-1))
        self.down_button = QPushButton()
        self.down_button.clicked.connect(lambda: self.moveRequested.emit(1))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.removeRequested)
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(undo_stack.undo)
        undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button = QPushButton()
        self.redo_button.clicked.connect(undo_stack.redo)
        undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.redo_button.setEnabled(False)
        for b in (self.up_button, self.down_button, self.remove_button, self.undo_button, self.redo_button):
            row.addWidget(b)
        self.remove_action = QAction(self)
        self.remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.triggered.connect(self.removeRequested)
        self.table.addAction(self.remove_action)
        return row

    def selected_rows(self) -> list[int]:
        sm = self.table.selectionModel()
        return sorted({i.row() for i in sm.selectedRows()} | {i.row() for i in sm.selectedIndexes()})

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def enable_edits(self, on: bool) -> None:
        for w in (self.up_button, self.down_button, self.remove_button):
            w.setEnabled(on)

    def retranslate(self) -> None:
        self.up_button.setText(translate("PlanView", "Move up"))
        self.down_button.setText(translate("PlanView", "Move down"))
        self.remove_button.setText(translate("PlanView", "Remove"))
        self.remove_button.setToolTip(translate("PlanView", "Remove the selected services from the plan (Delete); can be undone"))
        self.undo_button.setText(translate("PlanView", "Undo"))
        self.redo_button.setText(translate("PlanView", "Redo"))
        self.remove_action.setText(translate("PlanView", "Remove from plan"))
        self.model.retranslate()
