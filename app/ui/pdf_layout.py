"""Pagination of the PDF report (pure, no Qt): measured units in, page placements out.

QTextDocument's own printing splits table rows across pages and knows no table of contents, so the
PDF writer (app.ui.pdf) measures every heading, paragraph and table row on its own and this module
places them: a table row is never split (it moves to the next page whole, under a repeated header
row), a heading stays with what follows it, and a row taller than a page is scaled down to fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Unit:
    kind: str  # "block" (heading, paragraph, list) | "header" (a table's header row) | "row" (a table row)
    height: float
    table: int = -1  # the table a header or row belongs to
    row: int = -1
    keep_with_next: bool = False  # headings: never last on a page
    gap_after: float = 0.0  # space below (after a block, or after a table's last row)
    offset: float = 0.0  # blank at the top of the unit's drawing that is not part of its height


@dataclass(frozen=True)
class Placement:
    unit: int  # index into the units; a repeated header points at its table's header unit
    page: int  # 0-based
    top: float
    height: float  # as drawn (less than the unit's height when scaled down)
    kind: str
    table: int = -1
    row: int = -1
    repeated: bool = False  # a header row repeated at the top of a continuation page

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass
class Layout:
    page_height: float
    first_page: int
    pages: int = 0
    placements: list[Placement] = field(default_factory=list)

    def page_of(self, unit: int) -> int:
        return next(p.page for p in self.placements if p.unit == unit and not p.repeated)

    def rows(self) -> list[Placement]:
        return [p for p in self.placements if p.kind == "row"]


def _first_need(units: list[Unit], i: int) -> float:
    """Height that must fit on the page together with unit i: the first row under a header, the
    start of what follows a heading."""
    u = units[i]
    nxt = units[i + 1] if i + 1 < len(units) else None
    if nxt is None:
        return u.height
    if u.kind == "header":
        return u.height + (nxt.height if nxt.kind == "row" and nxt.table == u.table else 0)
    if u.keep_with_next:
        return u.height + u.gap_after + _first_need(units, i + 1)
    return u.height


def paginate(units: list[Unit], page_height: float, first_page: int = 0) -> Layout:
    """Place `units` top to bottom on pages `page_height` high, starting on page `first_page`."""
    out = Layout(page_height, first_page)
    page, y = first_page, 0.0
    header_of: dict[int, int] = {}

    def new_page() -> None:
        nonlocal page, y
        page, y = page + 1, 0.0

    for i, u in enumerate(units):
        if u.kind == "header":
            header_of[u.table] = i
        need = min(_first_need(units, i), page_height)
        if u.kind != "row" and y > 0 and y + need > page_height:
            new_page()
        if u.kind == "row":
            head = units[header_of[u.table]] if u.table in header_of else None
            head_h = head.height if head else 0.0
            fits = min(u.height, page_height - head_h)
            if y > 0 and y + fits > page_height:
                new_page()
                if head is not None:
                    out.placements.append(Placement(header_of[u.table], page, 0.0, head_h, "header", u.table, -1, True))
                    y = head_h
            height = min(u.height, page_height - y)  # only a row taller than a whole page is scaled
            out.placements.append(Placement(i, page, y, height, "row", u.table, u.row))
            y += height
            nxt = units[i + 1] if i + 1 < len(units) else None
            if nxt is None or nxt.kind != "row" or nxt.table != u.table:
                y += u.gap_after
            continue
        height = min(u.height, page_height - y)
        out.placements.append(Placement(i, page, y, height, u.kind, u.table, u.row))
        y += height + u.gap_after
    out.pages = page + 1
    return out


def split_rows(layout: Layout) -> list[Placement]:
    """Rows that cross a page's bottom edge: the writer's promise is that there are none."""
    return [p for p in layout.rows() if p.top < 0 or p.bottom > layout.page_height + 1e-6]
