"""Zoom-step latency: how long one text-size step takes to settle on the bundled catalog.

    python bench/zoom.py [--rounds 2] [--size 1280x720]

The real main window (bundled catalog, 229 entries), its plan and architecture tabs built, is shown on the catalog tab with a query and a
selected entry, then zoomed 100 → 200 % in 10 % steps and back with Ctrl+0 (reset). A step is
measured from the zoom call until every posted event (layout requests, polish, deferred work) is
processed and the window has repainted. The same-run baseline is a bare QMainWindow with a table
and a few labels whose application font is set to the same sizes (QApplication.setFont only).
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

STEPS = [round(1.0 + 0.1 * i, 1) for i in range(1, 11)]  # 110 … 200 %


def _settle(app, win) -> None:  # type: ignore[no-untyped-def]
    """Process every pending event and paint the window (what the user waits for)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(3):
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    win.repaint()
    app.processEvents()


def _bare_window():  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QLabel, QMainWindow, QTableView, QVBoxLayout, QWidget

    win = QMainWindow()
    body = QWidget()
    lay = QVBoxLayout(body)
    for i in range(6):
        lay.addWidget(QLabel(f"ラベル {i} — 地域間・分野間連携機能群"))
    model = QStandardItemModel(229, 4)
    for r in range(229):
        for c in range(4):
            model.setItem(r, c, QStandardItem(f"項目 {r}-{c}"))
    table = QTableView()
    table.setModel(model)
    lay.addWidget(table, 1)
    win.setCentralWidget(body)
    win._model = model  # keep it alive
    return win


def measure(home: Path, rounds: int, size: tuple[int, int]) -> tuple[list[float], list[float], list[float]]:
    """(app step ms, bare step ms, app reset-from-200 % ms)."""
    os.environ["MACHI_NAVI_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QFont

    from app.ui.app import create_application, create_main_window, open_session, prepare_catalog
    from app.ui.theme import BASE_POINT_SIZE, apply_theme

    app = create_application("ja")
    apply_theme(app, zoom=1.0)
    prepare_catalog(show_splash=False)
    session = open_session()
    win = create_main_window(session, synchronous=True, restore=False)
    win.persist_state = False
    win.resize(*size)
    win.show()
    win.set_query("オンデマンド")
    win.search.select_first_service()
    for tab in (2, 1, 0):  # a real session has built the plan and architecture tabs too
        win.tabs.setCurrentIndex(tab)
        _settle(app, win)

    app_ms: list[float] = []
    reset_ms: list[float] = []
    for _ in range(rounds):
        for z in STEPS:
            t0 = time.perf_counter()
            win.set_zoom(z)
            _settle(app, win)
            app_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        win.set_zoom(1.0)
        _settle(app, win)
        reset_ms.append((time.perf_counter() - t0) * 1000)
    win.shutdown()
    win.hide()
    win.deleteLater()
    app.processEvents()
    session.close()

    bare = _bare_window()
    bare.resize(*size)
    bare.show()
    _settle(app, bare)
    bare_ms: list[float] = []
    font = QFont(app.font())
    for _ in range(rounds):
        for z in [*STEPS, 1.0]:
            t0 = time.perf_counter()
            font.setPointSizeF(BASE_POINT_SIZE * z)
            app.setFont(font)
            _settle(app, bare)
            bare_ms.append((time.perf_counter() - t0) * 1000)
    bare.close()
    return app_ms, bare_ms, reset_ms


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--size", default="1280x720")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="mn-bench-") as tmp:
        home = Path(tmp)
        env = dict(os.environ, MACHI_NAVI_HOME=str(home))
        subprocess.run([sys.executable, "-m", "app", "build"], cwd=ROOT, env=env, check=True, capture_output=True)
        app_ms, bare_ms, reset_ms = measure(home, args.rounds, (w, h))
    med_app, med_bare = statistics.median(app_ms), statistics.median(bare_ms)
    print(f"zoom step 100→200 % ({len(app_ms)} steps, {w}×{h}): median {med_app:.0f} ms, max {max(app_ms):.0f} ms")
    print(f"  bare window setFont (same steps): median {med_bare:.0f} ms, ratio {med_app / med_bare:.1f}x")
    print(f"reset 200 → 100 % (Ctrl+0): median {statistics.median(reset_ms):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
