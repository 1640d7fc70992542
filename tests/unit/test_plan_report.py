"""Plan reports in office form: JST dates (西暦 / 令和), the catalog edition, names in the body and ids only
in the appendix, a cover from the plan's properties, PDF pagination (no split rows, TOC, page numbers),
and the XLSX as a working file (frozen bold headers, autofilter, status cells filled and coloured)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app import userdb
from app.catalog.store import CatalogDB
from app.plan import scale
from app.plan.export import build_report, document, export_plan, to_markdown
from app.plan.office import format_date, format_datetime
from app.plan.plans import PlanError, PlanStore, add_services
from app.ui.pdf import write_pdf
from app.ui.pdf_layout import Unit, paginate, split_rows
from tests.plan_support import REAL_FIVE, open_store

PLAN = "豊明モデル"
EVIL_NOTE = "=HYPERLINK(\"http://evil.example\",\"x\")"


@pytest.fixture
def store(tmp_path: Path, catdb: CatalogDB) -> PlanStore:
    st, _ = open_store(tmp_path / "plans.db")
    st.create(PLAN)
    add_services(st, catdb, PLAN, REAL_FIVE)
    st.set_properties(PLAN, municipality="愛知県豊明市", author="企画政策課")
    st.set_note(PLAN, "nokkar", EVIL_NOTE)
    st.set_answer(PLAN, "ownership", "municipality")
    return st


def _ids(catdb: CatalogDB, rep_nodes: list[str]) -> list[str]:
    """Strings that must not appear in a report body: service and node ids, the content hash."""
    return [*REAL_FIVE, *[n for n in rep_nodes if "/" in n], catdb.meta()["content_hash"][:12]]


def _pdftotext(path: Path) -> str:
    """The PDF's text as a reader's search or copy sees it: no Kangxi-radical twins (⽇ for 日), no lost digits."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert not [ch for ch in out if 0x2E80 <= ord(ch) <= 0x2FDF], "radicals in the text map (app.ui.pdf.fix_text_map)"
    return out.replace("\u3000", " ")


def test_dates_are_japan_time_in_office_form() -> None:
    late = "2026-11-30T20:30:00+00:00"  # 05:30 the next morning in Japan
    assert format_date(late) == "2026年12月1日"
    assert format_date(late, era=True) == "令和8年12月1日"
    assert format_date(late, lang="en") == "1 December 2026"
    assert format_datetime(late) == "2026年12月1日 05:30（日本時間）"
    assert format_date("2019-05-01", era=True) == "令和元年5月1日"
    assert format_date("2019-04-30", era=True) == "平成31年4月30日"
    assert format_date(dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)) == "2026年1月2日"
    assert format_date("2026-11-30T08:00:54") == "2026年11月30日", "naive timestamps are UTC, as plans.db stores them"
    assert format_date("garbage") == "garbage"


def test_plan_properties_are_stored_and_validated(store: PlanStore) -> None:
    info = store.info(PLAN)
    assert (info.municipality, info.author) == ("愛知県豊明市", "企画政策課")
    store.set_properties(PLAN, author="  情報政策課\n 山田  ")
    assert store.info(PLAN).author == "情報政策課 山田" and store.info(PLAN).municipality == "愛知県豊明市"
    with pytest.raises(PlanError):
        store.set_properties(PLAN, municipality="市" * 200)
    with pytest.raises(PlanError):
        store.set_properties("no such plan", author="x")


