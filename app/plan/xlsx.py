"""The plan report as a working spreadsheet (openpyxl): one sheet per table, each filterable.

Every sheet has a bold frozen header row and an autofilter; widths fit the text (full-width
characters count double) and long text wraps; numbers are numbers (percentages formatted as %);
coverage and status cells carry the app's colour scale (app.plan.scale) with its glyph, so the
sheet reads the same as the app. Text cells go through safe_cell (no formula injection).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from app.plan.report import Report, document, facts_table, questions_table, service_table
from app.plan.report_doc import Cell, Table
from app.plan.report_text import Words
from app.spreadsheet import column_widths, format_sheet, safe_cell


def _put(ws: Any, row: int, cells: list[Cell]) -> None:
    from openpyxl.styles import Font, PatternFill

    for col, c in enumerate(cells, 1):
        target = ws.cell(row, col, c.value if c.value is not None else safe_cell(c.text))
        if c.number_format:
            target.number_format = c.number_format
        if c.fill:
            target.fill = PatternFill("solid", fgColor=c.fill.lstrip("#").upper())
        if c.ink:
            target.font = Font(color=c.ink.lstrip("#").upper())


def _table_sheet(wb: Any, title: str, t: Table) -> Any:
    ws = wb.create_sheet(title)
    _put(ws, 1, [Cell(h) for h in t.header])
    for i, r in enumerate(t.rows, 2):
        _put(ws, i, r)
    format_sheet(ws, 1, column_widths([t.header] + [[c.text for c in r] for r in t.rows]))
    return ws


def _services(rep: Report) -> Table:
    """One row per service with its facts beside it (the report prints them as two tables)."""
    base, facts = service_table(rep), facts_table(rep)
    rows = [a + b[2:] for a, b in zip(base.rows, facts.rows, strict=True)]
    return Table(base.key, base.header + facts.header[2:], rows, base.widths + facts.widths[2:])


def _summary_sheet(wb: Any, rep: Report, pairs: list[tuple[str, str]]) -> None:
    """Title, then the cover as a two-column table whose figures are numbers (the cover's sentences
    such as 「5件（カタログにないもの 0件）」 become one number per row)."""
    from openpyxl.styles import Font

    w, cov = rep.words, rep.coverage
    ws = wb.create_sheet(w("sheet_summary"))
    ws.cell(1, 1, safe_cell(f"{w('title')}: {rep.plan.name}")).font = Font(bold=True, size=14)
    rows = [[Cell(k), Cell(v)] for k, v in pairs[:5]]  # plan, municipality, author, date, edition
    rows += [[Cell(w("services_count")), Cell(str(len(rep.items)), len(rep.items))],
             [Cell(w("missing_count")), Cell(str(len(cov.missing_ids)), len(cov.missing_ids))],
             [Cell(w("coverage")), Cell(f"{cov.percent}%", round(cov.covered_blocks / cov.total_blocks, 4) if cov.total_blocks else 0.0,
                                         number_format="0%")],
             [Cell(w("blocks")), Cell(str(cov.covered_blocks), cov.covered_blocks)],
             [Cell(w("blocks_total")), Cell(str(cov.total_blocks), cov.total_blocks)]]
    _put(ws, 3, [Cell(w("key")), Cell(w("value"))])
    for i, r in enumerate(rows, 4):
        _put(ws, i, r)
    format_sheet(ws, 3, column_widths([[w("key"), w("value")], *[[c.text for c in r] for r in rows]]))


def write_xlsx(rep: Report, out: Path) -> None:
    from openpyxl import Workbook

    w: Words = rep.words
    doc = document(rep)
    tables = {t.key: t for t in doc.tables}
    wb = Workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, rep, doc.cover)
    _table_sheet(wb, w("sheet_services"), _services(rep))
    for key in ("sheet_groups", "sheet_coverage", "sheet_matrix", "sheet_gaps"):
        if w(key) in tables:
            _table_sheet(wb, w(key), tables[w(key)])
        elif key == "sheet_gaps":  # no gaps: an empty but still filterable sheet
            _table_sheet(wb, w(key), Table(w(key), [w("rank"), w("node")], [], [5, 20]))
    _table_sheet(wb, w("sheet_questions"), questions_table(rep))
    ids = [t for t in doc.tables if t.key in (w("sec_app_version"), w("sec_app_services"), w("sec_app_nodes"), w("sec_app_questions"))]
    rows = [[Cell(t.key), r[1] if r[0].value is not None else r[0], Cell(r[-1].text)] for t in ids for r in t.rows]
    _table_sheet(wb, w("sheet_ids"), Table(w("sheet_ids"), [w("kind"), w("name"), w("id")], rows, [20, 40, 40]))
    wb.properties.title = f"{w('title')}: {rep.plan.name}"
    wb.properties.creator = "まちナビ (Machi Navi)"
    buf = io.BytesIO()  # zip in memory: a failing disk write then cannot leave openpyxl's zip half-closed
    wb.save(buf)
    Path(out).write_bytes(buf.getvalue())
