"""The plan report as a document of blocks (cover, headings, paragraphs, tables) and its text renderings.

One document feeds every format: Markdown and HTML here, CSV and XLSX (app.plan.xlsx) from its tables,
and the PDF (app.ui.pdf), which paginates block by block and table row by table row, so a row is never
split across pages. Everything is plain text until a renderer escapes it: HTML through html.escape,
Markdown by backslash-escaping its syntax characters (a report renders no raw HTML).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cell:
    text: str
    value: int | float | None = None  # a number for spreadsheets (text is how the report shows it)
    fill: str = ""  # background #rrggbb (app.plan.scale)
    ink: str = ""  # text colour on `fill`
    number_format: str = ""  # spreadsheet number format, e.g. "0%"


def cell(value: Any) -> Cell:
    if isinstance(value, Cell):
        return value
    if isinstance(value, bool) or value is None:
        return Cell("" if value is None else str(value))
    if isinstance(value, int | float):
        return Cell(str(value), value)
    return Cell(str(value))


@dataclass
class Table:
    key: str  # sheet / section name
    header: list[str]
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths for HTML / PDF

    @staticmethod
    def of(key: str, header: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
        return Table(key, header, [[cell(c) for c in r] for r in rows], widths)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = chapter (in the table of contents), 2 = section
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Para:
    text: str
    small: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


Block = Heading | Para | Bullets | Table


@dataclass
class ReportDoc:
    lang: str
    title: str  # 計画レポート
    plan_name: str
    cover: list[tuple[str, str]]  # (label, value) shown under the title
    body: list[Block]
    appendix: list[Block]  # identifiers and version: the only place ids and hashes appear
    footer: str
    words: dict[str, str] = field(default_factory=dict)  # toc / page labels for the PDF writer

    @property
    def blocks(self) -> list[Block]:
        return self.body + self.appendix

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def headings(self, level: int = 1) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= level]


# -- Markdown ---------------------------------------------------------------------------------------

def md_escape(text: Any) -> str:
    s = str(text).replace("\r", " ").replace("\n", " ")
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"):
        s = s.replace(ch, "\\" + ch)
    return s


def _md_table(t: Table) -> list[str]:
    out = ["| " + " | ".join(md_escape(c) for c in t.header) + " |", "|" + "---|" * len(t.header)]
    out += ["| " + " | ".join(md_escape(c.text) for c in r) + " |" for r in t.rows]
    return out


def _md_block(b: Block) -> list[str]:
    if isinstance(b, Heading):
        return ["#" * (b.level + 1) + " " + md_escape(b.text), ""]
    if isinstance(b, Para):
        return [md_escape(b.text), ""]
    if isinstance(b, Bullets):
        return [f"- {md_escape(i)}" for i in b.items] + [""]
    return _md_table(b) + [""]


def to_markdown(doc: ReportDoc) -> str:
    lines = [f"# {md_escape(doc.title)}: {md_escape(doc.plan_name)}", ""]
    lines += [f"- {md_escape(k)}: {md_escape(v)}" for k, v in doc.cover] + [""]
    for b in doc.body:
        lines += _md_block(b)
    lines += ["---", "", md_escape(doc.footer), ""]
    for b in doc.appendix:
        lines += _md_block(b)
    return "\n".join(lines)


# -- HTML -------------------------------------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


CSS = """
body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic","Meiryo",sans-serif;margin:2em;color:#222;line-height:1.5}
h1{font-size:1.6em;border-bottom:2px solid #446;padding-bottom:.2em}h2{font-size:1.3em;margin-top:1.6em;border-left:6px solid #446;padding-left:.4em}
h3{font-size:1.1em}table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #999;padding:3px 6px;vertical-align:top;font-size:.9em}
th{background:#e8eaf2;text-align:left}.cover td{border:none;padding:2px 12px 2px 0}.note{color:#555;font-size:.85em}
tr{page-break-inside:avoid}thead{display:table-header-group}
@media print{body{margin:0}}
"""
PDF_CSS = "th{background-color:#e8eaf2}td,th{padding:2px}h1,h2,h3{color:#223}"
TABLE_ATTRS = ' border="1" cellspacing="0" cellpadding="3" width="100%"'


def cell_html(c: Cell, tag: str = "td", width: float | None = None) -> str:
    style = ""
    if c.fill:
        style += f"background-color:{c.fill};"
    if c.ink:
        style += f"color:{c.ink};"
    attrs = f' bgcolor="{c.fill}"' if c.fill else ""
    attrs += f' style="{style}"' if style else ""
    attrs += f' width="{width:.0f}%"' if width is not None else ""
    text = c.text.lstrip("\u3000")  # a tree's indent: leading full-width spaces would collapse in HTML
    indent = "&nbsp;" * 3 * (len(c.text) - len(text))
    return f"<{tag}{attrs}>{indent}{_e(text)}</{tag}>"


def percent_widths(t: Table) -> list[float]:
    total = sum(t.widths) or 1.0
    return [100.0 * w / total for w in t.widths]


def header_row_html(t: Table) -> str:
    widths = percent_widths(t)
    return "<tr>" + "".join(cell_html(Cell(h), "th", w) for h, w in zip(t.header, widths, strict=False)) + "</tr>"


def row_html(t: Table, row: list[Cell]) -> str:
    widths = percent_widths(t)
    return "<tr>" + "".join(cell_html(c, "td", w) for c, w in zip(row, widths, strict=False)) + "</tr>"


def table_html(t: Table, rows: list[list[Cell]] | None = None, header: bool = True) -> str:
    """The table (or some of its rows) as HTML; the PDF writer renders row groups of it on their own."""
    body = "".join(row_html(t, r) for r in (t.rows if rows is None else rows))
    head = f"<thead>{header_row_html(t)}</thead>" if header else ""
    return f"<table{TABLE_ATTRS}>{head}<tbody>{body}</tbody></table>"


def block_html(b: Block) -> str:
    if isinstance(b, Heading):
        tag = f"h{b.level + 1}"
        anchor = f' id="{_e(b.anchor)}"' if b.anchor else ""
        return f"<{tag}{anchor}>{_e(b.text)}</{tag}>"
    if isinstance(b, Para):
        return f'<p class="note"><small>{_e(b.text)}</small></p>' if b.small else f"<p>{_e(b.text)}</p>"
    if isinstance(b, Bullets):
        return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in b.items) + "</ul>"
    return table_html(b)


def cover_html(doc: ReportDoc) -> str:
    rows = "".join(f'<tr><th align="left" width="38%">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in doc.cover)
    return (f"<h1>{_e(doc.title)}</h1><h2>{_e(doc.plan_name)}</h2>"
            f'<table class="cover" width="80%" cellspacing="0" cellpadding="5">{rows}</table>')


def to_html(doc: ReportDoc, for_pdf: bool = False) -> str:
    """A self-contained page: no scripts (the CSP forbids them too), every text escaped."""
    lang = "ja" if doc.lang == "ja" else "en"
    parts = ["<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
             f"<title>{_e(doc.title)}: {_e(doc.plan_name)}</title>",
             f"<style>{PDF_CSS if for_pdf else CSS}</style></head><body>", cover_html(doc)]
    if not for_pdf:
        toc = [b for b in doc.headings(1)]
        parts.append(f"<h2>{_e(doc.words.get('toc', ''))}</h2><ol>" + "".join(
            f'<li><a href="#{_e(h.anchor)}">{_e(h.text)}</a></li>' for h in toc) + "</ol>")
    parts += [block_html(b) for b in doc.body]
    parts.append(f'<hr><p class="note">{_e(doc.footer)}</p>')
    parts += [block_html(b) for b in doc.appendix]
    parts.append("</body></html>")
    return "\n".join(parts)
