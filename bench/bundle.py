"""Bundle figures: size, file count and start-up time of the frozen app vs a bare PySide6 window.

    python bench/bundle.py [--runs 5] [--app-dist DIR] [--keep]

Builds, in one temp dir (never inside the source tree):
  * the app from build.spec (onedir), unless --app-dist points at an existing dist/MachiNavi;
  * a bare PySide6 "hello window" (QApplication + QMainWindow + QLabel), PyInstaller defaults, onedir.
Then prints, for both and as ratios (targets: size ≤ 1.25×, start ≤ 1.3×):
  * bundle size (MiB) and file count;
  * start-up to the first painted window (offscreen): the app's `MachiNavi --quit-after-paint` and the
    same hook in the bare window, median of --runs. "first start" = fresh user dir (the app adopts
    its pre-built catalog + index), "again" = same user dir. Before every run the bundle's files are
    evicted from the page cache (posix_fadvise DONTNEED, Linux), so each run reads the bundle from
    disk like a cold start; system libraries and fonts stay cached.
Figures only: nothing is asserted (wall-clock depends on the machine).
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

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if sys.platform == "win32" else ""

HELLO = '''\
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv)

class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.window().isVisible():
            self.done = True
            stamp = time.time()
            QTimer.singleShot(0, lambda: (print(f"first-paint {stamp:.6f}", flush=True), app.exit(0)))
        return False

if "--quit-after-paint" in sys.argv:
    flt = FirstPaint()
    app.installEventFilter(flt)
win = QMainWindow()
win.setWindowTitle("hello")
win.setCentralWidget(QLabel("hello"))
win.resize(800, 600)
win.show()
sys.exit(app.exec())
'''


def pyinstaller(args: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", *args],
                   cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def build_app(base: Path) -> tuple[Path, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MACHI_NAVI_")}
    env["MACHI_NAVI_PREBUILT"] = str(base / "prebuilt")
    secs = pyinstaller([str(ROOT / "build.spec"), "--distpath", str(base / "dist"), "--workpath", str(base / "work")], env)
    return base / "dist" / "MachiNavi", secs


def build_bare(base: Path) -> tuple[Path, float]:
    script = base / "hello.py"
    script.write_text(HELLO, encoding="utf-8")
    secs = pyinstaller(["--onedir", "--windowed", "--name", "hello", "--distpath", str(base / "dist-bare"),
                        "--workpath", str(base / "work-bare"), "--specpath", str(base), str(script)])
    return base / "dist-bare" / "hello", secs


def dir_stats(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def evict(root: Path) -> None:
    """Drop the bundle's files from the page cache (Linux; a no-op elsewhere)."""
    if not hasattr(os, "posix_fadvise"):
        return
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fdatasync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def first_paint(exe: Path, home: Path, bundle_root: Path) -> float:
    evict(bundle_root)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MACHI_NAVI_", "PYTHON"))}
    env.update(MACHI_NAVI_HOME=str(home), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    t0 = time.time()
    out = subprocess.run([str(exe), "--quit-after-paint"], cwd=home, env=env, capture_output=True, text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - t0
    raise RuntimeError(f"{exe.name} did not report a paint (exit {out.returncode}):\n{out.stdout}\n{out.stderr}")


def start_times(exe: Path, root: Path, runs: int, scratch: Path) -> tuple[float, float]:
    first, again = [], []
    for i in range(runs):
        home = scratch / f"home-{exe.stem}-{i}"
        home.mkdir(parents=True)
        first.append(first_paint(exe, home, root))
        again.append(first_paint(exe, home, root))
    return statistics.median(first), statistics.median(again)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="start-up runs per bundle (median; default 5)")
    ap.add_argument("--app-dist", type=Path, help="an existing dist/MachiNavi folder (skip building the app)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir with both bundles")
    args = ap.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="machi-navi-bench-bundle-"))
    try:
        if args.app_dist:
            app_root, app_secs = args.app_dist.resolve(), float("nan")
        else:
            app_root, app_secs = build_app(base)
        bare_root, bare_secs = build_bare(base)
        app_size, app_files = dir_stats(app_root)
        bare_size, bare_files = dir_stats(bare_root)
        scratch = base / "homes"
        app_first, app_again = start_times(app_root / f"MachiNavi{EXE}", app_root, args.runs, scratch)
        bare_first, bare_again = start_times(bare_root / f"hello{EXE}", bare_root, args.runs, scratch)
        mib = 2**20
        print(f"\nbundle figures ({sys.platform}, Python {sys.version.split()[0]}, {args.runs} runs, median)")
        print(f"{'':24}{'app':>12}{'bare PySide6':>14}{'ratio':>9}  target")
        print(f"{'size (MiB)':24}{app_size / mib:12.1f}{bare_size / mib:14.1f}{app_size / bare_size:9.2f}  ≤ 1.25")
        print(f"{'files':24}{app_files:12d}{bare_files:14d}{app_files / bare_files:9.2f}")
        print(f"{'build (s)':24}{app_secs:12.1f}{bare_secs:14.1f}")
        print(f"{'first paint, first start':24}{app_first:12.3f}{bare_first:14.3f}{app_first / bare_first:9.2f}  ≤ 1.3")
        print(f"{'first paint, again':24}{app_again:12.3f}{bare_again:14.3f}{app_again / bare_again:9.2f}  ≤ 1.3")
        if args.keep:
            print(f"\nbundles kept in {base}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
