"""GUI responsiveness during exports: the same export on the GUI thread and in the worker.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/export_responsiveness.py [--formats pdf,xlsx,csv]

A 100-service plan of the bundled catalog is exported (and a 10,000-row results table as XLSX)
twice: directly on the GUI thread, as before, and through app.ui.background_export. A 10 ms timer
runs meanwhile; the longest gap between its ticks is the event loop's longest stall (what the user
feels as a frozen window). Prints seconds and the stall for both, and the ratio of the stalls.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app import userdb  # noqa: E402
from app.catalog.loader import load_catalog  # noqa: E402
from app.catalog.store import CatalogDB, build_db  # noqa: E402
from app.plan.export import export_plan  # noqa: E402
from app.plan.plans import PlanStore, add_services  # noqa: E402
from app.search.export import Table, export_table  # noqa: E402
from app.ui.background_export import ExportJob  # noqa: E402
from app.ui.pdf import write_pdf  # noqa: E402
from app.ui.plan_export import plan_export_work  # noqa: E402


class StallMeter:
    """A 10 ms timer; `max_gap_ms` is the longest time between two ticks (or since start / until stop)."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.max_gap_ms = 0
        self.ticks = 0

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.max_gap_ms = max(self.max_gap_ms, now - self.last)
        self.last = now
        self.ticks += 1

    def start(self) -> None:
        self.clock.start()
        self.last, self.max_gap_ms, self.ticks = 0, 0, 0
        self.timer.start()
        QApplication.processEvents()

    def stop(self) -> None:
        QApplication.processEvents()
        self._tick()
        self.timer.stop()


def on_gui_thread(meter: StallMeter, fn: Callable[[], object]) -> float:
    meter.start()
    started = time.perf_counter()
    QTimer.singleShot(0, fn)  # from inside the event loop, as a button click would
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()
    seconds = time.perf_counter() - started
    meter.stop()
    return seconds


def in_worker(meter: StallMeter, work: Callable[..., Path]) -> float:
    meter.start()
    started = time.perf_counter()
    job = ExportJob(work)
    loop = QEventLoop()
    job.ended.connect(loop.quit)
    job.start()
    loop.exec()
    seconds = time.perf_counter() - started
    meter.stop()
    assert job.result is not None, "the export failed"
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formats", default="pdf,xlsx,csv")
    args = ap.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    meter = StallMeter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        build_db(load_catalog(ROOT / "catalog_data"), tmp / "catalog.db")
        db = CatalogDB(tmp / "catalog.db")
        store = PlanStore(userdb.connect(tmp / "plans.db"))
        store.create("big")
        add_services(store, db, "big", db.service_ids()[:100])
        print(f"{'export':<28} {'GUI thread s':>12} {'stall ms':>9} {'worker s':>9} {'stall ms':>9} {'stall ratio':>11}")
        rows: list[tuple[str, Callable[[], object], Callable[..., Path]]] = []
        for fmt in args.formats.split(","):
            out = tmp / f"big.{fmt}"
            rows.append((f"plan, 100 services, {fmt}",
                         lambda fmt=fmt, out=out: export_plan(store, db, "big", fmt, out, pdf_writer=write_pdf),
                         plan_export_work(store, db, "big", fmt, out)))
        svc = db.services()
        body = [[s.name, s.provider, s.field_name, "、".join(s.municipalities[:3]), s.id] for s in svc]
        table = Table(["名称", "提供者", "分野", "自治体", "ID"], (body * (10_000 // len(body) + 1))[:10_000])
        rows.append(("results, 10,000 rows, xlsx", lambda: export_table(table, "xlsx", tmp / "r.xlsx"),
                     lambda progress, cancelled: export_table(table, "xlsx", tmp / "r.xlsx", progress=progress,
                                                              cancelled=cancelled)[0]))
        for label, direct, work in rows:
            t_gui = on_gui_thread(meter, direct)
            stall_gui = meter.max_gap_ms
            t_worker = in_worker(meter, work)
            stall_worker = meter.max_gap_ms
            print(f"{label:<28} {t_gui:>12.2f} {stall_gui:>9d} {t_worker:>9.2f} {stall_worker:>9d} "
                  f"{stall_gui / max(stall_worker, 1):>10.0f}x")
        db.close()
        store.conn.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
