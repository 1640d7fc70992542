"""The plan report's content: what the cover says, every section's table, and the identifiers appendix.

The body names everything by its name in the report language (services, fields, SCRA nodes, questions,
values); ids, the catalog's content hash and raw timestamps appear only in the appendix, so the report
reads as an office document. Dates are in Japan time (app.plan.office).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from app.catalog import fields as registry
from app.catalog.store import CatalogDB
from app.plan import scale
from app.plan.considerations import SECTIONS, Considerations, Question, plan_considerations
from app.plan.coverage import Coverage, plan_coverage
from app.plan.office import format_date, format_datetime, now_jst
from app.plan.plans import PlanInfo, PlanStore, ResolvedItem, resolve_items
from app.plan.report_doc import Block, Bullets, Cell, Heading, Para, ReportDoc, Table
from app.plan.report_text import Words

AXIS = {"layer": ("レイヤー型", "Layer"), "pillar": ("横断型", "Cross-cutting")}
ROLE_BAND = {"provides": "full", "uses": "high"}


@dataclass
class Report:
    plan: PlanInfo
    items: list[ResolvedItem]
    coverage: Coverage
    considerations: Considerations
    content_hash: str
    built_at: str
    generated_at: str  # ISO 8601 in JST
    edition_id: str = ""
    edition_name: str = ""
    edition_date: str = ""
    lang: str = "ja"
    era: bool = False  # dates as 令和8年11月30日
    field_en: dict[str, str] = field(default_factory=dict)  # catalog field id → English name

    @property
    def words(self) -> Words:
        return Words(self.lang)

    def date(self, value: str | _dt.datetime) -> str:
        return format_date(value, self.era, self.lang)

    @property
    def edition_label(self) -> str:
        """2026年11月版（2026年11月30日）; catalogs without edition.yaml show their build date instead."""
        w = self.words
        if self.edition_name:
            name = self.edition_name if w.ja or not self.edition_id else f"Edition {self.edition_id}"  # the name is Japanese
            return w.f("edition_value", name, self.date(self.edition_date)) if self.edition_date else name
        return self.date(self.built_at)

    def service_name(self, sid: str) -> str:
        for it in self.items:
            if it.item.service_id == sid:
                return self.words.pick(it.name, it.service.name_en if it.service else "")
        svc = self.coverage.services.get(sid)
        return self.words.pick(svc.name, svc.name_en) if svc else sid

    def named(self, text: str) -> str:
        """Catalog prose with SCRA node ids in it (「関連ノード: security/authentication」) names the nodes instead."""
        if not text or not self.coverage.nodes:
            return text
        ids = sorted(self.coverage.nodes, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w/-])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w/-])")
        return pattern.sub(lambda m: self.node_name(m.group(1)), text)

    def node_name(self, node_id: str) -> str:
        n = self.coverage.nodes.get(node_id)
        return self.words.pick(n.name_ja, n.name_en) if n else node_id


def build_report(store: PlanStore, db: CatalogDB, name: str, lang: str = "ja", era: bool = False) -> Report:
    meta = db.meta()
    return Report(
        plan=store.info(name), items=resolve_items(store, db, name), coverage=plan_coverage(store, db, name),
        considerations=plan_considerations(store, db, name), content_hash=meta.get("content_hash", ""),
        built_at=meta.get("built_at", ""), generated_at=now_jst().isoformat(), edition_id=meta.get("edition_id", ""),
        edition_name=meta.get("edition_name", ""), edition_date=meta.get("edition_date", ""),
        lang="en" if lang == "en" else "ja", era=era, field_en={r["id"]: r["name_en"] or "" for r in db.fields()})


# -- tables -----------------------------------------------------------------------------------------

def _band_cell(text: str, band: scale.Band, value: float | None = None, fmt: str = "") -> Cell:
    return Cell(f"{band.glyph} {text}", value, band.fill, band.text, fmt)


def _field(rep: Report, it: ResolvedItem) -> str:
    s = it.service
    return rep.words.pick(it.field_name, rep.field_en.get(s.field_id, "") if s else "")


def service_table(rep: Report) -> Table:
    w = rep.words
    personal = registry.BY_KEY["personal"]
    rows: list[list[Any]] = []
    for i, it in enumerate(rep.items, 1):
        s = it.service
        name = rep.service_name(it.item.service_id)
        if s is None:
            rows.append([i, name + w("missing"), _field(rep, it), "", "", "", it.item.note])
            continue
        rows.append([i, name, _field(rep, it), s.provider, personal.value_label(s.personal_data, w.lang),
                     w("yes") if s.data_linkage else w("no_"), it.item.note])
    return Table.of(w("sheet_services"), [w("no"), w("service"), w("field"), w("provider"), w("personal"), w("linkage"), w("note")],
                    rows, [4, 22, 12, 18, 10, 7, 22])


def facts_table(rep: Report) -> Table:
    w = rep.words
    rows: list[list[Any]] = []
    for i, it in enumerate(rep.items, 1):
        s = it.service
        facts: list[Any] = []
        for f in registry.FACTS:
            text = registry.fact_label(f, s.fact(f.key), s.facts.get(f.detail, "") if f.detail else "", w.lang) if s else ""
            facts.append(Cell(text, int(text)) if text.isdigit() else text)  # 開始年 stays a number in spreadsheets
        rows.append([i, rep.service_name(it.item.service_id), *facts])
    return Table.of(w("sec_facts"), [w("no"), w("service"), *(f.label_ja if w.ja else f.label_en for f in registry.FACTS)],
                    rows, [4, 26, 8, 10, 10, 20, 12])


def group_table(rep: Report) -> Table:
    w = rep.words
    rows: list[list[Any]] = []
    for g in rep.coverage.groups:
        axis = AXIS.get(g.axis or "", (g.axis or "", g.axis or ""))
        rows.append([w.pick(g.name_ja, g.name_en), axis[0] if w.ja else axis[1],
                     _band_cell(f"{g.percent}%", scale.band_for(g.percent), round(g.share, 4), "0%"),
                     g.blocks_covered, g.blocks_total, len(g.services)])
    return Table.of(w("sheet_groups"), [w("group"), w("axis"), w("rate"), w("blocks"), w("blocks_total"), w("n_services")],
                    rows, [30, 12, 14, 12, 10, 10])


def _who(rep: Report, ids: tuple[str, ...], limit: int = 12) -> str:
    names = [rep.service_name(s) for s in ids]
    more = ""
    if len(names) > limit:
        more = f" ほか{len(names) - limit}件" if rep.words.ja else f" and {len(names) - limit} more"
    return rep.words.join(names[:limit]) + more


def node_table(rep: Report) -> Table:
    w = rep.words
    rows: list[list[Any]] = []
    for n in rep.coverage.nodes.values():
        indent = {"group": "", "block": "　", "function": "　　"}.get(n.level, "")
        label = scale.STATUS_LABEL.get(n.status, scale.STATUS_LABEL["none"])
        rows.append([indent + rep.node_name(n.id), w.level(n.level), _band_cell(label[0] if w.ja else label[1], scale.status_band(n.status)),
                     _who(rep, n.covered_by or n.inherited_from_parent)])
    return Table.of(w("sheet_coverage"), [w("node"), w("level"), w("status"), w("covered_by")], rows, [30, 12, 16, 42])


def service_status(rep: Report, it: ResolvedItem, cells: dict[str, list[tuple[str, str]]]) -> str:
    """Every matrix row says where the service stands: provides, only uses, not mapped, or gone from the catalog."""
    roles = {role for pairs in cells.values() for _, role in pairs}
    key = "st_missing" if it.missing else "st_provides" if "provides" in roles else "st_uses" if roles else "st_unmapped"
    return rep.words(key)


def matrix_table(rep: Report) -> Table:
    w = rep.words
    cov = rep.coverage
    cells_by_sid = dict(cov.matrix())
    rows: list[list[Any]] = []
    for i, it in enumerate(rep.items, 1):
        cells = cells_by_sid.get(it.item.service_id, {}) if not it.missing else {}
        row: list[Any] = [i, rep.service_name(it.item.service_id), service_status(rep, it, cells)]
        for g in cov.groups:
            pairs = cells.get(g.id, [])
            if not pairs:
                row.append("")
                continue
            text = " / ".join(f"{w(role) if role in ('provides', 'uses') else role}: {rep.node_name(n)}" for n, role in pairs)
            band = scale.BAND_BY_KEY[ROLE_BAND["provides" if any(r == "provides" for _, r in pairs) else "uses"]]
            row.append(Cell(text, None, band.fill, band.text))
        rows.append(row)
    groups = [w.pick(g.name_ja, g.name_en) for g in cov.groups]
    return Table.of(w("sheet_matrix"), [w("no"), w("service"), w("status"), *groups], rows, [4, 18, 11] + [12] * len(groups))


def gap_table(rep: Report) -> Table:
    w = rep.words
    groups = {g.id: w.pick(g.name_ja, g.name_en) for g in rep.coverage.groups}
    rows: list[list[Any]] = []
    for i, g in enumerate(rep.coverage.gaps, 1):
        mark = scale.severity_mark(g.severity)
        reasons = " / ".join(rep.named(w.pick(r.text_ja, r.text_en)) for r in g.reasons)
        sugg = w.join([s.name for s in rep.coverage.suggestions.get(g.node_id, [])])  # names, ids are in no table body
        rows.append([i, rep.node_name(g.node_id), w.level(g.level), groups.get(g.group_id, g.group_id),
                     Cell(f"{mark.glyph} {mark.label(w.lang)}", None, "", mark.colour), reasons, sugg])
    return Table.of(w("sheet_gaps"), [w("rank"), w("node"), w("level"), w("group"), w("severity"), w("reason"), w("candidates")],
                    rows, [5, 16, 9, 14, 8, 30, 18])


def answer_text(rep: Report, q: Question) -> str:
    w = rep.words
    if not q.answer or not q.answer.answer:
        return w("unanswered")
    opt = q.option(q.answer.answer)
    label = w.pick(opt.label_ja, opt.label_en) if opt else q.answer.answer
    return label + (w.f("answer_note", q.answer.note) if q.answer.note else "")


def question_rows(rep: Report, qs: list[Question], with_section: bool = False) -> list[list[Any]]:
    w = rep.words
    titles = {s: w.pick(ja, en) for s, ja, en in SECTIONS}
    rows: list[list[Any]] = []
    for q in qs:
        opt = q.option(q.suggested) if q.suggested else None
        ans = answer_text(rep, q)
        answer: Any = Cell(ans, None, "#fff6d6") if ans == w("unanswered") else ans
        row = [w.pick(q.text_ja, q.text_en), answer, w.pick(opt.label_ja, opt.label_en) if opt else "", rep.named(q.note)]
        rows.append([titles.get(q.section, q.section), *row] if with_section else row)
    return rows


def questions_table(rep: Report) -> Table:
    w = rep.words
    qs = [q for q in rep.considerations.questions if q.applies]
    return Table.of(w("sheet_questions"), [w("section"), w("item"), w("answer"), w("suggested"), w("explanation")],
                    question_rows(rep, qs, with_section=True), [14, 30, 14, 12, 30])


def sector_table(rep: Report) -> Table:
    w = rep.words
    rows = [[s.sector, w.join([rep.service_name(x) for x in s.services]), rep.named(s.type1_trend), rep.named(s.type23_trend),
             rep.named(s.note)] for s in rep.considerations.sectors]
    return Table.of(w("sec_sectors"), [w("sector"), w("service"), w("type1"), w("type23"), w("note")], rows, [8, 20, 20, 20, 32])


def summary_pairs(rep: Report) -> list[tuple[str, str]]:
    """The cover: plan, municipality, author, date, catalog edition, and the headline figures."""
    w, cov = rep.words, rep.coverage
    return [(w("plan"), rep.plan.name), (w("municipality"), rep.plan.municipality or w("not_set")),
            (w("author"), rep.plan.author or w("not_set")), (w("date"), rep.date(rep.generated_at)),
            (w("edition"), rep.edition_label),
            (w("services_count"), w.f("services_count_value", len(rep.items), len(cov.missing_ids))),
            (w("coverage"), w.f("coverage_value", cov.percent, cov.covered_blocks, cov.total_blocks))]


# -- appendix ---------------------------------------------------------------------------------------

def version_table(rep: Report) -> Table:
    w = rep.words
    rows = [[w("edition"), rep.edition_label], [w("edition_id"), rep.edition_id], [w("content_hash"), rep.content_hash],
            [w("built_at"), format_datetime(rep.built_at, rep.era, w.lang)],
            [w("generated_at"), format_datetime(rep.generated_at, rep.era, w.lang)],
            [w("plan_created"), rep.date(rep.plan.created_at)], [w("plan_updated"), rep.date(rep.plan.updated_at)]]
    return Table.of(w("sec_app_version"), [w("key"), w("value")], rows, [30, 70])


def id_tables(rep: Report) -> list[Table]:
    w = rep.words
    services = [[i, rep.service_name(it.item.service_id), it.item.service_id] for i, it in enumerate(rep.items, 1)]
    nodes = [[rep.node_name(n.id), w.level(n.level), n.id] for n in rep.coverage.nodes.values()]
    qs = [[w.pick(q.text_ja, q.text_en), q.id] for q in rep.considerations.questions if q.applies]
    return [Table.of(w("sec_app_services"), [w("no"), w("service"), w("id")], services, [6, 50, 44]),
            Table.of(w("sec_app_nodes"), [w("node"), w("level"), w("id")], nodes, [40, 14, 46]),
            Table.of(w("sec_app_questions"), [w("item"), w("id")], qs, [60, 40])]


# -- the document -----------------------------------------------------------------------------------

def _considerations_blocks(rep: Report) -> list[Block]:
    w, cons = rep.words, rep.considerations
    blocks: list[Block] = [Heading(1, w("sec_considerations"), "considerations"), Heading(2, w("sec_sectors"))]
    blocks.append(sector_table(rep) if cons.sectors else Para(w("no_services")))
    linkage = (w.f("linkage_with", w.join([rep.service_name(x) for x in cons.linkage_services])) if cons.linkage_services
               else w("linkage_none"))
    personal = w.f("personal_level", registry.BY_KEY["personal"].value_label(cons.personal_level, w.lang))
    if cons.personal_services:
        personal += ("（{}）" if w.ja else " ({})").format(w.join([rep.service_name(x) for x in cons.personal_services]))
    blocks += [Heading(2, w("sec_linkage")), Bullets((w.f("type", cons.type_label) + linkage, personal))]
    for sec, title_ja, title_en in SECTIONS:
        qs = [q for q in cons.section(sec) if q.applies]
        if qs:
            blocks += [Heading(2, w.pick(title_ja, title_en)),
                       Table.of(w.pick(title_ja, title_en), [w("item"), w("answer"), w("suggested"), w("explanation")],
                                question_rows(rep, qs), [34, 16, 14, 36])]
    if cons.source.get("url"):
        blocks.append(Para(w.f("source", cons.source.get("title", ""), cons.source["url"]), small=True))
    return blocks


def document(rep: Report) -> ReportDoc:
    """The whole report as blocks; every format renders this."""
    w, cov = rep.words, rep.coverage
    body: list[Block] = [Heading(1, w("sec_services"), "services"), service_table(rep), Heading(2, w("sec_facts")), facts_table(rep),
                         Heading(1, w("sec_mapping"), "mapping"), Heading(2, w("sec_groups")), group_table(rep),
                         Para(w("legend") + ("　" if w.ja else "  ").join(f"{g} {label}" for g, label, _, _ in scale.legend(w.lang)),
                              small=True),
                         Heading(2, w("sec_nodes")), node_table(rep), Heading(2, w("sec_matrix")), matrix_table(rep),
                         Heading(1, w("sec_gaps"), "gaps")]
    body.append(gap_table(rep) if cov.gaps else Para(w("no_gaps")))
    unprov = cov.unprovided()
    if unprov:
        body.append(Para(w.f("unprovided", w.join([rep.node_name(n) for n in unprov]))))
    body += _considerations_blocks(rep)
    appendix: list[Block] = [Heading(1, w("sec_appendix"), "appendix"), Para(w("ids_note"), small=True), version_table(rep)]
    for t in id_tables(rep):
        appendix += [Heading(2, t.key), t]
    return ReportDoc(w.lang, w("title"), rep.plan.name, summary_pairs(rep), body, appendix, w("disclaimer"),
                     {"toc": w("toc"), "page": w("page")})
