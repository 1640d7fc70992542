"""Plan exports: every format, catalog version + date stamped, no scripts, no formula injection, big plans."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.catalog.store import CatalogDB
from app.plan.export import FORMATS, export_plan, safe_cell, to_html
from app.plan.plans import PlanStore, add_services
from app.plan.report_doc import ReportDoc
from app.ui.pdf import write_pdf
from tests.plan_support import REAL_FIVE, open_store

EVIL = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "<script>alert(1)</script>"]


@pytest.fixture
def store(tmp_path: Path, catdb: CatalogDB) -> PlanStore:
    st, _ = open_store(tmp_path / "plans.db")
    st.create("豊明<b>モデル</b>")
    add_services(st, catdb, "豊明<b>モデル</b>", REAL_FIVE)
    st.set_answer("豊明<b>モデル</b>", "ownership", "municipality", "<img src=x onerror=alert(1)>")
    st.set_answer("豊明<b>モデル</b>", "um:auth-strength", "identity-proofing")
    for sid, note in zip(REAL_FIVE, EVIL, strict=False):
        st.set_note("豊明<b>モデル</b>", sid, note)
    st.add("豊明<b>モデル</b>", ["vanished-entry"], names={"vanished-entry": "=消えた<script>サービス"})
    return st


PLAN = "豊明<b>モデル</b>"


def test_safe_cell() -> None:
    for bad in EVIL[:6] + ["＝1+1"]:
        assert safe_cell(bad) == "'" + bad
    assert safe_cell("普通の文字") == "普通の文字"
    assert safe_cell(3) == 3


def test_markdown_and_html(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    meta = catdb.meta()
    md = export_plan(store, catdb, PLAN, "md", tmp_path / "r.md").read_text(encoding="utf-8")
    assert meta["content_hash"] in md and meta["edition_name"] in md  # the hash in the appendix, the edition on the cover
    assert "ノッカル" in md and "カタログにありません" in md and "ギャップ" in md
    assert "<script>" not in md, "markdown escapes angle brackets too"
    html = export_plan(store, catdb, PLAN, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    lower = html.lower()
    assert "<script" not in lower
    assert "<img" not in lower
    assert "&lt;script&gt;" in html and "&lt;b&gt;モデル" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert meta["content_hash"] in html and "自治体" in html
    assert 'charset="utf-8"' in html


def test_html_never_contains_script_for_hostile_text(store: PlanStore, catdb: CatalogDB) -> None:
    from app.plan.export import build_report

    rep = build_report(store, catdb, PLAN)
    for doc in (to_html(rep), to_html(rep, for_pdf=True)):
        assert "<script" not in doc.lower() and "javascript:" not in doc.lower()


def test_csv_is_bom_utf8_and_injection_safe(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    path = export_plan(store, catdb, PLAN, "csv", tmp_path / "r.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    cells = [c for r in rows for c in r]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), [c for c in cells if c[:1] in "=+-@\t\r"]
    assert "'=消えた<script>サービス" in cells
    assert catdb.meta()["content_hash"] in raw.decode("utf-8-sig")
    assert any("サービスマネジメント機能群" in c for c in cells)
    assert "[ギャップ]" in cells


def test_xlsx_is_injection_safe_and_has_sheets(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    path = export_plan(store, catdb, PLAN, "xlsx", tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["概要", "サービス", "機能群", "カバレッジ", "サービス×機能群", "ギャップ", "検討事項", "付録（ID）"]
    formulas = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r"))):
                    formulas.append((ws.title, c.coordinate, c.value))
    assert formulas == []
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "'=消えた<script>サービス" in values
    assert catdb.meta()["content_hash"] in values


def test_pdf_a4_with_embedded_japanese_font(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    path = export_plan(store, catdb, PLAN, "pdf", tmp_path / "r.pdf", pdf_writer=write_pdf)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "CJK" in fonts or "JP" in fonts, fonts
        assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip()), "every font embedded"
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert "A4" in info
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "ノッカル" in text and "計画レポート" in text


def test_pdf_needs_a_writer_and_a_failed_writer_leaves_the_old_report(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    """app.plan imports no Qt: the PDF writer is passed in. Whatever it does, the export is atomic."""
    out = tmp_path / "reports" / "r.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF-old report")
    with pytest.raises(ValueError, match="PDF writer"):
        export_plan(store, catdb, PLAN, "pdf", out)

    def half_then_fail(doc: ReportDoc, path: Path, title: str) -> None:
        assert doc.plan_name == PLAN and PLAN in title and path.parent == out.parent and path != out
        path.write_bytes(b"%PDF-1.4 half")
        raise OSError(28, "No space left on device")

    from app.errors import UserError

    with pytest.raises(UserError, match="disk is full") as failed:  # the error model: names the report
        export_plan(store, catdb, PLAN, "pdf", out, pdf_writer=half_then_fail)
    assert str(out) in str(failed.value)
    assert out.read_bytes() == b"%PDF-old report"
    assert [p.name for p in out.parent.iterdir()] == ["r.pdf"], "no temp file left behind"


def test_unknown_format_and_plan(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_plan(store, catdb, PLAN, "docx", tmp_path / "r.docx")
    from app.plan.plans import PlanError

    with pytest.raises(PlanError):
        export_plan(store, catdb, "no such plan", "md", tmp_path / "x.md")
    assert not (tmp_path / "x.md").exists()
    assert not list(tmp_path.glob(".*.tmp*")), "no temp files left behind"


def test_hundred_service_plan_exports_every_format(catdb: CatalogDB, tmp_path: Path) -> None:
    st, _ = open_store(tmp_path / "plans.db")
    st.create("big")
    ids = catdb.service_ids()[:100]
    assert len(ids) == 100
    add_services(st, catdb, "big", ids)
    timings = {}
    for fmt in FORMATS:
        started = time.perf_counter()
        path = export_plan(st, catdb, "big", fmt, tmp_path / f"big.{fmt}", pdf_writer=write_pdf)
        timings[fmt] = time.perf_counter() - started
        assert path.stat().st_size > 0
    print("export seconds (100 services):", {k: round(v, 2) for k, v in timings.items()})
    assert max(timings.values()) < 60
    wb = load_workbook(tmp_path / "big.xlsx")
    assert wb["サービス×機能群"].max_row == 1 + 100 and wb["サービス"].max_row == 1 + 100
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(tmp_path / "big.pdf"), str(tmp_path / "page")],
                       check=True, timeout=120)
        pngs = list(tmp_path.glob("page*.png"))
        assert pngs and pngs[0].stat().st_size > 1000


def test_progress_steps_and_cancel_leave_no_file(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    """export_plan reports (done, EXPORT_STEPS) and a cancel raises fsio.Cancelled with nothing written;
    a cancel once the file is rendered (before it is moved into place) keeps an older file as it was."""
    import itertools

    from app.fsio import Cancelled
    from app.plan.export import EXPORT_STEPS

    folder = tmp_path / "out"
    folder.mkdir()
    steps: list[tuple[int, int]] = []
    out = export_plan(store, catdb, PLAN, "csv", folder / "r.csv", progress=lambda d, t: steps.append((d, t)),
                      cancelled=lambda: False, lang="en")
    assert steps == [(i, EXPORT_STEPS) for i in range(EXPORT_STEPS + 1)] and out.stat().st_size > 0
    with pytest.raises(Cancelled):
        export_plan(store, catdb, PLAN, "md", folder / "never.md", cancelled=lambda: True)
    old = folder / "old.xlsx"
    old.write_bytes(b"old")
    checks = itertools.count()
    with pytest.raises(Cancelled):  # the two checks between steps pass; the one after rendering stops it
        export_plan(store, catdb, PLAN, "xlsx", old, cancelled=lambda: next(checks) >= 2)
    assert next(checks) == 3, "the third check, after the file was rendered, cancelled it"
    assert old.read_bytes() == b"old" and sorted(p.name for p in folder.iterdir()) == ["old.xlsx", "r.csv"]
