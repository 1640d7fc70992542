"""Fallback plan tab: a plain basket list of the current plan (used when app.ui.plan_view is absent)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QListView, QPushButton, QVBoxLayout, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex


class PlanItemsModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row() + 1}. {item.name}" + (f" — {item.field_name}" if item.field_name else "")
        if role == Qt.ItemDataRole.UserRole:
            return item.item.service_id
        return None


class PlanBasket(QWidget):
    """The current plan's services, with Remove. Emits planChanged after edits."""

    planChanged = Signal()

    def __init__(self, store: Any, db_provider: Any, plan_name: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.db_provider = db_provider
        self.plan_name = plan_name  # callable → current plan name
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.model = PlanItemsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.remove = QPushButton()
        self.remove.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.remove)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.view, 1)
        self.retranslate_ui()
        self.refresh()

    def refresh(self) -> None:
        from app.plan.plans import resolve_items

        name = self.plan_name()
        items = resolve_items(self.store, self.db_provider(), name) if name and self.store.exists(name) else []
        self.model.set_items(items)
        self.title.setText(self.tr("Plan “%1”: %2 services").replace("%1", name or "").replace("%2", str(len(items))))

    def _remove(self) -> None:
        ids = [i.data(Qt.ItemDataRole.UserRole) for i in self.view.selectionModel().selectedRows()]
        if ids:
            self.store.remove(self.plan_name(), ids)
            self.refresh()
            self.planChanged.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.remove.setText(self.tr("Remove from plan"))
        if hasattr(self, "model"):
            self.refresh()
