"""Import templates (.csv, .xlsx): the header row, an example row (skipped: its id starts with #),
drop-down lists of the taxonomy's values and a sheet explaining each column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app import fsio, paths
from app.catalog.columns import COLUMNS, KEYS
from app.limits import MAX_IMPORT_ROWS


def _vocab(catalog_dir: Path | None) -> dict[str, list[str]]:
    from app.catalog.loader import _Reader  # the taxonomy reader, for the drop-down lists

    reader = _Reader(catalog_dir or paths.bundled_catalog_dir())
    tax = reader.taxonomy()
    return {"field": [f.name_ja for f in tax.catalog_fields], "personal_data": [lv.name for lv in tax.personal_levels],
            "use_fields": [u.name for u in tax.use_fields], "data_linkage": ["true", "false"]}


def write_template(out: Path | str, catalog_dir: Path | None = None) -> Path:
    """An import template (.csv or .xlsx by suffix): header row, an example row (skipped: id starts with #)."""
    out = Path(out)
    example = [("#" + c[4]) if c[0] == "id" else c[4] for c in COLUMNS]
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(KEYS)
        w.writerow(example)
        return fsio.atomic_write_bytes(out, buf.getvalue().encode("utf-8-sig"))
    if out.suffix.lower() != ".xlsx":
        raise ValueError("template must be .csv or .xlsx")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "エントリ"
    ws.append(list(KEYS))
    ws.append(example)
    for i, c in enumerate(COLUMNS, 1):
        cell = ws.cell(1, i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EAF2" if not c[2] else "FFE7B3")
        ws.column_dimensions[cell.column_letter].width = 40 if c[0] in ("scra", "sources", "description") else 18
    ws.freeze_panes = "A2"
    vocab = _vocab(catalog_dir)
    for key in ("field", "personal_data", "data_linkage"):
        col = ws.cell(1, KEYS.index(key) + 1).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(vocab[key]) + '"', allow_blank=True)
        dv.add(f"{col}2:{col}{MAX_IMPORT_ROWS + 1}")
        ws.add_data_validation(dv)
    doc = wb.create_sheet("説明")
    doc.append(["列", "見出し", "必須", "書き方", "例"])
    for c in COLUMNS:
        doc.append([c[0], c[1], "必須" if c[2] else "", c[3], c[4]])
    doc.append([])
    doc.append(["分野", "", "", "、".join(vocab["field"])])
    doc.append(["利用分野", "", "", "、".join(vocab["use_fields"])])
    doc.append(["個人データ", "", "", "、".join(vocab["personal_data"])])
    doc.append(["", "", "", "取り込んだエントリは利用者フォルダ（local_entries）に保存され、catalog_data/ には書き込まれません。"])
    for col, width in zip("ABCDE", (16, 14, 6, 70, 40), strict=True):
        doc.column_dimensions[col].width = width
    for row in doc.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    with fsio.atomic_path(out) as tmp:
        wb.save(str(tmp))
    return out
