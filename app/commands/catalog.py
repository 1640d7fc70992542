"""Catalog commands: build, validate, stats, sources; local entries: import, template."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.common import built, err, out, run


def cmd_build(args: argparse.Namespace) -> int:
    from app.build import ensure_built

    res = ensure_built(force=args.force)
    for p in res.problems:
        err(str(p))
    for notice in res.notices():
        err(notice)
    if res.built:
        out(f"built {res.db_path} with {res.services} services in {res.seconds:.2f}s")
    else:
        out(f"catalog is up to date ({res.db_path}); use --force to rebuild")
    if res.errors:
        err(f"{len(res.errors)} error(s): the entries named above were skipped")
        return 1
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from app import paths
    from app.catalog.loader import load_catalog
    from app.catalog.synonyms import catalog_problems

    root = Path(args.path) if args.path else paths.bundled_catalog_dir()
    cat = load_catalog(root)
    problems = [*cat.problems, *catalog_problems(root)]
    for p in problems:
        out(str(p))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    err(f"{len(cat.services)} services, {len(cat.nodes)} SCRA nodes: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from app.catalog.store import open_catalog

    with open_catalog(built()) as db:
        st = db.stats()
        meta = db.meta()
    data = {
        "services": st.services, "per_field": st.per_field, "per_node": st.per_node,
        "nodes_by_provenance": st.nodes_by_provenance, "with_sources_pct": st.with_sources_pct,
        "sources": st.sources, "municipalities": st.municipalities,
        "content_hash": meta.get("content_hash"), "built_at": meta.get("built_at"),
    }
    if args.json:
        out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    out(f"services: {st.services}  sources: {st.sources}  municipalities: {st.municipalities}  with sources: {st.with_sources_pct}%")
    out("per field:")
    for name, n in st.per_field.items():
        out(f"  {n:4d}  {name}")
    out("per SCRA node (2nd ed., incl. descendants):")
    for node, n in st.per_node.items():
        out(f"  {n:4d}  {node}")
    out(f"SCRA nodes by provenance: {st.nodes_by_provenance}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from app import fsio, paths
    from app.catalog.loader import load_catalog
    from app.catalog.sources_md import render_sources_md

    root = paths.bundled_catalog_dir()
    text = render_sources_md(load_catalog(root))
    target = root / "SOURCES.md"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            err("catalog_data/SOURCES.md is out of date: run python -m app sources --write")
            return 1
        return 0
    if args.write:
        fsio.atomic_write_text(target, text)
        out(f"wrote {target}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.catalog.overlay import ImportFailed, import_file, local_entries, remove_local_entries

    if args.list:
        rows = local_entries()
        for e in rows:
            out(f"{e.id}\t{'quarantined' if e.quarantined else 'active'}\t{e.name}\t{e.path}")
        if not rows:
            out("ローカルエントリはありません (no local entries)")
        return 0
    if args.remove:
        gone = remove_local_entries(args.remove)
        missing = sorted(set(args.remove) - set(gone))
        for sid in missing:
            err(f"error: no local entry {sid!r} (see: machi-navi import --list)")
        if gone:
            built(with_index=True)
            out(f"removed {', '.join(gone)}; catalog rebuilt")
        return 1 if missing else 0
    if not args.file:
        err("error: give a CSV/XLSX file, --list or --remove ID")
        return 2
    try:
        res = import_file(Path(args.file))
    except ImportFailed as exc:
        for p in exc.problems:
            err(p)
        err("nothing was imported (取り込みは行われませんでした)")
        return 1
    for w in res.warnings:
        err(f"warning: {w}")
    built(with_index=True)
    out(f"imported {len(res.ids)} entr{'y' if len(res.ids) == 1 else 'ies'} into {res.overlay} "
        f"(new {len(res.added)}, replaced {len(res.replaced)}); catalog rebuilt")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from app.catalog.overlay import write_template

    path = write_template(Path(args.out))
    out(f"wrote import template {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help="build catalog.db and the search index from catalog_data/")
    p.add_argument("--force", action="store_true", help="rebuild even if the content is unchanged")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("validate", help="check catalog files; exit 1 if any error")
    p.add_argument("path", nargs="?", help="catalog folder (default: the bundled catalog_data/)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("stats", help="counts per field and per SCRA node")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("sources", help="list every source once (catalog_data/SOURCES.md)")
    p.add_argument("--write", action="store_true", help="write catalog_data/SOURCES.md (maintainers)")
    p.add_argument("--check", action="store_true", help="exit 1 if SOURCES.md is out of date")
    p.set_defaults(func=cmd_sources)
    p = sub.add_parser("import", help="import local entries from CSV/XLSX (all rows or nothing); --list, --remove ID")
    p.add_argument("file", nargs="?")
    p.add_argument("--list", action="store_true", help="list local entries (active and quarantined)")
    p.add_argument("--remove", nargs="+", metavar="ID", help="delete local entries (also from quarantine)")
    p.set_defaults(func=lambda a: run(cmd_import, a))
    p = sub.add_parser("template", help="write an import template (.csv or .xlsx)")
    p.add_argument("--out", required=True)
    p.set_defaults(func=lambda a: run(cmd_template, a))
