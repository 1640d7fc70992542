"""The plan workflow as a user runs it from a fresh install: CLI only, real catalog, fresh user dir."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.catalog.overlay import KEYS
from tests.conftest import ROOT
from tests.plan_support import REAL_FIVE


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MACHI_NAVI_HOME=str(home))
    env.pop("MACHI_NAVI_KILL_AT", None)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def ok(*args: str, home: Path) -> str:
    out = run(*args, home=home)
    assert out.returncode == 0, f"{args}: {out.stdout}\n{out.stderr}"
    return out.stdout


@pytest.mark.slow  # over 10 s of CPU: left out of the fast loop (./dev test -m "not slow")
def test_fresh_install_plan_workflow(user_home: Path, tmp_path: Path) -> None:
    assert not (user_home / "catalog.db").exists()
    assert "created plan '豊明モデル'" in ok("plan", "create", "豊明モデル", home=user_home)
    assert (user_home / "catalog.db").exists(), "plan commands build the catalog on a fresh machine"
    assert "added 5 service(s)" in ok("plan", "add", "豊明モデル", *REAL_FIVE, home=user_home)
    dup = run("plan", "create", "豊明モデル", home=user_home)
    assert dup.returncode == 2 and "already exists" in dup.stderr
    unknown = run("plan", "add", "豊明モデル", "no-such-service", home=user_home)
    assert unknown.returncode == 1 and "unknown service id 'no-such-service'" in unknown.stderr
    assert "豊明モデル\t5 services" in ok("plan", "list", home=user_home)

    text = ok("plan", "coverage", "豊明モデル", home=user_home)
    assert "SCRA block coverage" in text and "gaps (" in text and "候補:" in text

    data = json.loads(ok("plan", "coverage", "豊明モデル", "--json", home=user_home))
    assert data["plan"] == "豊明モデル"
    assert [s["id"] for s in data["services"]] == REAL_FIVE
    node = next(n for n in data["nodes"] if n["id"] == "service-management/portal")
    assert node["level"] == "block" and node["name_ja"] and "nokkar" in node["covered_by"]
    assert data["gaps"] and all(isinstance(g, str) for g in data["gaps"])
    assert set(data["suggestions"]) <= set(data["gaps"])
    assert all(not set(v) & set(REAL_FIVE) for v in data["suggestions"].values())
    assert data["considerations"]["type"] in ("TYPE1", "TYPE2/3") and data["considerations"]["questions"]

    questions = ok("plan", "questions", "豊明モデル", home=user_home)
    assert "ownership" in questions and "um:auth-strength" in questions
    for qid, ans in (("ownership", "municipality"), ("um:auth-strength", "identity-proofing"), ("cost:tax-revenue", "yes"),
                     ("criteria:self-reliance", "partly"), ("law:appi-art21", "done")):
        ok("plan", "answer", "豊明モデル", qid, ans, "--note", "担当者メモ", home=user_home)
    bad = run("plan", "answer", "豊明モデル", "ownership", "aliens", home=user_home)
    assert bad.returncode == 2 and "one of" in bad.stderr

    for fmt in ("md", "html", "pdf", "csv", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        assert "wrote" in ok("plan", "export", "豊明モデル", "--format", fmt, "--out", str(out), home=user_home)
        assert out.stat().st_size > 0
    assert "自治体" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "<script" not in (tmp_path / "report.html").read_text(encoding="utf-8").lower()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "report.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "ギャップ" in load_workbook(tmp_path / "report.xlsx").sheetnames

    # rebuild the catalog: the plan (items, order, answers) is intact
    ok("build", "--force", home=user_home)
    again = json.loads(ok("plan", "coverage", "豊明モデル", "--json", home=user_home))
    assert [s["id"] for s in again["services"]] == REAL_FIVE and not any(s["missing"] for s in again["services"])
    answers = {q["id"]: q["answer"] for q in again["considerations"]["questions"]}
    assert answers["ownership"] == "municipality" and answers["um:auth-strength"] == "identity-proofing"
    assert again["gaps"] == data["gaps"] or again["gaps"], "gaps still computed"

    removed = ok("plan", "remove", "豊明モデル", "ckan", home=user_home)
    assert "removed 1" in removed
    ok("plan", "rename", "豊明モデル", "豊明モデル2", home=user_home)
    assert "ckan" not in ok("plan", "show", "豊明モデル2", home=user_home)


@pytest.mark.slow  # over 10 s of CPU: left out of the fast loop (./dev test -m "not slow")
def test_import_local_entry_then_it_vanishes(user_home: Path, tmp_path: Path) -> None:
    tpl = tmp_path / "template.csv"
    ok("template", "--out", str(tpl), home=user_home)
    ok("template", "--out", str(tmp_path / "template.xlsx"), home=user_home)
    rows = list(csv.reader(tpl.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == list(KEYS)
    rows[1][0] = "local-bus"
    src = tmp_path / "mine.csv"
    with open(src, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = ok("import", str(src), home=user_home)
    assert "imported 1 entry" in out
    assert (user_home / "local_entries" / "local-bus.md").exists()
    ok("plan", "create", "地元", home=user_home)
    ok("plan", "add", "地元", "local-bus", "nokkar", home=user_home)

    bad = tmp_path / "bad.csv"
    rows[1][0] = "local-bad"
    rows[1][4] = "宇宙交通"
    with open(bad, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    failed = run("import", str(bad), home=user_home)
    assert failed.returncode == 1 and "bad.csv:row 2: unknown field '宇宙交通'" in failed.stderr
    assert sorted(p.name for p in (user_home / "local_entries").iterdir()) == ["local-bus.md"]

    (user_home / "local_entries" / "local-bus.md").unlink()
    ok("build", home=user_home)
    shown = ok("plan", "show", "地元", home=user_home)
    assert "local-bus" in shown and "missing" in shown and "わがまちバス予約" in shown
    data = json.loads(ok("plan", "coverage", "地元", "--json", home=user_home))
    assert [(s["id"], s["missing"]) for s in data["services"]] == [("local-bus", True), ("nokkar", False)]


def test_plan_commands_close_their_connections_and_report_unwritable_paths(
        user_home: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    """In-process (as the GUI's tests and embedders call it): every plan command closes plans.db and
    catalog.db, and a path that cannot be written is an `error:` line with exit 2, not a traceback."""
    import sqlite3

    import pytest

    from app import userdb
    from app.catalog import store
    from app.commands import main as cli

    conns: list[sqlite3.Connection] = []
    real_connect = userdb.connect
    monkeypatch.setattr(userdb, "connect", lambda *a, **k: conns.append(real_connect(*a, **k)) or conns[-1])

    class Recorded(store.CatalogDB):
        def __init__(self, path: Path) -> None:
            super().__init__(path)
            conns.append(self.conn)

    monkeypatch.setattr(store, "CatalogDB", Recorded)
    assert cli.main(["plan", "create", "p"]) == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert cli.main(["plan", "export", "p", "--out", str(blocker / "r.md")]) == 2
    assert cli.main(["template", "--out", str(blocker / "t.csv")]) == 2
    assert cli.main(["template", "--out", str(tmp_path / "t.txt")]) == 2  # wrong suffix
    err = capsys.readouterr().err
    assert err.count("error:") == 3 and "Traceback" not in err
    assert len(conns) >= 4  # plans.db and catalog.db for each of the two plan commands (+ build checks)
    for conn in conns:
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("select 1")
