"""Building catalog.db: real SQLite, atomic swap, skip when unchanged, survives a kill at any step."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.build import ensure_built
from app.catalog.hashing import SCHEMA_VERSION
from app.catalog.loader import load_catalog
from app.catalog.store import CatalogDB, build_db, read_meta
from tests.conftest import ROOT, service_md


def _rows(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select id, name, provider from services order by id").fetchall()
    finally:
        conn.close()


def test_build_writes_plain_tables_with_foreign_keys(mini_catalog: Path, tmp_path: Path) -> None:
    db_path = build_db(load_catalog(mini_catalog), tmp_path / "catalog.db")
    conn = sqlite3.connect(db_path)
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {"services", "service_municipalities", "service_nodes", "sources", "service_sources", "arch_nodes", "meta"} <= tables
    fks = conn.execute("pragma foreign_key_list(service_nodes)").fetchall()
    assert {r[2] for r in fks} == {"services", "arch_nodes"}
    assert conn.execute("select count(*) from services").fetchone()[0] == 3
    row = conn.execute("select municipality, prefecture from service_municipalities where service_id='alpha'").fetchone()
    assert row == ("愛知県豊明市", "愛知県")
    meta = dict(conn.execute("select key, value from meta"))
    assert meta["schema_version"] == str(SCHEMA_VERSION) and len(meta["content_hash"]) == 64 and meta["built_at"]
    conn.close()
    with CatalogDB(db_path) as db:
        svc = db.service("alpha")
        assert svc is not None and svc.sources[0].url == "https://example.org/page"
        assert "alpha" in db.services_for_node("asset-management")  # descendants count for their group


def test_tables_are_created_as_sqlite_utils_creates_them(tmp_path: Path) -> None:
    """schema_sql writes the statements of sqlite-utils' Table.create/create_index (without importing it)."""
    import sqlite_utils

    from app.catalog.dbwrite import INDEXES, TABLES, create_schema

    ours, theirs = sqlite3.connect(tmp_path / "ours.db"), sqlite3.connect(tmp_path / "theirs.db")
    with ours:
        create_schema(ours)
    db = sqlite_utils.Database(theirs)
    for name, (cols, pk, fks) in TABLES.items():
        db[name].create(cols, pk=(pk[0] if len(pk) == 1 else pk) if pk else None, foreign_keys=list(fks))
    for table, idx_cols, unique in INDEXES:
        db[table].create_index(list(idx_cols), unique=unique)
    query = "select type, name, tbl_name, sql from sqlite_master order by rowid"
    assert ours.execute(query).fetchall() == theirs.execute(query).fetchall()
    assert len(ours.execute(query).fetchall()) > len(TABLES)
    ours.close()
    theirs.close()


def test_catalog_db_in_folder_with_uri_characters_opens(mini_catalog: Path, tmp_path: Path) -> None:
    """'#', '?' and '%' are legal in folder names; the read-only file: URI must not cut the path there."""
    folder = tmp_path / ("a#b%41c?d" if os.name != "nt" else "a#b%41c")
    db_path = build_db(load_catalog(mini_catalog), folder / "catalog.db")
    assert read_meta(db_path)["schema_version"] == str(SCHEMA_VERSION)
    with CatalogDB(db_path) as db:
        assert db.service("alpha") is not None


def test_skip_when_unchanged_and_rebuild_on_change(mini_catalog: Path) -> None:
    first = ensure_built(catalog_dir=mini_catalog, with_index=False)
    assert first.built
    again = ensure_built(catalog_dir=mini_catalog, with_index=False)
    assert not again.built and again.content_hash == first.content_hash
    (mini_catalog / "services" / "transport" / "delta.md").write_text(service_md("delta"), encoding="utf-8")
    changed = ensure_built(catalog_dir=mini_catalog, with_index=False)
    assert changed.built and changed.content_hash != first.content_hash
    assert len(_rows(changed.db_path)) == 4
    forced = ensure_built(catalog_dir=mini_catalog, force=True, with_index=False)
    assert forced.built


def test_broken_entry_is_skipped_but_build_completes(mini_catalog: Path) -> None:
    (mini_catalog / "services" / "transport" / "beta.md").write_text("---\nid: beta\n", encoding="utf-8")
    res = ensure_built(catalog_dir=mini_catalog, with_index=False)
    assert res.errors and res.errors[0].path.endswith("beta.md")
    assert [r[0] for r in _rows(res.db_path)] == ["alpha", "gamma"]


@pytest.mark.parametrize("step", ["after-taxonomy", "mid-services", "before-meta", "before-replace"])
def test_kill_during_build_leaves_previous_catalog_intact(mini_catalog: Path, user_home: Path, step: str) -> None:
    good = ensure_built(catalog_dir=mini_catalog, with_index=False)
    before_rows = _rows(good.db_path)
    before_meta = read_meta(good.db_path)
    # change the catalog so the next build has real work to do, then kill it at `step`
    for i in range(40):
        (mini_catalog / "services" / "transport" / f"extra{i}.md").write_text(service_md(f"extra{i}"), encoding="utf-8")
    env = dict(os.environ, MACHI_NAVI_KILL_AT=step, MACHI_NAVI_CATALOG=str(mini_catalog), MACHI_NAVI_HOME=str(user_home))
    proc = subprocess.run([sys.executable, "-m", "app", "build"], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    assert _rows(good.db_path) == before_rows
    assert read_meta(good.db_path) == before_meta
    conn = sqlite3.connect(good.db_path)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    conn.close()
    # the next normal build cleans up and succeeds
    res = ensure_built(catalog_dir=mini_catalog, with_index=False)
    assert res.built and len(_rows(res.db_path)) == 43
    assert not list(user_home.glob(".catalog.db.*.tmp")), "stale temp files are cleaned up"
