"""The SCRA figure's graphics items: fonts, colours, the box spec, a box, the legend, the scene."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.ui.safe_text import plain_tip
from app.ui.theme import Theme

SCENE_W = 1600.0
PAD = 12.0
SIDE_W = 50.0
BAR_H = 46.0
V1_PILLARS = ("v1/security", "v1/operations")  # drawn as vertical pillars, like the 1st-edition figure

FONT_PX = {"context": 18, "group": 18, "block": 15, "function": 13, "legend": 17, "frame": 19}


def figure_font(level: str, bold: bool = False) -> QFont:
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


def text_height(text: str, font: QFont, width: float) -> float:
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
        self.setToolTip(plain_tip(spec.tooltip))
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
            painter.setFont(figure_font("frame", True))
            painter.drawText(inner, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), s.title)
        elif s.vertical:
            self._paint_vertical(painter)
        elif s.level == "context":
            painter.setFont(figure_font("context", True))
            painter.drawText(s.rect.adjusted(6, 4, -6 - badge_w, -4), s.title, _wrap_option(Qt.AlignmentFlag.AlignCenter))
        else:
            painter.setFont(figure_font(s.level, s.level != "function"))
            painter.drawText(inner.adjusted(0, 0, -badge_w, 0), s.title, _wrap_option())
        painter.setOpacity(1.0)

    def _paint_vertical(self, painter: QPainter) -> None:
        """Japanese stacks its characters top to bottom (縦書き); other scripts are rotated."""
        s = self.spec
        painter.setFont(figure_font("context", True))
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
        f = figure_font("function" if self.spec.level == "function" else "block", True)
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
        font = figure_font("legend")
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
