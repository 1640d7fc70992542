"""Work-arounds for known problems of the Qt binding, applied once when app.ui is imported.

PySide6 6.12 returns Py_None from void functions without taking a reference. On CPython 3.12+
None is immortal, so nothing happens; on 3.11 every such call (setText, update, repaint, …)
drops one reference from None, and after a few thousand calls the interpreter aborts with
"Fatal Python error: none_dealloc". Giving None a very large reference count makes it
effectively immortal, as it is on 3.12. None is never deallocated, so this has no other effect.
"""

from __future__ import annotations

import ctypes
import platform
import sys

_PINNED = {"done": False}


def pin_none() -> bool:
    """Make None effectively immortal on CPython < 3.12; True if the pin was applied now."""
    if _PINNED["done"] or sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    refcnt = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of every PyObject
    refcnt.value += 1 << 40
    _PINNED["done"] = True
    return True
