"""The SCRA figure's graphics items: fonts, colours, the box spec, a box, the legend, the scene."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.plan.scale import Band, SeverityMark
from app.ui.arch_text import CENTER, badge_size, figure_font, fit_text, has_cjk, title_reserve
from app.ui.safe_text import plain_tip
from app.ui.theme import Theme

V1_PILLARS = ("v1/security", "v1/operations")  # drawn as vertical pillars, like the 1st-edition figure


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
    focus: QColor

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
    hover="#ffd600", focus="#00e5ff")
_NORMAL_COLOURS = dict(
    text="#1d2430", muted="#5b6576", context_fill="#eef1f6",
    context_border="#9aa6b6", layer_fill="#e4eefb", layer_border="#2f6db5",
    pillar_fill="#e3f3ec", pillar_border="#2e7d5b", block_fill="#ffffff",
    function_fill="#f6f8fb", frame_fill="#fbfcfe", frame_border="#44546a",
    hit_fill="#fff1a8", hit_border="#e6a100", active_border="#d81b60",
    badge_fill="#1565c0", badge_text="#ffffff", badge_zero="#5b6576",
    hover="#1565c0", focus="#6a1b9a")


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
    unit: float = 1.0  # the layout's spacing unit (text size / 15 px)
    overlay_room: bool = False  # laid out with room for the plan overlay's glyphs


@dataclass
class Overlay:
    """A box's plan overlay: its coverage band, and the worst gap severity in or under it."""

    band: Band | None = None
    severity: SeverityMark | None = None
    gap: bool = False  # the box itself is a gap (outlined)


