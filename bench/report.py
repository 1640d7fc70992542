"""Plan report figures: a 100-service plan exported to every format, the PDF's pages, and the baseline.

    python bench/report.py [--runs 3] [--services 100] [--shots docs/screenshots]

Builds the bundled catalog in a temp dir, makes a plan of the first N services (cover properties
filled) and prints per format the median export time of --runs. For the PDF it prints the pages,
table rows placed and rows split across a page edge (app.ui.pdf paginates itself: 0 by design), and
the same for the baseline in the same run: the report's HTML printed by QTextDocument.print_ (how
the PDF was written before), whose rows are checked against its own page rectangles. Ratios are
ours / baseline. With --shots it writes page 1 of the PDF (pdftoppm) and a rendering of the XLSX's
cells (read back with openpyxl; LibreOffice is not needed) as PNGs for the README.
Figures only: nothing is asserted (wall-clock depends on the machine).
"""

from __future__ import annotations

import argparse
import html
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_plan(folder: Path, n: int):  # type: ignore[no-untyped-def]
    from app import userdb
    from app.catalog.loader import load_catalog
    from app.catalog.store import CatalogDB, build_db
    from app.plan.plans import PlanStore, add_services

    build_db(load_catalog(ROOT / "catalog_data"), folder / "catalog.db")
    db = CatalogDB(folder / "catalog.db")
    store = PlanStore(userdb.connect(folder / "plans.db"))
    store.create("まちナビ実証計画")
    add_services(store, db, "まちナビ実証計画", db.service_ids()[:n])
    store.set_properties("まちナビ実証計画", municipality="愛知県豊明市", author="企画政策課 スマートシティ推進係")
    store.set_answer("まちナビ実証計画", "ownership", "municipality")
    return store, db, "まちナビ実証計画"


