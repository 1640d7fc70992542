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

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QTextLayout, QTextOption, QWheelEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QHBoxLayout,
    QPushButton,
    QStyleOptionGraphicsItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.search.query import parse
from app.ui.i18n import node_name
from app.ui.theme import Theme
from app.ui.widgets import ElidedLabel

SCENE_W = 1600.0
PAD = 12.0
SIDE_W = 50.0
BAR_H = 46.0
V1_PILLARS = ("v1/security", "v1/operations")  # drawn as vertical pillars, like the 1st-edition figure

FONT_PX = {"context": 18, "group": 18, "block": 15, "function": 13, "legend": 17, "frame": 19}


def _font(level: str, bold: bool = False) -> QFont:
    f = QFont(Theme.family) if Theme.family else QFont()
    if Theme.family:
        f.setFamilies([Theme.family])
    f.setPixelSize(FONT_PX.get(level, 15))
    f.setBold(bold)
    return f


CENTER_WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignCenter)


def _wrap_option(align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) -> QTextOption:
    """Wrap at word boundaries (Japanese breaks between characters), a long word anywhere: never clip."""
    opt = QTextOption(align)
    opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    return opt


def _text_height(text: str, font: QFont, width: float) -> float:
    layout = QTextLayout(text, font)
    layout.setTextOption(_wrap_option())
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(10.0, width))
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return height


@dataclass
class Palette:
    text: QColor
    muted: QColor
    context_fill: QColor
    context_border: QColor
    layer_fill: QColor
    layer_border: QColor
    pillar_fill: QColor
    pillar_border: QColor
    block_fill: QColor
    function_fill: QColor
    frame_fill: QColor
    frame_border: QColor
    hit_fill: QColor
    hit_border: QColor
    active_border: QColor
    badge_fill: QColor
    badge_text: QColor
    badge_zero: QColor
    hover: QColor

    @staticmethod
    def current() -> Palette:
        colours = _HIGH_CONTRAST_COLOURS if Theme.high_contrast else _NORMAL_COLOURS
        return Palette(**{name: QColor(hex_) for name, hex_ in colours.items()})


# Palette fields → colours, for the normal and the high-contrast theme.
_HIGH_CONTRAST_COLOURS = dict(
    text="#ffffff", muted="#e0e0e0", context_fill="#000000",
    context_border="#ffffff", layer_fill="#000000", layer_border="#4fc3f7",
    pillar_fill="#000000", pillar_border="#69f0ae", block_fill="#101010",
    function_fill="#1c1c1c", frame_fill="#000000", frame_border="#ffffff",
    hit_fill="#5c4a00", hit_border="#ffd600", active_border="#ff80ff",
    badge_fill="#ffd600", badge_text="#000000", badge_zero="#757575",
    hover="#ffd600")
_NORMAL_COLOURS = dict(
    text="#1d2430", muted="#5b6576", context_fill="#eef1f6",
    context_border="#9aa6b6", layer_fill="#e4eefb", layer_border="#2f6db5",
    pillar_fill="#e3f3ec", pillar_border="#2e7d5b", block_fill="#ffffff",
    function_fill="#f6f8fb", frame_fill="#fbfcfe", frame_border="#44546a",
    hit_fill="#fff1a8", hit_border="#e6a100", active_border="#d81b60",
    badge_fill="#1565c0", badge_text="#ffffff", badge_zero="#b0b8c4",
    hover="#1565c0")


@dataclass
class BoxSpec:
    node_id: str
    title: str
    level: str  # context | group | block | function | frame
    axis: str = ""  # layer | pillar (groups and their children)
    provenance: str = "source"
    count: int | None = None
    rect: QRectF = field(default_factory=QRectF)
    clickable: bool = True
    tooltip: str = ""
    vertical: bool = False  # the interoperability bars on both sides of the city OS


