"""The results table (Enter adds to the plan, rows drag onto the plan tab, Ctrl+C copies) and the
titled section box the catalog and architecture panes share."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from app.ui.models import IdRole, KindRole


def section(title: QLabel, body: QWidget, extra: QWidget | None = None) -> QWidget:
    """A section: its title (and `extra` at the title's right) above `body`, no margins."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    if extra is None:
        layout.addWidget(title)
    else:
        row = QHBoxLayout()
        row.addWidget(title, 1)
        row.addWidget(extra)
        layout.addLayout(row)
    layout.addWidget(body, 1)
    return box


class ResultsTable(QTableView):
    """Results; Enter adds the selected services to the plan; rows drag onto the plan tab; Ctrl+C
    copies the selected rows (visible columns) as tab-separated text."""

    addRequested = Signal()
    copyRequested = Signal()

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
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_service_ids(self) -> list[str]:
        return [r.data(IdRole) for r in self.selectionModel().selectedRows() if r.data(KindRole) == "service"]

    def set_current_row(self, row: int) -> None:
        idx = self.model().index(row, 0)
        if idx.isValid():
            self.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.scrollTo(idx)
