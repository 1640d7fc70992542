"""Spreadsheet safety shared by every export (plan reports, result tables): no formula injection.

A cell whose text starts like a formula (= + - @, a tab or CR, or their full-width forms, which
Excel also reads as formulas) is written with a leading apostrophe, so Excel shows it as text.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: text starting with = + - @ tab CR gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
