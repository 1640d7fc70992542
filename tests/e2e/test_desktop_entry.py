"""`./dev run --install-desktop`: a valid freedesktop menu entry and icon for the venv's machi-navi."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "packaging" / "linux" / "install-desktop.sh"
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="freedesktop menus are a Linux desktop thing")


def _install(data: Path, exe: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_DATA_HOME=str(data))
    return subprocess.run(["bash", str(SCRIPT), str(exe)], env=env, capture_output=True, text=True, timeout=60)


def test_installs_a_valid_entry_pointing_to_the_venv(tmp_path: Path) -> None:
    if shutil.which("desktop-file-validate") is None:
        if Path("/etc/debian_version").exists():
            pytest.fail("desktop-file-validate missing: ./dev test installs desktop-file-utils as root")
        print("desktop-file-validate not available: the entry is checked by the script's own rules only")
    exe = Path(sys.prefix) / "bin" / "machi-navi"  # the console script of this venv
    assert exe.exists()
    data = tmp_path / "a share"  # a space in the path: Exec must stay one argument
    out = _install(data, exe)
    assert out.returncode == 0, out.stderr
    entry = data / "applications" / "machi-navi.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f'Exec="{exe}"\n' in text
    assert "Name[ja]=まちナビ\n" in text and "Icon=machi-navi\n" in text
    icon = data / "icons" / "hicolor" / "256x256" / "apps" / "machi-navi.png"
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr


def test_refuses_a_missing_program(tmp_path: Path) -> None:
    out = _install(tmp_path, tmp_path / "nope" / "machi-navi")
    assert out.returncode == 1 and "not executable" in out.stderr
    assert not (tmp_path / "applications" / "machi-navi.desktop").exists()
