"""Start-up figures, from source (no bundle): what the user waits for, as a ratio to a bare Qt window.

    python bench/startup.py [--runs 7]

Each start is a fresh process (`python -m app --quit-after-results`, offscreen, the catalog already
built in a temp MACHI_NAVI_HOME, so no build is timed). Measured from spawning the process (the
interpreter's own start included) to:

- first paint: the first painted main window;
- usable window: the results table painted holding rows (what the user waits for);

and, in the same run, a bare PySide6 QMainWindow started the same way to its first paint (the
baseline). Both run from compiled bytecode, as an installed app does (a PYTHONDONTWRITEBYTECODE in
the environment would make every start compile the app's modules again). Runs are interleaved (app, bare, app, bare, …) after one warm-up each, so the shared
machine's load hits both alike; medians of --runs. Figures only: nothing is asserted.
The keystroke and memory figures are in bench/ui.py.
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
from typing import Any

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
GOAL_USABLE = 2.5  # usable window ≤ 2.5 × the bare window (issue 17)


def _stamps(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from spawning `cmd` to each probe line it printed (first-paint, results-shown)."""
    start = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    got = {line.split()[0]: float(line.split()[1]) - start for line in proc.stdout.splitlines()
           if line.startswith(("first-paint ", "results-shown "))}
    if "first-paint" not in got or proc.returncode != 0:
        raise RuntimeError(f"no probe output from {cmd[:4]}…: rc={proc.returncode} {proc.stderr[-600:]}")
    return got


def measure(runs: int, home: Path) -> dict[str, float]:
    """Medians (seconds): app first paint, app results shown, bare first paint."""
    env = dict(os.environ, MACHI_NAVI_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               PYTHONPYCACHEPREFIX=str(home / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app (pip, PyInstaller) starts from compiled bytecode
    app_cmd = [sys.executable, "-m", "app", "--quit-after-results"]
    bare_cmd = [sys.executable, "-c", BARE]
    _stamps(app_cmd, env)  # warm the OS file cache for both, then measure interleaved
    _stamps(bare_cmd, env)
    paint, shown, bare = [], [], []
    for _ in range(runs):
        got = _stamps(app_cmd, env)
        paint.append(got["first-paint"])
        shown.append(got["results-shown"])
        bare.append(_stamps(bare_cmd, env)["first-paint"])
    return {"paint": statistics.median(paint), "results": statistics.median(shown), "bare": statistics.median(bare),
            "runs": runs}


def prepared_home() -> tempfile.TemporaryDirectory[str]:
    """A temp MACHI_NAVI_HOME with the bundled catalog built (catalog.db + index)."""
    tmp = tempfile.TemporaryDirectory(prefix="mn-bench-start-")
    env = dict(os.environ, MACHI_NAVI_HOME=tmp.name)
    subprocess.run([sys.executable, "-m", "app", "build"], cwd=ROOT, env=env, check=True, capture_output=True)
    return tmp


def results(quick: bool = False) -> list[dict[str, Any]]:
    """The start-up figures as rows for bench/all.py (name, value, unit, baseline, ratio, goal)."""
    runs = 3 if quick else 7
    with prepared_home() as tmp:
        m = measure(runs, Path(tmp))
    bare = m["bare"] * 1000
    note = f"median of {runs}, interleaved"
    return [
        {"name": "start to usable window (results shown)", "value": round(m["results"] * 1000), "unit": "ms",
         "baseline": round(bare), "ratio": m["results"] * 1000 / bare, "goal": GOAL_USABLE,
         "baseline_name": "bare PySide6 QMainWindow", "note": note},
        {"name": "start to first paint", "value": round(m["paint"] * 1000), "unit": "ms",
         "baseline": round(bare), "ratio": m["paint"] * 1000 / bare, "goal": None,
         "baseline_name": "bare PySide6 QMainWindow", "note": note},
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with prepared_home() as tmp:
        m = measure(args.runs, Path(tmp))
    bare = m["bare"] * 1000
    print(f"start-up, whole process, median of {args.runs} (interleaved with the bare window):")
    print(f"  bare PySide6 QMainWindow, first paint   {bare:6.0f} ms")
    print(f"  app, first paint                        {m['paint'] * 1000:6.0f} ms  {m['paint'] * 1000 / bare:5.2f}x")
    print(f"  app, usable (results table filled)      {m['results'] * 1000:6.0f} ms  {m['results'] * 1000 / bare:5.2f}x"
          f"  (goal ≤ {GOAL_USABLE}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
