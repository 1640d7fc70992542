"""`plan …` sub-commands: create, add, coverage, questions, answers, export, import (.machiplan)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from app.commands.common import built, err, keep_open, out, run
from app.plan.export import FORMATS


def _open() -> tuple[Any, Any]:
    from app import userdb
    from app.catalog.store import CatalogDB
    from app.plan.plans import PlanStore

    db = keep_open(CatalogDB(built()))
    conn = keep_open(userdb.connect())
    for notice in conn.notices:  # e.g. a damaged plans.db was set aside and salvaged
        err(notice)
    return PlanStore(conn), db


def cmd_list(args: argparse.Namespace) -> int:
    store, _ = _open()
    plans = store.list_plans()
    if args.json:
        out(json.dumps([p.__dict__ for p in plans], ensure_ascii=False, indent=2))
        return 0
    if not plans:
        out("計画はまだありません (no plans yet): machi-navi plan create NAME")
    for p in plans:
        out(f"{p.name}\t{p.item_count} services\tupdated {p.updated_at}")
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    store, _ = _open()
    info = store.create(args.name)
    out(f"created plan {info.name!r}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    store, _ = _open()
    store.delete(args.name)
    out(f"deleted plan {args.name!r}")
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    store, _ = _open()
    store.rename(args.old, args.new)
    out(f"renamed {args.old!r} → {args.new!r}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from app.plan.plans import add_services

    store, db = _open()
    added, unknown = add_services(store, db, args.name, args.ids)
    for sid in unknown:
        err(f"unknown service id {sid!r} (see `machi-navi search` or the catalog); not added")
    out(f"added {added} service(s) to {args.name!r}")
    return 1 if unknown else 0


def cmd_remove(args: argparse.Namespace) -> int:
    store, _ = _open()
    removed = store.remove(args.name, args.ids)
    gone = {r.service_id for r in removed}
    for sid in args.ids:
        if sid not in gone:
            err(f"{sid!r} is not in plan {args.name!r}")
    out(f"removed {len(removed)} service(s) from {args.name!r}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from app.plan.changes import item_change, record_baselines
    from app.plan.plans import resolve_items

    store, db = _open()
    record_baselines(store, db, args.name)  # items from before plans kept baselines: from now on
    for i, it in enumerate(resolve_items(store, db, args.name), 1):
        change = item_change(it)
        flag = "  [カタログにありません / missing]" if it.missing else ""
        if change and not it.missing:
            flag = f"  [{change.marker_ja()}]"
        note = f"  — {it.item.note}" if it.item.note else ""
        out(f"{i:3d}. {it.item.service_id}\t{it.name}\t{it.field_name}{flag}{note}")
        if change and (change.changes or change.ended):
            since = f"（{change.added_edition} から / since {change.added_edition}）" if change.added_edition else ""
            out(f"       ! {change.summary()}{since}")
            for c in change.changes:
                out(f"         {c.label_ja} ({c.key}): {c.text()}")
    return 0


def cmd_ack(args: argparse.Namespace) -> int:
    from app.plan.changes import plan_changes, record_baselines

    store, db = _open()
    ids = args.ids or [c.service_id for c in plan_changes(store, db, args.name)]
    n = record_baselines(store, db, args.name, ids)
    out(f"{n} item(s) now compare against the current catalog")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    store, _ = _open()
    store.set_note(args.name, args.id, args.note)
    out("note saved")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from app.plan.considerations import considerations_json, plan_considerations
    from app.plan.coverage import SEVERITY_JA, coverage_json, plan_coverage
    from app.plan.plans import resolve_items

    store, db = _open()
    items = resolve_items(store, db, args.name)
    cov = plan_coverage(store, db, args.name)
    cons = plan_considerations(store, db, args.name)
    if args.json:
        meta = db.meta()
        data = {"plan": args.name, "catalog": {"content_hash": meta.get("content_hash", ""), "built_at": meta.get("built_at", "")},
                "services": [{"id": it.item.service_id, "name": it.name, "field": it.field_name, "missing": it.missing,
                              "note": it.item.note} for it in items]}
        data.update(coverage_json(cov))
        data["considerations"] = considerations_json(cons)
        out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    out(f"計画 {args.name}: {len(items)} services, SCRA block coverage {cov.percent}% ({cov.covered_blocks}/{cov.total_blocks})")
    for sid in cov.missing_ids:
        name = next((it.name for it in items if it.item.service_id == sid), sid)
        out(f"  ! {sid} ({name}) is no longer in the catalog")
    out("function groups:")
    for g in cov.groups:
        bar = "#" * round(g.share * 10)
        out(f"  {g.percent:3d}% {bar:<10} {g.name_ja} ({g.blocks_covered}/{g.blocks_total})")
    out(f"gaps ({len(cov.gaps)}):")
    for g in cov.gaps:
        out(f"  [{SEVERITY_JA.get(g.severity, g.severity)}] {g.node_id}  {g.name_ja}")
        for r in g.reasons:
            out(f"      - {r.text_ja}")
        sugg = cov.suggestions.get(g.node_id, [])
        for s in sugg:
            out(f"      候補: {s.service_id} ({s.name}) — {s.reason_ja}")
    out(f"considerations: {cons.type_label}, personal data {cons.personal_level}, sectors "
         f"{', '.join(s.sector for s in cons.sectors) or '-'}; {cons.answered} answered, {cons.open_questions} open "
         f"(machi-navi plan questions {args.name!r})")
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from app.plan.considerations import plan_considerations

    store, db = _open()
    cons = plan_considerations(store, db, args.name)
    for q in cons.questions:
        if not q.applies and not args.all:
            continue
        ans = f"= {q.answer.answer}" if q.answer and q.answer.answer else "(未回答)"
        sug = f" [候補 {q.suggested}]" if q.suggested else ""
        out(f"{q.id}\t{ans}{sug}\t{q.text_ja}")
        out("\t\toptions: " + ", ".join(f"{o.id}={o.label_ja}" for o in q.options))
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from app.plan.considerations import record_answer

    store, db = _open()
    q = record_answer(store, db, args.name, args.qid, args.answer, args.note or "")
    out(f"{q.id} = {q.answer_label}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.plan.export import export_plan

    store, db = _open()
    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    if fmt == "machiplan":  # the plan itself, to share (not a report)
        from app.plan.planfile import export_machiplan

        path = export_machiplan(store, db, args.name, Path(args.out))
        out(f"wrote {path} (machiplan: {len(store.items(args.name))} entries, notes and answers)")
        return 0
    pdf_writer = None
    if fmt == "pdf":
        from app.ui.headless import ensure_qapp
        from app.ui.pdf import write_pdf

        ensure_qapp()
        pdf_writer = write_pdf
    started = time.perf_counter()
    path = export_plan(store, db, args.name, fmt, Path(args.out), pdf_writer=pdf_writer, lang=args.lang, era=args.era)
    out(f"wrote {path} ({fmt}, {time.perf_counter() - started:.2f}s)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.plan.planfile import import_machiplan

    store, db = _open()
    res = import_machiplan(store, db, Path(args.file), name=args.name)
    if res.renamed:
        out(f"計画「{res.file_name}」は既にあるため「{res.name}」として読み込みました / "
            f"a plan named {res.file_name!r} exists: imported as {res.name!r}")
    out(f"imported plan {res.name!r}: {res.entries} entries, {res.answers} answers "
        f"(exported from catalog {res.file_edition or '?'}; this catalog {res.local_edition or '?'})")
    if res.missing:
        err(f"{len(res.missing)} entries are not in this catalog; kept as missing (カタログにありません):")
        for sid, name in res.missing:
            err(f"  {sid}\t{name}")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    store, _ = _open()
    info = store.set_properties(args.name, municipality=args.municipality, author=args.author)
    out(f"{info.name}: 自治体 (municipality) {info.municipality or '-'}, 作成者 (author) {info.author or '-'}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `plan …` to the main parser."""
    plan = sub.add_parser("plan", help="plans: select services, map them onto SCRA, export reports")
    psub = plan.add_subparsers(dest="plan_command", metavar="PLAN_COMMAND", required=True)

    def add(name: str, fn: Any, help_text: str) -> argparse.ArgumentParser:
        p = psub.add_parser(name, help=help_text)
        p.set_defaults(func=lambda a, fn=fn: run(fn, a))
        return p

    p = add("list", cmd_list, "list plans")
    p.add_argument("--json", action="store_true")
    add("create", cmd_create, "create a plan").add_argument("name")
    add("delete", cmd_delete, "delete a plan").add_argument("name")
    p = add("rename", cmd_rename, "rename a plan")
    p.add_argument("old")
    p.add_argument("new")
    add("show", cmd_show, "list the services of a plan (marks entries changed or ended since they were added)").add_argument("name")
    p = add("ack", cmd_ack, "take the current entries as the new baseline of changed plan items")
    p.add_argument("name")
    p.add_argument("ids", nargs="*", metavar="ID", help="default: every changed item")
    p = add("add", cmd_add, "add services (by catalog id) to a plan")
    p.add_argument("name")
    p.add_argument("ids", nargs="+", metavar="ID")
    p = add("remove", cmd_remove, "remove services from a plan")
    p.add_argument("name")
    p.add_argument("ids", nargs="+", metavar="ID")
    p = add("note", cmd_note, "set the note of a plan item")
    p.add_argument("name")
    p.add_argument("id")
    p.add_argument("note")
    p = add("coverage", cmd_coverage, "SCRA coverage, gaps, suggestions and considerations of a plan")
    p.add_argument("name")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = add("questions", cmd_questions, "list the planning questions and recorded answers")
    p.add_argument("name")
    p.add_argument("--all", action="store_true", help="include laws that do not apply to the plan")
    p = add("answer", cmd_answer, "record an answer to a planning question")
    p.add_argument("name")
    p.add_argument("qid", help="question id, see `plan questions NAME`")
    p.add_argument("answer", help="option id (empty string clears)")
    p.add_argument("--note", default="")
    p = add("export", cmd_export, "export a plan report")
    p.add_argument("name")
    p.add_argument("--format", choices=(*FORMATS, "machiplan"),
                   help="default: from the --out suffix; machiplan = the plan as a file to share (plan import)")
    p.add_argument("--out", required=True, help="output file")
    p.add_argument("--lang", choices=["ja", "en"], default="ja", help="report language (default: ja)")
    p.add_argument("--era", action="store_true", help="date the report in the Japanese era (令和8年11月30日)")
    p = add("import", cmd_import, "import a plan file (.machiplan); a taken name gets a (2) suffix, never an overwrite")
    p.add_argument("file", help="a .machiplan file from `plan export NAME --format machiplan`")
    p.add_argument("--name", help="import under this name instead of the file's")
    p = add("set", cmd_set, "set the report cover properties of a plan (municipality, author)")
    p.add_argument("name")
    p.add_argument("--municipality", help="自治体名, e.g. 愛知県豊明市")
    p.add_argument("--author", help="作成者 (officer or section)")
