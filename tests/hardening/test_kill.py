"""kill -9 during the write paths added by hardening: the previous file, or the user's data, survives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from app import paths
from tests.conftest import ROOT


def _cli(*args: str, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("MACHI_NAVI_KILL_AT", None)
    if kill_at:
        env["MACHI_NAVI_KILL_AT"] = kill_at
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=ROOT, timeout=300)


def test_kill_during_export_keeps_the_previous_report(tmp_path: Path) -> None:
    assert _cli("plan", "create", "計画").returncode == 0
    assert _cli("plan", "add", "計画", "choisoko").returncode == 0
    report = tmp_path / "r.pdf"
    report.write_bytes(b"previous")
    proc = _cli("plan", "export", "計画", "--out", str(report), kill_at="export-before-replace")
    assert proc.returncode == -signal.SIGKILL
    assert report.read_bytes() == b"previous"
    assert _cli("plan", "export", "計画", "--out", str(report)).returncode == 0
    assert report.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"], "the killed export's temp file is cleaned up by the next one"


def test_kill_during_recovery_loses_nothing() -> None:
    assert _cli("plan", "create", "計画").returncode == 0
    db = paths.plans_db_path()
    _cli("plan", "list")  # checkpoint the WAL
    data = bytearray(db.read_bytes())
    data[:16] = b"not a database!!"
    db.write_bytes(bytes(data))
    proc = _cli("plan", "list", kill_at="recover-before-replace")
    assert proc.returncode == -signal.SIGKILL
    assert db.read_bytes()[:16] == b"not a database!!", "the damaged original is still in place"
    assert list(db.parent.glob("plans.db.corrupt-*")), "and its copy aside"
    again = _cli("plan", "list")
    assert again.returncode == 0 and "Traceback" not in again.stderr


def test_kill_during_plan_import_adds_nothing(tmp_path: Path) -> None:
    assert _cli("plan", "create", "計画").returncode == 0
    assert _cli("plan", "add", "計画", "choisoko", "noroute").returncode == 0
    shared = tmp_path / "計画.machiplan"
    assert _cli("plan", "export", "計画", "--out", str(shared)).returncode == 0
    before = _cli("plan", "list", "--json").stdout
    proc = _cli("plan", "import", str(shared), kill_at="plan-import-mid")  # killed after the first entry went in
    assert proc.returncode == -signal.SIGKILL
    assert _cli("plan", "list", "--json").stdout == before, "no half-imported plan"
    assert _cli("plan", "import", str(shared)).returncode == 0
    assert "計画 (2)\t2 services" in _cli("plan", "list").stdout
