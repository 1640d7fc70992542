"""Catalog and user text shown by Qt without being read as markup.

Qt renders a tooltip, and a QLabel in AutoText mode, as rich text whenever the text looks like
HTML: an imported service name could then load local images or paint fake warnings. Labels that
show such text are set to PlainText; tooltips go through `plain_tip`.
"""

from __future__ import annotations

import html


def plain_tip(text: str) -> str:
    """`text` for setToolTip / ToolTipRole, shown literally."""
    if "<" not in text:  # Qt only treats text with a tag as rich text
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"
