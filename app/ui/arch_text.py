"""Text in the SCRA figure: fonts that follow the UI zoom, and line breaks only where a reader expects them.

Qt breaks Japanese between any two characters, which cut 「運用支援機能/群」 and 「業務支援（職/員向け）」, and
breaks a long English word anywhere ("Authenticati/on"). Here a label breaks only at sensible points:
spaces, after 「・」「、」「）」, before 「（」, before 機能群/機能, and where katakana meets kanji or Latin meets
Japanese. When a piece cannot fit, the label's font shrinks (to 80 %); only past that does a piece break
between characters, so a label is never clipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontInfo, QFontMetricsF, QGuiApplication, QPainter

from app.ui.theme import Theme

# Figure font sizes relative to the UI text (never smaller: the figure must read at least as large as the UI).
FONT_SCALE = {"context": 1.1, "group": 1.12, "block": 1.0, "function": 1.0, "legend": 1.0, "frame": 1.22, "badge": 1.0}
MIN_SHRINK = 0.8

_BREAK_AFTER = set("・、，,）)」／/")
_BREAK_BEFORE = set("（(「")
_SUFFIXES = ("機能群", "機能")


def ui_px() -> float:
    """The UI text's pixel size (follows Theme.zoom through the application font)."""
    return float(max(9, QFontInfo(QGuiApplication.font()).pixelSize()))


def figure_font(level: str, bold: bool = False, px: float | None = None) -> QFont:
    f = QFont(Theme.family) if Theme.family else QFont(QGuiApplication.font())
    if Theme.family:
        f.setFamilies([Theme.family])
    f.setPixelSize(max(8, round((px or ui_px()) * FONT_SCALE.get(level, 1.0))))
    f.setBold(bold)
    return f


def _script(c: str) -> str:
    if c == "・":
        return ""
    if "\u30a0" <= c <= "\u30ff":
        return "kata"
    if "\u4e00" <= c <= "\u9fff":
        return "kanji"
    if c.isascii() and c.isalnum():
        return "latin"
    return ""


def pieces(text: str) -> list[str]:
    """The label cut at its sensible break points (joining the pieces gives the text back)."""
    out: list[str] = []
    cur = ""
    for i, c in enumerate(text):
        prev = text[i - 1] if i else ""
        cut = bool(cur) and (
            prev in _BREAK_AFTER or c in _BREAK_BEFORE or prev == " "
            or (i >= 2 and any(text.startswith(s, i) for s in _SUFFIXES))
            or {_script(prev), _script(c)} in ({"kata", "kanji"}, {"latin", "kanji"}, {"latin", "kata"}))
        if cut:
            out.append(cur)
            cur = ""
        cur += c
    if cur:
        out.append(cur)
    return out


@dataclass
class Fitted:
    lines: list[str]
    font: QFont

    def height(self) -> float:
        return QFontMetricsF(self.font).lineSpacing() * max(1, len(self.lines))

    def width(self) -> float:
        fm = QFontMetricsF(self.font)
        return max((fm.horizontalAdvance(line) for line in self.lines), default=0.0)

    def paint(self, painter: QPainter, rect: QRectF, center: bool = False) -> None:
        painter.setFont(self.font)
        fm = QFontMetricsF(self.font)
        y = rect.top() + (max(0.0, (rect.height() - self.height()) / 2) if center else 0.0)
        for line in self.lines:
            x = rect.left() + ((rect.width() - fm.horizontalAdvance(line)) / 2 if center else 0.0)
            painter.drawText(QPointF(x, y + fm.ascent()), line)
            y += fm.lineSpacing()


def _greedy(parts: list[str], fm: QFontMetricsF, width: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    for p in parts:
        trial = cur + p
        if cur and fm.horizontalAdvance(trial.rstrip()) > width:
            lines.append(cur.rstrip())
            cur = p.lstrip()
        else:
            cur = trial
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _chars(parts: list[str], fm: QFontMetricsF, width: float) -> list[str]:
    """Last resort: a piece wider than the box is split between characters."""
    out: list[str] = []
    for p in parts:
        if fm.horizontalAdvance(p.strip()) <= width:
            out.append(p)
            continue
        cur = ""
        for c in p:
            if cur and fm.horizontalAdvance(cur + c) > width:
                out.append(cur)
                cur = ""
            cur += c
        out.append(cur)
    return out


_cache: dict[tuple[str, str, float, int, float], Fitted] = {}


def fit_text(text: str, font: QFont, width: float, min_shrink: float = MIN_SHRINK) -> Fitted:
    """Lines of `text` in `width`, broken at sensible points; the font shrinks (down to `min_shrink`) before
    a word is split."""
    ck = (text, font.key(), round(width, 1), font.pixelSize(), min_shrink)
    hit = _cache.get(ck)
    if hit is not None:
        return hit
    width = max(8.0, width)
    parts = pieces(text.replace("\n", " "))
    f = QFont(font)
    base = font.pixelSize()
    size = base
    while True:
        fm = QFontMetricsF(f)
        if all(fm.horizontalAdvance(p.strip()) <= width for p in parts):
            out = Fitted(_greedy(parts, fm, width), f)
            break
        if size <= base * min_shrink or size <= 8:
            out = Fitted(_greedy(_chars(parts, fm, width), fm, width), f)
            break
        size -= 1
        f = QFont(font)
        f.setPixelSize(size)
    if len(_cache) > 4000:
        _cache.clear()
    _cache[ck] = out
    return out


def widest_piece(text: str, font: QFont) -> float:
    """The width a label needs so that no piece of it has to be split or shrunk."""
    fm = QFontMetricsF(font)
    return max((fm.horizontalAdvance(p.strip()) for p in pieces(text)), default=0.0)


def badge_size(text: str, unit: float) -> tuple[float, float]:
    """(width, height) of a count badge."""
    fm = QFontMetricsF(figure_font("badge", True))
    h = fm.height() + 2 * unit
    return max(fm.horizontalAdvance(text) + fm.height() * 0.8, h), h


def title_reserve(has_count: bool, overlay: bool, unit: float) -> float:
    """Room kept right of a box title for its count badge (sized for three digits) and its gap glyph,
    the same when laying out and when painting, so a title wraps the same in both."""
    room = badge_size("888", unit)[0] + 6 * unit if has_count else 0.0
    if overlay:
        room += QFontMetricsF(figure_font("badge", True)).horizontalAdvance("▲") + 8 * unit
    return room


OVERLAY_PREFIX = "● "  # the band glyph drawn before a title under the plan overlay (all glyphs are as wide)


def text_height(text: str, font: QFont, width: float) -> float:
    return fit_text(text, font, width).height()


def has_cjk(text: str) -> bool:
    return any("\u3040" <= c <= "\u9fff" for c in text)


CENTER = int(Qt.AlignmentFlag.AlignCenter)
