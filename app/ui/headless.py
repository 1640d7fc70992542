"""The one "are we headless?" check, the QApplication for work without a window, PNG output.

PDF export (QPdfWriter/QTextDocument) and screenshots need a QApplication even from the command
line. Qt has to be told to render offscreen before that application exists when there is no
display (a Linux server or CI); Windows and macOS always have a platform plugin that works.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import fsio

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

APP_ARGV = ["machi-navi"]


def has_display() -> bool:
    """False on a Linux/BSD machine without an X11 or Wayland display (CI, servers, ssh)."""
    if os.name != "posix" or sys.platform == "darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def use_offscreen(force: bool = False) -> None:
    """Select Qt's offscreen platform (before the QApplication exists) when there is no display,
    or always with `force` (screenshots look the same everywhere). An explicit QT_QPA_PLATFORM wins."""
    if not os.environ.get("QT_QPA_PLATFORM") and (force or not has_display()):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def ensure_qapp() -> QApplication:
    """The running QApplication, or a new one (offscreen when headless).

    A QApplication, not a bare QGuiApplication: widgets may still be created later in the same
    process, and a QGuiApplication cannot be upgraded.
    """
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        use_offscreen()
        app = QApplication(APP_ARGV)
    if not isinstance(app, QApplication):
        raise RuntimeError("a QCoreApplication without widgets is already running; cannot render")
    return app


def save_png(widget_or_pixmap: Any, out: Path) -> Path:
    """Save a widget's rendering (or a QPixmap) as PNG atomically; OSError if Qt cannot write it."""
    pixmap = widget_or_pixmap.grab() if hasattr(widget_or_pixmap, "grab") else widget_or_pixmap
    with fsio.atomic_path(out, suffix=".png") as tmp:
        if not pixmap.save(str(tmp), "PNG"):
            raise OSError(f"could not write {out}")
    return out
