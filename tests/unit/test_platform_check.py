"""The one-line hint when Qt cannot open a window on Linux (app/ui/platform_check.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.platform_check import debian_package, diagnose, missing_libraries, requested_platforms, should_guard
from tests.conftest import ROOT

linux_only = pytest.mark.skipif(sys.platform != "linux" or shutil.which("ldd") is None, reason="needs Linux and ldd")


def test_debian_package_names_follow_policy() -> None:
    assert debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert debian_package("libxcb-keysyms.so.1") == "libxcb-keysyms1"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libwayland-cursor.so.0") == "libwayland-cursor0"
    assert debian_package("libdbus-1.so.3") == "libdbus-1-3"
    assert debian_package("libglib-2.0.so.0") == "libglib2.0-0"
    assert debian_package("libGL.so.1") == "libgl1"


def test_guard_only_for_window_system_platforms_on_linux() -> None:
    assert requested_platforms({}) == ["xcb"]
    assert requested_platforms({"WAYLAND_DISPLAY": "wayland-0"}) == ["wayland", "xcb"]
    assert requested_platforms({"QT_QPA_PLATFORM": "wayland;xcb"}) == ["wayland", "xcb"]
    assert should_guard({}, "linux") and should_guard({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not should_guard({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not should_guard({}, "win32")


def _with_broken_needed(src: Path, dest: Path, old: bytes, new: bytes) -> Path:
    """A copy of a real shared library whose DT_NEEDED `old` is renamed to a library that does not exist."""
    assert len(old) == len(new)
    data = src.read_bytes()
    assert old in data
    dest.write_bytes(data.replace(old, new))
    return dest


def _system_lib(name: str) -> Path:
    for d in ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64"):
        if (Path(d) / name).exists():
            return Path(d) / name
    pytest.skip(f"{name} not installed")


@linux_only
def test_missing_libraries_and_the_apt_line(tmp_path: Path) -> None:
    lib = _system_lib("libxcb-icccm.so.4")  # installed by ./dev; it needs libxcb.so.1
    plugins = tmp_path / "platforms"
    plugins.mkdir()
    broken = _with_broken_needed(lib, plugins / "libqxcb.so", b"libxcb.so.1\0", b"libxcQ.so.7\0")
    assert missing_libraries(broken) == ["libxcQ.so.7"]
    assert missing_libraries(lib) == []
    line = diagnose({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, plugins)
    assert "\n" not in line
    assert "libxcQ.so.7" in line and line.endswith("sudo apt-get install libxcq7")


@linux_only
def test_no_display_is_named_not_blamed_on_xcb_cursor() -> None:
    line = diagnose({"QT_QPA_PLATFORM": "xcb"})
    assert "DISPLAY is not set" in line and "xvfb-run" in line


@linux_only
def test_app_without_display_prints_one_line_and_exits_1(user_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    out = subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr[-2000:]  # not an abort (-6) with a core dump
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("machi-navi: cannot open a window: no display (DISPLAY is not set)")
