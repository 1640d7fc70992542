"""What importing one local entry does NOT redo at 10k entries, and that the checks it skips are
still made: the catalog files are hashed once per process (a changed file is still seen), the
index update reads stored fields of the new documents only (same results as a full rebuild, merged
segments too), and an old index file damaged since it was stamped is still caught."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from whoosh.reading import SegmentReader

from app import paths
from app.build import ensure_built
from app.catalog import hashing
from app.catalog.store import read_meta
from app.search.index import STAMP, index_path, is_valid
from tests.conftest import service_md
from tests.unit.test_local_update import _local, _same_as_full_rebuild, _segments


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files in a test are seconds old at most: treat them as settled so the memo is kept."""
    monkeypatch.setattr(hashing, "_RACY_NS", -10**15)
    monkeypatch.setattr(hashing, "_memo", [])


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = hashing._read
    monkeypatch.setattr(hashing, "_read", lambda p: seen.append(p) or real(p))
    return seen


def test_the_catalog_files_are_read_once_per_process_while_unchanged(mini_catalog: Path, settled: None,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    reads = _reads(monkeypatch)
    first = hashing.content_hashes(mini_catalog)
    count = len(reads)
    assert count == len(hashing.catalog_files(mini_catalog)) > 3
    overlay = mini_catalog.parent / "overlay"
    overlay.mkdir()
    (overlay / "loc-a.md").write_text(service_md("loc-a"), encoding="utf-8")
    with_local = hashing.content_hashes(mini_catalog, overlay)
    assert len(reads) == count, "the bundled files were not read again"
    assert with_local[1] == first[1] and with_local[0] != first[0]

    # same size, same mtime, another file (os.replace: another inode): read again, another hash
    target = mini_catalog / "services" / "transport" / "alpha.md"
    text = target.read_text(encoding="utf-8")
    st = target.stat()
    changed = text.replace("テストサービスalpha", "テストサービスALPHA")
    assert len(changed.encode()) == st.st_size
    tmp = target.with_suffix(".tmp")
    tmp.write_text(changed, encoding="utf-8")
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, target)
    again = hashing.content_hashes(mini_catalog, overlay)
    assert len(reads) == 2 * count and again[1] != first[1]


