"""`plan show` marks services whose entry changed or left the catalog after an update; `plan ack` clears the mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import service_md, write


def test_plan_show_marks_changed_and_missing_entries(mini_catalog: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MACHI_NAVI_CATALOG", str(mini_catalog))
    assert main(["plan", "create", "計画"]) == 0
    assert main(["plan", "add", "計画", "alpha", "beta", "gamma"]) == 0
    capsys.readouterr()
    assert main(["plan", "show", "計画"]) == 0
    assert "!" not in capsys.readouterr().out

    # a catalog update: alpha renamed and deployed in one more town, gamma gone
    write(mini_catalog / "services/transport/alpha.md", service_md("alpha", name="新名称", municipalities="[愛知県豊明市, 長野県茅野市]"))
    (mini_catalog / "services/transport/gamma.md").unlink()
    assert main(["plan", "show", "計画"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    alpha = next(i for i, line in enumerate(lines) if "\talpha" in line or " alpha\t" in line)
    assert "新名称" in lines[alpha] and "[変更あり]" in lines[alpha]
    assert "名称" in lines[alpha + 1] and "導入自治体" in lines[alpha + 1]
    assert "名称 (name): テストサービスalpha → 新名称" in out and "導入自治体 (municipalities): + 長野県茅野市" in out
    gamma = next(line for line in lines if "gamma" in line)
    assert "missing" in gamma
    beta = next(line for line in lines if " beta\t" in line)
    assert "[" not in beta

    assert main(["plan", "ack", "計画"]) == 0
    assert "1 item(s)" in capsys.readouterr().out  # alpha; gamma has no entry to compare against
    assert main(["plan", "show", "計画"]) == 0
    out = capsys.readouterr().out
    assert "変更あり" not in out and "missing" in out and out.count("\n") == 3
