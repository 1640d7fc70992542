"""The municipality page: everything one town uses (app.catalog.towns.town_profile), grouped by
catalog field and by SCRA function group, each service with its sources.

Opened from any municipality name (the detail pane's links, the 都道府県 facet's context menu, the
results' 自治体 column). Where the catalog knows nothing, the page says so and lists the entries
used elsewhere in the prefecture, with a button that searches them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.catalog.towns import TownProfile, TownService
from app.ui.i18n import tr_args
from app.ui.theme import scaled_font

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB

ServiceIdRole = Qt.ItemDataRole.UserRole + 1
UrlRole = Qt.ItemDataRole.UserRole + 2


def _service_item(s: TownService) -> QStandardItem:
    item = QStandardItem(f"{s.name}（{s.provider}）")
    item.setData(s.id, ServiceIdRole)
    item.setToolTip(f"{s.name}\n{s.id}")
    item.setEditable(False)
    for src in s.sources:
        child = QStandardItem(f"{src.title or src.url} — {src.url}" if src.title else src.url)
        child.setData(src.url, UrlRole)
        child.setToolTip(src.url)
        child.setEditable(False)
        item.appendRow(child)
    return item


def grouped_model(profile: TownProfile, groups: dict[str, list[str]], parent: QWidget | None = None) -> QStandardItemModel:
    """Group → services (→ their sources) as a tree model."""
    model = QStandardItemModel(parent)
    for name, ids in groups.items():
        head = QStandardItem(f"{name}（{len(ids)}）")
        head.setEditable(False)
        font = head.font()
        font.setBold(True)
        head.setFont(font)
        for sid in ids:
            s = profile.service(sid)
            if s is not None:
                head.appendRow(_service_item(s))
        model.appendRow(head)
    return model


class TownPage(QDialog):
    """One municipality's page (non-modal). `serviceActivated(id)` / `queryRequested(text)`."""

    serviceActivated = Signal(str)
    queryRequested = Signal(str)

    def __init__(self, db: CatalogDB, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.catalog.towns import town_profile

        self.setObjectName("townPage")
        self.profile = town_profile(db, name)
        p = self.profile
        self.setWindowTitle(tr_args(self.tr("Municipality: %1"), p.name or p.query))
        root = QVBoxLayout(self)
        self.title = QLabel(p.name or p.query)
        self.title.setFont(scaled_font(1.5, bold=True))
        root.addWidget(self.title)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        root.addWidget(self.summary)
        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)
        self.trees: list[QTreeView] = []
        self.search_button = QPushButton()
        if p.known:
            self.summary.setText(tr_args(self.tr("%1 services in the catalog are used here (%2). Sources under each service."),
                                         len(p.services), p.prefecture))
            self._add_tree(grouped_model(p, p.by_field, self), self.tr("By field"))
            self._add_tree(grouped_model(p, p.by_group, self), self.tr("By SCRA function group"))
            self.search_button.setText(self.tr("Show these in the results"))
            self.search_button.clicked.connect(lambda: self.queryRequested.emit(f"自治体:={p.name}"))
        else:
            text = tr_args(self.tr("The catalog records no service used by %1."), p.query)
            if p.candidates:
                text += " " + tr_args(self.tr("Did you mean: %1?"), "、".join(p.candidates))
            if p.prefecture_services:
                text += " " + tr_args(self.tr("Entries used elsewhere in %1 are listed below."), p.prefecture)
                near = {self.tr("Used elsewhere in the prefecture"): [s.id for s in p.prefecture_services]}
                self._add_tree(grouped_model(p, near, self), p.prefecture)
                self.search_button.setText(tr_args(self.tr("Search %1"), p.prefecture))
                self.search_button.clicked.connect(lambda: self.queryRequested.emit(f"自治体:{p.prefecture}"))
            else:
                self.tabs.hide()
                self.search_button.hide()
            self.summary.setText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.search_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        self.resize(720, 560)

    def _add_tree(self, model: QStandardItemModel, title: str) -> None:
        view = QTreeView()
        view.setHeaderHidden(True)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(True)
        for r in range(model.rowCount()):
            view.setExpanded(model.index(r, 0), True)
        view.doubleClicked.connect(self._activated)
        self.trees.append(view)
        self.tabs.addTab(view, title)

    def _activated(self, index: QModelIndex) -> None:
        sid = index.data(ServiceIdRole)
        if sid:
            self.serviceActivated.emit(sid)
            return
        url = index.data(UrlRole)
        if url:
            from app.ui.detail_view import open_external

            open_external(url)

    def service_ids(self, tab: int = 0) -> list[str]:
        """The services listed on a tab, in order (tests, and what the page shows)."""
        model = self.trees[tab].model() if tab < len(self.trees) else None
        if model is None:
            return []
        out = []
        for r in range(model.rowCount()):
            head = model.index(r, 0)
            out += [model.index(i, 0, head).data(ServiceIdRole) for i in range(model.rowCount(head))]
        return out
