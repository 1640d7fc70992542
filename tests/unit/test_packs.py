"""Signed catalog packs: build → verify → trust → import → search → remove, on real files, keys and catalog.db.

Entries are test data (tests/pack_support.py): copies of bundled entries with `test-pack-…` ids.
The catalog is the small test catalog (mini_catalog: the bundled taxonomy and SCRA + alpha, beta, gamma).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.catalog import packstore
from app.catalog.packfile import PackError, generate_key, read_pack, write_pack
from app.catalog.packs import PackRejected, build_pack, import_pack, remove_pack, trust_key, untrust_key
from tests.conftest import service_md
from tests.pack_support import entry_folder, make_key, make_pack, pack_entry_text, tree

IDS = ["test-pack-aisan-jidou-unten", "test-pack-gomisuke"]


@pytest.fixture
def catalog(mini_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MACHI_NAVI_CATALOG", str(mini_catalog))
    return mini_catalog


def _build():  # type: ignore[no-untyped-def]
    from app.build import ensure_built

    return ensure_built()


def _services(db_path: Path) -> dict[str, tuple[str, str, int]]:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return {r[0]: (r[1], r[2], r[3]) for r in conn.execute("select id, pack, publisher, local from services")}


def test_signed_pack_installs_is_searchable_and_removes_cleanly(catalog: Path, tmp_path: Path) -> None:
    from app import paths
    from app.search.engine import SearchEngine

    before = _services(_build().db_path)
    pack, _key, public = make_pack(tmp_path)
    pf = read_pack(pack)
    assert pf.signed and sorted(pf.files) == IDS and pf.manifest["publisher"] == "テスト県DX推進課（テスト）"
    trust_key(public, "テスト県")
    summary = import_pack(pack)
    assert summary.trust == "trusted-key" and summary.entries == IDS and summary.replaced_edition is None
    res = _build()
    rows = _services(res.db_path)
    assert {k: rows[k] for k in IDS} == {k: ("test-pref", "テスト県DX推進課（テスト）", 1) for k in IDS}
    assert {k: v for k, v in rows.items() if k not in IDS} == before  # bundled entries untouched
    engine = SearchEngine(res.db_path, paths.index_dir())
    try:
        assert "test-pack-gomisuke" in [h.id for h in engine.search("ごみ分別アプリ").hits]
    finally:
        engine.close()
    assert [p.name for p in packstore.installed_packs()] == ["test-pref"]

    gone = remove_pack("test-pref")
    assert sorted(gone.entry_ids) == IDS
    assert _services(_build().db_path) == before  # exactly its entries are gone, everything else as it was
    assert list(tree(paths.packs_dir())) == ["trusted_keys.json"]  # no folder, no file of the pack left


def test_build_is_reproducible_and_verify_reads_what_build_wrote(catalog: Path, tmp_path: Path) -> None:
    key, _ = make_key(tmp_path)
    src = entry_folder(tmp_path / "src")
    a = build_pack(src, key, "テスト県", "1", tmp_path / "a.zip", name="p", date="2026-11-30")
    b = build_pack(src, key, "テスト県", "1", tmp_path / "b.zip", name="p", date="2026-11-30")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()  # Ed25519 is deterministic, member times fixed
    assert a.entries == IDS and a.key_id == b.key_id
    named = build_pack(entry_folder(tmp_path / "Pref Entries_2026"), key, "テスト県", "2", tmp_path / "pref-2026.2.zip")
    assert named.name == "pref-entries-2026"  # from the folder (stable across editions), not the versioned file name
    man = read_pack(tmp_path / "a.zip").manifest
    assert man["format_version"] == 1 and man["edition"] == "1" and man["date"] == "2026-11-30"
    assert [e["path"] for e in man["entries"]] == [f"entries/{i}.md" for i in IDS] and all(len(e["sha256"]) == 64 for e in man["entries"])


def test_unsigned_or_untrusted_pack_needs_confirmation(catalog: Path, tmp_path: Path) -> None:
    from app import paths

    pack, _key, public = make_pack(tmp_path)
    with pytest.raises(PackError) as exc:
        import_pack(pack)
    assert "not among your trusted keys" in str(exc.value) and public in str(exc.value) and str(pack) in exc.value.text()
    assert tree(paths.packs_dir()) == {}
    summary = import_pack(pack, trust=True)  # the user confirmed
    assert summary.trust == "confirmed"
    _build()
    assert _services(paths.catalog_db_path())["test-pack-gomisuke"][1] == "テスト県DX推進課（テスト） (未検証 / unverified)"

    from tests.pack_support import rezip

    unsigned = rezip(pack, tmp_path / "unsigned.zip", {"manifest.sig": None})
    assert not read_pack(unsigned).signed
    with pytest.raises(PackError, match="not signed"):
        import_pack(unsigned)


def test_pack_never_replaces_a_bundled_entry(catalog: Path, tmp_path: Path) -> None:
    from app import paths

    key, public = make_key(tmp_path)
    src = entry_folder(tmp_path / "src")
    (src / "alpha.md").write_text(service_md("alpha", name="別のサービス"), encoding="utf-8")  # the id of a bundled entry
    with pytest.raises(PackRejected) as exc:
        build_pack(src, key, "テスト県", "1", tmp_path / "p.zip")
    assert any("entries/alpha.md: id 'alpha' is already the bundled catalog entry" in p for p in exc.value.problems)
    assert not (tmp_path / "p.zip").exists()
    # a pack made without the check (another tool, an older catalog) is refused on import
    from app.catalog.packfile import load_private_key

    files = {p.stem: p.read_bytes() for p in src.glob("*.md")}
    write_pack(tmp_path / "p.zip", {"name": "p", "publisher": "テスト県", "edition": "1", "date": "2026-11-30"}, files, load_private_key(key))
    trust_key(public)
    with pytest.raises(PackRejected, match="alpha"):
        import_pack(tmp_path / "p.zip")
    assert packstore.installed_packs() == [] and not (paths.packs_dir() / "p").exists()


def test_pack_never_replaces_another_packs_or_a_local_entry(catalog: Path, tmp_path: Path) -> None:
    from app import paths

    first, _key, public = make_pack(tmp_path, "first")
    trust_key(public)
    import_pack(first)
    clash, _key2, public2 = make_pack(tmp_path, "second")  # the same entry ids, another pack
    trust_key(public2)
    with pytest.raises(PackRejected) as exc:
        import_pack(clash)
    assert "an entry of the installed pack 'first'" in "\n".join(exc.value.problems)
    overlay = paths.overlay_dir()
    overlay.mkdir(parents=True)
    (overlay / "test-pack2-gomisuke.md").write_text(pack_entry_text("citizen/gomisuke", "test-pack2-gomisuke"), encoding="utf-8")
    other, *_ = make_pack(tmp_path, "third", prefix="test-pack2", key=tmp_path / "second.pem")
    with pytest.raises(PackRejected, match="your local entry"):
        import_pack(other)
    assert [p.name for p in packstore.installed_packs()] == ["first"]


def test_invalid_entry_is_named_with_file_and_line(catalog: Path, tmp_path: Path) -> None:
    key, _ = make_key(tmp_path)
    src = entry_folder(tmp_path / "src")
    bad = src / "test-pack-gomisuke.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("field: 市民サービス", "field: 存在しない分野"), encoding="utf-8")
    with pytest.raises(PackRejected) as exc:
        build_pack(src, key, "テスト県", "1", tmp_path / "p.zip")
    assert any(p.startswith("src:entries/test-pack-gomisuke.md:6: ") and "存在しない分野" in p for p in exc.value.problems)


def test_new_edition_replaces_the_old_and_another_key_cannot(catalog: Path, tmp_path: Path) -> None:
    v1, key, public = make_pack(tmp_path, edition="2026.1")
    trust_key(public)
    import_pack(v1)
    v2, *_ = make_pack(tmp_path, edition="2026.2", key=key)
    assert import_pack(v2).replaced_edition == "2026.1"
    assert [(p.name, p.edition) for p in packstore.installed_packs()] == [("test-pref", "2026.2")]
    other_key, other_public = make_key(tmp_path, "impostor.pem")
    impostor, *_ = make_pack(tmp_path, edition="2026.3", key=other_key)
    trust_key(other_public)
    with pytest.raises(PackError, match="from another key is installed"):
        import_pack(impostor)
    assert packstore.installed_packs()[0].edition == "2026.2"


def test_plan_keeps_a_removed_pack_entry_as_missing(catalog: Path, tmp_path: Path) -> None:
    from app import userdb
    from app.catalog.store import CatalogDB
    from app.plan.plans import PlanStore, add_services, resolve_items

    pack, _key, public = make_pack(tmp_path)
    trust_key(public)
    import_pack(pack)
    conn = userdb.connect()
    try:
        store = PlanStore(conn)
        store.create("テスト計画")
        with CatalogDB(_build().db_path) as db:
            assert add_services(store, db, "テスト計画", ["test-pack-gomisuke", "alpha"]) == (2, [])
        remove_pack("test-pref")
        with CatalogDB(_build().db_path) as db:
            items = resolve_items(store, db, "テスト計画")
        assert [(i.item.service_id, i.missing, i.name) for i in items] == [
            ("test-pack-gomisuke", True, "【テストtest-pack】ごみスケ（ごみ分別アプリ構築サービス）"), ("alpha", False, "テストサービスalpha")]
    finally:
        conn.close()


def test_trusted_keys(tmp_path: Path) -> None:
    key, public = make_key(tmp_path)
    k = trust_key(str(key.with_name(key.name + ".pub")), "テスト県")
    assert k.public_key == public and trust_key(public) == k  # the same key once
    assert [t.key_id for t in packstore.trusted_keys()] == [k.key_id]
    with pytest.raises(PackError, match="private key"):
        trust_key(str(key))
    with pytest.raises(PackError, match="not a publisher public key"):
        trust_key("not-a-key")
    assert untrust_key(k.key_id) == k and packstore.trusted_keys() == []
    with pytest.raises(PackError, match="not a trusted key"):
        untrust_key(public)


def test_keygen_never_overwrites_and_keeps_the_private_key_private(tmp_path: Path) -> None:
    import os

    kid, public = generate_key(tmp_path / "k.pem")
    assert len(kid) == 16 and (tmp_path / "k.pem.pub").read_text(encoding="utf-8").strip() == public
    if os.name == "posix":
        assert (tmp_path / "k.pem").stat().st_mode & 0o077 == 0
    before = (tmp_path / "k.pem").read_bytes()
    with pytest.raises(PackError, match="never overwritten"):
        generate_key(tmp_path / "k.pem")
    assert (tmp_path / "k.pem").read_bytes() == before


def test_no_packs_keeps_the_content_hash(mini_catalog: Path, tmp_path: Path) -> None:
    """The pre-built catalog.db shipped in the bundle is adopted only when the hash matches: no packs, no change."""
    from app.catalog.hashing import content_hash

    empty = tmp_path / "packs"
    empty.mkdir()
    (empty / ".half-done.new").mkdir()  # an interrupted install is not part of the catalog
    assert content_hash(mini_catalog, None, empty) == content_hash(mini_catalog) == content_hash(mini_catalog, None, tmp_path / "none")


def test_damaged_record_leaves_the_pack_out(catalog: Path, tmp_path: Path) -> None:
    pack, _key, public = make_pack(tmp_path)
    trust_key(public)
    folder = import_pack(pack).path
    assert folder is not None
    (folder / "pack.json").write_text(json.dumps({"manifest": "cut"}), encoding="utf-8")
    assert packstore.installed_packs() == [] and packstore.damaged_packs() == [folder]
    assert "test-pack-gomisuke" not in _services(_build().db_path)
