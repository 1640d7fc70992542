"""Plan reports: Markdown, self-contained HTML, PDF; coverage matrix and gap list as CSV and XLSX.

Every export names the catalog version (content-hash prefix + built_at) and the date. HTML escapes
everything and carries no scripts (a CSP forbids them too). Spreadsheet cells that a spreadsheet
could read as a formula (= + - @ tab CR, also their full-width forms) are prefixed with a single
quote. Files are written beside the target and moved into place (app.fsio), so a failed export
leaves no half-written file. PDF rendering needs Qt and lives in the UI layer (app.ui.pdf); it is
passed in as `pdf_writer`, so this package imports no Qt.
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import fsio
from app.catalog import fields as registry
from app.catalog.store import CatalogDB, checkpoint
from app.errors import UserError, from_os_error
from app.fsio import atomic_path
from app.plan.considerations import SECTIONS, Considerations, Question, plan_considerations
from app.plan.coverage import SEVERITY_JA, Coverage, Gap, plan_coverage
from app.plan.plans import PlanInfo, PlanStore, ResolvedItem, resolve_items
from app.spreadsheet import FORMULA_START, safe_cell  # noqa: F401 - re-exported for callers of the plan exports

FORMATS = ("md", "html", "pdf", "csv", "xlsx")
ROLE_JA = {"provides": "提供", "uses": "利用"}
STATUS_JA = {"provided": "提供あり", "used": "利用のみ", "inherited": "上位ブロックで対応", "none": "未対応"}

Progress = fsio.Progress  # (done, total) steps
CancelCheck = fsio.CancelCheck
EXPORT_STEPS = 2  # the report gathered, the file written


@dataclass
class Report:
    plan: PlanInfo
    items: list[ResolvedItem]
    coverage: Coverage
    considerations: Considerations
    content_hash: str
    built_at: str
    generated_at: str

    @property
    def catalog_version(self) -> str:
        return f"{self.content_hash[:12]} ({self.built_at})"

    def name_of(self, sid: str) -> str:
        for it in self.items:
            if it.item.service_id == sid:
                return it.name
        svc = self.coverage.services.get(sid)
        return svc.name if svc else sid


def build_report(store: PlanStore, db: CatalogDB, name: str) -> Report:
    meta = db.meta()
    return Report(
        plan=store.info(name), items=resolve_items(store, db, name), coverage=plan_coverage(store, db, name),
        considerations=plan_considerations(store, db, name), content_hash=meta.get("content_hash", ""),
        built_at=meta.get("built_at", ""), generated_at=_dt.datetime.now().astimezone().replace(microsecond=0).isoformat())


# -- shared table data ----------------------------------------------------------------------------

def _service_cells(rep: Report, it: ResolvedItem) -> list[str]:
    s = it.service
    if s is None:
        return [it.item.service_id, f"{it.name}（カタログにありません）", it.field_name, "", "", "",
                *("" for _ in registry.FACTS), it.item.note]
    facts = [registry.fact_label(f, s.fact(f.key), s.facts.get(f.detail, "") if f.detail else "") for f in registry.FACTS]
    return [s.id, s.name, s.field_name, s.provider, s.personal_data, "あり" if s.data_linkage else "なし", *facts, it.item.note]


# the registry's facts (開始年, LGWAN-ASP, ISMAP, 料金, 提供状況 …) are columns of the service table
SERVICE_HEADERS = ["ID", "サービス名", "分野", "提供者", "個人データ", "データ連携", *(f.label_ja for f in registry.FACTS), "メモ"]


def matrix_rows(rep: Report) -> list[list[Any]]:
    """Header + one row per plan item (services × function groups) + a coverage row."""
    cov = rep.coverage
    header = ["サービスID", "サービス名", "分野", "状態"] + [f"{g.name_ja}" for g in cov.groups]
    rows: list[list[Any]] = [header]
    cells_by_sid = dict(cov.matrix())
    for it in rep.items:
        sid = it.item.service_id
        if it.missing:
            rows.append([sid, it.name, it.field_name, "カタログにありません"] + ["" for _ in cov.groups])
            continue
        cells = cells_by_sid.get(sid, {})
        row: list[Any] = [sid, it.name, it.field_name, ""]
        for g in cov.groups:
            parts = [f"{ROLE_JA.get(role, role)}: {cov.nodes[n].name_ja}" for n, role in cells.get(g.id, [])]
            row.append(" / ".join(parts))
        rows.append(row)
    rows.append(["", "カバー率（ブロック）", "", f"{cov.covered_blocks}/{cov.total_blocks}"] +
                [f"{g.percent}% ({g.blocks_covered}/{g.blocks_total})" for g in cov.groups])
    return rows


GAP_HEADERS = ["順位", "ノードID", "ノード名", "階層", "機能群", "重要度", "理由", "補うサービス候補"]


def gap_rows(rep: Report) -> list[list[Any]]:
    cov = rep.coverage
    groups = {g.id: g.name_ja for g in cov.groups}
    rows: list[list[Any]] = [list(GAP_HEADERS)]
    for i, g in enumerate(cov.gaps, 1):
        reasons = " / ".join(r.text_ja for r in g.reasons)
        sugg = "、".join(f"{s.name}（{s.service_id}）" for s in cov.suggestions.get(g.node_id, []))
        rows.append([i, g.node_id, g.name_ja, _level_ja(g.level), groups.get(g.group_id, g.group_id),
                     SEVERITY_JA.get(g.severity, g.severity), reasons, sugg])
    return rows


def _who(rep: Report, ids: tuple[str, ...], limit: int = 12) -> str:
    names = [rep.name_of(s) for s in ids]
    more = f" ほか{len(names) - limit}件" if len(names) > limit else ""
    return "、".join(names[:limit]) + more


def _level_ja(level: str) -> str:
    return {"group": "機能群", "block": "機能ブロック", "function": "機能"}.get(level, level)


def _answer_text(q: Question) -> str:
    if not q.answer or not q.answer.answer:
        return "未回答"
    return q.answer_label + (f"（メモ: {q.answer.note}）" if q.answer.note else "")


# -- Markdown -------------------------------------------------------------------------------------

def _md(text: Any) -> str:
    s = str(text).replace("\r", " ").replace("\n", " ")
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"):
        s = s.replace(ch, "\\" + ch)
    return s


def _md_table(rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(_md(c) for c in rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows[1:]]
    return out


def to_markdown(rep: Report) -> str:
    cov, cons = rep.coverage, rep.considerations
    lines = [f"# 計画レポート: {_md(rep.plan.name)}", "",
             f"- 出力日時: {rep.generated_at}", f"- カタログ版: {_md(rep.catalog_version)}",
             f"- 計画の作成: {rep.plan.created_at} / 更新: {rep.plan.updated_at}",
             f"- サービス数: {len(rep.items)}（カタログにないもの {len(cov.missing_ids)}）",
             f"- SCRA カバー率（機能ブロック）: {cov.percent}%（{cov.covered_blocks}/{cov.total_blocks}）", "",
             "## 選択したサービス", ""]
    lines += _md_table([["#"] + SERVICE_HEADERS] + [[i] + _service_cells(rep, it) for i, it in enumerate(rep.items, 1)])
    lines += ["", "## SCRA（第2版）へのマッピング", "", "### 機能群ごとのカバー率", ""]
    lines += _md_table([["機能群", "軸", "カバー率", "対応ブロック", "サービス数"]] +
                       [[g.name_ja, g.axis, f"{g.percent}%", f"{g.blocks_covered}/{g.blocks_total}", len(g.services)] for g in cov.groups])
    lines += ["", "### ノードごとの対応", ""]
    for n in cov.nodes.values():
        indent = {"group": "", "block": "  ", "function": "    "}.get(n.level, "")
        who = _md(_who(rep, n.covered_by or n.inherited_from_parent))
        lines.append(f"{indent}- **{_md(n.name_ja)}** `{n.id}` — {STATUS_JA[n.status]}" + (f": {who}" if who else ""))
    lines += ["", "### サービス × 機能群", ""] + _md_table(matrix_rows(rep))
    lines += ["", "## ギャップ（未対応の機能）", ""]
    if cov.gaps:
        lines += _md_table(gap_rows(rep))
    else:
        lines.append("ギャップはありません。")
    unprov = cov.unprovided()
    if unprov:
        lines += ["", "利用するが計画内に提供するサービスがない機能ブロック: " + "、".join(_md(cov.nodes[n].name_ja) for n in unprov)]
    lines += ["", "## 検討事項", "", "### 分野（セクター）", ""]
    for s in cons.sectors:
        lines += [f"- **{_md(s.sector)}**（{len(s.services)}件: {'、'.join(_md(rep.name_of(x)) for x in s.services)}）",
                  f"  - TYPE1の傾向: {_md(s.type1_trend)}", f"  - TYPE2/3の傾向: {_md(s.type23_trend)}", f"  - {_md(s.note)}"]
    if not cons.sectors:
        lines.append("- （サービスが選ばれていません）")
    lines += ["", "### データ連携", "",
              f"- 想定タイプ: **{cons.type_label}**" + (f"（データ連携あり: {'、'.join(_md(rep.name_of(x)) for x in cons.linkage_services)}）"
                                                  if cons.linkage_services else "（データ連携ありのサービスはありません）"),
              f"- 最も重い個人データの区分: **{_md(cons.personal_level)}**" +
              (f"（{'、'.join(_md(rep.name_of(x)) for x in cons.personal_services)}）" if cons.personal_services else "")]
    for sec, title_ja, _ in SECTIONS:
        qs = [q for q in cons.section(sec) if q.applies]
        if not qs:
            continue
        lines += ["", f"### {title_ja}", ""]
        for q in qs:
            mark = "x" if q.answer and q.answer.answer in ("done", "yes", "na") else " "
            lines.append(f"- [{mark}] {_md(q.text_ja)} — **{_md(_answer_text(q))}**"
                         + (f"（候補: {_md(q.option(q.suggested).label_ja)}）" if q.suggested and q.option(q.suggested) else ""))
            if q.note:
                lines.append(f"  - {_md(q.note)}")
    if cons.source.get("url"):
        lines += ["", f"検討事項の出典: {_md(cons.source.get('title', ''))} {_md(cons.source['url'])}"]
    lines += ["", "---", f"まちナビ（Machi Navi）で作成。カタログ版 {_md(rep.catalog_version)}、{rep.generated_at}。"
              "法令の項目は確認すべき点の目安で、法的助言ではありません。", ""]
    return "\n".join(lines)


# -- HTML -----------------------------------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _coverage_colour(pct: int) -> str:
    if pct >= 67:
        return "#cdebc5"
    if pct >= 34:
        return "#fff0b3"
    if pct > 0:
        return "#ffd9b3"
    return "#f6c6c6"


PDF_CSS = "<style>th{background-color:#e8eaf2}td,th{padding:2px}h2{color:#334}</style>"
SEVERITY_COLOUR = {"critical": "#f6c6c6", "important": "#fff0b3", "normal": "#eeeeee"}

CSS = """
body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic","Meiryo",sans-serif;margin:2em;color:#222;line-height:1.5}
h1{font-size:1.6em;border-bottom:2px solid #446;padding-bottom:.2em}h2{font-size:1.3em;margin-top:1.6em;border-left:6px solid #446;padding-left:.4em}
h3{font-size:1.1em}table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #999;padding:3px 6px;vertical-align:top;font-size:.9em}
th{background:#e8eaf2;text-align:left}.meta{color:#555;font-size:.9em}.missing{color:#888;font-style:italic}
.groups td{text-align:center}.note{color:#555;font-size:.85em}.tree li{margin:.1em 0}
"""


def _html_table(rows: list[list[Any]], cls: str = "", colour: Callable[[list[Any]], str] | None = None) -> str:
    attrs = ' border="1" cellspacing="0" cellpadding="3" width="100%"'
    out = [f'<table class="{_e(cls)}"{attrs}>' if cls else f"<table{attrs}>", "<tr>" + "".join(f"<th>{_e(c)}</th>" for c in rows[0]) + "</tr>"]
    for r in rows[1:]:
        bg = colour(r) if colour else ""
        attr = f' bgcolor="{bg}" style="background:{bg}"' if bg else ""
        out.append(f"<tr{attr}>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _considerations_html(rep: Report) -> list[str]:
    """The report's 検討事項 section: sectors, data linkage and personal data, the questions and answers."""
    cons = rep.considerations
    parts: list[str] = []
    parts.append("<h2>検討事項</h2><h3>分野（セクター）</h3>")
    if cons.sectors:
        parts.append(_html_table([["分野", "サービス", "TYPE1の傾向", "TYPE2/3の傾向", "メモ"]] + [
            [s.sector, "、".join(rep.name_of(x) for x in s.services), s.type1_trend, s.type23_trend, s.note] for s in cons.sectors]))
    else:
        parts.append("<p>（サービスが選ばれていません）</p>")
    parts.append("<h3>データ連携と個人データ</h3><ul>")
    parts.append(f"<li>想定タイプ: <b>{_e(cons.type_label)}</b> " + _e(
        f"（データ連携あり: {'、'.join(rep.name_of(x) for x in cons.linkage_services)}）" if cons.linkage_services
        else "（データ連携ありのサービスはありません）") + "</li>")
    parts.append(f"<li>最も重い個人データの区分: <b>{_e(cons.personal_level)}</b>" +
                 (_e(f"（{'、'.join(rep.name_of(x) for x in cons.personal_services)}）") if cons.personal_services else "") + "</li></ul>")
    for sec, title_ja, _ in SECTIONS:
        qs = [q for q in cons.section(sec) if q.applies]
        if not qs:
            continue
        parts.append(f"<h3>{_e(title_ja)}</h3>")
        rows = [["項目", "回答", "候補", "解説"]]
        for q in qs:
            sug = q.option(q.suggested).label_ja if q.suggested and q.option(q.suggested) else ""
            rows.append([q.text_ja, _answer_text(q), sug, q.note])
        parts.append(_html_table(rows, colour=lambda r: "#fff6d6" if r[1] == "未回答" else ""))
    return parts


def to_html(rep: Report, for_pdf: bool = False) -> str:
    cov, cons = rep.coverage, rep.considerations
    parts = ["<!DOCTYPE html>", '<html lang="ja"><head><meta charset="utf-8">',
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
             f"<title>計画レポート: {_e(rep.plan.name)}</title>",
             (PDF_CSS if for_pdf else f"<style>{CSS}</style>") + "</head><body>",
             f"<h1>計画レポート: {_e(rep.plan.name)}</h1>",
             '<p class="meta">' + "<br>".join(_e(x) for x in (
                 f"出力日時: {rep.generated_at}", f"カタログ版: {rep.catalog_version}",
                 f"計画の作成: {rep.plan.created_at} / 更新: {rep.plan.updated_at}",
                 f"サービス数: {len(rep.items)}（カタログにないもの {len(cov.missing_ids)}）",
                 f"SCRA カバー率（機能ブロック）: {cov.percent}%（{cov.covered_blocks}/{cov.total_blocks}）")) + "</p>"]
    parts.append("<h2>選択したサービス</h2>")
    rows = [["#"] + SERVICE_HEADERS] + [[i] + _service_cells(rep, it) for i, it in enumerate(rep.items, 1)]
    parts.append(_html_table(rows, colour=lambda r: "#eeeeee" if str(r[2]).endswith("（カタログにありません）") else ""))
    parts.append("<h2>SCRA（第2版）へのマッピング</h2><h3>機能群ごとのカバー率</h3>")
    parts.append('<table class="groups" border="1" cellspacing="0" cellpadding="4" width="100%"><tr>' + "".join(
        f'<td bgcolor="{_coverage_colour(g.percent)}" style="background:{_coverage_colour(g.percent)}">'
        f"<b>{_e(g.name_ja)}</b><br>{g.percent}%<br>({g.blocks_covered}/{g.blocks_total})</td>" for g in cov.groups) + "</tr></table>")
    parts.append("<h3>ノードごとの対応</h3>")
    tree_rows = [["ノード", "ID", "階層", "状態", "対応するサービス"]]
    for n in cov.nodes.values():
        indent = {"group": "", "block": "　", "function": "　　"}.get(n.level, "")
        who = _who(rep, n.covered_by or n.inherited_from_parent)
        tree_rows.append([indent + n.name_ja, n.id, _level_ja(n.level), STATUS_JA[n.status], who])
    parts.append(_html_table(tree_rows, colour=lambda r: "#f6c6c6" if r[3] == STATUS_JA["none"] else ""))
    parts.append("<h3>サービス × 機能群</h3>")
    parts.append(_html_table(matrix_rows(rep)))
    parts.append("<h2>ギャップ（未対応の機能）</h2>")
    if cov.gaps:
        sev_by_ja = {v: k for k, v in SEVERITY_JA.items()}
        parts.append(_html_table(gap_rows(rep), colour=lambda r: SEVERITY_COLOUR.get(sev_by_ja.get(str(r[5]), ""), "")))
    else:
        parts.append("<p>ギャップはありません。</p>")
    unprov = cov.unprovided()
    if unprov:
        parts.append("<p>利用するが計画内に提供するサービスがない機能ブロック: " + _e("、".join(cov.nodes[n].name_ja for n in unprov)) + "</p>")
    parts += _considerations_html(rep)
    if cons.source.get("url"):
        parts.append(f'<p class="note">{_e("検討事項の出典: " + str(cons.source.get("title", "")) + " " + str(cons.source["url"]))}</p>')
    parts.append(f'<hr><p class="note">{_e(f"まちナビ（Machi Navi）で作成。カタログ版 {rep.catalog_version}、{rep.generated_at}。")}'
                 f'{_e("法令の項目は確認すべき点の目安で、法的助言ではありません。")}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)


# -- PDF: written by the UI layer (app.ui.pdf.write_pdf), passed in as a writer ------------------

PdfWriter = Callable[[str, Path, str], None]
"""(html, out_path, title) -> None: renders the report's HTML (to_html(rep, for_pdf=True)) to a PDF."""


# -- CSV / XLSX -----------------------------------------------------------------------------------

def _header_rows(rep: Report) -> list[list[Any]]:
    return [["まちナビ 計画レポート", rep.plan.name], ["カタログ版", rep.catalog_version], ["出力日時", rep.generated_at],
            ["SCRA カバー率（機能ブロック）", f"{rep.coverage.percent}%"]]


def to_csv(rep: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    services = [["#"] + SERVICE_HEADERS] + [[i] + _service_cells(rep, it) for i, it in enumerate(rep.items, 1)]
    for rows in (_header_rows(rep), [[]], [["[選択したサービス]"]], services, [[]], [["[サービス × 機能群]"]], matrix_rows(rep),
                 [[]], [["[ギャップ一覧]"]], gap_rows(rep)):
        for r in rows:
            w.writerow([safe_cell(c) for c in r])
    return buf.getvalue()


def write_xlsx(rep: Report, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8EAF2")

    def sheet(title: str, rows: Iterable[list[Any]], widths: list[int], header_row: int | None = 1) -> Any:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append([safe_cell(c) for c in r])
        for i, wdt in enumerate(widths, 1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = wdt
        if header_row:
            for c in ws[header_row]:
                c.font = bold
                c.fill = head_fill
            ws.freeze_panes = ws.cell(header_row + 1, 1)
        for row in ws.iter_rows():
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        return ws

    wb.remove(wb.active)
    summary = _header_rows(rep) + [[]] + [["#"] + SERVICE_HEADERS] + [[i] + _service_cells(rep, it) for i, it in enumerate(rep.items, 1)]
    ws = sheet("概要", summary, [6, 28, 16, 24, 14, 10, *(12 for _ in registry.FACTS), 30], header_row=None)
    for c in ws[6]:
        c.font = bold
        c.fill = head_fill
    sheet("カバレッジ", matrix_rows(rep), [22, 28, 16, 12] + [26] * len(rep.coverage.groups))
    sheet("ギャップ", gap_rows(rep), [6, 34, 24, 12, 22, 8, 60, 60])
    cons = rep.considerations
    qrows = [["区分", "質問ID", "項目", "回答", "メモ", "候補", "解説"]]
    titles = {s: ja for s, ja, _ in SECTIONS}
    for q in cons.questions:
        if q.applies:
            sug = q.option(q.suggested).label_ja if q.suggested and q.option(q.suggested) else ""
            qrows.append([titles.get(q.section, q.section), q.id, q.text_ja, q.answer_label or "未回答",
                          q.answer.note if q.answer else "", sug, q.note])
    sheet("検討事項", qrows, [22, 26, 40, 16, 30, 16, 60])
    wb.properties.title = f"計画レポート: {rep.plan.name}"
    wb.properties.creator = "まちナビ (Machi Navi)"
    buf = io.BytesIO()  # zip in memory: a failing disk write then cannot leave openpyxl's zip half-closed
    wb.save(buf)
    Path(out).write_bytes(buf.getvalue())


# -- entry point ----------------------------------------------------------------------------------

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
                pdf_writer(to_html(rep, for_pdf=True), tmp, f"計画レポート: {rep.plan.name}")
    except OSError as exc:
        raise from_os_error(exc, out) from None
    return out


def export_plan(store: PlanStore, db: CatalogDB, name: str, fmt: str, out_path: Path | str,
                progress: Progress | None = None, pdf_writer: PdfWriter | None = None, *,
                cancelled: CancelCheck | None = None) -> Path:
    """Export plan `name` as md | html | pdf | csv | xlsx to `out_path`; returns the written path.

    `progress(done, EXPORT_STEPS)` is called after each step; `cancelled()` is checked between
    steps and before the file is moved into place, and raises fsio.Cancelled (nothing written).
    May run off the GUI thread. PDF needs `pdf_writer` (app.ui.pdf.write_pdf): no Qt here."""
    if fmt.lower().lstrip(".") not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    step = progress or (lambda _done, _total: None)
    step(0, EXPORT_STEPS)
    fsio.check_cancelled(cancelled)
    rep = build_report(store, db, name)
    step(1, EXPORT_STEPS)
    fsio.check_cancelled(cancelled)
    path = export_report(rep, fmt, Path(out_path), pdf_writer, cancelled=cancelled)
    step(EXPORT_STEPS, EXPORT_STEPS)
    return path


def gap_severity_label(g: Gap) -> str:
    return SEVERITY_JA.get(g.severity, g.severity)
