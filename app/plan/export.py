"""Plan reports in office form: Markdown, self-contained HTML, PDF, CSV and XLSX.

Every format renders one document (app.plan.report.document): a cover (plan, municipality, author,
date in Japan time, catalog edition), the sections with everything named in the report language,
and an appendix, the only place ids and the catalog's content hash appear. HTML escapes everything
and carries no scripts (a CSP forbids them too). Spreadsheet cells that a spreadsheet could read as
a formula are prefixed with a single quote (app.spreadsheet). Files are written beside the target
and moved into place (app.fsio), so a failed export leaves no half-written file. PDF rendering
needs Qt and lives in the UI layer (app.ui.pdf); it is passed in as `pdf_writer`, so this package
imports no Qt.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app import fsio
from app.catalog.store import CatalogDB, checkpoint
from app.errors import UserError, from_os_error
from app.fsio import atomic_path
from app.plan.plans import PlanStore
from app.plan.report import Report, build_report, document, facts_table, service_table
from app.plan.report_doc import ReportDoc, Table
from app.plan.report_doc import to_html as doc_html
from app.plan.report_doc import to_markdown as doc_markdown
from app.plan.xlsx import write_xlsx
from app.spreadsheet import FORMULA_START, safe_cell  # noqa: F401 - re-exported for callers of the plan exports

__all__ = ["FORMATS", "PdfWriter", "Report", "build_report", "document", "export_plan", "export_report", "to_csv",
           "to_html", "to_markdown", "write_xlsx"]

FORMATS = ("md", "html", "pdf", "csv", "xlsx")

Progress = fsio.Progress  # (done, total) steps
CancelCheck = fsio.CancelCheck
EXPORT_STEPS = 2  # the report gathered, the file written

PdfWriter = Callable[[ReportDoc, Path, str], None]
"""(document, out_path, title) -> None: paginates the report document (app.ui.pdf.write_pdf) into a PDF."""


def to_markdown(rep: Report) -> str:
    return doc_markdown(document(rep))


def to_html(rep: Report, for_pdf: bool = False) -> str:
    return doc_html(document(rep), for_pdf)


def _csv_table(w: Any, t: Table) -> None:
    w.writerow([safe_cell(f"[{t.key}]")])
    w.writerow([safe_cell(h) for h in t.header])
    for r in t.rows:
        w.writerow([c.value if c.value is not None and not c.number_format else safe_cell(c.text) for c in r])
    w.writerow([])


def to_csv(rep: Report) -> str:
    """The cover as two columns, then every table under its [name]; UTF-8 with BOM is added on write."""
    doc = document(rep)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_cell(f"{doc.title}: {doc.plan_name}")])
    for k, v in doc.cover:
        w.writerow([safe_cell(k), safe_cell(v)])
    w.writerow([])
    base, facts = service_table(rep), facts_table(rep)
    merged = Table(base.key, base.header + facts.header[2:], [a + b[2:] for a, b in zip(base.rows, facts.rows, strict=True)], [])
    for t in [merged] + [t for t in doc.tables if t.key not in (base.key, facts.key)]:
        _csv_table(w, t)
    return buf.getvalue()


@contextmanager
def _report_file(out: Path, cancelled: CancelCheck | None = None) -> Iterator[Path]:
    """A temp file beside `out`, moved over it only when whole and not cancelled (app.fsio.atomic_path)."""
    with atomic_path(out) as tmp:
        yield tmp
        fsio.check_cancelled(cancelled)  # stopped while rendering: the old file (if any) stays as it was
        if not fsio.is_complete(tmp):
            raise UserError("レポートを最後まで書けませんでした（ディスクの空き容量を確認してください）",
                            "the report could not be written completely (is the disk full?)", out,
                            "空き容量を増やすか別の場所を選んでやり直してください。以前のファイルは変更していません",
                            "free some space or choose another folder; the previous file is unchanged")
        checkpoint("export-before-replace")  # crash-test hook


def export_report(rep: Report, fmt: str, out_path: Path, pdf_writer: PdfWriter | None = None, *,
                  cancelled: CancelCheck | None = None) -> Path:
    """Write `rep` as `fmt` to `out_path` atomically: the old file survives any failure or a cancel
    (fsio.Cancelled), and a disk error is a UserError naming the report."""
    fmt = fmt.lower().lstrip(".")
    out = Path(out_path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "pdf" and pdf_writer is None:
        raise ValueError("PDF export needs a PDF writer (app.ui.pdf.write_pdf)")
    try:
        with _report_file(out, cancelled) as tmp:
            if fmt == "md":
                tmp.write_bytes(to_markdown(rep).encode("utf-8"))
            elif fmt == "html":
                tmp.write_bytes(to_html(rep).encode("utf-8"))
            elif fmt == "csv":  # UTF-8 with BOM so Excel opens the Japanese text correctly
                tmp.write_bytes(to_csv(rep).encode("utf-8-sig"))
            elif fmt == "xlsx":
                write_xlsx(rep, tmp)
            else:
                assert pdf_writer is not None
                doc = document(rep)
                pdf_writer(doc, tmp, f"{doc.title}: {rep.plan.name}")
    except OSError as exc:
        raise from_os_error(exc, out) from None
    return out


def export_plan(store: PlanStore, db: CatalogDB, name: str, fmt: str, out_path: Path | str,
                progress: Progress | None = None, pdf_writer: PdfWriter | None = None,
                lang: str = "ja", era: bool = False, cancelled: CancelCheck | None = None) -> Path:
    """Export plan `name` as md | html | pdf | csv | xlsx to `out_path`; returns the written path.

    `lang` is the report language ("ja" or "en"), `era` dates it in the Japanese era (令和).
    `progress(done, EXPORT_STEPS)` is called after each step; `cancelled()` is checked between
    steps and before the file is moved into place, and raises fsio.Cancelled (nothing written).
    May run off the GUI thread. PDF needs `pdf_writer` (app.ui.pdf.write_pdf): no Qt here."""
    if fmt.lower().lstrip(".") not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    step = progress or (lambda _done, _total: None)
    step(0, EXPORT_STEPS)
    fsio.check_cancelled(cancelled)
    rep = build_report(store, db, name, lang=lang, era=era)
    step(1, EXPORT_STEPS)
    fsio.check_cancelled(cancelled)
    path = export_report(rep, fmt, Path(out_path), pdf_writer, cancelled=cancelled)
    step(EXPORT_STEPS, EXPORT_STEPS)
    return path