def test_the_next_process_reuses_the_digest_from_the_memo_file(mini_catalog: Path, settled: None, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    memo = tmp_path / hashing.MEMO_FILE
    first = hashing.content_hashes(mini_catalog, memo=memo)
    assert json.loads(memo.read_text(encoding="utf-8"))["root"] == str(mini_catalog)
    reads = _reads(monkeypatch)
    monkeypatch.setattr(hashing, "_memo", [])  # as in a new process
    assert hashing.content_hashes(mini_catalog, memo=memo) == first and reads == []
    monkeypatch.setattr(hashing, "_memo", [])
    memo.write_text("{not json", encoding="utf-8")  # damaged: the files are hashed again
    assert hashing.content_hashes(mini_catalog, memo=memo) == first and len(reads) > 3
    monkeypatch.setattr(hashing, "_memo", [])
    (mini_catalog / "services" / "transport" / "delta.md").write_text(service_md("delta"), encoding="utf-8")
    assert hashing.content_hashes(mini_catalog, memo=memo) != first, "a new file changes the signature"


def test_young_files_are_never_memoised(mini_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit in the same clock tick as the read can leave size, mtime and ctime as they were."""
    monkeypatch.setattr(hashing, "_memo", [])
    memo = mini_catalog.parent / hashing.MEMO_FILE
    reads = _reads(monkeypatch)
    assert hashing.content_hash(mini_catalog, memo=memo) == hashing.content_hash(mini_catalog, memo=memo)
    assert len(reads) == 2 * len(hashing.catalog_files(mini_catalog)), "just written (copied by the fixture): read each time"
    assert not memo.exists()


def test_an_update_reads_stored_fields_of_its_new_documents_only(mini_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(4):
        _local(f"loc-{i}", name=f"ローカル交通{i}")
    ensure_built(catalog_dir=mini_catalog)
    calls: list[int] = []
    real = SegmentReader.stored_fields
    _local("loc-1", name="ローカル交通1改")  # edited: deleted in the old segment, added in a new one
    _local("loc-new", name="あたらしい交通")
    with monkeypatch.context() as m:
        m.setattr(SegmentReader, "stored_fields", lambda self, n: calls.append(n) or real(self, n))
        res = ensure_built(catalog_dir=mini_catalog)
    assert res.local_update and _segments(res.db_path) == 2
    # the kind of loc-1's old document (to delete it) and the two new documents: the old
    # segment's other rows come from docs.json
    assert len(calls) == 3, calls
    _same_as_full_rebuild(mini_catalog, res.db_path)


def test_merged_segments_are_mapped_by_their_stored_ids(mini_catalog: Path) -> None:
    """Whoosh merges small segments after a few updates: their documents get new numbers."""
    ensure_built(catalog_dir=mini_catalog)
    counts = []
    for i in range(7):
        _local(f"loc-{i}", name=f"ローカル{i}の見守り", body=f"見守り{i}番の説明です。")
        if i == 3:
            (paths.overlay_dir() / "loc-1.md").unlink()
        res = ensure_built(catalog_dir=mini_catalog)
        assert res.local_update
        counts.append(_segments(res.db_path))
    assert max(counts) > counts[-1], f"a merge happened: {counts}"
    _same_as_full_rebuild(mini_catalog, res.db_path)


def test_an_old_index_file_damaged_since_its_stamp_is_still_caught(mini_catalog: Path) -> None:
    """The update no longer reads the old files for their CRCs: the new stamp carries the old CRCs,
    so the damage fails is_valid() of the new index, and the build's final check rebuilds it."""
    first = ensure_built(catalog_dir=mini_catalog)
    folder = index_path(paths.index_dir(), first.content_hash)
    stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    seg = max((n for n in stamp["files"] if n.endswith(".seg")), key=lambda n: stamp["files"][n][0])
    data = bytearray((folder / seg).read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size: only the CRC tells
    (folder / seg).write_bytes(bytes(data))
    assert not is_valid(folder, first.content_hash)

    from app.search.incremental import update_index

    _local("loc-a", name="ローカル見守り")
    moved = ensure_built(catalog_dir=mini_catalog, with_index=False)
    updated = update_index(moved.db_path, paths.index_dir(), first.content_hash, ["loc-a"], [])
    new_hash = read_meta(moved.db_path)["content_hash"]
    if updated:  # the damage was not in what the update read: the new stamp still fails it
        assert not is_valid(index_path(paths.index_dir(), new_hash), new_hash)
    res = ensure_built(catalog_dir=mini_catalog)  # what an import runs: the final check rebuilds it whole
    assert is_valid(index_path(paths.index_dir(), res.content_hash), res.content_hash)
    assert _segments(res.db_path) == 1
    _same_as_full_rebuild(mini_catalog, res.db_path)


def test_whoosh_loads_without_ssl_and_asyncio_and_both_still_import(ui_home: Path) -> None:
    """Whoosh's unused imports (urllib.request for urlretrieve, the cached_property package for
    asyncio) cost the GUI ~9 MiB: stand-ins until something really uses them."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import sys\n"
        "from app import paths\n"
        "from app.search.engine import SearchEngine\n"
        "eng = SearchEngine(paths.catalog_db_path(), paths.index_dir())\n"
        "hits = eng.search('交通').hits\n"
        "assert hits, 'a search works'\n"
        "loaded = [m for m in ('ssl', 'asyncio', 'http.client', 'email') if m in sys.modules]\n"
        "loaded += [m for m in ('whoosh.lang.morph_en', 'whoosh.lang.porter') if hasattr(sys.modules[m], '__file__')]\n"
        "assert loaded == [], loaded\n"
        "import urllib.request\n"
        "from urllib.request import Request\n"
        "assert urllib.request.urlopen.__module__ == 'urllib.request' and Request('http://x').host == 'x'\n"
        "assert sys.modules['urllib.request'].__file__.endswith('request.py')\n"
        "from whoosh.lang.porter import stem\n"
        "assert stem('walking') == 'walk' and sys.modules['whoosh.lang.porter'].__file__.endswith('porter.py')\n"
        "import cached_property\n"
        "assert cached_property.threaded_cached_property.__name__ == 'threaded_cached_property'\n"
        "eng.close()\n"
        "print('ok')\n"
    )
    env = dict(os.environ, MACHI_NAVI_HOME=str(ui_home))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "ok", proc.stderr


def test_a_removed_entry_takes_its_own_sources_along(mini_catalog: Path) -> None:
    import sqlite3

    own = "\n  - url: https://example.org/only-loc-b\n    seen: 2026-11-27"
    _local("loc-a")
    _local("loc-b", name="ローカル出典テスト", sources=own)
    ensure_built(catalog_dir=mini_catalog)
    (paths.overlay_dir() / "loc-b.md").unlink()
    res = ensure_built(catalog_dir=mini_catalog)
    assert res.local_update
    with sqlite3.connect(res.db_path) as conn:
        urls = {r[0] for r in conn.execute("select url from sources")}
    assert "https://example.org/only-loc-b" not in urls and "https://example.org/page" in urls, "still cited by others"
    _same_as_full_rebuild(mini_catalog, res.db_path)


def test_a_dangling_reference_still_fails_the_in_place_update(mini_catalog: Path) -> None:
    """update_db no longer runs PRAGMA foreign_key_check over the whole file: the constraints are
    enforced as the rows are written, and nothing is installed."""
    import dataclasses
    import sqlite3

    from app.catalog.loader import load_local_entries
    from app.catalog.localdb import plan_local_update, update_db
    from app.catalog.model import Catalog, Taxonomy

    first = ensure_built(catalog_dir=mini_catalog)
    before = first.db_path.read_bytes()
    path = _local("loc-a")
    services, problems, tax = load_local_entries(mini_catalog, [path])
    assert services and not problems
    bad = dataclasses.replace(services[0], scra=[dataclasses.replace(services[0].scra[0], node="no/such-node")])
    meta = read_meta(first.db_path)
    plan = plan_local_update(meta, meta["bundled_hash"], {"loc-a.md": "x"})
    assert plan is not None
    stub = Catalog(Taxonomy(), {}, [], {}, {}, [], "new-hash", None, meta["bundled_hash"])
    with pytest.raises(sqlite3.IntegrityError):
        update_db(first.db_path, paths.catalog_db_path(), tax, stub, plan, [bad], {"loc-a.md": ["x", "loc-a"]})
    assert paths.catalog_db_path().read_bytes() == before


def test_a_damaged_old_texts_file_takes_the_full_build(mini_catalog: Path) -> None:
    """texts.dat rows are copied into the updated index: a change since its stamp (same size, still
    valid JSON) must not carry over, the index is built whole instead."""
    first = ensure_built(catalog_dir=mini_catalog)
    folder = index_path(paths.index_dir(), first.content_hash)
    text = (folder / "texts.dat").read_text(encoding="utf-8")
    damaged = text.replace("ロ", "ル", 1) if "ロ" in text else text.replace("a", "b", 1)
    assert damaged != text and len(damaged.encode()) == len(text.encode())
    (folder / "texts.dat").write_text(damaged, encoding="utf-8")

    from app.search.incremental import update_index

    _local("loc-a", name="ローカル見守り")
    moved = ensure_built(catalog_dir=mini_catalog, with_index=False)
    assert not update_index(moved.db_path, paths.index_dir(), first.content_hash, ["loc-a"], [])
    res = ensure_built(catalog_dir=mini_catalog)
    assert is_valid(index_path(paths.index_dir(), res.content_hash), res.content_hash)
    assert _segments(res.db_path) == 1
    _same_as_full_rebuild(mini_catalog, res.db_path)


def test_where_linking_fails_the_copied_files_keep_their_old_crcs(mini_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FAT/exFAT or a network drive: the old files are copied; a copy of a damaged file is caught too.
    The app's own files (docs.json, stamp) are never linked: writing one must not touch the old index."""
    from app.search.incremental import _link_files

    first = ensure_built(catalog_dir=mini_catalog)
    old_dir = index_path(paths.index_dir(), first.content_hash)
    (old_dir / "future.json").write_text("[]", encoding="utf-8")  # an app file the stamp does not list
    _link_files(old_dir, paths.index_dir() / "probe")
    linked = sorted(p.name for p in (paths.index_dir() / "probe").iterdir())
    assert linked and all(n.startswith(("MAIN_", "_MAIN_")) and "LOCK" not in n for n in linked), linked
    shutil.rmtree(paths.index_dir() / "probe")

    def no_link(*_a: object) -> None:
        raise OSError("no hard links here")

    monkeypatch.setattr(os, "link", no_link)
    _local("loc-a", name="ローカル見守り")
    res = ensure_built(catalog_dir=mini_catalog)
    assert res.local_update and _segments(res.db_path) == 2
    assert is_valid(index_path(paths.index_dir(), res.content_hash), res.content_hash)
    _same_as_full_rebuild(mini_catalog, res.db_path)


def test_opening_the_index_for_searches_makes_the_normalisation_table(ui_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import never makes the table (a few hundred characters); a search session makes it when
    the index is opened, not after COLD_CHARS characters in the middle of typing."""
    from app.search import analysis
    from app.search.engine import SearchEngine

    monkeypatch.setattr(analysis, "_UNITS", {})
    monkeypatch.setattr(analysis, "_cold", [0])
    eng = SearchEngine(paths.catalog_db_path(), paths.index_dir())
    try:
        assert len(analysis._UNITS) > 1000
        assert eng.search("交通").hits
    finally:
        eng.close()
