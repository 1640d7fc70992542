"""`machi-navi serve`: publish catalog.db read-only with Datasette (optionally a plans snapshot)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from app.commands.common import built, err, out, run

DEFAULT_PORT = 8001


def cmd_serve(args: argparse.Namespace) -> int:
    from app import paths
    from app.catalog.store import read_meta
    from app.publish.dataset import plans_snapshot, publication_db
    from app.publish.metadata import catalog_metadata
    from app.publish.server import check_port, make_app, network_warning, prepare
    from app.publish.server import run as run_server

    started = time.perf_counter()
    catalog = publication_db(built())
    files = [catalog]
    if args.plans:
        from app import userdb

        conn = userdb.connect()  # a missing, damaged or older plans.db is made current first, as for any command
        for notice in conn.notices:
            err(notice)
        conn.close()
        files.append(plans_snapshot(paths.plans_db_path()))
    metadata = catalog_metadata(read_meta(catalog), plans=args.plans)
    if args.prepare:
        cmd = prepare(files, metadata, Path(args.prepare))
        out(f"wrote {', '.join(f.name for f in files)} and metadata.json to {args.prepare}")
        out(f"run there (pip install datasette==0.65.5): {' '.join(cmd)}")
        out("note: without まちナビ, search finds 2–3 character words and words separated by spaces / "
            "検索は2〜3文字の語か、空白で区切った語で探してください")
        return 0
    check_port(args.host, args.port)
    ds = make_app(files, metadata, allow_download=not args.plans)
    warning = network_warning(args.host, args.port)
    if warning:
        err(warning)
    host = f"[{args.host}]" if ":" in args.host else args.host
    out(f"serving {catalog.name} read-only at http://{host}:{args.port}/ "
        f"(ready in {time.perf_counter() - started:.2f}s; Ctrl+C to stop)")
    try:
        run_server(ds, args.host, args.port)
    except KeyboardInterrupt:  # uvicorn has shut down cleanly and passes Ctrl+C on
        pass
    out("stopped")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `serve` to the main parser."""
    p = sub.add_parser("serve", help="publish the catalog read-only in a browser (Datasette), e.g. on an office network",
                       description="catalog.db is never written: a copy with facets and search tokens is served immutable.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--plans", action="store_true", help="also publish a read-only snapshot of your plans")
    p.add_argument("--prepare", metavar="DIR", help="write the files and metadata.json for a separately installed Datasette, do not serve")
    p.set_defaults(func=lambda a: run(cmd_serve, a))