def test_migration_keeps_old_plans_and_adds_empty_properties(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in userdb.MIGRATIONS[:3]:
        step(conn)
    conn.execute("pragma user_version = 3")
    conn.execute("insert into plans(name, created_at, updated_at) values ('旧計画', '2026-01-01T00:00:00+00:00', "
                 "'2026-01-01T00:00:00+00:00')")
    conn.close()
    st, c = open_store(path)
    assert c.execute("pragma user_version").fetchone()[0] == len(userdb.MIGRATIONS)
    info = st.info("旧計画")
    assert (info.name, info.municipality, info.author) == ("旧計画", "", "")


def _body_and_appendix(text: str, heading: str) -> tuple[str, str]:
    cut = text.rfind(heading)  # the last one: a table of contents names the appendix too
    assert cut > 0, heading
    return text[:cut], text[cut:]


def test_markdown_cover_names_and_appendix(store: PlanStore, catdb: CatalogDB) -> None:
    rep = build_report(store, catdb, PLAN, era=True)
    md = to_markdown(rep)
    body, appendix = _body_and_appendix(md, "付録　識別子と版の情報")
    for line in ("- 自治体: 愛知県豊明市", "- 作成者: 企画政策課", "- カタログ版: 2026年11月版（令和8年11月30日）"):
        assert line in body
    assert re.search(r"- 作成日: 令和\d+年\d+月\d+日", body)
    for bad in _ids(catdb, list(rep.coverage.nodes)) + ["layer", "pillar", "provides", "+00:00", "T0", "T1", "T2"]:
        assert bad not in body, bad
    assert "レイヤー型" in body and "横断型" in body and "パーソナルデータ管理・同意" in body
    for needed in [*REAL_FIVE, "data-management/personal-data", catdb.meta()["content_hash"], "2026.11"]:
        assert needed in appendix, needed
    western = to_markdown(build_report(store, catdb, PLAN))
    assert "（2026年11月30日）" in western and "令和" not in western


def test_english_report_uses_english_names(store: PlanStore, catdb: CatalogDB) -> None:
    md = to_markdown(build_report(store, catdb, PLAN, lang="en"))
    body, _ = _body_and_appendix(md, "Appendix: identifiers and version")
    assert "# Plan report: " in md and "Municipality: 愛知県豊明市" in body
    assert "Personal data and consent" in body and "Cross-cutting" in body and "Public transport" in body
    for ja in ("選択したサービス", "機能ブロック", "未対応", "カバー率", "提供あり"):
        assert ja not in body, ja
    assert re.search(r"Date: \d{1,2} [A-Z][a-z]+ 20\d\d", body)


def test_every_node_table_row_has_a_status_coloured_by_the_scale(store: PlanStore, catdb: CatalogDB) -> None:
    rep = build_report(store, catdb, PLAN)
    doc = document(rep)
    nodes = next(t for t in doc.tables if t.key == "カバレッジ")
    assert len(nodes.rows) == len(rep.coverage.nodes)
    for row, node in zip(nodes.rows, rep.coverage.nodes.values(), strict=True):
        band = scale.status_band(node.status)
        assert row[2].text.startswith(band.glyph) and row[2].fill == band.fill and row[2].ink == band.text


def test_pdf_office_form_toc_page_numbers_and_no_ids_in_body(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    rep = build_report(store, catdb, PLAN)
    result = write_pdf(document(rep), out, "計画レポート")
    assert split_rows(result.layout) == []
    assert [t for t, _ in result.toc] == ["選択したサービス", "SCRA（第2版）へのマッピング", "ギャップ（未対応の機能）", "検討事項",
                                          "付録　識別子と版の情報"]
    assert [p for _, p in result.toc] == sorted(p for _, p in result.toc) and result.toc[0][1] == 2
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = _pdftotext(out)
    pages = text.split("\f")
    pages = pages[:-1] if not pages[-1].strip() else pages
    assert len(pages) == result.pages
    for i, page in enumerate(pages, 1):
        assert f"{i} / {result.pages} ページ" in page
    assert "目次" in pages[0] and "愛知県豊明市" in pages[0] and "2026年11月版" in pages[0]
    assert re.search(r"作成日\s+20\d\d年\d{1,2}月\d{1,2}日", pages[0])
    appendix_page = result.toc[-1][1]
    assert "付録 識別子と版の情報" in pages[appendix_page - 1], "the table of contents points at the appendix's page"
    body, appendix = _body_and_appendix(text, "付録 識別子と版の情報")
    for bad in _ids(catdb, list(rep.coverage.nodes)) + ["layer", "pillar", "+00:00"]:
        assert bad not in body, bad
    assert "nokkar" in appendix and "2026.11" in appendix
    assert catdb.meta()["content_hash"][:32] in appendix, "digits stay digits in the text (no shaping)"
    assert "TYPE1" in body


def test_pagination_moves_rows_whole_and_repeats_the_header() -> None:
    units = [Unit("block", 30, keep_with_next=True, gap_after=4), Unit("header", 20, table=0),
             *[Unit("row", h, table=0, row=i) for i, h in enumerate([40, 40, 40, 60, 10])]]
    layout = paginate(units, 170)
    assert split_rows(layout) == []
    rows = layout.rows()
    assert [(p.row, p.page) for p in rows] == [(0, 0), (1, 0), (2, 1), (3, 1), (4, 1)]
    repeated = [p for p in layout.placements if p.repeated]
    assert len(repeated) == 1 and repeated[0].page == 1 and repeated[0].top == 0
    assert rows[2].top == 20, "the moved row sits under the repeated header"
    # a heading never ends a page: it moves with the header and first row
    layout = paginate([Unit("block", 150), *units], 200)
    assert layout.placements[1].page == 1 and layout.placements[1].kind == "block"
    # a row taller than a page is scaled to fit, still on one page
    tall = paginate([Unit("header", 20, table=0), Unit("row", 500, table=0, row=0)], 170)
    assert split_rows(tall) == [] and tall.rows()[0].height == 150


def test_xlsx_is_a_working_file(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    rep = build_report(store, catdb, PLAN)
    wb = load_workbook(export_plan(store, catdb, PLAN, "xlsx", tmp_path / "r.xlsx"))
    summary = wb["概要"]
    assert summary["A1"].font.b and summary["A1"].value == f"計画レポート: {PLAN}"
    figures = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(4, summary.max_row + 1)}
    assert figures["自治体"] == "愛知県豊明市" and figures["サービス数"] == 5 and figures["カタログにないサービス数"] == 0
    assert isinstance(figures["SCRA カバー率（機能ブロック）"], float) and figures["ブロック数"] == rep.coverage.total_blocks
    for ws in wb.worksheets:
        header_row = 3 if ws.title == "概要" else 1
        assert ws.freeze_panes == f"A{header_row + 1}", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{header_row}:"), ws.title
        header = list(ws.iter_rows(min_row=header_row, max_row=header_row))[0]
        assert all(c.font.b for c in header if c.value), ws.title
        widths = [ws.column_dimensions[c.column_letter].width for c in header]
        assert all(6 <= w <= 60 for w in widths), (ws.title, widths)
    cov = wb["カバレッジ"]
    head = [c.value for c in cov[1]]
    status_col = head.index("状態") + 1
    statuses = [cov.cell(r, status_col) for r in range(2, cov.max_row + 1)]
    assert len(statuses) == len(rep.coverage.nodes) and all(c.value for c in statuses)
    for c, node in zip(statuses, rep.coverage.nodes.values(), strict=True):
        band = scale.status_band(node.status)
        assert c.fill.fgColor.rgb[-6:] == band.fill.lstrip("#").upper() and c.font.color.rgb[-6:] == band.text.lstrip("#").upper()
    matrix = wb["サービス×機能群"]
    assert all(matrix.cell(r, 3).value for r in range(2, matrix.max_row + 1)), "every service row has a status"
    groups = wb["機能群"]
    for r, g in enumerate(rep.coverage.groups, 2):
        rate = groups.cell(r, 3)
        assert isinstance(rate.value, int | float) and rate.number_format == "0%" and abs(rate.value * 100 - g.percent) < 0.51
        assert rate.fill.fgColor.rgb[-6:] == scale.band_for(g.percent).fill.lstrip("#").upper()
        assert isinstance(groups.cell(r, 4).value, int) and isinstance(groups.cell(r, 5).value, int)
    services = wb["サービス"]
    assert [services.cell(r, 1).value for r in range(2, 7)] == [1, 2, 3, 4, 5]
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + EVIL_NOTE in values and not any(v.startswith(("=", "+", "-", "@")) for v in values)
    assert not any(sid == v for sid in REAL_FIVE for ws in wb.worksheets if ws.title != "付録（ID）"
                   for row in ws.iter_rows() for v in [c.value for c in row])
    assert "nokkar" in [c.value for row in wb["付録（ID）"].iter_rows() for c in row]


def test_csv_body_names_services_ids_in_appendix(store: PlanStore, catdb: CatalogDB, tmp_path: Path) -> None:
    raw = export_plan(store, catdb, PLAN, "csv", tmp_path / "r.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    cut = rows.index(["[カタログと出力の情報]"])
    body = [c for r in rows[:cut] for c in r]
    assert "ノッカル" in body and "愛知県豊明市" in body and "nokkar" not in body
    assert "nokkar" in [c for r in rows[cut:] for c in r]


def test_cli_sets_the_cover_and_exports_in_era_and_english(user_home: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.commands import main as cli

    assert cli.main(["plan", "create", "交通計画"]) == 0
    assert cli.main(["plan", "add", "交通計画", "nokkar"]) == 0
    assert cli.main(["plan", "set", "交通計画", "--municipality", "愛知県豊明市", "--author", "企画政策課"]) == 0
    assert "愛知県豊明市" in capsys.readouterr().out
    assert cli.main(["plan", "export", "交通計画", "--out", str(tmp_path / "r.md"), "--era"]) == 0
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "- 自治体: 愛知県豊明市" in md and re.search(r"- 作成日: 令和\d+年", md)
    assert cli.main(["plan", "export", "交通計画", "--out", str(tmp_path / "en.md"), "--lang", "en"]) == 0
    assert "- Author: 企画政策課" in (tmp_path / "en.md").read_text(encoding="utf-8")
    assert cli.main(["plan", "set", "交通計画", "--author", "x" * 500]) == 2
