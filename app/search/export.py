"""Export a results table as the user sees it: CSV (UTF-8 with BOM, or Shift_JIS), XLSX, TSV.

The caller passes the header and the rows already in display order (the UI: the visible columns
in their shown order, rows in the current sort and filter; the CLI: `hit_table`). Cells that a
spreadsheet could read as a formula are neutralised with app.spreadsheet.safe_cell. No Qt here.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.catalog import fields as registry
from app.fsio import CancelCheck, Progress, atomic_path, check_cancelled
from app.spreadsheet import safe_cell

FORMATS = ("csv", "xlsx")
ENCODINGS = ("utf-8", "shift_jis")
# what replaces a character Shift_JIS cannot hold: the geta mark 〓, the customary Japanese placeholder
SJIS_MARK = "〓"
# Excel's "Shift_JIS" is Windows-31J (cp932): it has the NEC/IBM extensions (①, ㈱, 髙 …) offices use
SJIS_CODEC = "cp932"
ROWS_PER_STEP = 500  # rows between progress reports / cancel checks of an XLSX export
MUNI_SHOWN = 3  # municipalities named in a 自治体 cell before "他N"


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


def municipalities_cell(munis: Sequence[str], shown: int = MUNI_SHOWN) -> str:
    """'3: 長野県茅野市、愛知県豊明市、… 他1' — the count, then the first names (the UI's 自治体 column)."""
    if not munis:
        return ""
    head = "、".join(munis[:shown])
    more = f" 他{len(munis) - shown}" if len(munis) > shown else ""
    return f"{len(munis)}: {head}{more}"


def hit_table(hits: Sequence[Any], lang: str = "ja") -> Table:
    """The results table's default columns for search hits (the CLI's export; the UI exports its view)."""
    ja = lang == "ja"
    header = ["種別" if ja else "Kind", "名称" if ja else "Name", "提供者" if ja else "Provider",
              "分野" if ja else "Field", "自治体" if ja else "Municipalities",
              *(f.label(lang) for f in registry.FACTS), "ID"]
    rows = []
    for h in hits:
        facts = [f.value_label(h.facts.get(f.key) or registry.UNKNOWN, lang) if h.kind == "service" else ""
                 for f in registry.FACTS]
        rows.append([h.label, h.name, h.provider, h.field, municipalities_cell(h.municipalities), *facts, h.id])
    return Table(header, rows)


def sjis_safe(text: str) -> tuple[str, int]:
    """`text` with every character cp932 cannot encode replaced by 〓, and how many were replaced."""
    out, bad = [], 0
    for ch in text:
        try:
            ch.encode(SJIS_CODEC)
            out.append(ch)
        except UnicodeEncodeError:
            out.append(SJIS_MARK)
            bad += 1
    return "".join(out), bad


def to_csv(table: Table, sep: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    w.writerow([safe_cell(c) for c in table.header])
    for r in table.rows:
        w.writerow([safe_cell(c) for c in r])
    return buf.getvalue()


def to_tsv(table: Table, with_header: bool = False) -> str:
    """Rows as tab-separated text for the clipboard (tabs and newlines inside cells become spaces)."""
    rows = ([table.header] if with_header else []) + table.rows
    return "".join("\t".join(str(safe_cell(" ".join(str(c).split()))) for c in r) + "\n" for r in rows)


def csv_bytes(table: Table, encoding: str = "utf-8") -> tuple[bytes, int]:
    """(file bytes, characters replaced): UTF-8 with BOM (Excel detects it), or Shift_JIS (cp932) with 〓."""
    text = to_csv(table)
    if encoding.lower().replace("-", "_") in ("shift_jis", "sjis", "cp932"):
        safe, bad = sjis_safe(text)
        return safe.encode(SJIS_CODEC), bad
    return text.encode("utf-8-sig"), 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_xlsx(table: Table, out: Path, title: str = "検索結果", progress: Progress | None = None,
               cancelled: CancelCheck | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([safe_cell(c) for c in table.header])
    for i, r in enumerate(table.rows, 1):
        ws.append([safe_cell(c) for c in r])
        if i % ROWS_PER_STEP == 0:  # a 10,000-row export reports and can be stopped as it goes
            check_cancelled(cancelled)
            if progress:
                progress(i, len(table.rows))
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="E8EAF2")
    ws.freeze_panes = "A2"
    if table.header:
        ws.auto_filter.ref = ws.dimensions
    for i, name in enumerate(table.header, 1):
        widest = max([_width(str(name)), *(_width(str(r[i - 1])) for r in table.rows if i - 1 < len(r))])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(6, min(60, widest + 2))
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(vertical="top")
    wb.properties.creator = "まちナビ (Machi Navi)"
    buf = io.BytesIO()  # zip in memory: a failing disk write then cannot leave openpyxl's zip half-closed
    wb.save(buf)
    Path(out).write_bytes(buf.getvalue())


def export_table(table: Table, fmt: str, out: Path | str, encoding: str = "utf-8", *, progress: Progress | None = None,
                 cancelled: CancelCheck | None = None) -> tuple[Path, int]:
    """Write `table` as csv or xlsx (atomically); returns (path, characters replaced for Shift_JIS).
    `progress(rows done, rows)` and `cancelled()` as in app.fsio: a cancel (fsio.Cancelled) writes nothing."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "csv":
        data, bad = csv_bytes(table, encoding)
        with atomic_path(Path(out)) as tmp:
            tmp.write_bytes(data)
            check_cancelled(cancelled)
        return Path(out), bad
    if fmt == "xlsx":
        with atomic_path(Path(out)) as tmp:
            write_xlsx(table, tmp, progress=progress, cancelled=cancelled)
            check_cancelled(cancelled)
        return Path(out), 0
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