class NodeBox(QGraphicsObject):
    """One SCRA box. Draws itself from its spec and state; clicks are reported to the scene."""

    def __init__(self, spec: BoxSpec) -> None:
        super().__init__()
        self.spec = spec
        self.highlighted = False
        self.dimmed = False
        self.active = False
        self._hover = False
        self.setAcceptHoverEvents(spec.clickable)
        self.setToolTip(spec.tooltip)
        if spec.clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue({"frame": 0, "context": 1, "group": 2, "block": 3, "function": 4}.get(spec.level, 1))

    def boundingRect(self) -> QRectF:
        return self.spec.rect.adjusted(-4, -4, 4, 4)

    def set_state(self, highlighted: bool, dimmed: bool, active: bool) -> None:
        if (highlighted, dimmed, active) != (self.highlighted, self.dimmed, self.active):
            self.highlighted, self.dimmed, self.active = highlighted, dimmed, active
            self.update()

    def _colors(self, pal: Palette) -> tuple[QColor, QColor]:
        s = self.spec
        if s.level == "frame":
            return pal.frame_fill, pal.frame_border
        if s.level == "context":
            return pal.context_fill, pal.context_border
        border = pal.pillar_border if s.axis == "pillar" else pal.layer_border
        if s.level == "group":
            return (pal.pillar_fill if s.axis == "pillar" else pal.layer_fill), border
        return (pal.block_fill if s.level == "block" else pal.function_fill), border

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        s = self.spec
        pal = Palette.current()
        fill, border = self._colors(pal)
        if self.highlighted:
            fill = pal.hit_fill
        width = {"frame": 2.0, "context": 1.5, "group": 2.0, "block": 1.5, "function": 1.2}.get(s.level, 1.5)
        if Theme.high_contrast:
            width += 1.0
        pen = QPen(border, width)
        if s.provenance == "editorial" and s.level != "frame":
            pen.setStyle(Qt.PenStyle.DashLine)
        if self.highlighted:
            pen.setColor(pal.hit_border)
            pen.setWidthF(width + 1.5)
        if self.active:
            pen.setColor(pal.active_border)
            pen.setWidthF(width + 2.5)
        elif self._hover:
            pen.setColor(pal.hover)
            pen.setWidthF(width + 1.0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(0.42 if self.dimmed else 1.0)
        radius = 10.0 if s.level in ("group", "frame") else 7.0
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(s.rect, radius, radius)

        inner = s.rect.adjusted(10, 7, -10, -6)
        badge_w = 0.0
        if s.count is not None:
            badge_w = self._paint_badge(painter, pal, inner)
        painter.setPen(pal.text)
        if s.level == "frame":
            painter.setFont(_font("frame", True))
            painter.drawText(inner, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), s.title)
        elif s.vertical:
            self._paint_vertical(painter)
        elif s.level == "context":
            painter.setFont(_font("context", True))
            painter.drawText(s.rect.adjusted(6, 4, -6 - badge_w, -4), s.title, _wrap_option(Qt.AlignmentFlag.AlignCenter))
        else:
            painter.setFont(_font(s.level, s.level != "function"))
            painter.drawText(inner.adjusted(0, 0, -badge_w, 0), s.title, _wrap_option())
        painter.setOpacity(1.0)

    def _paint_vertical(self, painter: QPainter) -> None:
        """Japanese stacks its characters top to bottom (縦書き); other scripts are rotated."""
        s = self.spec
        painter.setFont(_font("context", True))
        title = s.title.split("（")[0].split(" (")[0] if any("\u3040" <= c <= "\u9fff" for c in s.title) else s.title
        if any("\u3040" <= c <= "\u9fff" for c in title):
            painter.drawText(s.rect, CENTER_WRAP, "\n".join(title))
            return
        painter.save()
        painter.translate(s.rect.center())
        painter.rotate(-90)
        box = QRectF(-s.rect.height() / 2 + 6, -s.rect.width() / 2, s.rect.height() - 12, s.rect.width())
        painter.drawText(box, CENTER_WRAP, title)
        painter.restore()

    def _paint_badge(self, painter: QPainter, pal: Palette, inner: QRectF) -> float:
        count = self.spec.count or 0
        f = _font("function" if self.spec.level == "function" else "block", True)
        fm = QFontMetricsF(f)
        text = str(count)
        w = max(fm.horizontalAdvance(text) + 14, fm.height() + 6)
        h = fm.height() + 4
        rect = QRectF(inner.right() - w, inner.top(), w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pal.badge_fill if count else pal.badge_zero)
        painter.drawRoundedRect(rect, h / 2, h / 2)
        painter.setPen(pal.badge_text)
        painter.setFont(f)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        return w + 6

    # -- interaction
    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self.update()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.spec.clickable and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
        else:
            event.ignore()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene = self.scene()
        if self.spec.clickable and self.spec.rect.contains(event.pos()) and isinstance(scene, ArchitectureScene):
            scene.boxClicked.emit(self.spec.node_id)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene = self.scene()
        if isinstance(scene, ArchitectureScene):
            scene.boxDoubleClicked.emit(self.spec.node_id)


class LegendItem(QGraphicsItem):
    """Solid = sourced, dashed = editorial, yellow = covered by the selected service, pink = filter."""

    def __init__(self, rect: QRectF, labels: list[str]) -> None:
        super().__init__()
        self.rect = rect
        self.labels = labels

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        pal = Palette.current()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = _font("legend")
        painter.setFont(font)
        fm = QFontMetricsF(font)
        x = self.rect.left()
        y = self.rect.top() + 6
        sw, sh = 34.0, 20.0
        styles = [
            (Qt.PenStyle.SolidLine, pal.block_fill, pal.layer_border),
            (Qt.PenStyle.DashLine, pal.block_fill, pal.layer_border),
            (Qt.PenStyle.SolidLine, pal.hit_fill, pal.hit_border),
            (Qt.PenStyle.SolidLine, pal.block_fill, pal.active_border),
        ]
        for (style, fill, border), label in zip(styles, self.labels[:4], strict=False):
            pen = QPen(border, 2.5 if border != pal.layer_border else 1.8)
            pen.setStyle(style)
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(x, y, sw, sh), 5, 5)
            painter.setPen(pal.text)
            painter.drawText(QPointF(x + sw + 8, y + sh / 2 + fm.ascent() / 2 - 2), label)
            x += sw + 8 + fm.horizontalAdvance(label) + 30
        if len(self.labels) > 4:  # badge explanation
            painter.setBrush(pal.badge_fill)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(QRectF(x, y, 34, sh), sh / 2, sh / 2)
            painter.setPen(pal.badge_text)
            painter.drawText(QRectF(x, y, 34, sh), int(Qt.AlignmentFlag.AlignCenter), "12")
            painter.setPen(pal.text)
            painter.drawText(QPointF(x + 42, y + sh / 2 + fm.ascent() / 2 - 2), self.labels[4])


