"""`--quit-after-paint`: start the GUI normally, quit right after its first window is painted.

Used by bench/bundle.py (and the bundle/offline tests) to time a (frozen) start to the first
painted window. The probe does not create the QApplication itself (the GUI's own set-up runs
unchanged): it hooks `QApplication.exec`, and on the first Paint event of a visible top-level
window other than a splash screen it prints `first-paint <epoch seconds>` to stdout and leaves
the event loop, so the measurement ends at the paint, not at teardown. Exits with status 3 if
nothing is painted within `timeout_s`.
"""

from __future__ import annotations

import sys
import time
from typing import Any

_state: dict[str, Any] = {}


def _attach(app: Any, timeout_s: float) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QSplashScreen

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            if (not self.done and event.type() == QEvent.Type.Paint and obj.isWidgetType()
                    and obj.window().isVisible() and not isinstance(obj.window(), QSplashScreen)):
                self.done = True
                stamp = time.time()
                QTimer.singleShot(0, lambda: finish(0, f"first-paint {stamp:.6f}\n"))  # after this paint
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

    guard.timeout.connect(lambda: finish(3, f"no window painted within {timeout_s:.0f}s\n"))
    guard.start(int(timeout_s * 1000))
    app.installEventFilter(flt)
    _state["filter"] = flt  # keep it alive until finish()


def install(timeout_s: float = 60.0) -> None:
    """Arm the probe: it attaches when the GUI enters QApplication.exec()."""
    from PySide6.QtWidgets import QApplication

    original = QApplication.exec

    def exec_with_probe(*_args: Any) -> int:
        QApplication.exec = original  # one-shot
        app = QApplication.instance()
        if app is not None:
            _attach(app, timeout_s)
        return original()

    QApplication.exec = staticmethod(exec_with_probe)  # type: ignore[method-assign]
