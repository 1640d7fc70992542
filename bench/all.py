"""Every figure of issue 17's goals table, measured in one run, as one table.

    python bench/all.py [--quick] [--only startup,search,ui,build]

Each bench module exposes `results(quick: bool = False) -> list[dict]`, one row per figure:
name, value, unit, baseline (same-run baseline value, or None), ratio (value / baseline, or None)
and goal (the largest acceptable ratio when there is a baseline, else the largest acceptable
value; None: reported only; with goal_of="value" the value's limit even beside a baseline). This script calls them in turn and prints one table: figure, now,
baseline, ratio, goal, ok. bench/build.py is imported only when it is there (it comes with the
build-speed work); a module that is missing or fails is named in a note, and the others still run.

The generated 1k/10k catalogs are shared by the modules through MACHI_NAVI_BENCH_WORK (a temp
folder unless it is set). The machine may be shared: every module takes medians or percentiles
over interleaved runs; read ratios rather than absolute times.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODULES = ("build", "startup", "search", "ui")  # bench/<name>.py, in this order


def ok_text(row: dict[str, Any]) -> str:
    goal = row.get("goal")
    if goal is None:
        return "-"
    by_ratio = row.get("baseline") is not None and row.get("goal_of") != "value"  # build figures: goals in seconds
    measured = row.get("ratio") if by_ratio else row.get("value")
    if measured is None:
        return "?"
    return "yes" if float(measured) <= float(goal) else "NO"


def _num(v: Any, unit: str = "") -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        v = f"{v:.1f}" if abs(v) < 100 else f"{v:.0f}"
    return f"{v} {unit}".strip()


def table(rows: list[dict[str, Any]]) -> str:
    head = ("figure", "now", "baseline", "ratio", "goal", "ok")
    body = []
    for r in rows:
        has_base = r.get("baseline") is not None
        goal = r.get("goal")
        by_ratio = has_base and r.get("goal_of") != "value"
        goal_text = "-" if goal is None else (f"≤ {goal:g}x" if by_ratio else f"≤ {goal:g} {r.get('unit', '')}".strip())
        base = _num(r.get("baseline"), r.get("unit", "")) if has_base else "-"
        if has_base and r.get("baseline_name"):
            base += f" ({r['baseline_name']})"
        body.append((r["name"], _num(r.get("value"), r.get("unit", "")), base,
                     "-" if r.get("ratio") is None else f"{r['ratio']:.2f}x", goal_text, ok_text(r)))
    widths = [max(len(str(x[i])) for x in (head, *body)) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in (head, *body)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r['name']}: {r['note']}" for r in rows if r.get("note")]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


def collect(names: list[str], quick: bool) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for name in names:
        try:
            mod = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name in (f"bench.{name}", "bench"):
                notes.append(f"bench/{name}.py is not there: its figures are left out")
                continue
            raise
        if not hasattr(mod, "results"):
            notes.append(f"bench/{name}.py has no results(): its figures are left out")
            continue
        started = time.perf_counter()
        print(f"--- bench/{name}.py{' (quick)' if quick else ''} …", flush=True)
        try:
            got = mod.results(quick=quick)
        except Exception:  # noqa: BLE001 - one failing module must not hide the others' figures
            notes.append(f"bench/{name}.py failed:\n{traceback.format_exc(limit=3)}")
            continue
        rows.extend(got)
        print(f"--- bench/{name}.py done in {time.perf_counter() - started:.0f} s", flush=True)
    return rows, notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and sizes (each module says what it leaves out)")
    ap.add_argument("--only", help=f"comma-separated modules (default: {','.join(MODULES)})")
    args = ap.parse_args()
    names = [n.strip() for n in args.only.split(",")] if args.only else list(MODULES)
    own_work = "MACHI_NAVI_BENCH_WORK" not in os.environ
    if own_work:
        os.environ["MACHI_NAVI_BENCH_WORK"] = tempfile.mkdtemp(prefix="mn-bench-all-")
    try:
        rows, notes = collect(names, args.quick)
    finally:
        if own_work:
            shutil.rmtree(os.environ.pop("MACHI_NAVI_BENCH_WORK"), ignore_errors=True)
    print()
    print(table(rows))
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
