"""Planning considerations for a plan, built from the knowledge sections of catalog.db.

Nothing here is domain text: sectors, TYPE notes, laws, user-management questions, business models
and criteria all come from catalog_data/knowledge/considerations.yaml (via the build). This module
only decides which of them apply to the plan and turns them into questions whose answers are
stored with the plan (plan_answers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.catalog.model import Service
from app.catalog.store import CatalogDB
from app.plan.plans import Answer, PlanError, PlanStore

# Answer vocabularies for the question kinds that the knowledge file does not spell out.
CHECK_OPTIONS = (("done", "確認済み", "Checked"), ("todo", "未確認", "To check"), ("na", "該当しない", "Not applicable"))
ADOPT_OPTIONS = (("yes", "採用する", "Adopt"), ("maybe", "検討中", "Considering"), ("no", "採用しない", "Do not adopt"))
SELF_CHECK_OPTIONS = (("yes", "満たしている", "Met"), ("partly", "一部満たしている", "Partly met"), ("no", "まだ満たしていない", "Not yet met"))

SECTIONS = (
    ("linkage", "データ連携（TYPE）", "Data linkage (TYPE)"),
    ("law", "法令チェックリスト", "Law checklist"),
    ("um", "ユーザー管理", "User management"),
    ("cost", "ビジネスモデル：費用負担", "Business model: cost bearing"),
    ("ownership", "ビジネスモデル：都市OSの所有形態", "Business model: city-OS ownership"),
    ("criteria", "自立性・官民協働のセルフチェック", "Self-check: self-reliance and public-private collaboration"),
)


@dataclass(frozen=True)
class Option:
    id: str
    label_ja: str
    label_en: str = ""
    note: str = ""


@dataclass
class Question:
    id: str  # stored as plan_answers.question_id, e.g. "um:auth-strength"
    section: str
    text_ja: str
    text_en: str
    options: tuple[Option, ...]
    note: str = ""
    suggested: str = ""  # option id the plan's services point to, if any
    answer: Answer | None = None
    applies: bool = True  # laws above the plan's personal-data level are listed but do not apply

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def answer_label(self) -> str:
        if not self.answer:
            return ""
        opt = self.option(self.answer.answer)
        return opt.label_ja if opt else self.answer.answer


@dataclass(frozen=True)
class SectorNote:
    sector: str
    services: tuple[str, ...]
    type1_trend: str = ""
    type23_trend: str = ""
    data_linkage_outlook: str = ""
    note: str = ""


@dataclass
class Considerations:
    sectors: list[SectorNote]
    data_linkage: bool
    type_label: str  # "TYPE1" | "TYPE2/3"
    linkage_services: list[str]
    linkage_notes: list[dict[str, Any]]
    personal_level: str
    personal_services: list[str]
    questions: list[Question] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)

    def section(self, section: str) -> list[Question]:
        return [q for q in self.questions if q.section == section]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    @property
    def laws(self) -> list[Question]:
        return [q for q in self.section("law") if q.applies]

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.applies and q.answer and q.answer.answer)

    @property
    def open_questions(self) -> int:
        return sum(1 for q in self.questions if q.applies) - self.answered


def _opts(vocab: tuple[tuple[str, str, str], ...]) -> tuple[Option, ...]:
    return tuple(Option(i, ja, en) for i, ja, en in vocab)


def _first_dict(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    for it in items:
        if it.get("id") == key:
            return it
    return {}


def _business_and_criteria_questions(db: CatalogDB) -> list[Question]:
    """Questions on who pays and who owns the city OS, and the self-check criteria (knowledge sections)."""
    out: list[Question] = []
    # business models
    models = db.knowledge("business_models")
    for item in _first_dict(models, "cost_bearing").get("items", []) or []:
        out.append(Question(f"cost:{item.get('id')}", "cost", str(item.get("label_ja", "")), str(item.get("label_en", "")),
                                  _opts(ADOPT_OPTIONS), str(item.get("note", "")).strip()))
    owners = _first_dict(models, "ownership").get("items", []) or []
    if owners:
        out.append(Question(
            "ownership", "ownership", "都市OS（共通基盤）を誰が持つ想定か。", "Who is to own the city OS?",
            tuple(Option(str(o.get("id")), str(o.get("label_ja", "")), str(o.get("label_en", "")), str(o.get("note", "")).strip())
                  for o in owners),
            "\n".join(f"{o.get('label_ja')}: {str(o.get('note', '')).strip()}" for o in owners)))

    # criteria self-check
    for crit in db.knowledge("criteria"):
        text = f"{crit.get('label_ja', '')}: {crit.get('question_ja', '')}".strip(": ")
        out.append(Question(f"criteria:{crit.get('id')}", "criteria", text, str(crit.get("label_en", "")),
                                  _opts(SELF_CHECK_OPTIONS), str(crit.get("note", "")).strip()))
    return out


def _sector_notes(db: CatalogDB, services: list[Service]) -> list[SectorNote]:
    """The plan's sectors (in catalog order) with the knowledge file's TYPE1 / TYPE2/3 trends."""
    sector_services: dict[str, list[str]] = {}
    for s in services:
        for sec in s.sectors:
            sector_services.setdefault(sec, []).append(s.id)
    sector_order = [r["name"] for r in db.q("select name from sectors order by position")]
    know = {str(k.get("sector")): k for k in db.knowledge("sectors")}
    return [SectorNote(sec, tuple(sector_services[sec]), str(know.get(sec, {}).get("type1_trend", "")),
                       str(know.get(sec, {}).get("type23_trend", "")), str(know.get(sec, {}).get("data_linkage_outlook", "")),
                       str(know.get(sec, {}).get("note", "")).strip())
            for sec in sector_order if sec in sector_services]


def compute_considerations(db: CatalogDB, services: list[Service], answers: Mapping[str, Answer] | None = None) -> Considerations:
    answers = answers or {}
    ranks = {r["name"]: int(r["rank"]) for r in db.q("select name, rank from personal_levels")}
    levels_by_rank = sorted(ranks, key=lambda n: ranks[n])

    sectors = _sector_notes(db, services)

    # data linkage
    linkage_services = [s.id for s in services if s.data_linkage]
    needs = bool(linkage_services)
    linkage_notes = db.knowledge("data_linkage")
    questions: list[Question] = []
    type_opts = tuple(Option(str(k.get("type")), str(k.get("type")), str(k.get("type")), str(k.get("note", "")).strip())
                      for k in linkage_notes if k.get("type"))
    if type_opts:
        suggested = "TYPE2" if needs else "TYPE1"
        questions.append(Question(
            "linkage:type", "linkage", "この計画で想定する交付金のタイプはどれか。", "Which grant TYPE does the plan aim for?",
            type_opts, "\n".join(f"{k.get('type')}: {k.get('question', '')}" for k in linkage_notes),
            suggested if any(o.id == suggested for o in type_opts) else ""))

    # personal data → laws
    top = max((ranks.get(s.personal_data, 0) for s in services), default=0)
    personal_level = next((n for n in levels_by_rank if ranks[n] == top), levels_by_rank[0] if levels_by_rank else "")
    personal_services = [s.id for s in services if ranks.get(s.personal_data, 0) == top and top > 0]
    for law in db.knowledge("laws"):
        need = ranks.get(str(law.get("min_level", "")), 99)
        src = law.get("source") or {}
        note = str(law.get("note", "")).strip()
        if isinstance(src, dict) and src.get("url"):
            note += f"\n出典: {src.get('title', '')} {src['url']}".rstrip()
        questions.append(Question(f"law:{law.get('id')}", "law", str(law.get("name_ja", "")), str(law.get("name_en", "")),
                                  _opts(CHECK_OPTIONS), note, applies=top >= need and top > 0))

    # user management
    for um in db.knowledge("user_management"):
        opts = tuple(Option(str(o.get("id")), str(o.get("label_ja", "")), str(o.get("label_en", "")))
                     for o in um.get("options") or [] if isinstance(o, dict))
        suggested = ""
        for o in opts:  # e.g. the data-held question: the option named like the plan's personal-data level
            if top > 0 and o.label_ja == personal_level:
                suggested = o.id
        questions.append(Question(f"um:{um.get('id')}", "um", str(um.get("question_ja", "")), str(um.get("question_en", "")),
                                  opts, str(um.get("note", "")).strip(), suggested))

    questions += _business_and_criteria_questions(db)

    for q in questions:
        q.answer = answers.get(q.id)
    # a mapping section is stored as one item per key: {"id": key, "items": value}
    source = {str(k.get("id")): k.get("items", "") for k in db.knowledge("source") if isinstance(k, dict)}
    return Considerations(sectors, needs, "TYPE2/3" if needs else "TYPE1", linkage_services, linkage_notes,
                          personal_level, personal_services, questions, source)


def plan_considerations(store: PlanStore, db: CatalogDB, name: str) -> Considerations:
    ids = store.service_ids(name)
    found = {s.id: s for s in db.services(ids)} if ids else {}
    return compute_considerations(db, [found[i] for i in ids if i in found], store.answers(name))


def record_answer(store: PlanStore, db: CatalogDB, name: str, qid: str, answer: str, note: str = "") -> Question:
    """Validate an answer against the question's options, then store it with the plan."""
    cons = plan_considerations(store, db, name)
    q = cons.question(qid)
    if q is None:
        known = ", ".join(x.id for x in cons.questions)
        raise PlanError(f"質問「{qid}」はありません / Unknown question {qid!r} (known: {known})")
    if answer and q.option(answer) is None:
        raise PlanError(f"「{qid}」の回答は {', '.join(o.id for o in q.options)} のいずれか / "
                        f"answer must be one of {', '.join(o.id for o in q.options)}")
    store.set_answer(name, qid, answer, note)
    q.answer = store.answers(name).get(qid)
    return q


def considerations_json(cons: Considerations) -> dict[str, Any]:
    return {
        "sectors": [{"sector": s.sector, "services": list(s.services), "type1_trend": s.type1_trend,
                     "type23_trend": s.type23_trend, "data_linkage_outlook": s.data_linkage_outlook, "note": s.note}
                    for s in cons.sectors],
        "data_linkage": cons.data_linkage, "type": cons.type_label, "linkage_services": cons.linkage_services,
        "personal_data": cons.personal_level, "personal_services": cons.personal_services,
        "questions": [{"id": q.id, "section": q.section, "text_ja": q.text_ja, "applies": q.applies,
                       "options": [o.id for o in q.options], "suggested": q.suggested,
                       "answer": q.answer.answer if q.answer else None, "note": q.answer.note if q.answer else ""}
                      for q in cons.questions],
    }
