"""Fallback plan tab: a plain basket list of the current plan (used when the plan view cannot be built)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from app.ui.i18n import tr_args

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB
    from app.plan.plans import PlanStore

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

    planChanged = Signal(str)
    statusMessage = Signal(str)

    def __init__(self, store: PlanStore, db_provider: Callable[[], CatalogDB], plan_name: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.db_provider = db_provider
        self._plan = plan_name()  # the plan remembered when the tab was built
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # holds the plan's name: user text
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

    def current_plan(self) -> str:
        return self._plan

    def set_current_plan(self, name: str) -> None:
        self._plan = name
        self.refresh()

    def add_services(self, service_ids: list[str]) -> int:
        """Add services to the current plan, creating one if there is none; returns how many were new."""
        from app.plan.plans import add_services

        if not self._plan:
            self._plan = self.tr("My plan")
            self.store.create(self._plan)
        added, _unknown = add_services(self.store, self.db_provider(), self._plan, service_ids)
        self.refresh()
        self.planChanged.emit(self._plan)
        return added

    def refresh(self) -> None:
        from app.plan.plans import resolve_items

        name = self._plan
        items = resolve_items(self.store, self.db_provider(), name) if name and self.store.exists(name) else []
        self.model.set_items(items)
        self.title.setText(tr_args(self.tr("Plan “%1”: %2 services"), name or "", len(items)))

    def _remove(self) -> None:
        ids = [i.data(Qt.ItemDataRole.UserRole) for i in self.view.selectionModel().selectedRows()]
        if ids:
            self.store.remove(self._plan, ids)
            self.refresh()
            self.planChanged.emit(self._plan)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.remove.setText(self.tr("Remove from plan"))
        if hasattr(self, "model"):
            self.refresh()
