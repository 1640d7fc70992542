"""Spreadsheet helpers shared by every export (plan reports, result tables): no formula injection, and
sheets laid out as working files (bold frozen header, autofilter, widths that fit Japanese text).

A cell whose text starts like a formula (= + - @, a tab or CR, or their full-width forms, which
Excel also reads as formulas) is written with a leading apostrophe, so Excel shows it as text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
HEADER_FILL = "E8EAF2"
MIN_WIDTH, MAX_WIDTH = 6.0, 60.0  # in Excel character units


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: text starting with = + - @ tab CR gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def text_width(value: Any) -> int:
    """Display width of a cell's longest line: full-width (East Asian W/F) characters count two."""
    lines = str(value if value is not None else "").splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


def column_widths(rows: Sequence[Sequence[Any]], lo: float = MIN_WIDTH, hi: float = MAX_WIDTH) -> list[float]:
    """A width per column that fits its widest cell (plus padding), kept within lo..hi; longer text wraps."""
    n = max((len(r) for r in rows), default=0)
    widths = [lo] * n
    for r in rows:
        for i, v in enumerate(r):
            widths[i] = max(widths[i], min(hi, text_width(v) * 1.1 + 2))
    return widths


def format_sheet(ws: Any, header_row: int, widths: Sequence[float]) -> None:
    """Bold shaded header frozen in place, autofilter over the table, column widths, long text wrapped."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    last_col = max(ws.max_column, 1)
    for c in ws[header_row]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor=HEADER_FILL)
        c.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(last_col)}{max(ws.max_row, header_row)}"
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        for c in row:
            if isinstance(c.value, str):
                c.alignment = Alignment(wrap_text=text_width(c.value) > widths[c.column - 1] if c.column <= len(widths) else True,
                                        vertical="top")
            else:
                c.alignment = Alignment(vertical="top")
