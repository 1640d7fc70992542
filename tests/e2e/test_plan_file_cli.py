"""A plan shared as a file, through the CLI only: exported on one machine (data folder), imported on
a fresh one, with notes, answers and order intact; a damaged copy is refused and changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.plan_support import REAL_FIVE


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MACHI_NAVI_HOME=str(home))
    env.pop("MACHI_NAVI_KILL_AT", None)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def ok(*args: str, home: Path) -> str:
    out = run(*args, home=home)
    assert out.returncode == 0, f"{args}: {out.stdout}\n{out.stderr}"
    return out.stdout


def coverage(name: str, home: Path) -> dict:
    return json.loads(ok("plan", "coverage", name, "--json", home=home))


@pytest.mark.slow  # two fresh data folders, each builds the catalog
def test_plan_file_moves_between_machines(tmp_path: Path) -> None:
    a, b = tmp_path / "machine-a", tmp_path / "machine-b"
    ok("plan", "create", "豊明モデル", home=a)
    ok("plan", "add", "豊明モデル", *REAL_FIVE, home=a)
    ok("plan", "note", "豊明モデル", REAL_FIVE[2], "地域通貨の運用主体を確認\n（商工会）", home=a)
    ok("plan", "answer", "豊明モデル", "linkage:type", "TYPE1", "--note", "補助率 1/2", home=a)
    shared = tmp_path / "豊明モデル.machiplan"
    assert "wrote" in ok("plan", "export", "豊明モデル", "--out", str(shared), home=a)  # format from the suffix

    out = ok("plan", "import", str(shared), home=b)
    assert "imported plan '豊明モデル': 5 entries, 1 answers" in out
    here, there = coverage("豊明モデル", a), coverage("豊明モデル", b)
    assert here["services"] == there["services"]  # ids, names, fields, notes, order
    assert next(s["note"] for s in there["services"] if s["id"] == REAL_FIVE[2]) == "地域通貨の運用主体を確認\n（商工会）"
    questions = ok("plan", "questions", "豊明モデル", home=b)
    assert "linkage:type\t= TYPE1" in questions
    assert here["considerations"] == there["considerations"]

    again = ok("plan", "import", str(shared), home=b)  # the same file twice: a second plan, not an overwrite
    assert "豊明モデル (2)" in again
    listed = json.loads(ok("plan", "list", "--json", home=b))
    assert sorted(p["name"] for p in listed) == ["豊明モデル", "豊明モデル (2)"]

    damaged = tmp_path / "damaged.machiplan"
    data = shared.read_bytes()
    damaged.write_bytes(data.replace("地域通貨".encode(), "地域通過".encode(), 1))
    refused = run("plan", "import", str(damaged), home=b)
    assert refused.returncode == 2 and str(damaged) in refused.stderr and "checksum" in refused.stderr
    assert json.loads(ok("plan", "list", "--json", home=b)) == listed
