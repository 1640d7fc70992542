"""Desktop UI figures, from source (no bundle): start-up and keystroke latency.

    python bench/startup.py [--runs 7] [--keys 60]

1. Cold start to the first painted main window (`python -m app --quit-after-paint`, offscreen, catalog
   already built in a temp MACHI_NAVI_HOME), as a ratio to a bare PySide6 QMainWindow started the same
   way in the same run. Each is a fresh subprocess; median of --runs, interleaved.
2. Keystroke → results table updated (model reset and the table repainted), in-process on the bundled
   catalog: Japanese queries typed key by key with a pause after each key, so every key gets its own
   search. Reported with and without the 150 ms debounce, p50 / p95 / max.
Figures only: nothing is asserted (wall-clock depends on the machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = '''\
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
from app.startup_probe import install
app = QApplication(sys.argv)
install()
win = QMainWindow()
win.setWindowTitle("bare")
win.setCentralWidget(QLabel("bare"))
win.resize(1500, 940)
win.show()
sys.exit(app.exec())
'''

QUERIES = ["オンデマンド", "マイナンバーカード", "分野:公共交通 予約", "防災 -訓練", "地域通貨"]


def _first_paint(cmd: list[str], env: dict[str, str]) -> float:
    start = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    for line in proc.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no first-paint from {cmd[:3]}…: rc={proc.returncode} {proc.stderr[-400:]}")


def startup(runs: int, home: Path) -> tuple[float, float]:
    env = dict(os.environ, MACHI_NAVI_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    app_cmd = [sys.executable, "-m", "app", "--quit-after-paint"]
    bare_cmd = [sys.executable, "-c", BARE]
    _first_paint(app_cmd, env)  # warm the OS file cache for both, then measure interleaved
    _first_paint(bare_cmd, env)
    app_t, bare_t = [], []
    for _ in range(runs):
        app_t.append(_first_paint(app_cmd, env))
        bare_t.append(_first_paint(bare_cmd, env))
    return statistics.median(app_t), statistics.median(bare_t)


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def keystrokes(max_keys: int, home: Path) -> tuple[list[float], list[float]]:
    """(total ms incl. debounce, ms after the debounce) per keystroke."""
    os.environ["MACHI_NAVI_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from app.search.query import parse
    from app.ui.app import create_application, create_main_window, open_session, prepare_catalog
    from app.ui.search_controller import DEBOUNCE_MS

    app = create_application("ja")
    prepare_catalog(show_splash=False)
    session = open_session()
    win = create_main_window(session, restore=False)
    win.persist_state = False
    win.resize(1500, 940)
    win.show()
    applied: list[float] = []
    win.queryApplied.connect(lambda _t: applied.append(time.perf_counter()))
    win.set_query("")
    deadline = time.perf_counter() + 5
    while not applied and time.perf_counter() < deadline:
        app.processEvents()
    totals: list[float] = []
    edit = win.search.query_bar.edit
    edit.setFocus()
    for query in QUERIES:
        edit.clear()
        for ch in query:
            if len(totals) >= max_keys:
                break
            applied.clear()
            t0 = time.perf_counter()
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(edit, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
            want = parse(edit.text()).to_text()
            deadline = t0 + 5
            while time.perf_counter() < deadline:
                app.processEvents()
                r = win.search.last_result
                if applied and r is not None and r.query.to_text() == want:
                    break
            win.search.table.viewport().repaint()  # the table as the user sees it
            totals.append((time.perf_counter() - t0) * 1000)
            pause = time.perf_counter() + 0.05
            while time.perf_counter() < pause:
                app.processEvents()
    win.shutdown()
    session.close()
    return totals, [max(0.0, t - DEBOUNCE_MS) for t in totals]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keys", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mn-bench-") as tmp:
        home = Path(tmp)
        env = dict(os.environ, MACHI_NAVI_HOME=str(home))
        subprocess.run([sys.executable, "-m", "app", "build"], cwd=ROOT, env=env, check=True, capture_output=True)
        app_s, bare_s = startup(args.runs, home)
        print(f"cold start to first paint (median of {args.runs}): app {app_s * 1000:.0f} ms, "
              f"bare PySide6 QMainWindow {bare_s * 1000:.0f} ms, ratio {app_s / bare_s:.2f}x")
        totals, after = keystrokes(args.keys, home)
        print(f"keystroke → table updated ({len(totals)} keys): p50 {_pct(totals, 50):.0f} ms, "
              f"p95 {_pct(totals, 95):.0f} ms, max {max(totals):.0f} ms (incl. 150 ms debounce)")
        print(f"  after the debounce (search + model + repaint): p50 {_pct(after, 50):.0f} ms, "
              f"p95 {_pct(after, 95):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
