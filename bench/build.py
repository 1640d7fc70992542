"""Build benchmark: full rebuild and one-entry import, on the bundled catalog and synthetic catalogs.

    python bench/build.py                 # bundled, 1k and 10k entries, median of 3 runs each
    python bench/build.py --quick         # bundled and 1k, one run each
    python bench/build.py --sizes 1000 --runs 5

What the user waits for, each a fresh process (`python -m app …`) in a temp MACHI_NAVI_HOME:

- full rebuild: `machi-navi build --force` (read and check every catalog file, write catalog.db,
  build the search index). The synthetic catalogs are real catalog folders: the bundled taxonomy,
  SCRA and knowledge files plus N entry files written from bench/search.py's generator.
- import one entry: `machi-navi import one.csv` into the built catalog, until the process exits
  with the entry searchable (checked afterwards, not timed).

Same-run baselines, so the ratios hold on a loaded machine:
- full rebuild / an SQLite FTS5 trigram index of the same entries (bench/search.py's fts_build,
  in-process: the cheapest full-text index of the same rows);
- import / a bare `python -m app --version` process (interpreter and CLI start, no work): what
  any command costs at least.

Children run from compiled bytecode (PYTHONDONTWRITEBYTECODE is dropped from their environment: the
first writes the .pyc files), as an installed app does.

`results(quick)` returns the rows (name, value, unit, baseline, ratio, goal, and cpu_s: the
process's CPU seconds, steadier than wall-clock on a shared machine) for bench/all.py.
Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from app.catalog.model import Service  # noqa: E402

GOALS = {"full": 1.5, "full-10k": 30.0, "import": 1.0}
ONE_CSV = ("id,name,provider,field,kind,municipalities,sources,description\r\n"
           "bench-one,ベンチ取込テスト交通,株式会社ベンチ取込,公共交通,AIオンデマンド交通,愛知県豊明市,"
           "https://example.org/bench-one ベンチ,取り込んだ乗合交通の説明です。住民が電話で予約できます。\r\n")


def entry_md(s: Service) -> str:
    """A catalog entry file for a generated service (the format of catalog_data/services/*/*.md)."""
    front: dict[str, Any] = {"id": s.id, "name": s.name, "provider": s.provider, "field": s.field_id, "kind": s.kind}
    if s.municipalities:
        front["municipalities"] = list(s.municipalities)
    front.update({"data_linkage": s.data_linkage, "personal_data": s.personal_data, "use_fields": list(s.use_fields),
                  "scra": [{"node": m.node, "role": m.role, "why": m.why} for m in s.scra],
                  "sources": [{"url": src.url, "seen": src.seen} for src in s.sources]})
    return f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n{s.description}\n"


def synthetic_catalog(n: int, folder: Path) -> tuple[Path, list[Service]]:
    """A catalog folder with the bundled taxonomy/SCRA/knowledge and n generated entries."""
    from bench.search import generate

    bundled = ROOT / "catalog_data"
    root = folder / f"catalog-{n}"
    root.mkdir(parents=True)
    for p in bundled.iterdir():
        if p.is_file() and p.suffix in (".yaml", ".yml"):
            shutil.copy(p, root)
    for sub in ("architecture", "knowledge"):
        if (bundled / sub).is_dir():
            shutil.copytree(bundled / sub, root / sub)
    services = generate(n)
    dirs = {}
    for s in services:
        d = dirs.get(s.field_id)
        if d is None:
            from app.catalog.loader import _Reader

            fields = {f.id: f.dir for f in _Reader(bundled).taxonomy().catalog_fields}
            d = dirs[s.field_id] = root / "services" / fields[s.field_id]
            d.mkdir(parents=True, exist_ok=True)
        (d / f"{s.id}.md").write_text(entry_md(s), encoding="utf-8")
    return root, services


_CPU: list[float] = []  # CPU seconds (user + system) of each _run, where the platform reports them


def _child_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _run(args: list[str], env: dict[str, str]) -> float:
    started, cpu = time.perf_counter(), _child_cpu()
    proc = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    took = time.perf_counter() - started
    _CPU.append(_child_cpu() - cpu)
    if proc.returncode not in (0, 1):  # 1: build finished with skipped entries
        raise RuntimeError(f"{args}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return took


def _fts_seconds(services: list[Service], folder: Path, runs: int) -> float:
    from bench.search import fts_build

    out = []
    for i in range(runs):
        path = folder / f"fts-{len(services)}-{i}.db"
        out.append(fts_build(services, path))
        path.unlink()
    return statistics.median(out)


def measure(label: str, catalog: Path | None, services: list[Service], runs: int, work: Path) -> list[dict[str, Any]]:
    """Full rebuild and one-entry import for one catalog, each with its same-run baseline."""
    home = work / f"home-{label}"
    home.mkdir()
    env = {**os.environ, "MACHI_NAVI_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    env.pop("MACHI_NAVI_KILL_AT", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app (pip, PyInstaller) runs from compiled bytecode
    if catalog is not None:
        env["MACHI_NAVI_CATALOG"] = str(catalog)
    else:
        env.pop("MACHI_NAVI_CATALOG", None)
    fulls, full_cpu = [], []
    for _ in range(runs):
        fulls.append(_run(["build", "--force"], env))
        full_cpu.append(_CPU[-1])
    fts = _fts_seconds(services, work, runs)
    csv = work / "one.csv"
    csv.write_text(ONE_CSV, encoding="utf-8")
    imports, bare, import_cpu = [], [], []
    for _ in range(runs):
        shutil.rmtree(home / "local_entries", ignore_errors=True)
        _run(["build"], env)  # back to the catalog without the entry (itself an in-place update)
        imports.append(_run(["import", str(csv)], env))
        import_cpu.append(_CPU[-1])
        bare.append(_run(["--version"], env))
    _check_searchable(home)
    full, base_full = statistics.median(fulls), fts
    imp, base_imp = statistics.median(imports), statistics.median(bare)
    goal_full = GOALS["full-10k"] if len(services) >= 10_000 else GOALS["full"] if catalog is None else None
    return [
        {"name": f"full rebuild, {label} ({len(services):,} entries) / FTS5 build of the same entries",
         "value": round(full, 2), "unit": "s", "baseline": round(base_full, 3), "ratio": round(full / base_full, 1),
         "goal": goal_full, "goal_of": "value", "cpu_s": round(statistics.median(full_cpu), 2)},
        {"name": f"import one entry until searchable, {label} / bare CLI start",
         "value": round(imp, 2), "unit": "s", "baseline": round(base_imp, 2), "ratio": round(imp / base_imp, 2),
         "goal": GOALS["import"], "goal_of": "value", "cpu_s": round(statistics.median(import_cpu), 2)},
    ]


def _check_searchable(home: Path) -> None:
    from app.search.engine import SearchEngine

    db = home / "catalog.db"
    eng = SearchEngine(db, home / "index")
    try:
        hits = eng.search("ベンチ取込テスト").hits
        if not hits or hits[0].id != "bench-one":
            raise RuntimeError("the imported entry is not found")
    finally:
        eng.close()


def results(quick: bool = False, sizes: tuple[int, ...] | None = None, runs: int | None = None) -> list[dict[str, Any]]:
    """Benchmark rows for bench/all.py: name, value, unit, baseline, ratio, goal."""
    from app.catalog.loader import load_catalog

    sizes = sizes if sizes is not None else ((1000,) if quick else (1000, 10_000))
    runs = runs or (1 if quick else 3)
    work = Path(tempfile.mkdtemp(prefix="machi-navi-bench-build-"))
    try:
        rows = measure("bundled", None, load_catalog(ROOT / "catalog_data").services, runs, work)
        for n in sizes:
            catalog, services = synthetic_catalog(n, work)
            rows += measure(f"{n // 1000}k synthetic", catalog, services, 1 if n >= 10_000 else runs, work)
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="bundled and 1k entries, one run each")
    ap.add_argument("--sizes", help="comma-separated synthetic entry counts (default 1000,10000)")
    ap.add_argument("--runs", type=int, help="runs per figure, median reported (default 3; 1 at 10k)")
    args = ap.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip()) if args.sizes else None
    print(f"{'figure':78}{'value':>9}{'baseline':>10}{'ratio':>8}{'CPU s':>8}  goal")
    for r in results(args.quick, sizes, args.runs):
        goal = f"≤ {r['goal']:g} {r['unit']}" if r["goal"] else ""
        print(f"{r['name']:78}{r['value']:>7.2f} {r['unit']}{r['baseline']:>10.3f}{r['ratio']:>8.1f}{r['cpu_s']:>8.2f}  {goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
