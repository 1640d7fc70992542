"""`--quit-after-paint`: start the GUI normally, quit right after its first window is painted.

Used by bench/bundle.py (and the bundle/offline tests) to time a (frozen) start to the first
painted window. The probe does not create the QApplication itself (the GUI's own set-up runs
unchanged): it hooks `QApplication.exec`, and on the first Paint event of a visible top-level
window other than a splash screen it prints `first-paint <epoch seconds>` to stdout and leaves
the event loop, so the measurement ends at the paint, not at teardown. Exits with status 3 if
nothing is painted within `timeout_s`.

`--quit-after-results` (bench/startup.py): the same, but it waits on after the first paint until
the results table (objectName "resultsTable") has been painted holding rows — the window the user
can work with — and prints `first-paint <epoch>` and `results-shown <epoch> rows=N` before leaving.

`--probe-results` (tests/e2e/test_xcb.py): the GUI runs normally; once the results table
(objectName "resultsTable") holds rows and has been painted with them, the probe prints
`results-shown rows=N window=ID size=WxH table=X,Y,WxH` (the table's viewport in the
window) to stdout, then closes every window (a normal quit,
exit 0) when a line or EOF arrives on stdin, so a screenshot can be taken in between. Exits with
status 3 if no results are shown within `timeout_s`.
"""

from __future__ import annotations

import sys
import time
from typing import Any

_state: dict[str, Any] = {}


def _results_painted(obj: Any) -> int:
    """Rows of the results table whose viewport `obj` is (0: not that viewport, or empty)."""
    table = obj.parent()
    if table is None or table.objectName() != "resultsTable" or obj is not table.viewport():
        return 0
    model = table.model()
    return model.rowCount() if model is not None else 0


def _attach(app: Any, timeout_s: float, until_results: bool = False) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QSplashScreen

    class FirstPaint(QObject):
        done = False
        lines = ""

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            if (not self.done and event.type() == QEvent.Type.Paint and obj.isWidgetType()
                    and obj.window().isVisible() and not isinstance(obj.window(), QSplashScreen)):
                stamp = time.time()
                if not self.lines:
                    self.lines = f"first-paint {stamp:.6f}\n"
                rows = _results_painted(obj) if until_results else 0
                if rows:
                    self.lines += f"results-shown {stamp:.6f} rows={rows}\n"
                if rows or not until_results:
                    self.done = True
                    QTimer.singleShot(0, lambda: finish(0, self.lines))  # after this paint
            return False

    flt = FirstPaint()
    guard = QTimer(flt)
    guard.setSingleShot(True)

    def finish(code: int, message: str) -> None:
        guard.stop()
        app.removeEventFilter(flt)
        _state.clear()
        (sys.stdout if code == 0 else sys.stderr).write(message)
        (sys.stdout if code == 0 else sys.stderr).flush()
        app.exit(code)

    what = "results shown" if until_results else "window painted"
    guard.timeout.connect(lambda: finish(3, f"no {what} within {timeout_s:.0f}s\n"))
    guard.start(int(timeout_s * 1000))
    app.installEventFilter(flt)
    _state["filter"] = flt  # keep it alive until finish()


def _attach_results(app: Any, timeout_s: float) -> None:
    import threading

    from PySide6.QtCore import QEvent, QObject, QTimer, Signal
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    class ResultsShown(QObject):
        quit_requested = Signal()
        table: Any = None
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            table = self.table
            if (not self.done and table is not None and obj is table.viewport() and event.type() == QEvent.Type.Paint
                    and table.model() is not None and table.model().rowCount() > 0):
                self.done = True
                QTimer.singleShot(0, report)  # after this paint has reached the screen
            return False

    probe = ResultsShown()
    guard = QTimer(probe)
    guard.setSingleShot(True)
    poll = QTimer(probe)

    def find_table() -> None:  # the table exists from the start; rows arrive once the catalog is open
        for w in QApplication.topLevelWidgets():
            table = w.findChild(QAbstractItemView, "resultsTable") if w.isVisible() else None
            if table is not None:
                poll.stop()
                probe.table = table
                table.viewport().installEventFilter(probe)
                table.viewport().update()
                return

    def report() -> None:
        guard.stop()
        win = probe.table.window()
        at = probe.table.viewport().mapTo(win, probe.table.viewport().rect().topLeft())
        view = probe.table.viewport().size()
        sys.stdout.write(f"results-shown rows={probe.table.model().rowCount()} window={int(win.winId())} "
                         f"size={win.width()}x{win.height()} "
                         f"table={at.x()},{at.y()},{view.width()}x{view.height()}\n")
        sys.stdout.flush()
        threading.Thread(target=wait_stdin, name="probe-stdin", daemon=True).start()

    def wait_stdin() -> None:
        sys.stdin.readline()
        probe.quit_requested.emit()  # queued to the GUI thread

    def fail() -> None:
        sys.stderr.write(f"no results shown within {timeout_s:.0f}s\n")
        sys.stderr.flush()
        app.exit(3)

    probe.quit_requested.connect(QApplication.closeAllWindows)
    guard.timeout.connect(fail)
    guard.start(int(timeout_s * 1000))
    poll.timeout.connect(find_table)
    poll.start(50)
    _state["results"] = probe


def _on_exec(attach: Any, timeout_s: float) -> None:
    from PySide6.QtWidgets import QApplication

    original = QApplication.exec

    def exec_with_probe(*_args: Any) -> int:
        QApplication.exec = original  # one-shot
        app = QApplication.instance()
        if app is not None:
            attach(app, timeout_s)
        return original()

    QApplication.exec = staticmethod(exec_with_probe)  # type: ignore[method-assign]


def install(timeout_s: float = 60.0, until_results: bool = False) -> None:
    """Arm the first-paint probe: it attaches when the GUI enters QApplication.exec().
    `until_results`: leave only once the results table has been painted with rows."""
    _on_exec(lambda app, t: _attach(app, t, until_results), timeout_s)


def install_results_probe(timeout_s: float = 180.0) -> None:
    """Arm the results probe (`--probe-results`): it attaches when the GUI enters QApplication.exec()."""
    _on_exec(_attach_results, timeout_s)
