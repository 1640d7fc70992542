"""The one "are we headless?" check, used wherever the app may run without a display."""

from __future__ import annotations

import os
import sys


def is_headless() -> bool:
    """True on a Linux/BSD machine with no X11 or Wayland display and no Qt platform chosen.

    Windows and macOS always have a window system; an explicit QT_QPA_PLATFORM is respected.
    """
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if os.name != "posix" or sys.platform == "darwin":
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def use_offscreen_if_headless() -> bool:
    """Select Qt's offscreen platform when there is no display (before the first QApplication);
    True if it did."""
    if is_headless():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return True
    return False
