"""A tile-grid map of Japan's 47 prefectures, coloured by adoptions in the current results.

The geometry is the common Japanese infographic layout (one square per prefecture, roughly in
place; Hokkaido two tiles wide, Okinawa in its own inset): no geodata and no new dependency, and
every prefecture, Okinawa and the islands' prefectures included, gets the same readable area.
Colour: a sequential single-hue scale in five steps over the adoptions (service × municipality
pairs) of the results shown, with a legend giving each step's range and how many prefectures are
in it. A click emits the prefecture (the search pane adds 自治体:<prefecture>). The same painter
draws the widget, the PNG and the SVG export (QSvgGenerator, in PySide6-Essentials' QtSvg).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from app.ui.i18n import tr_args

# (column, row, width, height) on a 14 × 12 grid
TILES: dict[str, tuple[int, int, int, int]] = {
    "北海道": (12, 0, 2, 1), "青森県": (12, 1, 1, 1), "秋田県": (11, 2, 1, 1), "岩手県": (12, 2, 1, 1),
    "山形県": (11, 3, 1, 1), "宮城県": (12, 3, 1, 1), "石川県": (8, 4, 1, 1), "富山県": (9, 4, 1, 1),
    "新潟県": (10, 4, 1, 1), "福島県": (11, 4, 2, 1), "福井県": (8, 5, 1, 1), "岐阜県": (9, 5, 1, 1),
    "長野県": (10, 5, 1, 1), "群馬県": (11, 5, 1, 1), "栃木県": (12, 5, 1, 1), "島根県": (4, 6, 1, 1),
    "鳥取県": (5, 6, 1, 1), "兵庫県": (6, 6, 1, 2), "京都府": (7, 6, 1, 1), "滋賀県": (8, 6, 1, 1),
    "愛知県": (9, 6, 1, 1), "山梨県": (10, 6, 1, 1), "埼玉県": (11, 6, 1, 1), "茨城県": (12, 6, 1, 1),
    "山口県": (3, 6, 1, 2), "広島県": (4, 7, 1, 1), "岡山県": (5, 7, 1, 1), "大阪府": (7, 7, 1, 1),
    "奈良県": (8, 7, 1, 1), "三重県": (9, 7, 1, 1), "静岡県": (10, 7, 1, 1), "神奈川県": (11, 8, 1, 1),
    "東京都": (11, 7, 1, 1), "千葉県": (12, 7, 1, 2), "長崎県": (0, 8, 1, 1), "佐賀県": (1, 8, 1, 1),
    "福岡県": (2, 8, 1, 1), "愛媛県": (4, 9, 1, 1), "香川県": (5, 9, 1, 1), "徳島県": (6, 9, 1, 1),
    "和歌山県": (8, 8, 1, 1), "高知県": (5, 10, 1, 1), "熊本県": (1, 9, 1, 1), "大分県": (2, 9, 1, 1),
    "鹿児島県": (1, 10, 1, 1), "宮崎県": (2, 10, 1, 1), "沖縄県": (0, 11, 1, 1),
}
COLS, ROWS = 14, 12
OKINAWA_INSET = (0, 11, 1, 1)  # drawn with a frame: it is far from the rest
# sequential blues (ColorBrewer Blues, light → dark); zero adoptions: neutral grey
SCALE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
ZERO = "#f0f0f0"
LIGHT_TEXT_FROM = 3  # steps ≥ this get white text


def short_name(pref: str) -> str:
    """長野 for 長野県, 東京 for 東京都, 北海道 stays (the tile label)."""
    return pref if pref == "北海道" else pref[:-1]


def adoptions_by_prefecture(munis_per_hit: Iterable[Sequence[str]]) -> dict[str, int]:
    """Adoptions (service × municipality pairs) per prefecture, from each hit's municipality list."""
    out: dict[str, int] = {}
    for munis in munis_per_hit:
        for m in munis:
            pref = m[:3] if m[:3] in TILES else m[:4]  # prefecture names are 3 or 4 characters
            if pref in TILES:
                out[pref] = out.get(pref, 0) + 1
    return out


