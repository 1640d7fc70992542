"""The SCRA figure's legend: line styles and states, the plan overlay's coverage bands and gap severities
(from the one scale in app/plan/scale.py), and how to use the figure. Entries flow onto as many rows as
the figure's width needs, at the figure's text size."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.arch_items import Palette
from app.ui.arch_text import CENTER, figure_font, fit_text


@dataclass
class Entry:
    label: str
    kind: str  # solid | dashed | hit | active | badge | band | severity | text
    fill: str = ""
    text: str = ""  # glyph (band / severity) or the badge's sample number
    colour: str = ""


class LegendItem(QGraphicsItem):
    """Legend entries in rows; `measure(entries, width)` gives the height the layout must leave."""

    def __init__(self, rect: QRectF, entries: list[Entry]) -> None:
        super().__init__()
        self.rect = rect
        self.entries = entries

    @staticmethod
    def _swatch_w(fm: QFontMetricsF) -> float:
        return fm.height() * 1.9

    @classmethod
    def _place(cls, entries: list[Entry], width: float) -> list[tuple[Entry, QRectF]]:
        font = figure_font("legend")
        fm = QFontMetricsF(font)
        sw, gap, line = cls._swatch_w(fm), fm.height() * 0.5, fm.lineSpacing() * 1.35
        x = y = 0.0
        out: list[tuple[Entry, QRectF]] = []
        for e in entries:
            if e.kind == "text":  # a full-width line of its own
                if x > 0:
                    x, y = 0.0, y + line
                h = fit_text(e.label, font, width).height()
                out.append((e, QRectF(0, y, width, h)))
                y += h + line - fm.lineSpacing()
                continue
            w = sw + gap + fm.horizontalAdvance(e.label)
            if x > 0 and x + w > width:
                x, y = 0.0, y + line
            out.append((e, QRectF(x, y, min(w, width), line)))
            x += w + gap * 3
        return out

    @classmethod
    def measure(cls, entries: list[Entry], width: float) -> float:
        placed = cls._place(entries, width)
        return max((r.bottom() for _e, r in placed), default=0.0) + 4

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        pal = Palette.current()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = figure_font("legend")
        fm = QFontMetricsF(font)
        sw, sh = self._swatch_w(fm), fm.height()
        for e, r in self._place(self.entries, self.rect.width()):
            r = r.translated(self.rect.topLeft())
            painter.setFont(font)
            if e.kind == "text":
                painter.setPen(pal.muted)
                fit_text(e.label, font, r.width()).paint(painter, r)
                continue
            swatch = QRectF(r.left(), r.top() + (fm.lineSpacing() - sh) / 2, sw, sh)
            self._paint_swatch(painter, pal, e, swatch)
            painter.setFont(font)
            painter.setPen(pal.text)
            painter.drawText(QPointF(swatch.right() + sh * 0.5, swatch.top() + fm.ascent()), e.label)

    @staticmethod
    def _paint_swatch(painter: QPainter, pal: Palette, e: Entry, r: QRectF) -> None:
        styles = {"solid": (pal.block_fill, pal.layer_border, Qt.PenStyle.SolidLine),
                  "dashed": (pal.block_fill, pal.layer_border, Qt.PenStyle.DashLine),
                  "hit": (pal.hit_fill, pal.hit_border, Qt.PenStyle.SolidLine),
                  "active": (pal.block_fill, pal.active_border, Qt.PenStyle.SolidLine)}
        if e.kind in styles:
            fill, border, style = styles[e.kind]
            pen = QPen(border, 2.5)
            pen.setStyle(style)
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRoundedRect(r, 5, 5)
            return
        font = figure_font("badge", True)
        painter.setFont(font)
        if e.kind == "badge":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pal.badge_fill)
            painter.drawRoundedRect(r, r.height() / 2, r.height() / 2)
            painter.setPen(pal.badge_text)
        elif e.kind == "band":
            painter.setPen(QPen(pal.muted, 1))
            painter.setBrush(QColor(e.fill))
            painter.drawRoundedRect(r, 5, 5)
            painter.setPen(QColor(e.colour))
        else:  # severity: its outline colour and glyph
            painter.setPen(QPen(QColor(e.colour), 3))
            painter.setBrush(pal.block_fill)
            painter.drawRoundedRect(r, 5, 5)
            painter.setPen(QColor(e.colour))
        painter.drawText(r, CENTER, e.text)
