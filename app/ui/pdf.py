"""PDF writing (Qt): the plan report document → an A4 PDF with a cover, a table of contents, page
numbers, an embedded Japanese font, and table rows that are never split across pages.

QTextDocument.print_ would lay the whole report out as one flow and cut rows at page edges. Here
every heading, paragraph and table row is its own small QTextDocument, measured at the printer's
resolution and placed by app.ui.pdf_layout.paginate; a table's header row repeats on every page it
continues on. The plan package builds the document and knows nothing of Qt; it receives
`write_pdf` as its PDF writer (app.plan.export.PdfWriter) from the UI or the command line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import fsio
from app.plan.report_doc import Block, ReportDoc, Table, block_html, cover_html, header_row_html, row_html
from app.plan.report_doc import Heading as DocHeading
from app.ui.headless import ensure_qapp
from app.ui.pdf_layout import Layout, Unit, paginate

PDF_FONT = "Noto Sans CJK JP"
PDF_FALLBACK_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic", "IPAGothic",
                      "Yu Gothic", "Meiryo", "MS Gothic", "Hiragino Sans", "TakaoGothic", "VL Gothic")
ROW_TABLE = '<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse:collapse">'
FOOTER_MM, MARGIN_MM, RESOLUTION = 8.0, 12.0, 150


def pick_cjk_font() -> str:
    """The first installed CJK family from PDF_FALLBACK_FONTS (Qt then embeds its glyphs in the PDF)."""
    from PySide6.QtGui import QFontDatabase

    ensure_qapp()
    families = set(QFontDatabase.families())
    return next((f for f in PDF_FALLBACK_FONTS if f in families), PDF_FONT)


@dataclass
class PdfReport:
    """What was written: the pagination (for tests and the preview) and the page count."""

    layout: Layout
    pages: int
    toc: list[tuple[str, int]]  # chapter heading, 1-based page


class _Measurer:
    """Makes QTextDocuments for fragments, laid out at the device's resolution and text width."""

    def __init__(self, device: Any, width: float, family: str) -> None:
        from PySide6.QtGui import QFont

        self.device, self.width = device, width
        self.font = QFont(family, 8)
        self.font.setFamilies([family, PDF_FONT])
        # Shaping swaps Noto CJK's Latin digits for variant glyphs the PDF's text map does not know, so
        # copied or searched text lost them ("TYPE1" → "TYPE"); Japanese text needs no shaping.
        self.font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        self.css = (f'body, td, th, p, li {{ font-family: "{family}"; }} th {{ background-color: #e8eaf2; }} '
                    "h2 { font-size: 13pt; color: #223; } h3 { font-size: 10pt; color: #223; } .note { color: #555; }")

    def trim(self) -> tuple[float, float]:
        """Blank space (top, bottom) a one-row table document keeps around its borders, measured once by
        drawing a probe row at the device's resolution; rows are placed without it so they join."""
        if not hasattr(self, "_trim"):
            from PySide6.QtGui import QColor, QImage, QPainter

            probe = self.doc(f'{ROW_TABLE}<tr><td width="50%">計</td><td width="50%">x</td></tr></table>')
            height = int(probe.size().height()) + 2
            image = QImage(int(self.width) + 2, height, QImage.Format.Format_RGB32)
            dpm = round(self.device.logicalDpiY() / 0.0254)
            image.setDotsPerMeterX(dpm)
            image.setDotsPerMeterY(dpm)
            image.fill(QColor("white"))
            painter = QPainter(image)
            probe.drawContents(painter)
            painter.end()
            white = QColor("white").rgb()
            step = max(1, int(self.width) // 97)
            inked = [y for y in range(height) if any(image.pixel(x, y) != white for x in range(0, int(self.width), step))]
            self._trim = (float(inked[0]), max(0.0, _table_height(probe) - inked[-1] - 1)) if inked else (0.0, 0.0)
        return self._trim

    def doc(self, html: str) -> Any:
        from PySide6.QtGui import QTextDocument

        d = QTextDocument()
        d.documentLayout().setPaintDevice(self.device)
        d.setDocumentMargin(0)
        d.setDefaultFont(self.font)
        d.setDefaultStyleSheet(self.css)
        d.setHtml(html)
        d.setTextWidth(self.width)
        return d


def _units(blocks: list[Block], m: _Measurer, gap: float) -> tuple[list[Unit], list[Any], dict[int, int]]:
    """Measured units and their documents; `chapters` maps a level-1 heading's block index to its unit."""
    units: list[Unit] = []
    docs: list[Any] = []
    chapters: dict[int, int] = {}
    tables: list[Table] = []
    for bi, b in enumerate(blocks):
        if isinstance(b, Table):
            ti = len(tables)
            tables.append(b)
            for kind, html, r in [("header", header_row_html(b), -1)] + [("row", row_html(b, row), ri) for ri, row in enumerate(b.rows)]:
                d = m.doc(f"{ROW_TABLE}{html}</table>")
                docs.append(d)
                last = r == len(b.rows) - 1
                top, bottom = m.trim()
                units.append(Unit(kind, _table_height(d) - top - bottom, ti, r, gap_after=gap if last or not b.rows else 0.0,
                                  offset=top))
            continue
        d = m.doc(block_html(b))
        docs.append(d)
        if isinstance(b, DocHeading) and b.level == 1:
            chapters[bi] = len(units)
        units.append(Unit("block", d.size().height(), keep_with_next=isinstance(b, DocHeading), gap_after=gap / 2))
    return units, docs, chapters


def _table_height(d: Any) -> float:
    """Height of a one-row table document without the empty paragraph QTextDocument keeps after a
    table, and without the table's outer margin: consecutive rows then join like one table."""
    frames = d.rootFrame().childFrames()
    if not frames:
        return float(d.size().height())
    table = frames[0]
    fmt = table.frameFormat()
    fmt.setMargin(0)
    table.setFrameFormat(fmt)
    return float(d.documentLayout().frameBoundingRect(table).height())


def _cover_html(doc: ReportDoc, toc: list[tuple[str, int]]) -> str:
    rows = "".join(f'<tr><td>{_esc(t)}</td><td align="right">{p}</td></tr>' for t, p in toc)
    return (cover_html(doc) + f"<h2>{_esc(doc.words.get('toc', ''))}</h2>"
            f'<table width="100%" cellspacing="0" cellpadding="3">{rows}</table>')


def _esc(text: str) -> str:
    import html

    return html.escape(text)


def render_report(doc: ReportDoc, device: Any) -> PdfReport:
    """Paginate and paint `doc` onto a paged device (QPdfWriter, or a QPrinter for a print preview)."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QPainter

    family = pick_cjk_font()
    rect = device.pageLayout().paintRectPixels(device.resolution())
    mm = device.resolution() / 25.4
    width, page_h = float(rect.width()), float(rect.height()) - FOOTER_MM * mm
    m = _Measurer(device, width, family)
    blocks: list[Block] = list(doc.body) + list(doc.appendix)
    units, docs, chapters = _units(blocks, m, 3 * mm)
    layout = paginate(units, page_h, first_page=1)  # page 1: the cover and the table of contents
    toc = [(b.text, layout.page_of(chapters[bi]) + 1) for bi, b in enumerate(blocks) if bi in chapters]
    cover = m.doc(_cover_html(doc, toc))
    painter = QPainter(device)
    try:
        footer_font = m.font
        for page in range(layout.pages):
            if page:
                device.newPage()
            if page == 0:
                cover.drawContents(painter)
            for p in (x for x in layout.placements if x.page == page):
                d = docs[p.unit]
                u = units[p.unit]
                painter.save()
                painter.translate(QPointF(0, p.top))
                if p.height < u.height:  # a row taller than a page: scaled to fit, never split
                    painter.scale(p.height / u.height, p.height / u.height)
                painter.translate(QPointF(0, -u.offset))  # rows join border to border
                d.drawContents(painter, QRectF(0, u.offset, width, u.height))
                painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#555555"))
            box = QRectF(0, page_h + 2 * mm, width, (FOOTER_MM - 2) * mm)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), f"{doc.title}: {doc.plan_name}")
            painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             doc.words.get("page", "{} / {}").format(page + 1, layout.pages))
    finally:
        painter.end()
    return PdfReport(layout, layout.pages, toc)


def print_report(doc: ReportDoc, device: Any) -> PdfReport:
    """A4 pages with the report's margins on `device`, then `render_report`: the one rendering path for
    the PDF file (QPdfWriter) and a print preview (the QPrinter of a QPrintPreviewDialog)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    return render_report(doc, device)


def write_pdf(doc: ReportDoc, out: Path, title: str) -> PdfReport:
    """Render the report document to an A4 PDF at `out`."""
    ensure_qapp()
    from PySide6.QtGui import QPdfWriter

    writer = QPdfWriter(str(out))
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("まちナビ (Machi Navi)")
    result = print_report(doc, writer)
    del writer  # flush and close the file
    if not fsio.is_complete(out):  # QPdfWriter reports no I/O errors: a full disk leaves a short file
        raise OSError(f"the PDF could not be written completely (disk full or not writable?): {out}")
    fix_text_map(out, pick_cjk_font())
    return result


_CMAP = re.compile(rb"begincmap.*?endcmap", re.S)
_RADICAL = re.compile(rb"<(2[EF][0-9A-F]{2})>")
_RADICALS: dict[str, dict[int, int]] = {}


def radical_twins(family: str) -> dict[int, int]:
    """Radical code point (U+2E80–U+2FDF) → the unified ideograph drawn with the same glyph in `family`
    (⽉ → 月, ⺠ → 民). Read from the font itself: NFKC knows the Kangxi radicals but not the supplement."""
    if family not in _RADICALS:
        from PySide6.QtGui import QFont, QRawFont

        raw = QRawFont.fromFont(QFont(family))
        ideographs = "".join(chr(c) for c in range(0x4E00, 0xA000))
        by_glyph: dict[int, int] = {}
        for ch, glyph in zip(ideographs, raw.glyphIndexesForString(ideographs), strict=False):
            by_glyph.setdefault(glyph, ord(ch))
        radicals = "".join(chr(c) for c in range(0x2E80, 0x2FE0))
        twins = {ord(ch): by_glyph[g] for ch, g in zip(radicals, raw.glyphIndexesForString(radicals), strict=False)
                 if g and g in by_glyph}
        for ch in radicals:  # where the font draws a radical on its own, NFKC still names its ideograph
            norm = unicodedata.normalize("NFKC", ch)
            if ord(ch) not in twins and len(norm) == 1 and norm != ch:
                twins[ord(ch)] = ord(norm)
        _RADICALS[family] = twins
    return _RADICALS[family]


def fix_text_map(path: Path, family: str = PDF_FONT) -> int:
    """Make the PDF's text searchable: Qt maps each glyph back to the lowest code point that uses it, and
    Noto CJK shares 月, 日, 民 … with the radicals ⽉ ⽇ ⺠ (U+2E80–), so copied or searched text held
    radicals. Rewrites those entries of the ToUnicode maps (same byte length, so every offset in the
    file stays valid); returns how many entries changed."""
    twins = radical_twins(family)
    data = path.read_bytes()
    count = 0

    def one(m: re.Match[bytes]) -> bytes:
        nonlocal count
        twin = twins.get(int(m.group(1), 16))
        if twin is None:
            return m.group(0)
        count += 1
        return f"<{twin:04X}>".encode()

    new = _CMAP.sub(lambda m: _RADICAL.sub(one, m.group(0)), data)
    if count:
        path.write_bytes(new)
    return count
