"""Where each SCRA box goes: the reference figure's layout computed from the catalog's node tree.

The figure is laid out for the width it is shown at, in the UI's text size (`px`), so its text is as large
as the rest of the UI at any zoom: a wide pane gets the reference arrangement (layers on the left, pillars
beside them); a narrow one (or a large text size) puts the pillars under the layers and wraps a layer's
blocks onto more rows. All spacing scales with `px`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF

from app.ui.arch_items import V1_PILLARS, BoxSpec
from app.ui.arch_text import OVERLAY_PREFIX, figure_font, fit_text, title_reserve, ui_px, widest_piece
from app.ui.i18n import node_name

BASE_PX = 15.0


class FigureLayout:
    """Computes box rectangles for one edition from the catalog's node tree, for a scene `width`."""

    def __init__(self, nodes: dict[str, Any], counts: dict[str, int | None], edition: int, tooltip: Any,
                 width: float = 1600.0, px: float | None = None, overlay: bool = False) -> None:
        self.nodes = nodes
        self.counts = counts
        self.edition = edition
        self.tooltip = tooltip
        self.overlay = overlay  # titles carry a band glyph and room for a gap glyph
        self.px = px or ui_px()
        self.u = self.px / BASE_PX  # spacing unit: everything grows with the text
        self.width = max(width, 24 * self.px)
        self.boxes: list[BoxSpec] = []
        self.children: dict[str | None, list[Any]] = {}
        for n in sorted(nodes.values(), key=lambda n: n.position):
            self.children.setdefault(n.parent, []).append(n)

    def s(self, v: float) -> float:
        return v * self.u

    def badge_w(self, level: str) -> float:
        return title_reserve(level != "context", self.overlay, self.u)

    def spec(self, node: Any, level: str, axis: str, rect: QRectF, clickable: bool = True) -> BoxSpec:
        count = self.counts.get(node.id) if level != "context" else None
        b = BoxSpec(node.id, node_name(node), level, axis, node.provenance, count, rect, clickable, self.tooltip(node, count))
        b.unit = self.u
        b.overlay_room = self.overlay and level in ("group", "block", "function")
        self.boxes.append(b)
        return b

    def title_h(self, node: Any, level: str, width: float) -> float:
        text_w = width - self.s(20) - title_reserve(self.counts.get(node.id) is not None, self.overlay, self.u)
        title = (OVERLAY_PREFIX if self.overlay else "") + node_name(node)
        return fit_text(title, figure_font(level, level != "function", self.px), text_w).height()

    # -- blocks and functions
    def function_height(self, fn: Any, width: float) -> float:
        return self.s(14) + self.title_h(fn, "function", width)

    def block_height(self, block: Any, width: float) -> float:
        h = self.s(16) + self.title_h(block, "block", width)
        for fn in self.children.get(block.id, []):
            h += self.function_height(fn, width - self.s(16)) + self.s(6)
        return h + self.s(4)

    def place_block(self, block: Any, axis: str, rect: QRectF) -> None:
        self.spec(block, "block", axis, rect)
        y = rect.top() + self.s(16) + self.title_h(block, "block", rect.width())
        for fn in self.children.get(block.id, []):
            h = self.function_height(fn, rect.width() - self.s(16))
            self.spec(fn, "function", axis, QRectF(rect.left() + self.s(8), y, rect.width() - self.s(16), h))
            y += h + self.s(6)

    def group_header(self, group: Any, width: float) -> float:
        return self.s(20) + self.title_h(group, "group", width)

    def block_min_width(self, block: Any) -> float:
        """The narrowest block in which no word of its title or its functions' titles must be split."""
        need = widest_piece(node_name(block), figure_font("block", True, self.px)) + self.s(20) + self.badge_w("block")
        for fn in self.children.get(block.id, []):
            fn_need = widest_piece(node_name(fn), figure_font("function", False, self.px))
            need = max(need, fn_need + self.s(36) + self.badge_w("function"))
        return max(need, 6 * self.px)

    # -- a group with its blocks in rows (layers, and pillars when they sit under the layers)
    def _grid(self, blocks: list[Any], width: float) -> tuple[int, float]:
        gap = self.s(8)
        need = max(self.block_min_width(b) for b in blocks)
        cols = max(1, min(len(blocks), int((width - self.s(16) + gap) // (need + gap))))
        return cols, (width - self.s(16) - gap * (cols - 1)) / cols

    def row_group_height(self, group: Any, width: float) -> float:
        blocks = self.children.get(group.id, [])
        if not blocks:
            return self.group_header(group, width) + self.s(12)
        cols, bw = self._grid(blocks, width)
        rows = [blocks[i:i + cols] for i in range(0, len(blocks), cols)]
        body = sum(max(self.block_height(b, bw) for b in row) for row in rows) + self.s(8) * (len(rows) - 1)
        return self.group_header(group, width) + body + self.s(10)

    def place_row_group(self, group: Any, axis: str, rect: QRectF) -> None:
        self.spec(group, "group", axis, rect)
        blocks = self.children.get(group.id, [])
        if not blocks:
            return
        cols, bw = self._grid(blocks, rect.width())
        rows = [blocks[i:i + cols] for i in range(0, len(blocks), cols)]
        y = rect.top() + self.group_header(group, rect.width())
        heights = [max(self.block_height(b, bw) for b in row) for row in rows]
        spare = max(0.0, rect.bottom() - self.s(10) - y - sum(heights) - self.s(8) * (len(rows) - 1)) / len(rows)
        for row, h in zip(rows, heights, strict=True):
            for i, b in enumerate(row):
                self.place_block(b, axis, QRectF(rect.left() + self.s(8) + i * (bw + self.s(8)), y, bw, h + spare))
            y += h + spare + self.s(8)

    # -- a pillar: its blocks stacked
    def pillar_height(self, group: Any, width: float) -> float:
        h = self.group_header(group, width)
        for b in self.children.get(group.id, []):
            h += self.block_height(b, width - self.s(16)) + self.s(8)
        return h + self.s(6)

    def place_pillar(self, group: Any, rect: QRectF) -> None:
        self.spec(group, "group", "pillar", rect)
        y = rect.top() + self.group_header(group, rect.width())
        for b in self.children.get(group.id, []):
            h = self.block_height(b, rect.width() - self.s(16))
            self.place_block(b, "pillar", QRectF(rect.left() + self.s(8), y, rect.width() - self.s(16), h))
            y += h + self.s(8)

    def pillar_min_width(self, group: Any) -> float:
        need = widest_piece(node_name(group), figure_font("group", True, self.px)) + self.s(20) + self.badge_w("group")
        return max([need, *(self.block_min_width(b) + self.s(16) for b in self.children.get(group.id, []))])

    def _pillars(self, pillars: list[Any], x0: float, y: float, width: float) -> float:
        """Pillars side by side in as many columns as fit (rows of them if needed); returns the bottom."""
        gap = self.s(10)
        need = max(self.pillar_min_width(g) for g in pillars)
        cols = max(1, min(len(pillars), int((width + gap) // (need + gap))))
        pw = (width - gap * (cols - 1)) / cols
        for i in range(0, len(pillars), cols):
            row = pillars[i:i + cols]
            h = max(self.pillar_height(g, pw) for g in row)
            for j, g in enumerate(row):
                self.place_pillar(g, QRectF(x0 + j * (pw + gap), y, pw, h))
            y += h + gap
        return y - gap

    def _city_os(self, frame_top: float, x0: float, x1: float) -> float:
        """The layers stacked on the left and the pillars beside (or under) them; returns the frame's bottom."""
        groups = [n for n in self.children.get(None, []) if n.level == "group"]
        if self.edition == 1:
            pillars = [g for g in groups if g.id in V1_PILLARS]
        else:
            pillars = [g for g in groups if g.axis == "pillar"]
        layers = [g for g in groups if g not in pillars]
        inner_x0, inner_x1 = x0 + self.s(14), x1 - self.s(14)
        title = fit_text(self.frame_title, figure_font("frame", True, self.px), inner_x1 - inner_x0)
        content_top = frame_top + self.s(22) + title.height()
        inner_w = inner_x1 - inner_x0
        gap = self.s(10)
        beside = bool(pillars) and (inner_w * 0.5 - self.s(12) - gap * (len(pillars) - 1)) / len(pillars) \
            >= max(self.pillar_min_width(g) for g in pillars)
        layers_w = inner_w * 0.5 if beside else inner_w
        heights = [self.row_group_height(g, layers_w) for g in layers]
        total_layers = sum(heights) + gap * max(0, len(layers) - 1)
        if beside:
            pillar_w = (inner_w - layers_w - self.s(12) - gap * (len(pillars) - 1)) / len(pillars)
            total_pillars = max(self.pillar_height(g, pillar_w) for g in pillars)
            height = max(total_layers, total_pillars)
            extra = (height - total_layers) / max(1, len(layers))
            px = inner_x0 + layers_w + self.s(12)
            for g in pillars:
                self.place_pillar(g, QRectF(px, content_top, pillar_w, height))
                px += pillar_w + gap
        else:
            extra = 0.0
        ly = content_top
        for g, h in zip(layers, heights, strict=True):
            self.place_row_group(g, "layer", QRectF(inner_x0, ly, layers_w, h + extra))
            ly += h + extra + gap
        bottom = content_top + (height if beside else total_layers)
        if pillars and not beside:
            bottom = self._pillars(pillars, inner_x0, bottom + gap, inner_w)
        return bottom + self.s(14)

    def _bar(self, context: dict[str, Any], ctx_id: str, rect: QRectF) -> None:
        node = context.get(ctx_id)
        if node is not None:
            self.spec(node, "context", "", rect, clickable=True)

    def _bar_h(self, context: dict[str, Any], ids: list[str], width: float) -> float:
        font = figure_font("context", True, self.px)
        return self.s(12) + max(fit_text(node_name(context[c]), font, width - self.s(12)).height()
                                for c in ids if c in context) if any(c in context for c in ids) else 0.0

    def run(self, context: dict[str, Any], frame_title: str, legend_height: float) -> tuple[list[BoxSpec], QRectF, QRectF]:
        pad = self.s(12)
        side = 1.9 * self.px  # the vertical interoperability bars: one character wide
        scene_w = self.width
        x0, x1 = pad + side + pad, scene_w - pad - side - pad
        y = pad
        for row in (["ctx/users"], ["ctx/strategy", "ctx/rules", "ctx/organization", "ctx/business"], ["ctx/services"]):
            cols = len(row) if (x1 - x0) / len(row) >= 8 * self.px else 2
            w = (x1 - x0 - pad * (cols - 1)) / cols
            h = self._bar_h(context, row, w)
            for i, cid in enumerate(row):
                r, c = divmod(i, cols)
                self._bar(context, cid, QRectF(x0 + c * (w + pad), y + r * (h + pad), w, h))
            y += (h + pad) * ((len(row) + cols - 1) // cols)

        frame_top = y
        self.frame_title = frame_title
        frame_bottom = self._city_os(frame_top, x0, x1)
        frame_node = context.get("ctx/city-os")
        frame = BoxSpec(frame_node.id if frame_node else "ctx/city-os", frame_title, "frame", "",
                        frame_node.provenance if frame_node else "source", None,
                        QRectF(x0, frame_top, x1 - x0, frame_bottom - frame_top), frame_node is not None,
                        self.tooltip(frame_node, None) if frame_node else "")
        frame.unit = self.u
        self.boxes.insert(0, frame)
        inter = context.get("ctx/interoperability")
        if inter is not None:
            left = QRectF(pad, frame_top, side, frame_bottom - frame_top)
            for rect in (left, left.translated(scene_w - 2 * pad - side, 0)):
                self.spec(inter, "context", "", rect).vertical = True
        y = frame_bottom + pad
        h = self._bar_h(context, ["ctx/assets"], x1 - x0)
        self._bar(context, "ctx/assets", QRectF(x0, y, x1 - x0, h))
        y += h + pad
        legend_rect = QRectF(x0, y, x1 - x0, legend_height)
        return self.boxes, QRectF(0, 0, scene_w, y + legend_height + pad), legend_rect