def bins(highest: int, steps: int = len(SCALE)) -> list[tuple[int, int]]:
    """Up to `steps` ranges (low, high) covering 1..highest, equal width in counts (integers)."""
    if highest <= 0:
        return []
    width = max(1, math.ceil(highest / steps))
    out, low = [], 1
    while low <= highest:
        out.append((low, min(highest, low + width - 1)))
        low += width
    return out


def step_of(count: int, ranges: list[tuple[int, int]]) -> int:
    """Index of the range holding `count` (-1 for zero)."""
    return next((i for i, (lo, hi) in enumerate(ranges) if lo <= count <= hi), -1)


def colour_of(count: int, ranges: list[tuple[int, int]]) -> str:
    i = step_of(count, ranges)
    if i < 0:
        return ZERO
    # few ranges: spread them over the scale so the darkest colour means "the most"
    return SCALE[round(i * (len(SCALE) - 1) / max(1, len(ranges) - 1))] if len(ranges) > 1 else SCALE[-1]


class JapanMap(QWidget):
    """The tile map; `set_counts({prefecture: adoptions})`; `prefectureClicked(prefecture)`."""

    prefectureClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("japanMap")
        self.setMouseTracking(True)
        self.counts: dict[str, int] = {}
        self.caption = ""

    def set_counts(self, counts: dict[str, int], caption: str = "") -> None:
        self.counts = dict(counts)
        self.caption = caption
        self.update()

    def ranges(self) -> list[tuple[int, int]]:
        return bins(max(self.counts.values(), default=0))

    def colour(self, pref: str) -> str:
        return colour_of(self.counts.get(pref, 0), self.ranges())

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def _min_tile(self) -> float:
        """The smallest tile whose name (up to 3 characters at 3/4 of the text size) stays readable:
        it grows with the zoom, and the scroll area around the map scrolls instead of shrinking it."""
        return QFontMetricsF(self.font()).height() * 1.6

    def minimumSizeHint(self) -> QSize:
        t = self._min_tile()
        head = QFontMetricsF(self.font()).height() * 1.4
        return QSize(int(t * COLS + 8), int(t * ROWS + head + 8))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    # -- geometry (the widget, PNG and SVG share it)
    def _layout(self, rect: QRectF) -> tuple[float, QPointF, QRectF]:
        """(tile size, grid origin, legend rectangle) for drawing into `rect`; the legend sits in the
        grid's empty north-west corner (the Sea of Japan), so the tiles get the whole width."""
        head = QFontMetricsF(self.font()).height() * 1.4
        tile = max(4.0, min((rect.width() - 8) / COLS, (rect.height() - head - 8) / ROWS))
        origin = QPointF(rect.left() + 4, rect.top() + head + 4)
        legend = QRectF(origin.x(), origin.y(), tile * 7.6, tile * 5.8)
        return tile, origin, legend

    def tile_rect(self, pref: str, rect: QRectF | None = None) -> QRectF:
        tile, origin, _ = self._layout(rect or QRectF(self.rect()))
        c, r, w, h = TILES[pref]
        return QRectF(origin.x() + c * tile + 1, origin.y() + r * tile + 1, w * tile - 2, h * tile - 2)

    def prefecture_at(self, pos: QPointF) -> str:
        return next((p for p in TILES if self.tile_rect(p).contains(pos)), "")

    # -- painting
    def paint_map(self, p: QPainter, rect: QRectF) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        text_col = self.palette().windowText().color()
        tile, origin, legend = self._layout(rect)
        ranges = self.ranges()
        if self.caption:
            p.setPen(text_col)
            p.setFont(self.font())
            cap = QRectF(rect.left() + 4, rect.top(), rect.width() - 8, origin.y() - rect.top())
            text = QFontMetricsF(self.font()).elidedText(self.caption, Qt.TextElideMode.ElideRight, cap.width())
            p.drawText(cap, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        px = QFontMetricsF(self.font()).height() / 1.35
        name_font = QFont(self.font())
        name_font.setPixelSize(max(6, int(min(tile * 0.3, px))))
        count_font = QFont(name_font)
        count_font.setBold(True)
        for pref, (c, r, w, h) in TILES.items():
            box = QRectF(origin.x() + c * tile + 1, origin.y() + r * tile + 1, w * tile - 2, h * tile - 2)
            n = self.counts.get(pref, 0)
            step = step_of(n, ranges)
            p.setPen(QPen(QColor("#7f8c9a"), 1))
            p.setBrush(QColor(colour_of(n, ranges)))
            p.drawRoundedRect(box, tile * 0.08, tile * 0.08)
            shade = step >= 0 and round(step * (len(SCALE) - 1) / max(1, len(ranges) - 1)) >= LIGHT_TEXT_FROM
            p.setPen(QColor("#ffffff") if shade else QColor("#1b1f24"))
            p.setFont(name_font)
            upper = QRectF(box.left(), box.top() + box.height() * 0.06, box.width(), box.height() * 0.5)
            p.drawText(upper, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), short_name(pref))
            if n:
                p.setFont(count_font)
                lower = QRectF(box.left(), box.top() + box.height() * 0.5, box.width(), box.height() * 0.45)
                p.drawText(lower, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), str(n))
        # Okinawa inset frame
        c, r, w, h = OKINAWA_INSET
        inset = QRectF(origin.x() + c * tile - 3, origin.y() + r * tile - 3, w * tile + 6, h * tile + 6)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor("#7f8c9a"), 1, Qt.PenStyle.DashLine))
        p.drawRect(inset)
        self._paint_legend(p, legend, ranges, text_col)

    def _paint_legend(self, p: QPainter, box: QRectF, ranges: list[tuple[int, int]], text_col: QColor) -> None:
        rows = [(ZERO, "0", sum(1 for pr in TILES if not self.counts.get(pr)))]
        for i, (lo, hi) in enumerate(ranges):
            label = str(lo) if lo == hi else f"{lo}–{hi}"
            rows.append((colour_of(lo, ranges), label, sum(1 for pr in TILES if step_of(self.counts.get(pr, 0), ranges) == i)))
        font = QFont(self.font())
        line = min(QFontMetricsF(font).height() * 1.3, box.height() / (len(rows) + 2))
        font.setPixelSize(max(6, int(line / 1.45)))
        p.setFont(font)
        p.setPen(text_col)
        y = box.top()
        title = self.tr("Adoptions per prefecture")
        p.drawText(QRectF(box.left(), y, box.width(), line), int(Qt.AlignmentFlag.AlignVCenter), title)
        y += line
        sw = line * 0.75
        for colour, label, prefs in reversed(rows):
            p.setPen(QPen(QColor("#7f8c9a"), 1))
            p.setBrush(QColor(colour))
            p.drawRect(QRectF(box.left(), y + (line - sw) / 2, sw, sw))
            p.setPen(text_col)
            p.drawText(QRectF(box.left() + sw * 1.4, y, box.width() - sw * 1.4, line), int(Qt.AlignmentFlag.AlignVCenter),
                       f"{label}（{prefs}）")
            y += line

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        self.paint_map(p, QRectF(self.rect()))
        p.end()

    # -- interaction
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pref = self.prefecture_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if pref else Qt.CursorShape.ArrowCursor)
        if pref:
            QToolTip.showText(event.globalPosition().toPoint(),
                              tr_args(self.tr("%1: %2 adoptions — click to filter"), pref, self.counts.get(pref, 0)), self)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pref = self.prefecture_at(event.position())
            if pref:
                self.prefectureClicked.emit(pref)
                return
        super().mouseReleaseEvent(event)

    # -- export
    def export_png(self, path: Path | str, scale: float = 2.0) -> Path:
        size = self.size() if self.width() > 100 else self.minimumSizeHint()
        img = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32)
        img.fill(QColor("#ffffff"))
        p = QPainter(img)
        p.scale(scale, scale)
        self.paint_map(p, QRectF(0, 0, size.width(), size.height()))
        p.end()
        if not img.save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
        return Path(path)

    def export_svg(self, path: Path | str) -> Path:
        from PySide6.QtSvg import QSvgGenerator

        size = self.size() if self.width() > 100 else self.minimumSizeHint()
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(size)
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle("まちナビ — 導入自治体の分布")
        p = QPainter(gen)
        self.paint_map(p, QRectF(0, 0, size.width(), size.height()))
        p.end()
        return Path(path)
