"""Work-arounds for known problems of the Qt binding, applied once when app.ui is imported.

PySide6-Essentials 6.12.0 returns Py_None from void functions without taking a reference. On
CPython 3.12+ None is immortal, so nothing happens; on 3.11 every such call (setText, update, …)
drops one reference from None, and after a few thousand calls the interpreter aborts with
"Fatal Python error: none_dealloc". pyproject.toml keeps PySide6 below 6.12 for that reason;
this guard protects anyone who runs the app against a leaking binding anyway: it measures the
leak with a harmless void call and, only if None loses references, makes None effectively
immortal (as it is on 3.12) by giving it a very large reference count.

The same binding returns Py_True from `SignalInstance.emit()` without a reference, so every
signal emitted from Python drops one reference from True ("Fatal Python error: bool_dealloc",
at the latest when the interpreter shuts down). True and False are pinned the same way when an
emit is measured to leak.

PySide6's `__feature__` support asks, for every module imported after it, whether its source
mentions "PySide6" — through inspect.getsource, which decodes the whole file and keeps it in
linecache for the life of the process (~0.7 ms and ~70 KB a module: 60 ms of start-up and 7 MB
here). `fast_feature_check` gives the same answer from the file's raw bytes and caches nothing.
"""

from __future__ import annotations

import sys

_PINNED = {"done": False, "bools": False}


def binding_leaks_none() -> bool:
    """True if a void Qt call drops a reference from None (the PySide6 6.12.0 defect)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(50):
        probe.setObjectName("probe")  # a void function
    return sys.getrefcount(None) < before - 10


def binding_leaks_true() -> bool:
    """True if emitting a signal from Python drops a reference from True (the same defect)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(50):
        probe.ping.emit()
    return sys.getrefcount(True) < before - 10


def _pin(obj: object) -> None:
    import ctypes

    refcnt = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field of every PyObject
    refcnt.value += 1 << 40


def pin_none() -> bool:
    """Make None (and True/False, if emits leak) effectively immortal on CPython < 3.12 if the
    binding leaks; True if None was pinned now."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not _PINNED["bools"] and binding_leaks_true():
        _pin(True)
        _pin(False)
        _PINNED["bools"] = True
    if _PINNED["done"] or not binding_leaks_none():
        return False
    _pin(None)
    _PINNED["done"] = True
    return True


def fast_feature_check() -> bool:
    """Answer PySide6's "does this module use PySide6?" from the raw file (see the module doc);
    True if installed. Modules without a .py file (frozen, built-in) keep PySide6's own check."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "raw_bytes", False):
        return False

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as f:
                    return b"PySide6" in f.read()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.raw_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
    import linecache

    linecache.clearcache()  # what the original check cached for the modules imported so far
    return True
