"""The SCRA figure, drawn from the catalog's architecture nodes — live with the search and the plan.

Layout follows the reference architecture figure: 利用者 at the top; strategy, rules, promotion
organisation and business; the smart-city services; the city-OS frame with the three basic
layers and the four pillars; assets at the bottom; and interoperability on both sides. Every
function group is a box with its blocks (and functions) inside.

- Counts follow the query: each box shows how many of the current results map to it or below it.
- Clicking a box adds the chip 機能:<Japanese name> to the query (ANDed with the rest); clicking it
  again removes the chip (filterRequested carries the new query text). Node ids are never shown.
- The plan overlay colours boxes by the current plan's coverage (app/plan/scale.py), outlines gaps
  and marks their severity with a glyph.
- Selecting a service highlights the boxes it covers; editorial nodes have dashed borders.
- The 1st-edition toggle draws the 1st-edition groups, counted through their `maps_to` links.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QRectF, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QButtonGroup, QFileDialog, QMessageBox, QPushButton, QToolBar, QToolButton, QVBoxLayout, QWidget

from app.plan.marks import NodeMark, mapped_mark, node_marks
from app.plan.scale import BANDS, SEVERITIES, severity_mark
from app.search.node_counts import NodeServices, node_services
from app.search.node_query import filtered_nodes, toggle_node
from app.ui.arch_export import ExportError, export_scene
from app.ui.arch_graphics import FigureView
from app.ui.arch_items import ArchitectureScene, NodeBox, Overlay
from app.ui.arch_layout import FigureLayout
from app.ui.arch_legend import Entry, LegendItem
from app.ui.i18n import current_language, localized, node_name, tr_args
from app.ui.theme import Theme

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB
    from app.plan.coverage import Coverage


class ArchitectureView(QWidget):
    """The SCRA figure plus its toolbar (edition, plan overlay, zoom, fit, export) and legend."""

    filterRequested = Signal(str)  # the new query text after a box click (chip added or removed)
    nodeSelected = Signal(str)  # node id (for the detail pane)
    chipToggled = Signal(str, bool)  # chip text (機能:決済・ポイント), True when added

    def __init__(self, db: CatalogDB, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.edition = 2
        self._boxes: dict[str, list[NodeBox]] = {}
        self._covered: set[str] = set()
        self._active: set[str] = set()
        self._service_id: str | None = None
        self._query = ""
        self._result_ids: list[str] | None = None  # None: the whole catalog
        self._index: NodeServices = node_services(db)
        self._coverage: Coverage | None = None
        self._marks: dict[str, NodeMark] = {}
        self._focus: str | None = None
        self._export_width = 0.0  # while exporting: the slide width the figure is laid out at
        self._stale = False  # laid out for another text size while hidden
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(0)
        self._rebuild_timer.timeout.connect(self.rebuild)

        self.scene = ArchitectureScene(self)
        self.scene.boxClicked.connect(self._on_click)
        self.scene.boxDoubleClicked.connect(self._on_double_click)
        self.view = FigureView(self.scene, self)
        self.view.widthChanged.connect(lambda _w: self.rebuild())
        self.view.navigate.connect(self.move_focus)
        self.view.activateFocus.connect(self.zoom_focused)
        self.view.toggleFocus.connect(lambda: self._focus and self._on_click(self._focus))
        self.view.back.connect(lambda: self.view.fit(None))
        self._build_toolbar()
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(2)
        root.addWidget(self.toolbar)
        root.addWidget(self.view, 1)
        self.retranslate_ui(rebuild=False)
        self.rebuild()

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar()  # a narrow pane or large text moves what does not fit into its » menu
        self.toolbar.setObjectName("figureToolbar")
        self.ed2, self.ed1 = QPushButton(), QPushButton()
        self.edition_group = QButtonGroup(self)
        for i, b in ((2, self.ed2), (1, self.ed1)):
            b.setCheckable(True)
            self.edition_group.addButton(b, i)
            self.toolbar.addWidget(b)
        self.ed2.setChecked(True)
        self.edition_group.idClicked.connect(self.set_edition)
        self.toolbar.addSeparator()
        self.overlay_button = QToolButton()
        self.overlay_button.setObjectName("planOverlay")
        self.overlay_button.setCheckable(True)
        self.overlay_button.toggled.connect(lambda _on: self._apply_overlay())
        self.toolbar.addWidget(self.overlay_button)
        self.toolbar.addSeparator()
        self.zoom_out, self.zoom_in, self.fit_button = QToolButton(), QToolButton(), QToolButton()
        self.zoom_out.setText("−")
        self.zoom_in.setText("+")
        self.zoom_out.clicked.connect(lambda: self.view.zoom_by(0.8))
        self.zoom_in.clicked.connect(lambda: self.view.zoom_by(1.25))
        self.fit_button.clicked.connect(lambda: self.view.fit_all() if self.view.mode == "pane" else self.view.fit(None))
        self.export_button = QToolButton()
        self.export_button.clicked.connect(self.export_dialog)
        for b in (self.zoom_out, self.zoom_in, self.fit_button, self.export_button):
            self.toolbar.addWidget(b)

    # -- data
    def counts(self, edition: int) -> dict[str, int | None]:
        """Entries per box among the current results (the whole catalog when no result is given)."""
        counts = self._index.counts(self._result_ids)
        prefix = "v1/" if edition == 1 else ""
        return {k: v for k, v in counts.items() if k.startswith("v1/") == bool(prefix)}

    def set_result_ids(self, service_ids: list[str] | None) -> None:
        """The services of the current result (None: all): every box counts those mapped to it or below."""
        self._result_ids = None if service_ids is None else list(service_ids)
        counts = self.counts(self.edition)
        for nid, items in self._boxes.items():
            for item in items:
                if item.spec.level in ("group", "block", "function") and item.spec.count is not None:
                    item.spec.count = counts.get(nid)
                    item.setToolTip(self._tooltip(self.db.nodes()[nid], item.spec.count))
                    item.update()

    def query_for(self, node_id: str) -> str | None:
        """The query text a click on `node_id` leads to from the current query (None for boxes without services)."""
        node = self.db.nodes().get(node_id)
        if node is None or node.level == "context" or (node.edition == 1 and not node.maps_to):
            return None
        return toggle_node(self._query, node)[0]

    def _tooltip(self, node: Any, count: int | None) -> str:
        lines = [node_name(node)]
        if count is not None:
            lines.append(tr_args(self.tr("%1 of the current results map here"), count))
        if node.provenance == "source":
            lines.append(self.tr("Sourced") + (f": {node.source_url}" if node.source_url else ""))
        else:
            lines.append(self.tr("Editorial (our own placement)"))
        if node.source_note:
            lines.append(node.source_note)
        if node.description:
            lines.append(node.description)
        if node.maps_to:
            nodes = self.db.nodes()
            lines.append(tr_args(self.tr("2nd edition: %1"), "、".join(node_name(nodes[t]) for t in node.maps_to if t in nodes)))
        lines += self._overlay_tip(node.id)
        return "\n".join(lines)

    def legend_entries(self) -> list[Entry]:
        lang = current_language()
        out = [Entry(self.tr("Sourced (出典あり)"), "solid"), Entry(self.tr("Editorial (編集判断)"), "dashed"),
               Entry(self.tr("Covered by the selected service"), "hit"), Entry(self.tr("In the query (chip)"), "active"),
               Entry(self.tr("Current results mapped to the box"), "badge", text="12")]
        if self.overlay_on():
            out += [Entry(b.label(lang), "band", b.fill, b.glyph, b.text) for b in BANDS]
            out += [Entry(tr_args(self.tr("Gap: %1"), m.label(lang)), "severity", text=m.glyph, colour=m.colour)
                    for m in SEVERITIES.values()]
        out.append(Entry(self.tr("Click a box to add it to the query, click again to remove it · ← → groups · "
                                 "Enter zooms into a group · Esc back · Ctrl+wheel zooms"), "text"))
        return out

    def rebuild(self) -> None:
        """(Re)draw the figure for the current edition, width, text size, language and theme."""
        self.scene.clear()
        self._boxes.clear()
        all_nodes = self.db.nodes()
        context = {n.id: n for n in all_nodes.values() if n.level == "context"}
        nodes = {k: v for k, v in self.db.nodes(self.edition).items() if v.level != "context"}
        width = self._export_width or self.view.layout_width()
        self.view.mark_laid_out(width)
        layout = FigureLayout(nodes, self.counts(self.edition), self.edition, self._tooltip, width, overlay=self.overlay_on())
        entries = self.legend_entries()
        legend_w = layout.width - 2 * (layout.s(24) + 1.9 * layout.px)
        frame_title = self.figure_title(context)
        boxes, scene_rect, legend_rect = layout.run(context, frame_title, LegendItem.measure(entries, legend_w))
        for spec in boxes:
            item = NodeBox(spec)
            self.scene.addItem(item)
            self._boxes.setdefault(spec.node_id, []).append(item)
        self.scene.addItem(LegendItem(legend_rect, entries))
        self.scene.setSceneRect(scene_rect)
        frame = next((b for b in boxes if b.level == "frame"), None)
        self.view.home_y = frame.rect.top() - layout.s(8) if frame is not None else 0.0
        self.scene.setBackgroundBrush(QColor(Theme.colors().base))
        self._apply_states()
        self._apply_overlay(relayout=False)
        if self._focus in self._boxes:
            self._boxes[self._focus][0].set_focused(True)
        self.view.refit()

    def figure_title(self, context: dict[str, Any]) -> str:
        """The frame's title: the figure's name and edition, then the city OS (so the title is never a cut label)."""
        city = node_name(context["ctx/city-os"]) if "ctx/city-os" in context else self.tr("City OS")
        edition = self.tr("2nd edition (2023)") if self.edition == 2 else self.tr("1st edition (2020)")
        title = self.tr("Smart City Reference Architecture")
        return f"{title} {edition} — {city}"

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
        self._focus = None
        (self.ed2 if edition == 2 else self.ed1).setChecked(True)
        self._update_covered()
        self._active = self._active_for(self._query)
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

    def _active_for(self, query_text: str) -> set[str]:
        active = filtered_nodes(query_text, self.db.nodes())
        if self.edition == 1:
            active |= {n.id for n in self.db.nodes(1).values() if n.maps_to and set(n.maps_to) <= active}
        return active

    def set_active_query(self, query_text: str) -> None:
        """Outline the boxes the current query filters on (its 機能 chips)."""
        self._query = query_text
        self._active = self._active_for(query_text)
        self._apply_states()

    def _apply_states(self) -> None:
        has_service = self._service_id is not None and bool(self._covered)
        for nid, items in self._boxes.items():
            for item in items:
                lvl = item.spec.level
                hi = nid in self._covered
                dim = has_service and not hi and lvl in ("group", "block", "function")
                item.set_state(hi, dim, nid in self._active)

    # -- plan overlay
    def set_plan_coverage(self, coverage: Coverage | None) -> None:
        """The current plan's coverage (None: no plan) for the overlay."""
        if coverage is None and self._coverage is None:
            return  # still no plan: nothing to lay out again (the plan tab reports its count often)
        self._coverage = coverage
        self._marks = node_marks(coverage) if coverage is not None else {}
        self.overlay_button.setEnabled(coverage is not None)
        self._apply_overlay()

    def overlay_on(self) -> bool:
        return self.overlay_button.isChecked() and self._coverage is not None

    def set_overlay(self, on: bool) -> None:
        self.overlay_button.setChecked(on)

    def mark(self, node_id: str) -> NodeMark | None:
        node = self.db.nodes().get(node_id)
        if node is None:
            return None
        return mapped_mark(self._marks, node.maps_to) if node.edition == 1 else self._marks.get(node_id)

    def _overlay_tip(self, node_id: str) -> list[str]:
        mark = self.mark(node_id) if self.overlay_on() else None
        if mark is None:
            return []
        lang = current_language()
        lines = [tr_args(self.tr("Plan coverage: %1 %2"), mark.band.glyph, mark.band.label(lang))]
        if mark.severity:
            sev = severity_mark(mark.severity)
            gaps = "、".join(localized(g.name_ja, g.name_en) for g in mark.gaps[:4])
            lines.append(tr_args(self.tr("%1 %2 gap here or below: %3"), sev.glyph, sev.label(lang), gaps))
        return lines

    def _apply_overlay(self, relayout: bool = True) -> None:
        on = self.overlay_on()
        if relayout and self._boxes:
            self.relayout()  # the legend grows or shrinks with the overlay's entries
            return
        for nid, items in self._boxes.items():
            for item in items:
                mark = self.mark(nid) if on and item.spec.level in ("group", "block", "function") else None
                item.set_overlay(None if mark is None else Overlay(
                    mark.band, severity_mark(mark.severity) if mark.severity else None, mark.gap))
                node = self.db.nodes().get(nid)
                if node is not None and item.spec.level != "frame":
                    item.setToolTip(self._tooltip(node, item.spec.count))

    # -- interaction
    def _on_click(self, node_id: str) -> None:
        self.nodeSelected.emit(node_id)
        node = self.db.nodes().get(node_id)
        text = self.query_for(node_id)
        if node is None or text is None:
            return
        added = toggle_node(self._query, node)[1]
        self.chipToggled.emit(f"機能:{node.name_ja}", added)
        self.filterRequested.emit(text)

    def _on_double_click(self, node_id: str) -> None:
        """Zoom into the group of the box; double-click again (or on the frame) to fit the pane."""
        node = self.db.nodes().get(node_id)
        if node is None or node.level == "context":
            self.view.fit(None)
            return
        rect = self.box_rect(node.group_id)
        self.view.fit(None if rect.isNull() or self.view.focus_rect == rect else rect)

    def zoom_to(self, node_id: str) -> None:
        rect = self.box_rect(node_id)
        self.view.fit(rect if not rect.isNull() else None)

    def group_ids(self) -> list[str]:
        """The function groups in reading order (top to bottom, left to right)."""
        groups = [(b.spec.rect, nid) for nid, items in self._boxes.items() for b in items[:1] if b.spec.level == "group"]
        return [nid for _r, nid in sorted(groups, key=lambda x: (round(x[0].top()), x[0].left()))]

    def focused_group(self) -> str | None:
        return self._focus

    def move_focus(self, step: int) -> None:
        """← / →: focus the previous / next group (shown with a dotted ring, kept in view)."""
        groups = self.group_ids()
        if not groups:
            return
        i = groups.index(self._focus) + step if self._focus in groups else (0 if step > 0 else len(groups) - 1)
        self.set_focus_group(groups[i % len(groups)])

    def set_focus_group(self, group_id: str) -> None:
        if self._focus in self._boxes:
            self._boxes[self._focus][0].set_focused(False)
        self._focus = group_id
        box = self.box(group_id)
        if box is None:
            return
        box.set_focused(True)
        if self.view.mode == "rect":
            self.view.fit(box.spec.rect)
        else:
            self.view.ensureVisible(box.spec.rect, 20, 20)

    def zoom_focused(self) -> None:
        if self._focus is None:
            self.move_focus(1)
        if self._focus is not None:
            self.zoom_to(self._focus)

    # -- export
    def export_to(self, path: Path, width: float = 1600.0) -> Path:
        """Write the figure as PNG or SVG (by the suffix) for slides, laid out at `width` scene pixels in the
        UI text size (whatever the pane shows); raises ExportError naming the file."""
        self._export_width = width
        try:
            self.rebuild()
            return export_scene(self.scene, Path(path), title=self.figure_title(
                {n.id: n for n in self.db.nodes().values() if n.level == "context"}))
        finally:
            self._export_width = 0.0
            self.rebuild()

    def export_dialog(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the figure"), "scra.png",
                                              self.tr("PNG image (*.png);;SVG image (*.svg)"))
        if not path:
            return None
        try:
            return self.export_to(Path(path))
        except ExportError as exc:
            QMessageBox.warning(self, self.tr("Export the figure"), str(exc))
            return None

    # -- i18n / theme
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        elif event.type() == QEvent.Type.FontChange:  # the UI zoom changed the application font
            self.rebuild_later()
        super().changeEvent(event)

    def relayout(self) -> None:
        """Lay the figure out again now when it is shown; a hidden one waits until it is shown, so a
        plan, language or theme change on another tab lays it out once, in the state it is seen in."""
        if self.isVisible():
            self.rebuild()
        else:
            self._stale = True

    def rebuild_later(self) -> None:
        """Lay the figure out again once the event loop is free (a zoom step sends many font changes);
        a hidden figure waits until it is shown, so a zoom step on another tab does not pay for it."""
        if self.isVisible():
            self._rebuild_timer.start()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:
        if self._stale:
            self._stale = False
            self.rebuild()
        super().showEvent(event)

    def retranslate_ui(self, rebuild: bool = True) -> None:
        self.ed2.setText(self.tr("2nd edition (2023)"))
        self.ed1.setText(self.tr("1st edition (2020)"))
        self.ed1.setToolTip(self.tr("1st-edition groups, counted through their editorial mapping to the 2nd edition"))
        self.overlay_button.setText(self.tr("Plan overlay"))
        self.overlay_button.setToolTip(self.tr("Colour the boxes by the current plan's coverage and outline its gaps"))
        self.fit_button.setText(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("Show the whole figure (again: fit the figure to the pane)"))
        self.zoom_in.setToolTip(self.tr("Zoom in (Ctrl+wheel)"))
        self.zoom_out.setToolTip(self.tr("Zoom out (Ctrl+wheel)"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save the figure as PNG or SVG for slides"))
        self.overlay_button.setEnabled(self._coverage is not None)
        if rebuild:
            self.relayout()
