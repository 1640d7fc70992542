"""Finds text that does not fit on screen: clipped labels, buttons, tabs, header sections and chips,
and Japanese words broken inside a word by line wrapping. Used by tests/ui/test_layout_fit.py.

What counts as clipped (each visible widget, measured with the font metrics Qt paints with):
- QLabel: its text laid out by QTextDocument with the label's font (wrapped to the contents width
  when the label wraps) is wider or taller than the label's contents rect; or the label is cut off
  by an ancestor (outside a scroll area's viewport: scrolled-away content is fine).
- QAbstractButton with text: narrower or lower than its minimum size hint (what the style needs to
  draw the text, icon and padding), or cut off by an ancestor.
- Tab: the tab's text (bold when selected, as the style sheet draws it) wider than its tab rect, or
  the tab outside its bar (behind scroll arrows).
- Header section: the section narrower than the header's size hint for it, or (horizontal headers)
  not inside the header's viewport — a column pushed off-screen. Table cells may elide.
- Chip (QFrame#chip): not entirely inside the window (the chip bar must not cut a chip).
- Facet headings (top-level rows of the facet tree): their text elided.
- Painted tiles (a widget with `clipped_tiles()`, the plan's coverage diagram): what it reports.

Where a Japanese word may break (a wrapped label's line breaks, from the same QTextDocument layout
Qt uses): never inside a run of katakana (including ー: 「シ/ステム」), never between a kanji and the
hiragana after it (okurigana — and particles, which cannot be told apart without a dictionary, so
they stay with their kanji too: the rule is stricter than needed, never looser), never between two
Latin letters or digits ("Authenticati/on"), and, when a glossary is given, never inside one of its
words. Breaks between kanji, after punctuation, around ・ and between scripts are allowed (UAX #14
with these exceptions). app/ui/jp_text.keep_words applies the same rule to the app's wrapped text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6 import QtGui
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QFrame,
    QHeaderView,
    QLabel,
    QTabBar,
    QTreeView,
    QWidget,
)

JOINERS = "\u2060\u200d\u00ad"  # word joiner, ZWJ, soft hyphen: not characters of their own for the break rule


@dataclass(frozen=True)
class Problem:
    view: str
    kind: str  # clipped | cut-off | off-screen | broken-word | window-too-small
    widget: str
    text: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.view}] {self.kind}: {self.widget} 「{self.text[:60]}」 {self.detail}"


def is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch in "ーヽヾ" or "\uff66" <= ch <= "\uff9f"


def is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u3096" or ch in "ゝゞ"


def is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "々〆"


def is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or "\uff10" <= ch <= "\uff5a"


def bad_break(text: str, pos: int, glossary: tuple[str, ...] = ()) -> str:
    """Why a line break before text[pos] splits a word ('' if it does not)."""
    i = pos - 1
    while i >= 0 and text[i] in JOINERS:
        i -= 1
    j = pos
    while j < len(text) and text[j] in JOINERS:
        j += 1
    if i < 0 or j >= len(text):
        return ""
    a, b = text[i], text[j]
    if is_katakana(a) and is_katakana(b):
        return "inside a katakana word"
    if is_kanji(a) and is_hiragana(b):
        return "between a kanji and its okurigana"
    if is_latin(a) and is_latin(b):
        return "inside a Latin word"
    plain = text.replace("\u2060", "")
    ppos = pos - text[:pos].count("\u2060")
    for word in glossary:
        for m in re.finditer(re.escape(word), plain):
            if m.start() < ppos < m.end():
                return f"inside 「{word}」"
    return ""


def layout_lines(text: str, font: QFont, width: float | None, rich: bool) -> tuple[list[tuple[int, str]], float, float]:
    """(line starts with their block text, natural width, height) of `text` laid out as a QLabel does."""
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(font)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapMode.WordWrap if width is not None else QTextOption.WrapMode.NoWrap)
    doc.setDefaultTextOption(opt)
    if rich:
        doc.setHtml(text)
    else:
        doc.setPlainText(text)
    doc.setTextWidth(width if width is not None else -1)
    size = doc.size()  # lays the document out (block layouts are empty before)
    starts: list[tuple[int, str]] = []
    block = doc.begin()
    while block.isValid():
        lay = block.layout()
        for n in range(1, lay.lineCount()):
            starts.append((lay.lineAt(n).textStart(), block.text()))
        block = block.next()
    return starts, doc.idealWidth(), size.height()


def _name(w: QWidget) -> str:
    name = w.objectName()
    return f"{type(w).__name__}#{name}" if name else type(w).__name__


def _clip_rect(w: QWidget, top: QWidget, through_scroll: bool = False) -> tuple[QRect, QRect]:
    """(w's rect, the part of it its ancestors show) in `top` coordinates. Inside a scroll area,
    content scrolled away can be scrolled to: only a direction without a scroll bar clips."""
    full = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
    x0, x1, y0, y1 = full.left(), full.right(), full.top(), full.bottom()
    clip_x = clip_y = True
    p = w.parentWidget()
    while p is not None:
        gp = p.parentWidget()
        if p is not top and not through_scroll and isinstance(gp, QAbstractScrollArea) and gp.viewport() is p:
            if gp.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
                clip_x = False
            if gp.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
                clip_y = False
            if not clip_x and not clip_y:
                return full, full
        pr = QRect(p.mapTo(top, QPoint(0, 0)), p.size()) if p is not top else top.rect()
        if clip_x:
            x0, x1 = max(x0, pr.left()), min(x1, pr.right())
        if clip_y:
            y0, y1 = max(y0, pr.top()), min(y1, pr.bottom())
        if p is top:
            break
        p = gp
    return full, QRect(x0, y0, max(0, x1 - x0 + 1), max(0, y1 - y0 + 1))


def _cut_off(view: str, w: QWidget, top: QWidget, text: str, through_scroll: bool = False) -> Problem | None:
    full, vis = _clip_rect(w, top, through_scroll)
    if vis.width() < full.width() - 1 or vis.height() < full.height() - 1:
        return Problem(view, "cut-off", _name(w), text, f"shows {vis.width()}×{vis.height()} of {full.width()}×{full.height()}")
    return None


def label_problems(view: str, lab: QLabel, top: QWidget, glossary: tuple[str, ...]) -> list[Problem]:
    text = lab.text()
    if not text or (lab.pixmap() is not None and not lab.pixmap().isNull()):
        return []
    rich = lab.textFormat() == Qt.TextFormat.RichText or (
        lab.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    cr = lab.contentsRect().adjusted(lab.margin(), lab.margin(), -lab.margin(), -lab.margin())
    if lab.indent() > 0:
        cr.adjust(lab.indent(), 0, 0, 0)
    plain = QTextDocument()
    if rich:
        plain.setHtml(text)
    else:
        plain.setPlainText(text)
    shown = plain.toPlainText()
    out: list[Problem] = []
    wrap = lab.wordWrap()
    starts, width, height = layout_lines(text, lab.font(), cr.width() if wrap else None, rich)
    if width > cr.width() + 1 or height > cr.height() + 1:
        out.append(Problem(view, "clipped", _name(lab), shown,
                           f"needs {width:.0f}×{height:.0f}, has {cr.width()}×{cr.height()}"))
    for pos, block_text in starts:
        why = bad_break(block_text, pos, glossary)
        if why:
            out.append(Problem(view, "broken-word", _name(lab), block_text,
                               f"line break {why}: …{block_text[max(0, pos - 4):pos]}|{block_text[pos:pos + 4]}…"))
    cut = _cut_off(view, lab, top, shown)
    if cut:
        out.append(cut)
    return out


def button_problems(view: str, btn: QAbstractButton, top: QWidget) -> list[Problem]:
    text = btn.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&")
    if not text:
        return []
    hint = btn.minimumSizeHint()
    out: list[Problem] = []
    if btn.width() < hint.width() - 1 or btn.height() < hint.height() - 1:
        out.append(Problem(view, "clipped", _name(btn), text,
                           f"needs {hint.width()}×{hint.height()}, has {btn.width()}×{btn.height()}"))
    cut = _cut_off(view, btn, top, text)
    if cut:
        out.append(cut)
    return out


def tab_problems(view: str, bar: QTabBar, top: QWidget) -> list[Problem]:
    out: list[Problem] = []
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        text = bar.tabText(i).replace("&", "")
        font = QFont(bar.font())
        if i == bar.currentIndex():
            font.setWeight(QFont.Weight.DemiBold)
        need = QFontMetrics(font).horizontalAdvance(text)
        r = bar.tabRect(i)
        if need > r.width():
            out.append(Problem(view, "clipped", f"{_name(bar)} tab", text, f"needs {need}, tab is {r.width()}"))
        if r.left() < 0 or r.right() > bar.width():
            out.append(Problem(view, "off-screen", f"{_name(bar)} tab", text, f"tab at {r.left()}–{r.right()} of {bar.width()}"))
    cut = _cut_off(view, bar, top, "tabs")
    if cut:
        out.append(cut)
    return out


def header_problems(view: str, hh: QHeaderView) -> list[Problem]:
    model = hh.model()
    if model is None or hh.isHidden():
        return []
    out: list[Problem] = []
    horizontal = hh.orientation() == Qt.Orientation.Horizontal
    for logical in range(hh.count()):
        if hh.isSectionHidden(logical):
            continue
        text = str(model.headerData(logical, hh.orientation()) or "")
        if not text:
            continue
        size, hint = hh.sectionSize(logical), hh.sectionSizeHint(logical)
        if horizontal and hh.sortIndicatorSection() != logical and hh.isSortIndicatorShown():
            hint -= hh.style().pixelMetric(hh.style().PixelMetric.PM_HeaderMarkSize, None, hh) // 2
        if size < hint - 1:
            out.append(Problem(view, "clipped", f"{_name(hh)} section", text, f"needs {hint}, has {size}"))
        pos = hh.sectionViewportPosition(logical)
        extent = hh.viewport().width() if horizontal else hh.viewport().height()
        if horizontal and (pos < 0 or pos + size > extent + 1):
            out.append(Problem(view, "off-screen", f"{_name(hh)} section", text, f"at {pos}–{pos + size} of {extent}"))
    return out


def facet_problems(view: str, tree: QTreeView) -> list[Problem]:
    model = tree.model()
    out: list[Problem] = []
    fm = QFontMetrics(tree.font())
    for row in range(model.rowCount()):
        idx = model.index(row, 0)
        text = str(idx.data() or "")
        rect = tree.visualRect(idx)
        if text and rect.isValid() and fm.horizontalAdvance(text) > rect.width() - 4:
            out.append(Problem(view, "clipped", "facet heading", text, f"needs {fm.horizontalAdvance(text)}, has {rect.width()}"))
    return out


def check(view: str, top: QWidget, glossary: tuple[str, ...] = ()) -> list[Problem]:
    """Every problem under `top` (a window or dialog), visible widgets only."""
    out: list[Problem] = []
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisible() or w.width() <= 0 or w.height() <= 0:
            continue
        if isinstance(w, QLabel):
            out += label_problems(view, w, top, glossary)
        elif isinstance(w, QAbstractButton) and not isinstance(w.parentWidget(), QTabBar):
            out += button_problems(view, w, top)
        elif isinstance(w, QTabBar):
            out += tab_problems(view, w, top)
        elif isinstance(w, QHeaderView):
            out += header_problems(view, w)
        elif isinstance(w, QTreeView) and w.objectName() == "facetView":
            out += facet_problems(view, w)
        elif callable(getattr(w, "clipped_tiles", None)):  # painted tiles (the plan's coverage diagram)
            out += [Problem(view, "clipped", f"{_name(w)} tile", name, "tile text does not fit") for name in w.clipped_tiles()]
            cut = _cut_off(view, w, top, "tiles")
            if cut:
                out.append(cut)
        elif isinstance(w, QFrame) and w.objectName() == "chip":
            cut = _cut_off(view, w, top, w.findChild(QLabel).text() if w.findChild(QLabel) else "chip", through_scroll=True)
            if cut:
                out.append(cut)
    return out
