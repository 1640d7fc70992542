"""Read the XWD screenshots `xwd` writes (true-colour ZPixmap, 24 or 32 bits per pixel), without ImageMagick."""

from __future__ import annotations

import statistics
import struct
from dataclasses import dataclass
from pathlib import Path

HEADER_FIELDS = 25  # CARD32s, big-endian: header_size, version, format, depth, width, height, …


@dataclass
class XwdImage:
    width: int
    height: int
    bytes_per_line: int
    pixels: bytes  # 3- or 4-byte pixels, byte order as in the file (LSB first: B, G, R[, X])
    lsb_first: bool
    bytes_per_pixel: int = 4

    def rgb(self, x: int, y: int) -> tuple[int, int, int]:
        off = y * self.bytes_per_line + self.bytes_per_pixel * x
        px = self.pixels[off:off + self.bytes_per_pixel]
        if self.lsb_first:
            return px[2], px[1], px[0]
        return (px[1], px[2], px[3]) if self.bytes_per_pixel == 4 else (px[0], px[1], px[2])

    def luminance_sample(self, step: int = 5) -> list[int]:
        return [sum(self.rgb(x, y)) // 3 for y in range(0, self.height, step) for x in range(0, self.width, step)]

    def stddev(self, step: int = 5) -> float:
        return statistics.pstdev(self.luminance_sample(step))

    def distinct(self, step: int = 5) -> int:
        return len({self.rgb(x, y) for y in range(0, self.height, step) for x in range(0, self.width, step)})

    def save_png(self, path: Path) -> None:
        from PySide6.QtGui import QImage

        if self.bytes_per_pixel == 3:
            fmt = QImage.Format.Format_BGR888 if self.lsb_first else QImage.Format.Format_RGB888
        else:
            fmt = QImage.Format.Format_RGB32 if self.lsb_first else QImage.Format.Format_ARGB32
        img = QImage(self.pixels, self.width, self.height, self.bytes_per_line, fmt)
        if not img.save(str(path)):
            raise OSError(f"could not write {path}")


def read_xwd(path: Path) -> XwdImage:
    data = path.read_bytes()
    head = struct.unpack_from(">25I", data, 0)
    header_size, version, pixmap_format, depth, width, height = head[:6]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = head[7], head[11], head[12], head[19]
    if version != 7 or pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise ValueError(f"{path}: unsupported XWD (version {version}, format {pixmap_format}, {bits_per_pixel} bpp)")
    start = header_size + 12 * ncolors
    pixels = data[start:start + height * bytes_per_line]
    if len(pixels) != height * bytes_per_line:
        raise ValueError(f"{path}: truncated ({len(pixels)} of {height * bytes_per_line} pixel bytes)")
    return XwdImage(width, height, bytes_per_line, pixels, lsb_first=byte_order == 0, bytes_per_pixel=bits_per_pixel // 8)
