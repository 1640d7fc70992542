"""Desktop UI figures, from source: keystroke → results table updated, and the GUI's peak memory.

    python bench/ui.py [--keys 60] [--no-10k]

Each catalog runs in its own child process (so its peak RSS is its own): the bundled catalog, and
10k synthetic entries (bench/search.py's generator; kept in MACHI_NAVI_BENCH_WORK if set). The
child opens the real main window (offscreen, 1500×940), then types Japanese queries key by key
into the real SearchPane's query bar (key events carrying the text, as an input method commits
it; Backspace through QTest), waiting after each key until its search has been shown, so every
key gets its own debounced search. Per key it records the time from the debounce timer firing
to the results model's reset (the table updated: the goal's figure) and to the end of applying
the result (facets, map, chips, status). It then opens the architecture, map and plan tabs, and
reports its peak RSS (VmHWM on Linux; resource.getrusage's ru_maxrss elsewhere — on Linux that one
also counts the parent's size at fork). Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["オンデマンド", "マイナンバーカード", "分野:公共交通 予約", "防災 -訓練", "地域通貨", "子育て支援アプリ",
           "MaaS", "健康ポイント", "書かない窓口", "自治体:長野県 交通"]
GOALS_MS = {"bundled": 30.0, "10k": 60.0}  # keystroke → table updated after the debounce, p95 (issue 17)
GOALS_MIB = {"bundled": 150.0, "10k": 300.0}  # GUI peak memory


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))] if s else 0.0


# ---------------------------------------------------------------------------------------------
# the child: one catalog, one window


def _child(db_path: Path | None, index_root: Path | None, max_keys: int) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app import userdb
    from app.catalog.store import CatalogDB
    from app.search.engine import SearchEngine
    from app.ui.app import create_application, open_session, prepare_catalog
    from app.ui.main_window import TAB_ARCH, TAB_PLAN, MainWindow
    from app.ui.search_pane import TAB_MAP

    app = create_application("ja")
    if db_path is None:
        prepare_catalog(show_splash=False)
        session = open_session()
        db, engine, conn = session.db, session.engine, session.user_conn
    else:
        assert index_root is not None
        db, engine, conn = CatalogDB(db_path), SearchEngine(db_path, index_root), userdb.connect()
    win = MainWindow(db, engine, conn, restore=False)
    win.persist_state = False
    win.resize(1500, 940)
    win.show()
    pane, ctl = win.search, win.search.controller
    # (time, search generation): an answer belongs to the debounced search of its generation
    fired: list[tuple[float, int]] = []
    reset: list[tuple[float, int]] = []
    applied: list[tuple[float, int]] = []

    def fire() -> None:
        started = time.perf_counter()
        ctl._fire()
        fired.append((started, ctl.generation))

    ctl._timer.timeout.disconnect()  # time the debounce firing first, then search as usual
    ctl._timer.timeout.connect(fire)
    pane.results_model.modelReset.connect(lambda: reset.append((time.perf_counter(), ctl.generation)))
    win.queryApplied.connect(lambda _t: applied.append((time.perf_counter(), ctl.generation)))

    def settle(until: Any, timeout: float = 10.0) -> None:
        deadline = time.perf_counter() + timeout
        while not until() and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)

    win.set_query("")
    settle(lambda: applied)
    edit = pane.query_bar.edit
    edit.setFocus()
    to_reset: list[float] = []
    to_applied: list[float] = []
    for query in QUERIES:
        edit.selectAll()
        QTest.keyClick(edit, Qt.Key.Key_Backspace)
        settle(lambda: not ctl._timer.isActive() and ctl.last_text == "" and applied, 2.0)
        for ch in query:
            if len(to_reset) >= max_keys:
                break
            fired.clear()
            reset.clear()
            applied.clear()
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(edit, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
            def answered(log: list[tuple[float, int]]) -> float | None:
                return next((t for t, g in log if fired and g == fired[-1][1] and t >= fired[-1][0]), None)

            settle(lambda: answered(applied) is not None)
            t_reset, t_applied = answered(reset), answered(applied)
            if t_reset is not None and t_applied is not None:  # (a key that ran no debounced search is skipped)
                to_reset.append((t_reset - fired[-1][0]) * 1000)
                to_applied.append((t_applied - fired[-1][0]) * 1000)
            settle(lambda: False, 0.03)  # the later highlighting and repaints, as between real keys
    for tab in (TAB_ARCH, TAB_PLAN):  # the rest of a session: the figure, the map, the plan
        win.tabs.setCurrentIndex(tab)
        settle(lambda: False, 0.3)
    win.tabs.setCurrentIndex(0)
    pane.results_tabs.setCurrentIndex(TAB_MAP)
    settle(lambda: False, 0.3)
    entries = len(db.service_ids())
    win.shutdown()
    engine.close()
    db.close()
    return {"entries": entries, "reset_ms": to_reset, "applied_ms": to_applied, "peak_mib": _peak_kib() / 1024}


def _peak_kib() -> int:
    """This process's peak RSS. Linux: VmHWM, since getrusage's ru_maxrss also counts the parent's
    size at fork (it survives exec), which a large parent (bench/all.py) would add; else ru_maxrss."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux, bytes on macOS


