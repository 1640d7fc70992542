"""One clear line when Qt cannot open a window on Linux (missing xcb/wayland libraries, no display).

Qt's own message is misleading (it blames xcb-cursor0 even when the display is the problem) and
then aborts. While the QApplication is being created, a Qt message handler waits for that fatal
message; only then does it run `ldd` on the platform plugin, name the missing libraries and the
apt command, and exit with status 1 instead of a core dump. The normal start pays only for
installing and removing the handler.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

PLUGIN_FILES = {"xcb": "libqxcb.so", "wayland": "libqwayland.so", "wayland-egl": "libqwayland.so"}
# Where Debian's library naming (policy 8.1) does not give the package name.
IRREGULAR_PACKAGES = {
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0", "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0", "libz.so.1": "zlib1g", "libgcc_s.so.1": "libgcc-s1", "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1", "libOpenGL.so.0": "libopengl0", "libGLX.so.0": "libglx0",
}


def debian_package(soname: str) -> str:
    """libxcb-icccm.so.4 → libxcb-icccm4, libxkbcommon-x11.so.0 → libxkbcommon-x11-0 (Debian policy 8.1)."""
    if soname in IRREGULAR_PACKAGES:
        return IRREGULAR_PACKAGES[soname]
    m = re.match(r"^(lib.+?)\.so\.(\d+)", soname)
    if not m:
        return ""
    base, ver = m.group(1).lower().replace("_", "-"), m.group(2)
    return f"{base}-{ver}" if base[-1].isdigit() else f"{base}{ver}"


def requested_platforms(env: dict[str, str] | None = None) -> list[str]:
    """The platform plugins Qt will try, by QT_QPA_PLATFORM or Qt's Linux default."""
    env = os.environ if env is None else env  # type: ignore[assignment]
    value = env.get("QT_QPA_PLATFORM", "").strip()
    if value:
        return [p.split(":")[0].strip() for p in value.split(";") if p.strip()]
    if env.get("XDG_SESSION_TYPE") == "wayland" or env.get("WAYLAND_DISPLAY"):
        return ["wayland", "xcb"]
    return ["xcb"]


def should_guard(env: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """Linux, and only window-system platforms (not offscreen, vnc, …): those need system libraries."""
    if (platform or sys.platform) != "linux":
        return False
    return all(p in PLUGIN_FILES for p in requested_platforms(env))


def missing_libraries(binary: Path) -> list[str]:
    """Sonames `ldd` reports as not found for `binary` (empty when ldd is unavailable)."""
    import subprocess  # only on the failure path

    try:
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        name, sep, rest = line.strip().partition(" => ")
        if sep and rest.strip().startswith("not found") and name not in found:
            found.append(name)
    return found


def plugin_dir() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"


def diagnose(env: dict[str, str] | None = None, plugins: Path | None = None) -> str:
    """The one line to print when no platform plugin could be loaded."""
    env = os.environ if env is None else env  # type: ignore[assignment]
    platforms = requested_platforms(env)
    plugins = plugins or plugin_dir()
    missing: list[str] = []
    for name in dict.fromkeys(PLUGIN_FILES[p] for p in platforms if p in PLUGIN_FILES):
        missing += [lib for lib in missing_libraries(plugins / name) if lib not in missing]
    if missing:
        packages = " ".join(dict.fromkeys(debian_package(lib) or lib for lib in missing))
        return (f"machi-navi: cannot open a window: Qt's {'/'.join(platforms)} platform plugin needs missing system "
                f"libraries {', '.join(missing)}; install them with: sudo apt-get install {packages}")
    if "xcb" in platforms and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("machi-navi: cannot open a window: no display (DISPLAY is not set); start it in a desktop "
                "session, or without a screen under xvfb-run")
    where = env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or "?"
    return (f"machi-navi: cannot open a window on display {where} with Qt's {'/'.join(platforms)} platform "
            f"plugin (see Qt's message above); run with QT_DEBUG_PLUGINS=1 for details")


class PlatformGuard:
    """Installed around `QApplication(...)`: turns Qt's fatal "no platform plugin" into one line + exit 1."""

    def __init__(self, exit: Callable[[int], Any] = os._exit) -> None:
        self._exit = exit
        self._previous: Any = None
        self.installed = False

    def handle(self, mode: Any, context: Any, message: str) -> None:
        from PySide6.QtCore import QtMsgType

        category = getattr(context, "category", None)
        sys.stderr.write(f"{category}: {message}\n" if category and category != "default" else f"{message}\n")
        if mode == QtMsgType.QtFatalMsg:
            sys.stderr.write(diagnose() + "\n")
            sys.stderr.flush()
            self._exit(1)  # Qt would abort() right after this handler returns

    def __enter__(self) -> PlatformGuard:
        if should_guard():
            from PySide6.QtCore import qInstallMessageHandler

            self._previous = qInstallMessageHandler(self.handle)
            self.installed = True
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.installed:
            from PySide6.QtCore import qInstallMessageHandler

            qInstallMessageHandler(self._previous)
            self.installed = False
