"""machi-navi diff: entries added, removed and changed between two catalogs (folders, catalog.db, git)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.catalog.diff import FACT_KEYS, DiffError, diff_catalogs, diff_snapshots, format_diff, read_db, read_folder
from app.catalog.edition import read_edition
from app.catalog.loader import load_catalog
from app.catalog.store import CatalogDB, build_db, read_meta
from app.cli import main
from tests.conftest import BUNDLED, ROOT, service_md, write


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _edit(path: Path, **over: object) -> None:
    path.write_text(service_md(path.stem, **over), encoding="utf-8")


@pytest.fixture
def two(mini_catalog: Path, tmp_path: Path) -> tuple[Path, Path]:
    old = _copy(mini_catalog, tmp_path / "old" / "catalog_data")
    new = _copy(mini_catalog, tmp_path / "new" / "catalog_data")
    svc = new / "services" / "transport"
    (svc / "gamma.md").unlink()  # removed
    write(svc / "delta.md", service_md("delta"))  # added
    _edit(svc / "alpha.md", name="新しい名前", municipalities="[愛知県豊明市, 長野県茅野市]",
          sources="\n  - url: https://example.org/page\n    seen: 2026-11-30\n  - url: https://www.city.chino.lg.jp/x.html")
    _edit(svc / "beta.md", scra="\n  - node: asset-management/device\n    role: provides\n    why: 車両を提供する")
    return old, new


def test_folders_added_removed_changed_with_fields(two: tuple[Path, Path]) -> None:
    d = diff_catalogs(*two)
    assert [e.id for e in d.added] == ["delta"]
    assert [e.id for e in d.removed] == ["gamma"]
    assert {c.id: c.keys for c in d.changed} == {"alpha": ("name", "municipalities", "sources"), "beta": ("scra",)}
    alpha = next(c for c in d.changed if c.id == "alpha")
    by_key = {f.key: f for f in alpha.changes}
    assert (by_key["name"].old, by_key["name"].new) == ("テストサービスalpha", "新しい名前")
    assert by_key["municipalities"].added == ("長野県茅野市",) and by_key["municipalities"].removed == ()
    assert by_key["sources"].added == ("https://www.city.chino.lg.jp/x.html",)
    beta = next(c for c in d.changed if c.id == "beta").changes[0]
    assert beta.added == ("asset-management/device provides",) and beta.removed == ("asset-management/device uses",)
    text = format_diff(d)
    assert "added 1, removed 1, changed 2" in text
    assert "+ delta" in text and "- gamma" in text and "~ alpha" in text and "name: テストサービスalpha → 新しい名前" in text


def test_reordering_or_respelling_is_no_change(mini_catalog: Path, tmp_path: Path) -> None:
    a = _copy(mini_catalog, tmp_path / "a")
    b = _copy(mini_catalog, tmp_path / "b")
    write(a / "services/transport/x.md", service_md("x", municipalities="[愛知県豊明市, 群馬県明和町]"))
    write(b / "services/transport/x.md", service_md("x", municipalities="\n  - 群馬県明和町\n  - 愛知県豊明市", field="transport",
                                                     body="住民がスマホで予約できる\n乗合交通です。"))
    write(a / "services/transport/y.md", service_md("y", lgwan="yes"))
    write(b / "services/transport/y.md", service_md("y", lgwan='"yes"'))
    assert diff_catalogs(a, b).empty


def test_fact_keys_are_compared(mini_catalog: Path, tmp_path: Path) -> None:
    a = _copy(mini_catalog, tmp_path / "a")
    b = _copy(mini_catalog, tmp_path / "b")
    _edit(b / "services/transport/alpha.md", status="ended", ended='"2024-03"', since="2019")
    _edit(a / "services/transport/beta.md", pricing="unknown")
    change = diff_catalogs(a, b).changed
    assert [(c.id, c.keys) for c in change] == [("alpha", ("status", "ended", "since"))]
    assert change[0].changes[0].new == "ended" and change[0].changes[1].new == "2024-03"


def test_built_databases_compare_like_their_folders(two: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = two
    dbs = []
    for root, name in ((old, "old.db"), (new, "new.db")):
        cat = load_catalog(root)
        assert not cat.errors
        dbs.append(build_db(cat, tmp_path / name))
    folder = diff_catalogs(old, new).to_json()
    db = diff_catalogs(*dbs).to_json()
    mixed = diff_catalogs(old, dbs[1]).to_json()
    for d in (db, mixed):
        for key in ("counts", "added", "removed", "changed"):
            assert d[key] == folder[key], key
    assert diff_catalogs(new, dbs[1]).empty


def test_db_leaves_out_local_entries(mini_catalog: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "local"
    write(overlay / "mine.md", service_md("mine"))
    target = build_db(load_catalog(mini_catalog, overlay), tmp_path / "c.db")
    assert "mine" not in read_db(target).records and "alpha" in read_db(target).records


def test_real_catalog_reads_the_same_from_folder_db_and_model(tmp_path: Path) -> None:
    from app.catalog.diff import record_of_service

    cat = load_catalog(BUNDLED)
    target = build_db(cat, tmp_path / "catalog.db")
    folder = read_folder(BUNDLED).records
    db = read_db(target).records
    with CatalogDB(target) as cdb:
        model = {s.id: record_of_service(s) for s in cdb.services()}
        has_facts = "status" in {r[1] for r in cdb.q("pragma table_info(services)")}
    if not has_facts:  # a store without the registry's fact columns: compare everything else
        for rec in folder.values():
            rec.update({k: "" for k in FACT_KEYS})
    assert folder.keys() == db.keys() and len(folder) == len(cat.services)
    assert [k for k in folder if folder[k] != db[k]] == []
    assert [k for k in folder if folder[k] != model[k]] == []


def test_not_a_catalog(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    for p in (tmp_path / "empty", tmp_path / "notes.txt", tmp_path / "missing"):
        with pytest.raises(DiffError, match=str(p.name)):
            diff_catalogs(p, BUNDLED)


def test_broken_entry_files_are_noted_not_fatal(mini_catalog: Path, tmp_path: Path) -> None:
    b = _copy(mini_catalog, tmp_path / "b")
    (b / "services/transport/alpha.md").write_text("---\nid: [\n---\nx\n", encoding="utf-8")
    snap = read_folder(b)
    assert "alpha" not in snap.records and any("alpha.md" in p for p in snap.problems)
    d = diff_snapshots(read_folder(mini_catalog), snap)
    assert [e.id for e in d.removed] == ["alpha"] and "note: services/transport/alpha.md" in format_diff(d)


def test_cli_diff_json_and_text(two: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two
    assert main(["diff", str(old), str(new), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"added": 1, "removed": 1, "changed": 2}
    alpha = next(c for c in data["changed"] if c["id"] == "alpha")
    assert [f["key"] for f in alpha["changes"]] == ["name", "municipalities", "sources"]
    assert alpha["changes"][0]["label_ja"] == "名称"
    assert main(["diff", str(old.parent), str(new.parent)]) == 0  # a folder holding catalog_data/ works too
    assert "changed 2" in capsys.readouterr().out
    assert main(["diff", str(old / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


# -- editions -------------------------------------------------------------------------------------

def test_edition_goes_into_catalog_meta(mini_catalog: Path, tmp_path: Path) -> None:
    write(mini_catalog / "edition.yaml", 'id: "2031.04"\nname: 2031年4月版\ndate: 2031-04-01\n')
    cat = load_catalog(mini_catalog)
    assert cat.edition is not None and cat.edition.id == "2031.04"
    meta = read_meta(build_db(cat, tmp_path / "c.db"))
    assert (meta["edition_id"], meta["edition_name"], meta["edition_date"]) == ("2031.04", "2031年4月版", "2031-04-01")
    assert read_db(tmp_path / "c.db").edition == {"id": "2031.04", "name": "2031年4月版", "date": "2031-04-01"}


def test_bad_edition_is_reported_with_line(mini_catalog: Path) -> None:
    write(mini_catalog / "edition.yaml", "id: 2031.4\nname: ''\ndate: 1 April\n")
    problems: list = []
    assert read_edition(mini_catalog, problems) is None
    assert sorted((p.line, p.message.split()[1]) for p in problems) == [(1, "id"), (2, "name"), (3, "date")]
    assert all(p.path == "catalog_data/edition.yaml" for p in problems)


def test_bundled_catalog_has_an_edition_and_a_changelog_section_for_it() -> None:
    problems: list = []
    ed = read_edition(BUNDLED, problems)
    assert problems == [] and ed is not None
    changelog = (BUNDLED / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {ed.id}（{ed.name}）— {ed.date}" in changelog


# -- the real history -----------------------------------------------------------------------------

FIRST_RELEASE = "b9690d7"  # the catalog of the first release (229 entries), before wave 2


def _has_revision(rev: str) -> bool:
    try:
        return subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not _has_revision(FIRST_RELEASE), reason="needs the project's git history")
def test_real_history_first_release_to_now(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--git", FIRST_RELEASE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["old"]["entries"] == 229 and data["old"]["edition"] == {}
    assert data["new"]["edition"]["id"] and data["new"]["entries"] == data["old"]["entries"] + data["counts"]["added"] - data["counts"]["removed"]
    added = {e["id"] for e in data["added"]}
    assert data["counts"]["added"] >= 72 and {"mynapoint", "e-stat", "j-alert"} <= added
    changed = {c["id"]: c for c in data["changed"]}
    mykey = {f["key"]: f for f in changed["mykey-platform"]["changes"]}
    assert {"description", "sources"} <= mykey.keys()  # the library-card dating corrected, with new sources
    assert any("digital.go.jp" in u for u in mykey["sources"]["added"])
    # the entries that rested on weak sources only gained primary ones
    for sid in ("manmaru-yoyaku", "rakukake-kun", "jlis-card-ap-tosai-system"):
        assert changed[sid]["changes"][0]["key"] == "sources" or "sources" in [f["key"] for f in changed[sid]["changes"]]


def test_git_revision_errors_are_clear(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--git", "no-such-revision-xyz"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and ("no-such-revision-xyz" in err or "git" in err)
