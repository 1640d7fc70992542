"""Local entries applied in place: catalog.db rows and index documents of the changed entries only,
with the same search results as a full rebuild, and a kill -9 at any step leaves a working catalog."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import index as windex

from app import paths
from app.build import ensure_built
from app.catalog.store import read_meta
from app.search.browse import browse_hits
from app.search.engine import SearchEngine
from app.search.index import INDEX_NAME, index_path
from tests.conftest import ROOT, service_md

QUERIES = ["", "交通", "テスト", "予約", "ローカル", "見守り", "分野:公共交通", "提供者:株式会社テスト", "自治体:愛知県",
           "ﾃｽﾄ", "交通 -ローカル", "オンデマンド交通", "株式会社", "種別:デマンド交通"]  # 3+ characters: texts.dat


def _local(sid: str, **over: object) -> Path:
    overlay = paths.overlay_dir()
    overlay.mkdir(parents=True, exist_ok=True)
    path = overlay / f"{sid}.md"
    path.write_text(service_md(sid, **over), encoding="utf-8")
    return path


def _results(db: Path) -> list[object]:
    eng = SearchEngine(db, paths.index_dir())
    try:
        out: list[object] = []
        for q in QUERIES:
            r = eng.search(q, limit=100, with_facets=True)
            facets = {k: [(v.value, v.count) for v in vals] for k, vals in r.facets.items()}
            out.append((q, r.total, [(h.id, round(h.score, 6), h.snippet) for h in r.hits], facets))  # snippets: texts.dat
        return out
    finally:
        eng.close()


def _tables(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type='table' and name not in ('meta', 'sources')")]
        out = {n: sorted(conn.execute(f'select * from "{n}"').fetchall(), key=repr) for n in names}
        # source ids are internal: compare the rows by url
        out["service_sources"] = sorted(conn.execute(
            "select ss.service_id, so.url, so.title, ss.seen, ss.took, ss.supports, ss.position "
            "from service_sources ss join sources so on so.id = ss.source_id").fetchall())
        out["sources"] = sorted(conn.execute("select url, title from sources").fetchall())
        return out
    finally:
        conn.close()


def _segments(db: Path) -> int:
    ix = windex.open_dir(str(index_path(paths.index_dir(), read_meta(db)["content_hash"])), indexname=INDEX_NAME)
    try:
        return len(ix._segments())
    finally:
        ix.close()


def _same_as_full_rebuild(mini_catalog: Path, db: Path) -> None:
    incremental = (_results(db), _tables(db))
    full = ensure_built(force=True, catalog_dir=mini_catalog)
    assert not full.local_update and _segments(full.db_path) == 1
    assert (_results(full.db_path), _tables(full.db_path)) == incremental


def test_local_entries_are_applied_in_place_and_search_as_after_a_full_rebuild(mini_catalog: Path) -> None:
    _local("loc-a", name="ローカル見守りサービス", body="高齢者の見守りと予約をローカルで行います。")
    first = ensure_built(catalog_dir=mini_catalog)
    assert first.built and not first.local_update and first.services == 4
    _same_as_full_rebuild(mini_catalog, first.db_path)

    _local("loc-b", name="あいうえお交通ナビ", provider="株式会社ローカル", municipalities="[長野県茅野市]")
    _local("loc-c", name="予約窓口ローカル")
    added = ensure_built(catalog_dir=mini_catalog)
    assert added.local_update and added.index_built and added.services == 6
    assert _segments(added.db_path) == 2, "the new documents went into a new segment of the old index"
    hits = SearchEngine(added.db_path, paths.index_dir())
    try:
        assert [h.id for h in hits.search("あいうえお").hits] == ["loc-b"]
        # the start-up list from catalog.db (name, id order) is the engine's empty query, new documents included
        total, browse = browse_hits(added.db_path, 3)
        assert (total, browse) == (hits.search("", limit=1000).total, hits.search("", limit=3).hits)
        assert "loc-b" in [h.id for h in browse], "あ… sorts first though its document was added last"
    finally:
        hits.close()
    _same_as_full_rebuild(mini_catalog, added.db_path)

    _local("loc-a", name="ローカル見守りサービス改", body="名前を変えました。交通の予約もできます。")  # edited
    (paths.overlay_dir() / "loc-c.md").unlink()  # removed
    changed = ensure_built(catalog_dir=mini_catalog)
    assert changed.local_update and changed.services == 5
    assert "loc-c" not in [h.id for h in SearchEngine(changed.db_path, paths.index_dir()).search("予約窓口").hits]
    _same_as_full_rebuild(mini_catalog, changed.db_path)
    assert not ensure_built(catalog_dir=mini_catalog).built, "and then it is up to date"


def test_a_bundled_change_or_a_broken_or_clashing_entry_takes_the_full_build(mini_catalog: Path) -> None:
    ensure_built(catalog_dir=mini_catalog)
    _local("loc-a")
    assert ensure_built(catalog_dir=mini_catalog).local_update
    (mini_catalog / "services" / "transport" / "delta.md").write_text(service_md("delta"), encoding="utf-8")
    res = ensure_built(catalog_dir=mini_catalog)
    assert res.built and not res.local_update and res.services == 5
    _local("loc-bad", field="ない分野")
    res = ensure_built(catalog_dir=mini_catalog)
    assert not res.local_update and [p.name for p in res.quarantined] == ["loc-bad.md"]
    _local("alpha-copy", id="alpha")  # the id of a bundled entry: reported by the full build
    res = ensure_built(catalog_dir=mini_catalog)
    assert not res.local_update and [p.name for p in res.quarantined] == ["alpha-copy.md"]
    assert res.services == 5


CSV = ("id,name,provider,field,kind,municipalities,sources,description\r\n"
       "imp-one,取り込みテスト交通,株式会社取込,公共交通,AIオンデマンド交通,愛知県豊明市,https://example.org/imp 出典,"
       "取り込んだ乗合交通の説明です。\r\n")


@pytest.mark.parametrize("step", ["index-update-commit", "index-update-before-install", "local-db-before-replace"])
def test_kill_during_an_import_leaves_the_old_or_the_new_catalog(mini_catalog: Path, user_home: Path, tmp_path: Path,
                                                                   step: str) -> None:
    ensure_built(catalog_dir=mini_catalog)
    _local("loc-a")
    before = ensure_built(catalog_dir=mini_catalog)
    old = _results(before.db_path)
    csv = tmp_path / "one.csv"
    csv.write_text(CSV, encoding="utf-8")
    env = dict(os.environ, MACHI_NAVI_KILL_AT=step, MACHI_NAVI_CATALOG=str(mini_catalog), MACHI_NAVI_HOME=str(user_home))
    proc = subprocess.run([sys.executable, "-m", "app", "import", str(csv)], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    # what the app opens right after the crash (without building): the previous catalog, whole
    db = paths.catalog_db_path()
    assert read_meta(db) == read_meta(before.db_path)
    assert _results(db) == old
    # the next start applies the import
    after = ensure_built(catalog_dir=mini_catalog)
    assert after.built and after.services == 5
    eng = SearchEngine(after.db_path, paths.index_dir())
    try:
        assert eng.search("取り込みテスト").hits[0].id == "imp-one"
    finally:
        eng.close()
    _same_as_full_rebuild(mini_catalog, after.db_path)
    assert [p.name for p in paths.index_dir().iterdir() if ".tmp-" not in p.name] == [read_meta(after.db_path)["content_hash"]]


def test_an_import_is_checked_against_catalog_db_without_reading_the_catalog(mini_catalog: Path, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from app.catalog.overlay import ImportFailed, import_file

    ensure_built(catalog_dir=mini_catalog)
    monkeypatch.setattr("app.catalog.overlay.load_catalog", lambda *a, **k: pytest.fail("the whole catalog was read"))
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + CSV.splitlines()[1].replace("imp-one", "alpha") + "\r\n"
                   + CSV.splitlines()[1].replace("imp-one", "imp-two") + "\r\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as err:
        import_file(bad, catalog_dir=mini_catalog)
    problems = err.value.problems
    assert len(problems) == 2
    assert problems[0] == ("bad.csv:row 3: duplicate id 'alpha' (already used by catalog_data/services/transport/alpha.md) "
                           "(give this entry its own id)")
    assert problems[1].startswith("bad.csv:row 4: same name and provider as "), "as row 2 of the same file"
    good = tmp_path / "good.csv"
    good.write_text(CSV, encoding="utf-8")
    assert import_file(good, catalog_dir=mini_catalog).added == ["imp-one"]
    res = ensure_built(catalog_dir=mini_catalog)
    assert res.local_update and res.services == 4
    again = tmp_path / "again.csv"
    again.write_text(CSV.replace("取り込みテスト交通", "取り込みテスト交通（改）"), encoding="utf-8")
    assert import_file(again, catalog_dir=mini_catalog).replaced == ["imp-one"], "an entry replaces its own earlier version"


def test_packs_take_the_full_build_and_their_ids_stay_taken_for_local_entries(mini_catalog: Path, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from app.catalog.overlay import ImportFailed, import_file
    from app.catalog.packs import import_pack, remove_pack, trust_key
    from tests.pack_support import make_pack

    monkeypatch.setenv("MACHI_NAVI_CATALOG", str(mini_catalog))
    _local("loc-a")
    ensure_built(catalog_dir=mini_catalog)
    pack, _key, public = make_pack(tmp_path)
    trust_key(public)
    import_pack(pack)
    res = ensure_built(catalog_dir=mini_catalog)
    assert res.built and not res.local_update and res.services == 6, "a new pack changes the bundled part: full build"
    ids = ["test-pack-aisan-jidou-unten", "test-pack-gomisuke"]

    monkeypatch.setattr("app.catalog.overlay.load_catalog", lambda *a, **k: pytest.fail("the whole catalog was read"))
    clash = tmp_path / "clash.csv"
    clash.write_text(CSV.replace("imp-one", ids[1]), encoding="utf-8")  # a local entry file named like the pack entry
    with pytest.raises(ImportFailed) as err:
        import_file(clash, catalog_dir=mini_catalog)
    assert err.value.problems[0].startswith(f"clash.csv:row 2: duplicate id {ids[1]!r} (already used by ")
    good = tmp_path / "good.csv"
    good.write_text(CSV, encoding="utf-8")
    assert import_file(good, catalog_dir=mini_catalog).added == ["imp-one"]
    res = ensure_built(catalog_dir=mini_catalog)
    assert res.local_update and res.services == 7
    with sqlite3.connect(res.db_path) as conn:
        packs = dict(conn.execute("select id, pack from services where local = 1"))
    assert packs == {ids[0]: "test-pref", ids[1]: "test-pref", "loc-a": "", "imp-one": ""}
    assert sorted(json.loads(read_meta(res.db_path)["local_files"])) == ["imp-one.md", "loc-a.md"], "pack entries are no overlay files"
    _same_as_full_rebuild(mini_catalog, res.db_path)

    remove_pack("test-pref")
    res = ensure_built(catalog_dir=mini_catalog)
    assert res.built and not res.local_update and res.services == 5
