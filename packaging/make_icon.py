"""Draw the app icon (a white 'ま' on a teal rounded square) → resources/icons/app.png + app.ico.

Pure Qt (offscreen), no Pillow: the .ico holds PNG-compressed images (16–256 px), which every
Windows since Vista reads. Run again only when the design changes; the outputs are committed.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
TOP, BOTTOM = QColor("#14a3a0"), QColor("#0b6e8a")  # teal → deep blue-green
FONT_FAMILIES = ["Noto Sans CJK JP", "Yu Gothic UI", "Meiryo", "Hiragino Sans", "Noto Sans JP"]


def render(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = size * 0.04
    rect = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    grad = QLinearGradient(rect.topLeft(), rect.bottomLeft())
    grad.setColorAt(0.0, TOP)
    grad.setColorAt(1.0, BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(grad)
    radius = rect.width() * 0.22
    p.drawRoundedRect(rect, radius, radius)
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setWeight(QFont.Weight.Bold)
    font.setPixelSize(max(1, round(size * 0.66)))
    p.setFont(font)
    p.setPen(QColor("white"))
    text_rect = QRectF(rect)
    text_rect.translate(0, -size * 0.02)  # kana sit a little low in the em box
    p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, "ま")
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data)


def write_ico(path: Path, images: dict[int, bytes]) -> None:
    """ICONDIR + ICONDIRENTRY per size, PNG payloads (width/height 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries, payload = b"", b""
    offset = 6 + 16 * len(images)
    for size, data in sorted(images.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    path.write_bytes(header + entries + payload)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 (fonts need an app)
    OUT.mkdir(parents=True, exist_ok=True)
    images = {s: png_bytes(render(s)) for s in SIZES}
    (OUT / "app.png").write_bytes(images[256])
    write_ico(OUT / "app.ico", images)
    print(f"wrote {OUT / 'app.png'} and {OUT / 'app.ico'} ({', '.join(map(str, SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
