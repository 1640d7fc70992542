"""Full and read-only data folders (real tmpfs mounts; needs root): a message naming the path and
a non-zero exit, never a traceback; the plans and the last good catalog stay intact."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None,
    reason="mounting a small tmpfs needs root on Linux",
)


@pytest.fixture
def small_home(tmp_path: Path):
    home = tmp_path / "home with スペース"
    home.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(home)], capture_output=True).returncode:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        yield home
    finally:
        subprocess.run(["umount", "-l", str(home)], check=False)


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MACHI_NAVI_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=ROOT, timeout=300)


def _clean_failure(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert proc.returncode != 0, out
    assert needle in out, out


def test_full_disk_while_building_the_index(small_home: Path) -> None:
    # catalog.db (~1 MB) fits, the search index (~7 MB) does not
    assert _cli(small_home, "plan", "create", "交通計画").returncode == 0
    proc = _cli(small_home, "build", "--force")
    _clean_failure(proc, str(small_home))
    assert "disk is full" in proc.stderr or "空き容量" in proc.stderr, proc.stderr
    search = _cli(small_home, "search", "オンデマンド")
    _clean_failure(search, str(small_home))
    listed = _cli(small_home, "plan", "list")
    assert listed.returncode == 0 and "交通計画" in listed.stdout, listed.stdout + listed.stderr


def test_read_only_data_folder(small_home: Path) -> None:
    assert _cli(small_home, "plan", "create", "交通計画").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_home)], check=True)
    for args in (["plan", "add", "交通計画", "choisoko"], ["build", "--force"], ["plan", "export", "交通計画", "--format", "md",
                                                                            "--out", str(small_home / "r.md")]):
        _clean_failure(_cli(small_home, *args), str(small_home))


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "md"])
def test_export_onto_a_full_disk_keeps_the_previous_report(small_home: Path, tmp_path: Path, fmt: str) -> None:
    data_home = tmp_path / "data"  # the catalog and plans live elsewhere; only the report's folder is full
    assert _cli(data_home, "plan", "create", "交通計画").returncode == 0
    assert _cli(data_home, "plan", "add", "交通計画", "choisoko", "noroute").returncode == 0
    report = small_home / f"report.{fmt}"
    report.write_bytes(b"previous report")
    filler = small_home / "filler"
    try:  # fill the disk to the last block
        with open(filler, "wb", buffering=0) as fh:
            while True:
                fh.write(b"\0" * 4096)
    except OSError:
        pass
    proc = _cli(data_home, "plan", "export", "交通計画", "--format", fmt, "--out", str(report))
    _clean_failure(proc, str(report))
    assert "wrote" not in proc.stdout
    assert report.read_bytes() == b"previous report"
    assert not [p for p in small_home.iterdir() if p.name.startswith(".report")], "no temp file is left behind"
