"""`machi-navi diff OLD [NEW]`: what changed between two catalogs (registered into app.cli)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cmd_diff(args: argparse.Namespace) -> int:
    from app import paths
    from app.catalog.diff import DiffError, diff_snapshots, format_diff, git_catalog, read_catalog

    bundled = paths.bundled_catalog_dir()
    try:
        new = read_catalog(Path(args.new)) if args.new else read_catalog(bundled, "catalog_data (bundled)")
        if args.git:
            if args.old and args.new:
                raise DiffError("give either OLD or --git REV, not both")
            if args.old:  # `diff --git REV NEW`: argparse put NEW into OLD
                new = read_catalog(Path(args.old))
            with git_catalog(args.git, bundled) as tree:
                old = read_catalog(tree, f"git {args.git}")
        elif args.old:
            old = read_catalog(Path(args.old))
        else:
            raise DiffError("give OLD (a catalog folder or catalog.db) or --git REV")
    except DiffError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    d = diff_snapshots(old, new)
    if args.json:
        sys.stdout.write(json.dumps(d.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_diff(d) + "\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `diff OLD [NEW] [--git REV] [--json]` to the main parser."""
    p = sub.add_parser("diff", help="entries added, removed and changed between two catalogs (folders or catalog.db)")
    p.add_argument("old", nargs="?", help="old catalog folder or catalog.db")
    p.add_argument("new", nargs="?", help="new catalog folder or catalog.db (default: the bundled catalog_data/)")
    p.add_argument("--git", metavar="REV", help="old catalog = catalog_data/ at this git revision (needs git)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_diff)
