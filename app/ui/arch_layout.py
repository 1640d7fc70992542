"""Where each SCRA box goes: the reference figure's layout computed from the catalog's node tree."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF

from app.ui.arch_items import BAR_H, PAD, SCENE_W, SIDE_W, V1_PILLARS, BoxSpec, figure_font, text_height
from app.ui.i18n import node_name


class FigureLayout:
    """Computes box rectangles for one edition from the catalog's node tree."""

    def __init__(self, nodes: dict[str, Any], counts: dict[str, int | None], edition: int, tooltip: Any) -> None:
        self.nodes = nodes
        self.counts = counts
        self.edition = edition
        self.tooltip = tooltip
        self.boxes: list[BoxSpec] = []
        self.children: dict[str | None, list[Any]] = {}
        for n in sorted(nodes.values(), key=lambda n: n.position):
            self.children.setdefault(n.parent, []).append(n)

    def spec(self, node: Any, level: str, axis: str, rect: QRectF, clickable: bool = True) -> BoxSpec:
        count = self.counts.get(node.id) if level != "context" else None
        b = BoxSpec(node.id, node_name(node), level, axis, node.provenance, count, rect, clickable, self.tooltip(node, count))
        self.boxes.append(b)
        return b

    # natural height of a block (title + stacked functions) at a width
    def block_height(self, block: Any, width: float) -> float:
        h = 8 + max(text_height(node_name(block), figure_font("block", True), width - 20 - 44), 22) + 8
        for fn in self.children.get(block.id, []):
            h += self.function_height(fn, width - 16) + 6
        return h + 4

    def function_height(self, fn: Any, width: float) -> float:
        return 7 + max(text_height(node_name(fn), figure_font("function"), width - 20 - 38), 18) + 7

    def place_block(self, block: Any, axis: str, rect: QRectF) -> None:
        self.spec(block, "block", axis, rect)
        y = rect.top() + 8 + max(text_height(node_name(block), figure_font("block", True), rect.width() - 20 - 44), 22) + 8
        for fn in self.children.get(block.id, []):
            h = self.function_height(fn, rect.width() - 16)
            self.spec(fn, "function", axis, QRectF(rect.left() + 8, y, rect.width() - 16, h))
            y += h + 6

    def group_header(self, group: Any, width: float) -> float:
        return 10 + max(text_height(node_name(group), figure_font("group", True), width - 20 - 50), 24) + 10

    def layer_height(self, group: Any, width: float) -> float:
        blocks = self.children.get(group.id, [])
        if not blocks:
            return self.group_header(group, width) + 16
        bw = (width - 16 - 8 * (len(blocks) - 1)) / len(blocks)
        return self.group_header(group, width) + max(self.block_height(b, bw) for b in blocks) + 10

    def place_layer(self, group: Any, rect: QRectF) -> None:
        self.spec(group, "group", "layer", rect)
        blocks = self.children.get(group.id, [])
        if not blocks:
            return
        top = rect.top() + self.group_header(group, rect.width())
        bw = (rect.width() - 16 - 8 * (len(blocks) - 1)) / len(blocks)
        bh = rect.bottom() - 10 - top
        for i, b in enumerate(blocks):
            self.place_block(b, "layer", QRectF(rect.left() + 8 + i * (bw + 8), top, bw, bh))

    def pillar_height(self, group: Any, width: float) -> float:
        h = self.group_header(group, width)
        for b in self.children.get(group.id, []):
            h += self.block_height(b, width - 16) + 8
        return h + 6

    def place_pillar(self, group: Any, rect: QRectF) -> None:
        self.spec(group, "group", "pillar", rect)
        y = rect.top() + self.group_header(group, rect.width())
        for b in self.children.get(group.id, []):
            h = self.block_height(b, rect.width() - 16)
            self.place_block(b, "pillar", QRectF(rect.left() + 8, y, rect.width() - 16, h))
            y += h + 8

    def _bar(self, context: dict[str, Any], ctx_id: str, rect: QRectF) -> None:
        node = context.get(ctx_id)
        if node is not None:
            self.spec(node, "context", "", rect, clickable=True)

    def _city_os(self, frame_top: float, x0: float, x1: float) -> float:
        """The layers stacked on the left and the pillars beside them; returns the frame's bottom."""
        groups = [n for n in self.children.get(None, []) if n.level == "group"]
        if self.edition == 1:
            pillars = [g for g in groups if g.id in V1_PILLARS]
        else:
            pillars = [g for g in groups if g.axis == "pillar"]
        layers = [g for g in groups if g not in pillars]
        inner_x0, inner_x1 = x0 + 14, x1 - 14
        content_top = frame_top + 46
        inner_w = inner_x1 - inner_x0
        n_p = max(1, len(pillars))
        layers_w = inner_w * (0.5 if pillars else 1.0)
        pillar_w = (inner_w - layers_w - 12 - 10 * (n_p - 1)) / n_p if pillars else 0
        layer_heights = [self.layer_height(g, layers_w) for g in layers]
        total_layers = sum(layer_heights) + 10 * max(0, len(layers) - 1)
        total_pillars = max((self.pillar_height(g, pillar_w) for g in pillars), default=0)
        height = max(total_layers, total_pillars)
        extra = (height - total_layers) / max(1, len(layers))
        ly = content_top
        for g, h in zip(layers, layer_heights, strict=True):
            self.place_layer(g, QRectF(inner_x0, ly, layers_w, h + extra))
            ly += h + extra + 10
        px = inner_x0 + layers_w + 12
        for g in pillars:
            self.place_pillar(g, QRectF(px, content_top, pillar_w, height))
            px += pillar_w + 10
        return content_top + height + 14

    def run(self, context: dict[str, Any], frame_title: str, legend: list[str]) -> tuple[list[BoxSpec], QRectF, QRectF]:
        x0, x1 = PAD + SIDE_W + PAD, SCENE_W - PAD - SIDE_W - PAD
        y = PAD
        self._bar(context, "ctx/users", QRectF(x0, y, x1 - x0, BAR_H))
        y += BAR_H + PAD
        row = ["ctx/strategy", "ctx/rules", "ctx/organization", "ctx/business"]
        w = (x1 - x0 - PAD * (len(row) - 1)) / len(row)
        for i, cid in enumerate(row):
            self._bar(context, cid, QRectF(x0 + i * (w + PAD), y, w, BAR_H))
        y += BAR_H + PAD
        self._bar(context, "ctx/services", QRectF(x0, y, x1 - x0, BAR_H))
        y += BAR_H + PAD

        frame_top = y
        frame_bottom = self._city_os(frame_top, x0, x1)
        frame_node = context.get("ctx/city-os")
        frame = BoxSpec(frame_node.id if frame_node else "ctx/city-os", frame_title, "frame", "",
                        frame_node.provenance if frame_node else "source", None,
                        QRectF(x0, frame_top, x1 - x0, frame_bottom - frame_top), frame_node is not None,
                        self.tooltip(frame_node, None) if frame_node else "")
        self.boxes.insert(0, frame)
        inter = context.get("ctx/interoperability")
        if inter is not None:
            side = QRectF(PAD, frame_top, SIDE_W, frame_bottom - frame_top)
            for rect in (side, side.translated(SCENE_W - 2 * PAD - SIDE_W, 0)):
                self.spec(inter, "context", "", rect).vertical = True
        y = frame_bottom + PAD
        self._bar(context, "ctx/assets", QRectF(x0, y, x1 - x0, BAR_H))
        y += BAR_H + PAD
        legend_rect = QRectF(x0, y, x1 - x0, 34)
        return self.boxes, QRectF(0, 0, SCENE_W, y + 40), legend_rect
