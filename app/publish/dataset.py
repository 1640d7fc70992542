"""The publication copy of catalog.db that `machi-navi serve` hands to Datasette.

catalog.db itself is never opened for writing: it is copied (SQLite online backup from a read-only
connection) into <data>/publish/<content hash>-p<PUBLISH_VERSION>/catalog.db, and only the copy gets
what browsing in Datasette needs:

- services.prefectures / municipalities / scra_groups / scra_nodes: JSON arrays, so Datasette's
  array facets count an entry once per prefecture or SCRA function group, as the app's facets do;
- services_fts: an FTS5 table over the same text parts as the app's search index, stored as the
  app's own Japanese tokens (CJK bigrams and trigrams, Latin words: app.search.analysis.index_terms)
  with the unicode61 tokenizer. `serve` turns a query into those tokens (publish.plugin); a plain
  Datasette without the plugin still finds 2- and 3-character words and space-separated ones.

The copy is made once per catalog content hash and written atomically (app.fsio), then served
immutable. A plans.db snapshot for `serve --plans` is made the same way, fresh on every start.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from app import fsio, paths
from app.catalog.store import CatalogDB, connect_ro

PUBLISH_VERSION = 1  # bump when the copy's extra tables or columns change
TEXT_PARTS = ("name", "kind", "provider", "place", "fieldname", "body", "extra")  # app.search.index documents()
ARRAY_COLUMNS = ("prefectures", "municipalities", "scra_groups", "scra_nodes")


def publish_root() -> Path:
    return paths.user_dir() / "publish"


def fts_tokens(text: str) -> str:
    """Text as the app indexes it: its CJK bigrams/trigrams and Latin words, space-separated."""
    from app.search.analysis import index_terms

    return " ".join(index_terms(text, trigrams=True))


def _copy(src: Path, dest: Path) -> None:
    source = connect_ro(src)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _service_rows(db: CatalogDB) -> list[dict[str, object]]:
    """Per service: its array columns and FTS texts, from the same documents the search index is built from."""
    from app.search.index import documents

    nodes = db.nodes()
    rows = []
    for doc in documents(db):
        meta = doc["_meta"]
        if meta["k"] != "service":
            continue
        rows.append({
            "id": doc["id"],
            "prefectures": meta["prefs"], "municipalities": meta["munis"],
            "scra_groups": [nodes[g].name_ja if g in nodes else g for g in meta["groups"]],
            "scra_nodes": [n for n in doc["f_nodes"].split(",") if n],
            **{part: fts_tokens(str(doc[part])) for part in TEXT_PARTS},
        })
    return rows


def _augment(path: Path, rows: list[dict[str, object]]) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            for col in ARRAY_COLUMNS:
                conn.execute(f"alter table services add column {col} text not null default '[]'")
            conn.execute(f"create virtual table services_fts using fts5({', '.join(TEXT_PARTS)}, "
                         "tokenize = 'unicode61 remove_diacritics 0')")
            for r in rows:
                conn.execute(f"update services set {', '.join(f'{c} = ?' for c in ARRAY_COLUMNS)} where id = ?",
                             (*(json.dumps(r[c], ensure_ascii=False) for c in ARRAY_COLUMNS), r["id"]))
                conn.execute(f"insert into services_fts(rowid, {', '.join(TEXT_PARTS)}) "
                             f"select rowid, {', '.join('?' * len(TEXT_PARTS))} from services where id = ?",
                             (*(r[p] for p in TEXT_PARTS), r["id"]))
            conn.execute("insert or replace into meta(key, value) values ('publish_version', ?)", (str(PUBLISH_VERSION),))
        conn.execute("vacuum")
    finally:
        conn.close()


def publication_db(catalog_db: Path, root: Path | None = None) -> Path:
    """The servable copy of `catalog_db` (made if missing); catalog_db is only read."""
    root = root or publish_root()
    with CatalogDB(catalog_db) as db:
        digest = db.meta().get("content_hash", "") or "unknown"
        folder = root / f"{digest[:16]}-p{PUBLISH_VERSION}"
        target = folder / "catalog.db"  # Datasette names a database after its file: /catalog
        if target.is_file():
            return target
        rows = _service_rows(db)
    for old in root.glob("*-p*") if root.is_dir() else ():  # copies of earlier editions
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    with fsio.atomic_path(target) as tmp:
        _copy(catalog_db, tmp)
        _augment(tmp, rows)
    return target


def plans_snapshot(plans_db: Path, root: Path | None = None) -> Path:
    """A consistent copy of plans.db to serve (the live file, its WAL and the app are left alone)."""
    target = (root or publish_root()) / "plans" / "plans.db"
    with fsio.atomic_path(target) as tmp:
        _copy(plans_db, tmp)
    return target
