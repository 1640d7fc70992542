"""`machi-navi search "QUERY" [--json] [--limit N] [--facets]` (and saved searches)."""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from typing import TYPE_CHECKING

from app.commands.common import out, run

if TYPE_CHECKING:  # the engine (Whoosh) is imported by the search command itself, not by every command
    from app.search.engine import SearchResult


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _fit(s: str, width: int) -> str:
    """Cut and pad `s` to `width` terminal columns (full-width characters count 2)."""
    out, used = [], 0
    for c in s:
        w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used + w > width - (1 if _width(s) > width else 0):
            out.append("…")
            used += 1
            break
        out.append(c)
        used += w
    return "".join(out) + " " * max(0, width - used)


def _plain(snippet: str) -> str:
    import html

    return html.unescape(re.sub(r"</?b>", lambda m: "]" if m.group(0) == "</b>" else "[", snippet))


def render_table(res: SearchResult, facets: bool) -> str:
    lines = [f"query: {res.query.to_text() or '(all)'}   total: {res.total}"]
    if res.message:
        lines.append(f"note: {res.message}")
    if res.suggestion:
        lines.append(f"try:  {res.suggestion}")
    if res.hits:
        lines.append(f"{'#':>3}  {'score':>7}  {_fit('kind', 5)} {_fit('id', 28)} {_fit('name', 36)} {_fit('provider / SCRA', 30)}")
        for i, h in enumerate(res.hits, 1):
            who = h.provider if h.kind == "service" else h.label
            lines.append(f"{i:>3}  {h.score:7.2f}  {_fit('svc' if h.kind == 'service' else 'scra', 5)} "
                         f"{_fit(h.id, 28)} {_fit(h.name, 36)} {_fit(who, 30)}")
            lines.append(f"{'':14}{_plain(h.snippet)[:90]}")
    if facets:
        for name, values in res.facets.items():
            if not values:
                continue
            lines.append(f"[{name}]")
            for v in values:
                mark = "*" if v.selected else ("-" if v.negated else " ")
                lines.append(f"  {mark}{v.count:5d}  {_fit(v.label, 40)} {v.query_text}")
                for c in v.children:
                    cm = "*" if c.selected else ("-" if c.negated else " ")
                    lines.append(f"    {cm}{c.count:5d}  {_fit(c.label, 38)} {c.query_text}")
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace) -> int:
    from app import paths, userdb
    from app.build import ensure_built
    from app.search import saved
    from app.search.engine import SearchEngine

    text = args.query or ""
    if args.saved or args.list_saved or args.delete_saved or args.save:
        conn = userdb.connect()
        try:
            if args.list_saved:
                rows = saved.list_saved(conn)
                if args.json:
                    out(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
                else:
                    for r in rows:
                        out(f"{_fit(r.name, 24)} {r.query}")
                return 0
            if args.delete_saved:
                ok = saved.delete(conn, args.delete_saved)
                sys.stderr.write(("deleted" if ok else "no such saved search") + f": {args.delete_saved}\n")
                return 0 if ok else 1
            if args.saved:
                row = saved.get(conn, args.saved)
                if row is None:
                    sys.stderr.write(f"no such saved search: {args.saved}\n")
                    return 1
                text = row.query
            if args.save:
                row = saved.save(conn, args.save, text)
                sys.stderr.write(f"saved as {row.name}: {row.query}\n")
        finally:
            conn.close()
    res = ensure_built()
    for p in res.errors:
        sys.stderr.write(f"{p}\n")
    for notice in res.notices():
        sys.stderr.write(f"{notice}\n")
    with SearchEngine(res.db_path, paths.index_dir()) as engine:
        result = engine.search(text, limit=args.limit, with_facets=args.json or args.facets)
    if args.format or args.out:
        return _export(result, args)
    if args.json:
        out(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        out(render_table(result, args.facets))
    return 0


def _export(result: SearchResult, args: argparse.Namespace) -> int:
    """`--format csv|xlsx --out FILE`: the results table's columns (app/search/export.py)."""
    from pathlib import Path

    from app.search.export import export_table, hit_table

    if not args.out:
        sys.stderr.write("--out FILE is needed with --format\n")
        return 2
    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    path, bad = export_table(hit_table(result.hits), fmt, args.out, args.encoding)
    sys.stderr.write(f"wrote {len(result.hits)} rows to {path}" + (f" ({bad} characters not in Shift_JIS → 〓)" if bad else "") + "\n")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("search", help="search services and SCRA nodes (Japanese-aware; field:value filters)",
                              description="例: python -m app search \"ｵﾝﾃﾞﾏﾝﾄﾞ 分野:公共交通\" --json")
    p.add_argument("query", nargs="?", default="", help='query text, e.g. 子育て 自治体:愛知県 -提供者:"株式会社アイシン"')
    p.add_argument("--json", action="store_true", help="print JSON (query, total, hits, facets, message)")
    p.add_argument("--limit", type=int, default=20, help="number of hits (default 20)")
    p.add_argument("--facets", action="store_true", help="print facet counts")
    p.add_argument("--format", choices=["csv", "xlsx"], help="export the results table to --out (default: from its suffix)")
    p.add_argument("--out", metavar="FILE", help="file to export to (with --format)")
    p.add_argument("--encoding", choices=["utf-8", "shift_jis"], default="utf-8",
                   help="CSV encoding: UTF-8 with BOM (default) or Shift_JIS (unencodable characters become 〓)")
    p.add_argument("--save", metavar="NAME", help="save the query under NAME in plans.db")
    p.add_argument("--saved", metavar="NAME", help="run the saved search NAME")
    p.add_argument("--list-saved", action="store_true", help="list saved searches")
    p.add_argument("--delete-saved", metavar="NAME", help="delete the saved search NAME")
    p.set_defaults(func=lambda a: run(cmd_search, a))