def baseline_pdf(html_text: str, out: Path, true_size: bool) -> tuple[int, int, int]:
    """The old way: one QTextDocument printed by Qt. Returns (pages, table rows, rows split by a page edge).

    As the app did it (`true_size` False) the document was laid out at screen resolution on a 150-dpi page,
    so its 8 pt text printed at about 5 pt; with `true_size` it is laid out for the PDF (8 pt on paper,
    like app.ui.pdf), the fair comparison for pages."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument, QTextTable

    from app.ui.pdf import pick_cjk_font

    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    doc = QTextDocument()
    if true_size:
        doc.documentLayout().setPaintDevice(writer)
    doc.setDocumentMargin(0)
    doc.setDefaultFont(QFont(pick_cjk_font(), 8))
    doc.setHtml(html_text)
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    page_h = doc.pageSize().height()
    rows = split = 0
    lay = doc.documentLayout()
    for frame in doc.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        for r in range(frame.rows()):
            top, bottom = float("inf"), 0.0
            for c in range(frame.columns()):
                cell = frame.cellAt(r, c)
                first, last = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
                top = min(top, lay.blockBoundingRect(first).top())
                bottom = max(bottom, lay.blockBoundingRect(last).bottom())
            rows += 1
            split += int(top // page_h != (bottom - 1) // page_h)
    doc.print_(writer)
    pages = doc.pageCount()
    del writer
    return pages, rows, split


def xlsx_png(xlsx: Path, sheet: str, out: Path, max_rows: int = 28) -> None:
    """Render a sheet's cells (values, fills, bold, font colour, column widths) as a PNG, labelled as a rendering."""
    from openpyxl import load_workbook
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextDocument

    from app.ui.pdf import pick_cjk_font

    ws = load_workbook(xlsx)[sheet]
    cols = list(ws.iter_cols(min_row=1, max_row=1))
    widths = [int((ws.column_dimensions[c[0].column_letter].width or 8) * 7) for c in cols]
    parts = [f"<p><b>{html.escape(xlsx.name)} — シート「{html.escape(sheet)}」のセルを描画したもの（Excel の画面ではありません）</b>"
             f"<br>先頭行を固定・オートフィルター（▾）・列幅・塗り・太字はファイルの値のまま</p>",
             '<table border="1" cellspacing="0" cellpadding="3" style="border-collapse:collapse">']
    for r, row in enumerate(ws.iter_rows(max_row=min(ws.max_row, max_rows)), 1):
        cells = []
        for c, w in zip(row, widths, strict=False):
            style = ""
            if c.fill is not None and c.fill.fill_type == "solid":
                style += f"background-color:#{c.fill.fgColor.rgb[-6:]};"
            if c.font is not None and c.font.color is not None and isinstance(c.font.color.rgb, str):
                style += f"color:#{c.font.color.rgb[-6:]};"
            value = c.value
            if isinstance(value, float) and c.number_format == "0%":
                value = f"{value:.0%}"
            text = html.escape("" if value is None else str(value)) + (" ▾" if r == 1 else "")
            text = f"<b>{text}</b>" if c.font is not None and c.font.b else text
            cells.append(f'<td width="{w}" style="{style}">{text}</td>')
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table>")
    doc = QTextDocument()
    doc.setDefaultFont(QFont(pick_cjk_font(), 9))
    doc.setHtml("".join(parts))
    doc.setTextWidth(sum(widths) + 40)
    size = doc.size().toSize()
    image = QImage(size.width() + 20, size.height() + 20, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.translate(QPointF(10, 10))
    doc.drawContents(painter)
    painter.end()
    image.save(str(out))


SMALL = ["nokkar", "ai-sakura-san", "mebuku-pay", "ckan", "docomo-ai-unko-bus"]  # a plan with gaps: mixed colours


def shots(target: Path, folder: Path, store, db) -> None:  # type: ignore[no-untyped-def]
    """Page 1 of the big plan's PDF; page 2 of a five-service plan's PDF and its カバレッジ sheet (rendered)."""
    from app.plan.export import export_plan
    from app.plan.plans import add_services
    from app.ui.pdf import write_pdf

    target.mkdir(parents=True, exist_ok=True)
    store.create("豊明モデル")
    add_services(store, db, "豊明モデル", SMALL)
    store.set_properties("豊明モデル", municipality="愛知県豊明市", author="企画政策課")
    export_plan(store, db, "豊明モデル", "pdf", folder / "small.pdf", pdf_writer=write_pdf)
    export_plan(store, db, "豊明モデル", "xlsx", folder / "small.xlsx")
    if shutil.which("pdftoppm"):
        for pdf, page, name in ((folder / "report.pdf", 1, "report-pdf-1"), (folder / "small.pdf", 2, "report-pdf-2")):
            subprocess.run(["pdftoppm", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", "-png", str(pdf),
                            str(target / name)], check=True)
    xlsx_png(folder / "small.xlsx", "カバレッジ", target / "report-xlsx.png", max_rows=24)
    print(f"screenshots in {target}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--services", type=int, default=100)
    parser.add_argument("--shots", type=Path, help="write report-pdf.png and report-xlsx.png into this folder")
    args = parser.parse_args()

    from app.plan.export import FORMATS, build_report, document, export_plan, to_html
    from app.ui.headless import ensure_qapp
    from app.ui.pdf import write_pdf

    ensure_qapp()
    with tempfile.TemporaryDirectory(prefix="machi-navi-report-") as tmp:
        folder = Path(tmp)
        store, db, plan = make_plan(folder, args.services)
        print(f"plan: {len(store.service_ids(plan))} services")
        times: dict[str, float] = {}
        for fmt in FORMATS:
            runs = []
            for _ in range(args.runs):
                started = time.perf_counter()
                export_plan(store, db, plan, fmt, folder / f"report.{fmt}", pdf_writer=write_pdf)
                runs.append(time.perf_counter() - started)
            times[fmt] = statistics.median(runs)
            print(f"  {fmt:5s} {times[fmt]:6.2f} s  ({(folder / f'report.{fmt}').stat().st_size / 1024:.0f} KiB)")
        rep = build_report(store, db, plan)
        doc = document(rep)
        ours = write_pdf(doc, folder / "ours.pdf", "bench")
        rows = len(ours.layout.rows())
        split = sum(1 for p in ours.layout.rows() if p.bottom > ours.layout.page_height + 1e-6)
        repeated = sum(1 for p in ours.layout.placements if p.repeated)
        print(f"PDF (paginated, app.ui.pdf): {ours.pages} pages, {rows} table rows, {split} split, "
              f"{repeated} repeated header rows, TOC {len(ours.toc)} chapters, {times['pdf']:.2f} s")
        for true_size, label in ((False, "as before, text ~5 pt"), (True, "same 8 pt on paper")):
            base_runs, base = [], (0, 0, 0)
            for _ in range(args.runs):
                started = time.perf_counter()
                base = baseline_pdf(to_html(rep, for_pdf=True), folder / "baseline.pdf", true_size)
                base_runs.append(time.perf_counter() - started)
            base_time = statistics.median(base_runs)
            print(f"baseline QTextDocument.print_ ({label}): {base[0]} pages, {base[1]} table rows, {base[2]} split, "
                  f"{base_time:.2f} s; ours/baseline: time {times['pdf'] / base_time:.2f}×, pages {ours.pages / max(base[0], 1):.2f}×")
        if args.shots:
            shots(args.shots, folder, store, db)
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