class ArchitectureScene(QGraphicsScene):
    boxClicked = Signal(str)
    boxDoubleClicked = Signal(str)


# ---------------------------------------------------------------------------------------------
# Layout


class _Layout:
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
        h = 8 + max(_text_height(node_name(block), _font("block", True), width - 20 - 44), 22) + 8
        for fn in self.children.get(block.id, []):
            h += self.function_height(fn, width - 16) + 6
        return h + 4

    def function_height(self, fn: Any, width: float) -> float:
        return 7 + max(_text_height(node_name(fn), _font("function"), width - 20 - 38), 18) + 7

    def place_block(self, block: Any, axis: str, rect: QRectF) -> None:
        self.spec(block, "block", axis, rect)
        y = rect.top() + 8 + max(_text_height(node_name(block), _font("block", True), rect.width() - 20 - 44), 22) + 8
        for fn in self.children.get(block.id, []):
            h = self.function_height(fn, rect.width() - 16)
            self.spec(fn, "function", axis, QRectF(rect.left() + 8, y, rect.width() - 16, h))
            y += h + 6

    def group_header(self, group: Any, width: float) -> float:
        return 10 + max(_text_height(node_name(group), _font("group", True), width - 20 - 50), 24) + 10

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

    def run(self, context: dict[str, Any], frame_title: str, legend: list[str]) -> tuple[list[BoxSpec], QRectF, QRectF]:
        groups = [n for n in self.children.get(None, []) if n.level == "group"]
        if self.edition == 1:
            pillars = [g for g in groups if g.id in V1_PILLARS]
        else:
            pillars = [g for g in groups if g.axis == "pillar"]
        layers = [g for g in groups if g not in pillars]

        x0, x1 = PAD + SIDE_W + PAD, SCENE_W - PAD - SIDE_W - PAD
        y = PAD

        def bar(ctx_id: str, rect: QRectF) -> None:
            node = context.get(ctx_id)
            if node is not None:
                self.spec(node, "context", "", rect, clickable=True)

        bar("ctx/users", QRectF(x0, y, x1 - x0, BAR_H))
        y += BAR_H + PAD
        row = ["ctx/strategy", "ctx/rules", "ctx/organization", "ctx/business"]
        w = (x1 - x0 - PAD * (len(row) - 1)) / len(row)
        for i, cid in enumerate(row):
            bar(cid, QRectF(x0 + i * (w + PAD), y, w, BAR_H))
        y += BAR_H + PAD
        bar("ctx/services", QRectF(x0, y, x1 - x0, BAR_H))
        y += BAR_H + PAD

        frame_top = y
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
        frame_bottom = content_top + height + 14
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
        bar("ctx/assets", QRectF(x0, y, x1 - x0, BAR_H))
        y += BAR_H + PAD
        legend_rect = QRectF(x0, y, x1 - x0, 34)
        return self.boxes, QRectF(0, 0, SCENE_W, y + 40), legend_rect


# ---------------------------------------------------------------------------------------------
# View widget


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

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
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
        self.hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.title, 2)
        bar.addSpacing(12)
        bar.addWidget(self.ed2)
        bar.addWidget(self.ed1)
        bar.addSpacing(12)
        bar.addWidget(self.zoom_out)
        bar.addWidget(self.zoom_in)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.hint, 3)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(2)
        root.addLayout(bar)
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
            lines.append(self.tr("%1 catalog entries").replace("%1", str(count)))
        lines.append(self.tr("Sourced") if node.provenance == "source" else self.tr("Editorial (our own placement)"))
        if node.description:
            lines.append(node.description)
        if node.maps_to:
            nodes = self.db.nodes()
            lines.append(self.tr("2nd edition: %1").replace(
                "%1", "、".join(node_name(nodes[t]) for t in node.maps_to if t in nodes)))
        return "\n".join(lines)

    def rebuild(self) -> None:
        """(Re)draw the figure for the current edition, language and theme."""
        self.scene.clear()
        self._boxes.clear()
        all_nodes = self.db.nodes()
        context = {n.id: n for n in all_nodes.values() if n.level == "context"}
        nodes = {k: v for k, v in self.db.nodes(self.edition).items() if v.level != "context"}
        layout = _Layout(nodes, self.counts(self.edition), self.edition, self._tooltip)
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
