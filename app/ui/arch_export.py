"""Export the SCRA figure for slides: PNG (at twice the screen scale) and SVG (QSvgGenerator, vector text)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene

from app.fsio import atomic_write_bytes

FORMATS = ("png", "svg")


class ExportError(OSError):
    """The figure could not be written (names the file)."""


def _render(scene: QGraphicsScene, painter: QPainter, target: QRectF) -> None:
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, target, scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)


def png_bytes(scene: QGraphicsScene, scale: float = 2.0) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    rect = scene.sceneRect()
    image = QImage(QSize(round(rect.width() * scale), round(rect.height() * scale)), QImage.Format.Format_ARGB32)
    image.fill(QColor(scene.backgroundBrush().color()) if scene.backgroundBrush().style() else QColor("white"))
    painter = QPainter(image)
    _render(scene, painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def svg_bytes(scene: QGraphicsScene, title: str = "") -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    rect = scene.sceneRect()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(round(rect.width()), round(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setTitle(title)
    gen.setDescription("Machi Navi — SCRA figure")
    painter = QPainter(gen)
    painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), scene.backgroundBrush())
    _render(scene, painter, QRectF(0, 0, rect.width(), rect.height()))
    painter.end()
    buf.close()
    return bytes(data.data())


def export_scene(scene: QGraphicsScene, path: Path, fmt: str | None = None, title: str = "") -> Path:
    """Write the figure to `path` as PNG or SVG (from the suffix unless `fmt`); atomic; returns the path."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(f"{path}: unknown format {fmt!r} (use .png or .svg)")
    data = png_bytes(scene) if fmt == "png" else svg_bytes(scene, title)
    if not data:
        raise ExportError(f"{path}: the figure could not be rendered")
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from exc
    return path
