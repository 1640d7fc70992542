"""Import of local entries: template round trip, row-numbered errors, all-or-nothing, overlay only."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app import paths
from app.build import ensure_built
from app.catalog.overlay import KEYS, ImportFailed, import_file, local_entry_ids, read_rows, recover_overlay, write_template
from app.catalog.store import CatalogDB
from tests.conftest import BUNDLED, ROOT


def row(sid: str, **over: str) -> dict[str, str]:
    base = {
        "id": sid, "name": f"取込サービス{sid}", "name_en": "", "provider": "株式会社取込", "field": "公共交通",
        "kind": "デマンド交通", "municipalities": "愛知県豊明市、愛知県岡崎市", "data_linkage": "いいえ",
        "personal_data": "個人情報", "use_fields": "交通・物流", "sources": "https://example.org/import 取込元のページ",
        "scra": "service-management/portal:provides:予約の窓口になる; asset-management/device:uses:車両を使う",
        "unconfirmed": "", "description": "住民が電話で予約できる乗合交通です。",
    }
    base.update(over)
    return base


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(KEYS))
        w.writeheader()
        w.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(list(KEYS))
    for r in rows:
        ws.append([r.get(k, "") for k in KEYS])
    wb.save(path)
    return path


def overlay_files() -> list[str]:
    d = paths.overlay_dir()
    return sorted(p.name for p in d.rglob("*")) if d.exists() else []


def test_templates_round_trip(tmp_path: Path) -> None:
    csv_t = write_template(tmp_path / "t.csv")
    assert csv_t.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_rows(csv_t) == [], "the example row (id starting with #) is skipped"
    xlsx_t = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(xlsx_t)
    assert wb.sheetnames == ["エントリ", "説明"]
    assert [c.value for c in wb["エントリ"][1]] == list(KEYS)
    # fill the template's example in as a real row: it must validate
    ws = wb["エントリ"]
    ws["A2"] = "template-bus"
    wb.save(xlsx_t)
    res = import_file(xlsx_t)
    assert res.added == ["template-bus"]


def test_csv_import_writes_overlay_and_build_merges_it(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", [row("imp-one"), row("imp-two", data_linkage="true", personal_data="要配慮個人情報")])
    res = import_file(src)
    assert sorted(res.added) == ["imp-one", "imp-two"] and res.replaced == []
    assert overlay_files() == ["imp-one.md", "imp-two.md"]
    assert local_entry_ids() == ["imp-one", "imp-two"]
    assert not any(p.name.startswith("imp-") for p in BUNDLED.rglob("*.md")), "never written into catalog_data/"
    built = ensure_built(with_index=False)
    with CatalogDB(built.db_path) as db:
        one = db.service("imp-one")
        assert one is not None and one.local and one.municipalities == ("愛知県豊明市", "愛知県岡崎市")
        assert [m.node for m in one.scra][:2] == ["service-management/portal", "asset-management/device"]
        assert one.sources[0].title == "取込元のページ"
        two = db.service("imp-two")
        assert two is not None and two.data_linkage and two.personal_data == "要配慮個人情報"
    # importing the same id again replaces it
    res2 = import_file(write_csv(tmp_path / "again.csv", [row("imp-one", name="改名サービス")]))
    assert res2.replaced == ["imp-one"] and res2.added == []
    assert "改名サービス" in (paths.overlay_dir() / "imp-one.md").read_text(encoding="utf-8")


def test_bad_rows_are_named_and_nothing_is_imported(tmp_path: Path) -> None:
    import_file(write_csv(tmp_path / "first.csv", [row("existing")]))
    before = {p.name: p.read_bytes() for p in paths.overlay_dir().glob("*.md")}
    bad = write_csv(tmp_path / "bad.csv", [
        row("good-a"),
        row("bad-field", field="宇宙交通"),
        row("good-b"),
        row("Bad_Id"),
        row("bad-url", sources="ftp://example.org/x"),
        row("bad-node", scra="no-such/node:provides:x"),
        row("nokkar", name="別名ノッカル"),  # id of a bundled entry
        row("no-desc", description=""),
    ])
    with pytest.raises(ImportFailed) as err:
        import_file(bad)
    probs = err.value.problems
    text = "\n".join(probs)
    assert "bad.csv:row 3: unknown field '宇宙交通'" in text
    assert "bad.csv:row 5: id 'Bad_Id' is not a valid id" in text
    assert "bad.csv:row 6: bad source URL" in text
    assert "bad.csv:row 7: unknown SCRA node 'no-such/node'" in text
    assert "bad.csv:row 8: duplicate id 'nokkar'" in text
    assert "bad.csv:row 9: description is empty" in text
    assert not any(":row 2:" in p or ":row 4:" in p for p in probs), "good rows are not blamed"
    after = {p.name: p.read_bytes() for p in paths.overlay_dir().glob("*.md")}
    assert after == before, "nothing half-imported"


def test_duplicate_ids_within_the_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as err:
        import_file(write_csv(tmp_path / "dup.csv", [row("same"), row("same", name="二つ目")]))
    assert err.value.problems == ["dup.csv:row 3: id 'same' is also on row 2 (give each entry its own id)"]
    assert overlay_files() == []


def test_xlsx_and_cp932_csv(tmp_path: Path) -> None:
    res = import_file(write_xlsx(tmp_path / "in.xlsx", [row("xl-one")]))
    assert res.added == ["xl-one"]
    res = import_file(write_csv(tmp_path / "sjis.csv", [row("sjis-one")], encoding="cp932"))
    assert res.added == ["sjis-one"]


def test_unknown_columns_and_wrong_files(tmp_path: Path) -> None:
    p = tmp_path / "cols.csv"
    p.write_text("id,name,colour\nx,y,z\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="row 1: unknown column"):
        import_file(p)
    (tmp_path / "notes.txt").write_text("id\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="use a .csv or .xlsx"):
        import_file(tmp_path / "notes.txt")
    with pytest.raises(ImportFailed, match="file not found"):
        import_file(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(ImportFailed):
        import_file(tmp_path / "empty.csv")


CRASH_SCRIPT = """
import sys
from app.catalog.overlay import import_file
import_file(sys.argv[1])
"""


@pytest.mark.parametrize("step", ["import-mid-write", "import-before-swap"])
def test_crash_during_commit_leaves_the_old_overlay(tmp_path: Path, user_home: Path, step: str) -> None:
    import_file(write_csv(tmp_path / "first.csv", [row("kept")]))
    src = write_csv(tmp_path / "many.csv", [row(f"crash-{i}") for i in range(4)])
    env = dict(os.environ, MACHI_NAVI_HOME=str(user_home), MACHI_NAVI_KILL_AT=step)
    proc = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(src)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode < 0, proc.stderr
    assert overlay_files() == ["kept.md"]
    recover_overlay()
    assert overlay_files() == ["kept.md"]
    assert not any(p.name.startswith(".local_entries") for p in user_home.iterdir())


def test_recover_overlay_after_crash_between_renames(user_home: Path) -> None:
    overlay = paths.overlay_dir()
    old = overlay.with_name(".local_entries.old")
    old.mkdir(parents=True)
    (old / "x.md").write_text("---\n---\n", encoding="utf-8")
    recover_overlay()
    assert (overlay / "x.md").exists() and not old.exists()
