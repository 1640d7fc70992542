"""Pre-build catalog.db and the search index for the installer (so the first start needs no build).

Runs the app's real build (app.build.ensure_built) in a scratch user dir, then copies catalog.db
and index/<content hash>/ into OUT (default build/prebuilt). build.spec ships OUT as `prebuilt/`
inside the bundle; on first start app.build adopts catalog.db and app.search.index adopts the
index when their content hash matches the bundled catalog_data/.

    python packaging/prebuild.py [--out DIR] [--catalog DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "build" / "prebuilt"


STAMP = "prebuild.json"  # beside the outputs, not shipped: what they were built from


def code_hash() -> str:
    """Hash of the app's code: a changed loader, store or analyzer makes the outputs stale too."""
    h = hashlib.sha256()
    for p in sorted((ROOT / "app").rglob("*.py")):
        h.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def current_stamp(catalog: Path = ROOT / "catalog_data") -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from app.catalog.loader import content_hash

    return {"content_hash": content_hash(catalog), "code_hash": code_hash()}


def is_current(out: Path, catalog: Path = ROOT / "catalog_data") -> bool:
    try:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamp == current_stamp(catalog) and (out / "catalog.db").is_file()


def prebuild(out: Path, catalog: Path = ROOT / "catalog_data") -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    stamp = current_stamp(catalog)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="machi-navi-prebuild-") as scratch:
        # A clean user dir: no local overlay entries, no stale files; the bundled catalog only.
        os.environ["MACHI_NAVI_HOME"] = scratch
        os.environ.pop("MACHI_NAVI_CATALOG", None)
        from app.build import ensure_built

        with_index = importlib.util.find_spec("app.search.index") is not None
        res = ensure_built(force=True, catalog_dir=catalog, with_index=with_index)
        if res.errors:
            raise SystemExit("prebuild: the catalog has errors:\n" + "\n".join(map(str, res.errors)))
        staging = out.with_name(out.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        shutil.copy2(res.db_path, staging / "catalog.db")
        index_src = Path(scratch) / "index" / res.content_hash
        if with_index:
            if not index_src.is_dir():
                raise SystemExit(f"prebuild: expected the index at {index_src}")
            shutil.copytree(index_src, staging / "index" / res.content_hash,
                            ignore=shutil.ignore_patterns("*LOCK*", "*.tmp"))
        (staging / STAMP).write_text(json.dumps(stamp, indent=2), encoding="utf-8")
        shutil.rmtree(out, ignore_errors=True)
        staging.rename(out)
    return {"out": out, "content_hash": res.content_hash, "services": res.services, "index": with_index,
            "seconds": round(time.perf_counter() - started, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(os.environ.get("MACHI_NAVI_PREBUILT") or DEFAULT_OUT),
                    help="output folder (default: $MACHI_NAVI_PREBUILT or build/prebuilt)")
    ap.add_argument("--catalog", type=Path, default=ROOT / "catalog_data", help="catalog folder (default: catalog_data/)")
    ap.add_argument("--if-stale", action="store_true", help="do nothing when OUT was built from the current catalog and app/ code")
    args = ap.parse_args(argv)
    # The arrow below is not in cp1252: a Windows build log (a pipe) must not die on it.
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    out = args.out.resolve()
    catalog = args.catalog.resolve()
    if args.if_stale and is_current(out, catalog):
        print(f"prebuild: {out} is up to date")
        return 0
    info = prebuild(out, catalog)
    index_note = "catalog.db + index" if info["index"] else "catalog.db only (app.search.index not found)"
    print(f"prebuild: {index_note} for {info['services']} services → {out} ({info['seconds']}s, hash {str(info['content_hash'])[:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
