"""Item delegates: the search snippet with its <b> highlights, drawn from (sanitised) HTML."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.models import HtmlRole
from app.ui.theme import Theme


class SnippetDelegate(QStyledItemDelegate):
    """Renders HtmlRole (only <b> survives sanitising) with a highlight colour for matches."""

    MAX_LINES = 2

    def _document(self, option: QStyleOptionViewItem, html: str, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(2)
        doc.setDefaultFont(option.font)
        c = Theme.colors()
        mark_bg = c.hit
        mark_fg = "#000000"
        doc.setDefaultStyleSheet(f"b {{ background-color: {mark_bg}; color: {mark_fg}; font-weight: 600; }}")
        opt = QTextOption()
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(opt)
        doc.setHtml(html)
        doc.setTextWidth(max(10.0, width))
        return doc

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        html = index.data(HtmlRole)
        if html is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect.adjusted(4, 2, -4, -2)
        doc = self._document(option, html, rect.width())
        painter.save()
        painter.translate(rect.topLeft())
        clip = QRectF(0, 0, rect.width(), rect.height())
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        ctx.clip = clip
        # vertically centre short snippets
        h = doc.size().height()
        if h < rect.height():
            painter.translate(0, (rect.height() - h) / 2)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        html = index.data(HtmlRole)
        if html is None:
            return super().sizeHint(option, index)
        line = option.fontMetrics.lineSpacing()
        return QSize(320, int(line * self.MAX_LINES + 10))
