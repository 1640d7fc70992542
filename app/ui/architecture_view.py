"""The SCRA figure, drawn from the catalog's architecture nodes.

Layout follows the reference architecture figure: 利用者 at the top; strategy, rules, promotion
organisation and business; the smart-city services; the city-OS frame with the three basic
layers stacked on the left and the four pillars beside them; assets at the bottom; and
interoperability with other cities and systems on both sides. Every function group is a box
with its blocks (and functions) inside, each showing how many catalog entries map to it.

Both directions: clicking a box asks for the query `機能:<id>` (filterRequested); selecting a
service highlights the boxes it covers (highlight_service). Editorial nodes have dashed borders.
The 1st-edition toggle draws the 1st-edition groups, counted through their `maps_to` links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QWheelEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.search.query import parse
from app.ui.arch_items import ArchitectureScene, LegendItem, NodeBox
from app.ui.arch_layout import FigureLayout
from app.ui.i18n import node_name, tr_args
from app.ui.theme import Theme
from app.ui.widgets import ElidedLabel

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB


class _GraphicsView(QGraphicsView):
    """Wheel zooms around the cursor; keeps the figure fitted on resize until the user zooms."""

    zoomed = Signal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.auto_fit = True
        self.focus_rect: QRectF | None = None

    def fit(self, rect: QRectF | None = None) -> None:
        self.focus_rect = rect
        self.auto_fit = True
        target = rect or self.sceneRect()
        self.fitInView(target.adjusted(-8, -8, 8, 8), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(0.2 / current, min(6.0 / current, factor))
        self.auto_fit = False
        self.scale(factor, factor)
        self.zoomed.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(1.0015 ** delta)
            event.accept()
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit(self.focus_rect)


class ArchitectureView(QWidget):
    """The SCRA figure plus its toolbar (edition toggle, zoom, fit) and legend."""

    filterRequested = Signal(str)  # query text, e.g. 機能:data-management
    nodeSelected = Signal(str)  # node id (for the detail pane)

    def __init__(self, db: CatalogDB, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.edition = 2
        self._boxes: dict[str, list[NodeBox]] = {}
        self._covered: set[str] = set()
        self._active: set[str] = set()
        self._service_id: str | None = None
        self._counts: dict[int, dict[str, int | None]] = {}

        self.scene = ArchitectureScene(self)
        self.scene.boxClicked.connect(self._on_click)
        self.scene.boxDoubleClicked.connect(self._on_double_click)
        self.view = _GraphicsView(self.scene, self)

        self.title = ElidedLabel()
        self.title.setObjectName("sectionTitle")
        self.ed2 = QPushButton()
        self.ed1 = QPushButton()
        self.edition_group = QButtonGroup(self)
        for i, b in ((2, self.ed2), (1, self.ed1)):
            b.setCheckable(True)
            self.edition_group.addButton(b, i)
        self.ed2.setChecked(True)
        self.edition_group.idClicked.connect(self.set_edition)
        self.zoom_in = QToolButton()
        self.zoom_in.setText("+")
        self.zoom_in.clicked.connect(lambda: self.view.zoom_by(1.25))
        self.zoom_out = QToolButton()
        self.zoom_out.setText("−")
        self.zoom_out.clicked.connect(lambda: self.view.zoom_by(0.8))
        self.fit_button = QToolButton()
        self.fit_button.clicked.connect(lambda: self.view.fit(None))
        self.hint = ElidedLabel()  # shrinks with “…” in a narrow window, never widens it
        self.hint.setObjectName("sectionTitle")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.ed2)
        bar.addWidget(self.ed1)
        bar.addSpacing(12)
        bar.addWidget(self.zoom_out)
        bar.addWidget(self.zoom_in)
        bar.addWidget(self.fit_button)
        bar.addStretch(1)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(2)
        root.addWidget(self.title)  # title and hint on rows of their own: whole at 200 % text (issue 14)
        root.addLayout(bar)
        root.addWidget(self.hint)
        root.addWidget(self.view, 1)
        self.retranslate_ui(rebuild=False)
        self.rebuild()

    # -- data
    def counts(self, edition: int) -> dict[str, int | None]:
        """Catalog entries per box (2nd ed. directly; 1st ed. through maps_to; None = no mapping)."""
        if edition not in self._counts:
            nodes = self.db.nodes(edition)
            out: dict[str, int | None] = {}
            for n in nodes.values():
                if n.level == "context":
                    continue
                if edition == 2:
                    out[n.id] = len(self.db.services_for_node(n.id))
                elif n.maps_to:
                    ids: set[str] = set()
                    for t in n.maps_to:
                        ids.update(self.db.services_for_node(t))
                    out[n.id] = len(ids)
                else:
                    out[n.id] = None
            self._counts[edition] = out
        return self._counts[edition]

    def query_for(self, node_id: str) -> str | None:
        """The query text a click on `node_id` stands for (None for boxes without services)."""
        node = self.db.nodes().get(node_id)
        if node is None or node.level == "context":
            return None
        if node.edition == 2:
            return parse("").with_filter("機能", node.id).to_text()
        if not node.maps_to:
            return None
        q = parse("")
        for target in node.maps_to:
            q = q.with_filter("機能", target)
        return q.to_text()

    def _tooltip(self, node: Any, count: int | None) -> str:
        lines = [node_name(node)]
        if count is not None:
            lines.append(tr_args(self.tr("%1 catalog entries"), count))
        lines.append(self.tr("Sourced") if node.provenance == "source" else self.tr("Editorial (our own placement)"))
        if node.description:
            lines.append(node.description)
        if node.maps_to:
            nodes = self.db.nodes()
            lines.append(tr_args(self.tr("2nd edition: %1"), "、".join(node_name(nodes[t]) for t in node.maps_to if t in nodes)))
        return "\n".join(lines)

    def rebuild(self) -> None:
        """(Re)draw the figure for the current edition, language and theme."""
        self.scene.clear()
        self._boxes.clear()
        all_nodes = self.db.nodes()
        context = {n.id: n for n in all_nodes.values() if n.level == "context"}
        nodes = {k: v for k, v in self.db.nodes(self.edition).items() if v.level != "context"}
        layout = FigureLayout(nodes, self.counts(self.edition), self.edition, self._tooltip)
        legend_labels = [self.tr("Sourced (出典あり)"), self.tr("Editorial (編集判断)"),
                         self.tr("Covered by the selected service"), self.tr("Current filter"),
                         self.tr("Catalog entries mapped to the box")]
        frame_title = node_name(context["ctx/city-os"]) if "ctx/city-os" in context else self.tr("City OS")
        boxes, scene_rect, legend_rect = layout.run(context, frame_title, legend_labels)
        for spec in boxes:
            item = NodeBox(spec)
            self.scene.addItem(item)
            self._boxes.setdefault(spec.node_id, []).append(item)
        self.scene.addItem(LegendItem(legend_rect, legend_labels))
        self.scene.setSceneRect(scene_rect)
        self.scene.setBackgroundBrush(QColor(Theme.colors().base))
        self._apply_states()
        self.view.fit(None)

    def box_rect(self, node_id: str) -> QRectF:
        items = self._boxes.get(node_id)
        return items[0].spec.rect if items else QRectF()

    def box_ids(self) -> list[str]:
        return list(self._boxes)

    def box(self, node_id: str) -> NodeBox | None:
        items = self._boxes.get(node_id)
        return items[0] if items else None

    # -- state
    def set_edition(self, edition: int) -> None:
        if edition not in (1, 2):
            return
        self.edition = edition
        (self.ed2 if edition == 2 else self.ed1).setChecked(True)
        self._update_covered()
        self.rebuild()

    def highlight_service(self, service_id: str | None) -> None:
        """Mark the boxes the service maps to (and their groups); dim the others."""
        self._service_id = service_id
        self._update_covered()
        self._apply_states()

    def _update_covered(self) -> None:
        covered: set[str] = set()
        svc = self.db.service(self._service_id) if self._service_id else None
        if svc is not None:
            nodes = self.db.nodes()
            for m in svc.scra:
                nid: str | None = m.node
                while nid:
                    covered.add(nid)
                    nid = nodes[nid].parent if nid in nodes else None
            if self.edition == 1:
                covered = {n.id for n in self.db.nodes(1).values() if set(n.maps_to) & covered}
        self._covered = covered

    def covered(self) -> set[str]:
        return set(self._covered)

    def set_active_query(self, query_text: str) -> None:
        """Outline the boxes the current query filters on (its 機能 filters)."""
        q = parse(query_text)
        active = {f.value for f in q.filters("機能")}
        if self.edition == 1:
            active = {n.id for n in self.db.nodes(1).values() if n.maps_to and set(n.maps_to) <= active} | active
        self._active = active
        self._apply_states()

    def _apply_states(self) -> None:
        has_service = self._service_id is not None and bool(self._covered)
        for nid, items in self._boxes.items():
            for item in items:
                lvl = item.spec.level
                hi = nid in self._covered
                dim = has_service and not hi and lvl in ("group", "block", "function")
                item.set_state(hi, dim, nid in self._active)

    # -- interaction
    def _on_click(self, node_id: str) -> None:
        self.nodeSelected.emit(node_id)
        text = self.query_for(node_id)
        if text:
            self.filterRequested.emit(text)

    def _on_double_click(self, node_id: str) -> None:
        """Zoom into the group of the box; double-click again (or on the frame) to see everything."""
        node = self.db.nodes().get(node_id)
        if node is None or node.level == "context":
            self.view.fit(None)
            return
        group_id = node.group_id
        rect = self.box_rect(group_id)
        if rect.isNull() or self.view.focus_rect == rect:
            self.view.fit(None)
        else:
            self.view.fit(rect)

    def zoom_to(self, node_id: str) -> None:
        rect = self.box_rect(node_id)
        self.view.fit(rect if not rect.isNull() else None)

    # -- i18n / theme
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self, rebuild: bool = True) -> None:
        self.title.setText(self.tr("Smart City Reference Architecture"))
        self.ed2.setText(self.tr("2nd edition (2023)"))
        self.ed1.setText(self.tr("1st edition (2020)"))
        self.ed1.setToolTip(self.tr("1st-edition groups, counted through their editorial mapping to the 2nd edition"))
        self.fit_button.setText(self.tr("Fit"))
        self.zoom_in.setToolTip(self.tr("Zoom in (mouse wheel)"))
        self.zoom_out.setToolTip(self.tr("Zoom out (mouse wheel)"))
        self.fit_button.setToolTip(self.tr("Show the whole figure"))
        self.hint.setText(self.tr("Click a box to list its services · double-click to zoom into a group"))
        if rebuild:
            self.rebuild()