class NodeBox(QGraphicsObject):
    """One SCRA box. Draws itself from its spec and state; clicks are reported to the scene."""

    def __init__(self, spec: BoxSpec) -> None:
        super().__init__()
        self.spec = spec
        self.highlighted = False
        self.dimmed = False
        self.active = False
        self.focused = False
        self.overlay: Overlay | None = None
        self._hover = False
        self.setAcceptHoverEvents(spec.clickable)
        self.setToolTip(plain_tip(spec.tooltip))
        if spec.clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue({"frame": 0, "context": 1, "group": 2, "block": 3, "function": 4}.get(spec.level, 1))

    def boundingRect(self) -> QRectF:
        m = 5 * self.spec.unit
        return self.spec.rect.adjusted(-m, -m, m, m)

    def set_state(self, highlighted: bool, dimmed: bool, active: bool) -> None:
        if (highlighted, dimmed, active) != (self.highlighted, self.dimmed, self.active):
            self.highlighted, self.dimmed, self.active = highlighted, dimmed, active
            self.update()

    def set_overlay(self, overlay: Overlay | None) -> None:
        self.overlay = overlay
        self.update()

    def set_focused(self, on: bool) -> None:
        if on != self.focused:
            self.focused = on
            self.update()

    def _colors(self, pal: Palette) -> tuple[QColor, QColor]:
        s = self.spec
        if s.level == "frame":
            return pal.frame_fill, pal.frame_border
        if s.level == "context":
            return pal.context_fill, pal.context_border
        border = pal.pillar_border if s.axis == "pillar" else pal.layer_border
        if self.overlay is not None and self.overlay.band is not None:
            return QColor(self.overlay.band.fill), border
        if s.level == "group":
            return (pal.pillar_fill if s.axis == "pillar" else pal.layer_fill), border
        return (pal.block_fill if s.level == "block" else pal.function_fill), border

    def fill_colour(self) -> QColor:
        return self._colors(Palette.current())[0]

    def _pen(self, pal: Palette, border: QColor) -> QPen:
        s, u = self.spec, self.spec.unit
        width = {"frame": 2.0, "context": 1.5, "group": 2.0, "block": 1.5, "function": 1.2}.get(s.level, 1.5) * u
        if Theme.high_contrast:
            width += u
        pen = QPen(border, width)
        if s.provenance == "editorial" and s.level != "frame":
            pen.setStyle(Qt.PenStyle.DashLine)
        ov = self.overlay
        if ov is not None and ov.gap and ov.severity is not None:
            pen = QPen(QColor(ov.severity.colour), width + 2.5 * u)  # gaps outlined in their severity colour
        if self.highlighted:
            pen.setColor(pal.hit_border)
            pen.setWidthF(width + 1.5 * u)
        if self.active:
            pen.setColor(pal.active_border)
            pen.setWidthF(width + 2.5 * u)
        elif self._hover:
            pen.setColor(pal.hover)
            pen.setWidthF(width + u)
        return pen

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        s, u = self.spec, self.spec.unit
        pal = Palette.current()
        fill, border = self._colors(pal)
        if self.highlighted:
            fill = pal.hit_fill
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(0.42 if self.dimmed else 1.0)
        radius = (10.0 if s.level in ("group", "frame") else 7.0) * u
        painter.setPen(self._pen(pal, border))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(s.rect, radius, radius)
        if self.focused:
            painter.setPen(QPen(pal.focus, 3 * u, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(s.rect.adjusted(-4 * u, -4 * u, 4 * u, 4 * u), radius, radius)

        inner = s.rect.adjusted(10 * u, 7 * u, -10 * u, -6 * u)
        badge_w = self._paint_badge(painter, pal, inner) if s.count is not None else 0.0
        self._paint_severity(painter, inner.adjusted(0, 0, -badge_w, 0))
        badge_w = title_reserve(s.count is not None, s.overlay_room, u)
        ov = self.overlay
        text_colour = QColor(ov.band.text) if ov is not None and ov.band is not None and not self.highlighted else pal.text
        painter.setPen(text_colour)
        if s.level == "frame":
            fit_text(s.title, figure_font("frame", True), inner.width()).paint(painter, inner)
        elif s.vertical:
            self._paint_vertical(painter)
        elif s.level == "context":
            area = s.rect.adjusted(6 * u, 4 * u, -6 * u, -4 * u)
            fit_text(s.title, figure_font("context", True), area.width()).paint(painter, area, center=True)
        else:
            title = s.title if ov is None or ov.band is None else f"{ov.band.glyph} {s.title}"
            fit_text(title, figure_font(s.level, s.level != "function"), inner.width() - badge_w).paint(painter, inner)
        painter.setOpacity(1.0)

    def _paint_vertical(self, painter: QPainter) -> None:
        """Japanese stacks its characters top to bottom (縦書き); other scripts are rotated."""
        s = self.spec
        font = figure_font("context", True)
        painter.setFont(font)
        title = s.title.split("（")[0].split(" (")[0] if has_cjk(s.title) else s.title
        if has_cjk(title):
            painter.drawText(s.rect, CENTER | int(Qt.TextFlag.TextWordWrap), "\n".join(title))
            return
        painter.save()
        painter.translate(s.rect.center())
        painter.rotate(-90)
        box = QRectF(-s.rect.height() / 2 + 6, -s.rect.width() / 2, s.rect.height() - 12, s.rect.width())
        painter.drawText(box, CENTER, title)
        painter.restore()

    def _paint_badge(self, painter: QPainter, pal: Palette, inner: QRectF) -> float:
        count = self.spec.count or 0
        text = str(count)
        w, h = badge_size(text, self.spec.unit)
        rect = QRectF(inner.right() - w, inner.top(), w, h)
        on_band = self.overlay is not None and self.overlay.band is not None
        # on an overlay colour the badge is white with an outline, so it never melts into a blue band
        painter.setPen(QPen(pal.text, self.spec.unit) if on_band else Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ffffff") if on_band else (pal.badge_fill if count else pal.badge_zero))
        painter.drawRoundedRect(rect, h / 2, h / 2)
        painter.setPen(QColor("#1d2430") if on_band else pal.badge_text)
        painter.setFont(figure_font("badge", True))
        painter.drawText(rect, CENTER, text)
        return w + 6 * self.spec.unit

    def _paint_severity(self, painter: QPainter, inner: QRectF) -> float:
        """The worst gap severity in the box as a glyph (shape as well as colour), left of the badge."""
        ov = self.overlay
        if ov is None or ov.severity is None or ov.severity.key == "normal":
            return 0.0
        f = figure_font("badge", True)
        fm = QFontMetricsF(f)
        w = fm.horizontalAdvance(ov.severity.glyph) + 4 * self.spec.unit
        painter.setFont(f)
        painter.setPen(QColor(ov.severity.colour))
        painter.drawText(QRectF(inner.right() - w, inner.top(), w, fm.height()), CENTER, ov.severity.glyph)
        return w + 4 * self.spec.unit

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


class ArchitectureScene(QGraphicsScene):
    boxClicked = Signal(str)
    boxDoubleClicked = Signal(str)
