"""The CLI as a user runs it: a fresh user dir, the bundled catalog."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, service_md


def run(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, MACHI_NAVI_HOME=str(home), **env)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300)


def test_version(user_home: Path) -> None:
    out = run("--version", home=user_home)
    assert out.returncode == 0 and out.stdout.startswith("machi-navi ")


@pytest.mark.slow  # builds the whole bundled catalog from scratch: left out of the fast loop
def test_build_then_stats_json_reports_real_counts(user_home: Path) -> None:
    built = run("build", home=user_home)
    assert built.returncode == 0, built.stderr
    assert "built" in built.stdout
    again = run("build", home=user_home)
    assert "up to date" in again.stdout
    stats = run("stats", "--json", home=user_home)
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    assert data["services"] >= 200
    assert set(data["per_field"]) == {"公共交通", "医療・健康・子育て", "コミュニティサービス", "市民サービス",
                                      "マイナンバーカード利用のための共通基盤・汎用ツール", "データ連携基盤"}
    assert data["with_sources_pct"] == 100.0
    assert data["per_node"]["service-management"] > 0
    assert (user_home / "catalog.db").exists()
    assert not (ROOT / "catalog_data" / "catalog.db").exists(), "nothing is written into the source tree"


def test_validate_exit_codes(mini_catalog: Path, user_home: Path) -> None:
    ok = run("validate", str(mini_catalog), home=user_home)
    assert ok.returncode == 0, ok.stdout
    (mini_catalog / "services" / "transport" / "beta.md").write_text(service_md("beta", field="宇宙"), encoding="utf-8")
    bad = run("validate", str(mini_catalog), home=user_home)
    assert bad.returncode == 1
    assert "services/transport/beta.md:5: unknown field '宇宙'" in bad.stdout