# ---------------------------------------------------------------------------------------------
# the parent


def run_child(label: str, home: Path, max_keys: int, db: Path | None = None, index_root: Path | None = None) -> dict[str, Any]:
    env = dict(os.environ, MACHI_NAVI_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--keys", str(max_keys)]
    if db is not None and index_root is not None:
        cmd += ["--db", str(db), "--index", str(index_root)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench/ui.py child ({label}) failed: rc={proc.returncode} {proc.stderr[-1500:]}")
    got: dict[str, Any] = json.loads(lines[-1])
    got["label"] = label
    return got


def measure(max_keys: int, with_10k: bool) -> list[dict[str, Any]]:
    out = []
    with tempfile.TemporaryDirectory(prefix="mn-bench-ui-") as tmp:
        home = Path(tmp) / "bundled"
        home.mkdir()
        subprocess.run([sys.executable, "-m", "app", "build"], cwd=ROOT, env=dict(os.environ, MACHI_NAVI_HOME=str(home)),
                       check=True, capture_output=True)
        out.append(run_child("bundled", home, max_keys))
        if with_10k:
            from bench.search import dataset, work_dir

            work, temporary = work_dir()
            try:
                db, index_root, _fts, _secs = dataset(10000, work)
                home10 = Path(tmp) / "10k"
                home10.mkdir()
                out.append(run_child("10k", home10, max_keys, db, index_root))
            finally:
                if temporary:
                    import shutil

                    shutil.rmtree(work, ignore_errors=True)
    return out


def results(quick: bool = False) -> list[dict[str, Any]]:
    """Keystroke latency and peak memory rows for bench/all.py (quick: the bundled catalog only)."""
    rows: list[dict[str, Any]] = []
    for r in measure(30 if quick else 60, with_10k=not quick):
        label, n = r["label"], r["entries"]
        rows.append({"name": f"keystroke → table updated after the debounce, p95, {label} ({n} entries)",
                     "value": round(pct(r["reset_ms"], 95), 1), "unit": "ms", "baseline": None, "ratio": None,
                     "goal": GOALS_MS[label], "note": f"{len(r['reset_ms'])} keys; p50 {pct(r['reset_ms'], 50):.1f} ms; "
                                                      f"to result applied p95 {pct(r['applied_ms'], 95):.1f} ms"})
        rows.append({"name": f"GUI peak memory, {label} ({n} entries)", "value": round(r["peak_mib"], 1), "unit": "MiB",
                     "baseline": None, "ratio": None, "goal": GOALS_MIB[label], "note": "peak RSS (VmHWM) of the GUI process"})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keys", type=int, default=60)
    ap.add_argument("--no-10k", action="store_true", help="only the bundled catalog")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.db, args.index, args.keys)), flush=True)
        return 0
    for r in measure(args.keys, with_10k=not args.no_10k):
        label = f"{r['label']} ({r['entries']} entries)"
        print(f"{label}: keystroke → table updated after the debounce ({len(r['reset_ms'])} keys): "
              f"p50 {pct(r['reset_ms'], 50):.1f} ms, p95 {pct(r['reset_ms'], 95):.1f} ms, max {max(r['reset_ms']):.1f} ms "
              f"(goal p95 ≤ {GOALS_MS[r['label']]:.0f} ms)")
        print(f"{label}:   … to the result fully applied (facets, map, chips): p50 {pct(r['applied_ms'], 50):.1f} ms, "
              f"p95 {pct(r['applied_ms'], 95):.1f} ms")
        print(f"{label}: GUI peak memory {r['peak_mib']:.0f} MiB (goal ≤ {GOALS_MIB[r['label']]:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
