"""Command line: the same domain functions as the GUI, headless.

`machi-navi` / `python -m app` with no sub-command starts the GUI. Sub-commands of the search,
plan and UI packages register themselves through a `register(subparsers)` function in their
own `cli.py`, so each package owns its commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from app import __version__

COMMAND_MODULES = ("app.search.cli", "app.plan.cli", "app.ui.cli")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_build(args: argparse.Namespace) -> int:
    from app.build import ensure_built

    res = ensure_built(force=args.force)
    for p in res.problems:
        sys.stderr.write(f"{p}\n")
    if res.built:
        _out(f"built {res.db_path} with {res.services} services in {res.seconds:.2f}s")
    else:
        _out(f"catalog is up to date ({res.db_path}); use --force to rebuild")
    if res.errors:
        sys.stderr.write(f"{len(res.errors)} error(s): the entries named above were skipped\n")
        return 1
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from app import paths
    from app.catalog.loader import load_catalog

    root = Path(args.path) if args.path else paths.bundled_catalog_dir()
    cat = load_catalog(root)
    for p in cat.problems:
        _out(str(p))
    errors = len(cat.errors)
    warnings = len(cat.problems) - errors
    sys.stderr.write(f"{len(cat.services)} services, {len(cat.nodes)} SCRA nodes: {errors} error(s), {warnings} warning(s)\n")
    return 1 if errors else 0


def cmd_stats(args: argparse.Namespace) -> int:
    import json

    from app.build import ensure_built
    from app.catalog.store import open_catalog

    res = ensure_built(with_index=False)
    with open_catalog(res.db_path) as db:
        st = db.stats()
        meta = db.meta()
    data = {
        "services": st.services, "per_field": st.per_field, "per_node": st.per_node,
        "nodes_by_provenance": st.nodes_by_provenance, "with_sources_pct": st.with_sources_pct,
        "sources": st.sources, "municipalities": st.municipalities,
        "content_hash": meta.get("content_hash"), "built_at": meta.get("built_at"),
    }
    if args.json:
        _out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    _out(f"services: {st.services}  sources: {st.sources}  municipalities: {st.municipalities}  with sources: {st.with_sources_pct}%")
    _out("per field:")
    for name, n in st.per_field.items():
        _out(f"  {n:4d}  {name}")
    _out("per SCRA node (2nd ed., incl. descendants):")
    for node, n in st.per_node.items():
        _out(f"  {n:4d}  {node}")
    _out(f"SCRA nodes by provenance: {st.nodes_by_provenance}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from app import paths
    from app.catalog.loader import load_catalog
    from app.catalog.sources_md import render_sources_md

    root = paths.bundled_catalog_dir()
    text = render_sources_md(load_catalog(root))
    if args.check:
        current = (root / "SOURCES.md").read_text(encoding="utf-8") if (root / "SOURCES.md").exists() else ""
        if current != text:
            sys.stderr.write("catalog_data/SOURCES.md is out of date: run python -m app sources --write\n")
            return 1
        return 0
    if args.write:
        (root / "SOURCES.md").write_text(text, encoding="utf-8")
        _out(f"wrote {root / 'SOURCES.md'}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    if getattr(args, "quit_after_paint", False):  # start-up timing (bench/bundle.py)
        from app.startup_probe import install

        install()

    return run_gui(lang=getattr(args, "lang", None))


def _starts_gui(argv: list[str]) -> bool:
    """True for a plain GUI start (`MachiNavi`, `--lang en`, `gui`): no need to import the
    sub-command modules of the search/plan/UI packages just to parse the arguments."""
    args = iter(argv)
    for arg in args:
        if arg in ("-h", "--help"):
            return False
        if arg == "--lang":
            next(args, None)
        elif not arg.startswith("-"):
            return arg == "gui"
    return True


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The CLI; `commands=False` leaves out the sub-commands registered by COMMAND_MODULES."""
    parser = argparse.ArgumentParser(prog="machi-navi", description="まちナビ — smart-city catalog and SCRA browser (offline)")
    parser.add_argument("--version", action="version", version=f"machi-navi {__version__}")
    parser.add_argument("--lang", choices=["ja", "en"], help="UI language (default: saved setting, else Japanese)")
    parser.add_argument("--quit-after-paint", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
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
    p = sub.add_parser("gui", help="start the desktop app (the default)")
    p.set_defaults(func=cmd_gui)
    for mod_name in COMMAND_MODULES if commands else ():
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name != mod_name:
                raise
            continue
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Output never depends on the code page: a pipe on Windows gets the ANSI code page (cp1252 on
    # English systems: '→' or Japanese text → UnicodeEncodeError), a console cp932.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(commands=not _starts_gui(argv)).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
