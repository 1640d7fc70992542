"""Item delegates: the search snippet with its <b> highlights (from the sanitised HTML), and cards."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette, QPen, QTextCharFormat, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.models import CardRole, SnippetRole
from app.ui.theme import Theme


class SnippetDelegate(QStyledItemDelegate):
    """Draws the snippet (SnippetRole: text + highlighted spans, from the sanitised <b> HTML) with a
    highlight colour for matches, in whole lines only.

    Each cell is one QTextLayout (no QTextDocument, HTML parsing or style sheet per paint), kept in a
    small cache keyed by text, width, font and colours, so repainting a table costs only drawing.
    """

    MAX_LINES = 2
    MARGIN = 2.0
    CACHE_SIZE = 512

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cache: OrderedDict[tuple[Any, ...], tuple[QTextLayout, float]] = OrderedDict()

    def _layout(self, option: QStyleOptionViewItem, marked: tuple[str, tuple[tuple[int, int], ...]],
                width: float, available: float) -> tuple[QTextLayout, float]:
        """The laid-out text and the height of the whole lines that fit in `available`."""
        text, spans = marked
        hit = Theme.colors().hit
        key = (text, spans, round(width), round(available), option.font.key(), hit)
        got = self._cache.get(key)
        if got is not None:
            self._cache.move_to_end(key)
            return got
        layout = QTextLayout(text, option.font)
        opt = QTextOption()
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(opt)
        if spans:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(hit))
            fmt.setForeground(QColor("#000000"))
            fmt.setFontWeight(600)
            ranges = []
            for start, length in spans:
                r = QTextLayout.FormatRange()
                r.start, r.length, r.format = start, length, fmt
                ranges.append(r)
            layout.setFormats(ranges)
        margin = self.MARGIN
        line_width = max(10.0, width - 2 * margin)
        y = margin
        fits = 0.0
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                fits = max(fits + margin, 1.0)
                break
            line.setLineWidth(line_width)
            line.setPosition(QPointF(margin, y))
            bottom = y + line.height()
            if bottom > available:  # only whole lines: stop at the first one that does not fit
                fits = max(fits, min(available, margin + line.height()))
                break
            fits = bottom
            y = bottom
        layout.endLayout()
        self._cache[key] = (layout, fits)
        if len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)
        return layout, fits

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        marked = index.data(SnippetRole)
        if marked is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)  # background, selection and focus; the text is drawn below
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect.adjusted(4, 2, -4, -2)
        layout, fits = self._layout(option, marked, rect.width(), rect.height())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), fits))
        if fits < rect.height():  # vertically centre what is shown
            painter.translate(0, (rect.height() - fits) / 2)
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        layout.draw(painter, QPointF(0, 0))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        if index.data(SnippetRole) is None:
            return super().sizeHint(option, index)
        line = option.fontMetrics.lineSpacing()
        return QSize(320, int(line * self.MAX_LINES + 10))


class CardDelegate(QStyledItemDelegate):
    """A list row drawn as a small card: bold title with badges, then wrapped body text.

    Reads CardRole from the model: {"title": str, "badges": [(text, colour, dashed)], "body": str,
    "meta": str}. Used for the SCRA mapping and the sources of the detail pane.
    """

    PAD = 8

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[Any, Any, Any]:
        title = QFont(option.font)
        title.setBold(True)
        body = QFont(option.font)
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.88))
        return title, body, small

    def _layout(self, option: QStyleOptionViewItem, card: dict[str, Any], width: int) -> list[tuple[str, Any, QRectF, Any]]:
        """[(kind, payload, rect, font)] for the card at `width`; kind: title | badge | body | meta."""
        title_f, body_f, small_f = self._fonts(option)
        pad = self.PAD
        inner = width - 2 * pad
        items: list[tuple[str, Any, QRectF, Any]] = []
        tfm, sfm, bfm = QFontMetricsF(title_f), QFontMetricsF(small_f), QFontMetricsF(body_f)
        flags = int(Qt.TextFlag.TextWordWrap)
        badges = card.get("badges", [])
        badge_w = sum(sfm.horizontalAdvance(b[0]) + 16 for b in badges) + 6 * len(badges)
        title_w = inner - badge_w - 8 if badge_w < inner * 0.55 else inner
        trect = tfm.boundingRect(QRectF(0, 0, title_w, 10000), flags, card.get("title", ""))
        y = float(pad)
        items.append(("title", card.get("title", ""), QRectF(pad, y, title_w, trect.height()), title_f))
        if title_w < inner:  # badges on the title line, right-aligned
            x = pad + inner - badge_w + 6
            by = y
        else:
            x, by = float(pad), y + trect.height() + 4
        bh = sfm.height() + 4
        for text, colour, dashed in badges:
            w = sfm.horizontalAdvance(text) + 16
            items.append(("badge", (text, colour, dashed), QRectF(x, by, w, bh), small_f))
            x += w + 6
        y = max(y + trect.height(), by + (bh if badges else 0)) + 4
        if card.get("body"):
            r = bfm.boundingRect(QRectF(0, 0, inner, 10000), flags, card["body"])
            items.append(("body", card["body"], QRectF(pad, y, inner, r.height()), body_f))
            y += r.height() + 2
        if card.get("meta"):
            r = sfm.boundingRect(QRectF(0, 0, inner, 10000), flags, card["meta"])
            items.append(("meta", card["meta"], QRectF(pad, y, inner, r.height()), small_f))
            y += r.height()
        items.append(("end", None, QRectF(0, 0, width, y + pad), None))
        return items

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        card = index.data(CardRole)
        if not isinstance(card, dict):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(Theme.colors().muted) if not selected else text_colour
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.translate(option.rect.topLeft())
        flags = int(Qt.TextFlag.TextWordWrap)
        for kind, payload, rect, font in self._layout(option, card, option.rect.width()):
            if kind == "end":
                continue
            painter.setFont(font)
            if kind == "badge":
                text, colour, dashed = payload
                pen = QPen(QColor(colour), 1.4)
                if dashed:
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), rect.height() / 2, rect.height() / 2)
                painter.setPen(QColor(colour))
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
            else:
                painter.setPen(muted if kind == "meta" else text_colour)
                painter.drawText(rect, flags, payload)
        # a thin separator between cards
        painter.setPen(QPen(QColor(Theme.colors().border), 1))
        painter.drawLine(8, option.rect.height() - 1, option.rect.width() - 8, option.rect.height() - 1)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        card = index.data(CardRole)
        if not isinstance(card, dict):
            return super().sizeHint(option, index)
        width = option.rect.width()
        if width <= 0 and option.widget is not None:
            width = option.widget.viewport().width() if hasattr(option.widget, "viewport") else option.widget.width()
        width = max(200, width)
        end = self._layout(option, card, width)[-1][2]
        return QSize(width, int(end.height()) + 1)
