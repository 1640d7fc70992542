"""tools/qt_system_deps.py: the dev script installs every system library the installed Qt links."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import qt_system_deps  # noqa: E402


def test_elf_needed_matches_ldd_for_the_xcb_plugin() -> None:
    plugin = qt_system_deps.pyside_dir() / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        pytest.skip("no xcb plugin in this PySide6 (not Linux)")
    needed = qt_system_deps.elf_needed(plugin)
    assert "libQt6XcbQpa.so.6" in needed
    found = qt_system_deps.system_sonames()
    for soname in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0", "libwayland-cursor.so.0"):
        assert soname in found, soname


@pytest.mark.skipif(shutil.which("dpkg") is None or shutil.which("apt-cache") is None, reason="not Debian")
def test_dev_lists_every_derived_package() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "qt_system_deps.py"), "--check"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
