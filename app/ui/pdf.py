"""PDF writing (Qt): HTML from the plan report → an A4 PDF with an embedded Japanese font.

The plan package builds the HTML and knows nothing of Qt; it receives `write_pdf` as its PDF
writer (app.plan.export.PdfWriter) from the UI or the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app import fsio
from app.ui.headless import ensure_qapp

if TYPE_CHECKING:
    from PySide6.QtGui import QPagedPaintDevice

PDF_DPI = 150  # the report is laid out for this resolution on every device, so preview and PDF paginate alike
PDF_FONT = "Noto Sans CJK JP"
PDF_FALLBACK_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic", "IPAGothic",
                      "Yu Gothic", "Meiryo", "MS Gothic", "Hiragino Sans", "TakaoGothic", "VL Gothic")


def pick_cjk_font() -> str:
    """The first installed CJK family from PDF_FALLBACK_FONTS (Qt then embeds its glyphs in the PDF)."""
    from PySide6.QtGui import QFontDatabase

    ensure_qapp()
    families = set(QFontDatabase.families())
    return next((f for f in PDF_FALLBACK_FONTS if f in families), PDF_FONT)


def write_pdf(html: str, out: Path, title: str) -> None:
    """Render `html` (Qt's rich-text subset) to an A4 PDF at `out`."""
    ensure_qapp()
    from PySide6.QtGui import QPdfWriter

    writer = QPdfWriter(str(out))
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator("まちナビ (Machi Navi)")
    print_report(html, writer)
    del writer  # flush and close the file
    if not fsio.is_complete(out):  # QPdfWriter reports no I/O errors: a full disk leaves a short file
        raise OSError(f"the PDF could not be written completely (disk full or not writable?): {out}")


def print_report(html: str, device: QPagedPaintDevice) -> None:
    """Lay the report out on A4 pages of `device` and paint them: the one rendering path shared by
    the PDF file (QPdfWriter) and the in-app print preview (QPrinter of QPrintPreviewDialog)."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument

    family = pick_cjk_font()
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    font = QFont(family, 8)
    font.setFamilies([family, PDF_FONT])
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(f'body, td, th, p, li {{ font-family: "{family}"; }} th {{ background-color: #e8eaf2; }}')
    doc.setHtml(html)
    rect = device.pageLayout().paintRectPixels(PDF_DPI)
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(device)
