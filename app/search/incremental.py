"""Updating the search index for changed local entries instead of rebuilding it.

The index of the previous content hash is copied (hard links: its Whoosh segment files are never
modified, a commit adds new segments and a new TOC) to a temp dir beside it; in the copy the changed and
removed services' documents are deleted by id and the new ones added (Whoosh's update in place:
a new small segment, deletions recorded in the TOC). docs.json is rewritten for the new document
numbers: deleted numbers get an empty row (no facet values, length 0) and every row its (name,
id) rank, which the engine uses instead of the document order (app.search.engine, executor).
Then stamp.json, and the dir is renamed to the new hash, like a full build (app.search.index),
so a crash at any point leaves the previous index as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.query import And, Term

from app import fsio
from app.catalog.store import CatalogDB
from app.checkpoint import checkpoint
from app.search import index as ix_mod
from app.search.analysis import index_terms
from app.search.bulk import FastCodec
from app.search.texts import TEXTS, doc_text, read_texts, write_texts

_EMPTY_META = {"id": "", "k": "", "name": "", "provider": "", "field_id": "", "field": "", "label": "", "prefs": [],
               "groups": [], "personal": "", "type": "", "edition": None, "facts": [], "munis": [], "L": 0}


def _metas(reader: Any, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """docs.json rows for the updated index: old and new rows found by (kind, id) of each live document."""
    by_key = {(m["k"], m["id"]): m for m in old if m.get("k")}
    by_key.update({(m["k"], m["id"]): m for m in new})
    rows: list[dict[str, Any]] = []
    for docnum in range(reader.doc_count_all()):
        if reader.is_deleted(docnum):
            rows.append(dict(_EMPTY_META))
            continue
        stored = reader.stored_fields(docnum)
        rows.append(dict(by_key[(stored["dkind"], stored["id"])]))
    live = sorted((i for i, m in enumerate(rows) if m["k"]), key=lambda i: (rows[i]["name"], rows[i]["id"]))
    for r, i in enumerate(live):
        rows[i]["r"] = r
    for r, i in enumerate((i for i, m in enumerate(rows) if not m["k"]), start=len(live)):
        rows[i]["r"] = r
    return rows


def _texts(old_dir: Path, old: list[dict[str, Any]], new: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[str]:
    """texts.json rows (app.search.texts) for the docs.json `rows` of the updated index: the old
    index's text of each kept document, the new documents' own, "" for deleted numbers."""
    by_key = {(m["k"], m["id"]): t for m, t in zip(old, read_texts(old_dir), strict=True) if m.get("k")}
    by_key.update({(d["_meta"]["k"], d["_meta"]["id"]): doc_text(d) for d in new})
    return [by_key[(r["k"], r["id"])] if r["k"] else "" for r in rows]


def _link_files(src: Path, dst: Path) -> None:
    """The Whoosh files of `src` in the new dir `dst` as hard links (a copy where linking fails):
    Whoosh never writes an existing segment or TOC file again, a commit adds new files. The stamp,
    docs.json and texts.json (rewritten: writing through a link would change the old index) and lock
    files are left out."""
    dst.mkdir()
    for p in src.iterdir():
        if p.name in (ix_mod.STAMP, ix_mod.DOCS, TEXTS) or "LOCK" in p.name.upper() or not p.is_file():
            continue
        try:
            os.link(p, dst / p.name)
        except OSError:
            shutil.copy2(p, dst / p.name)


def update_index(db_path: Path, index_root: Path, old_hash: str, service_ids: list[str], removed_ids: list[str]) -> bool:
    """Make `index_root/<catalog.db's content hash>` from the index of `old_hash` by replacing the
    documents of `service_ids` (read from catalog.db) and deleting those of `removed_ids`.
    False (nothing written) when the old index is missing or damaged: then build it whole."""
    old_dir = ix_mod.index_path(index_root, old_hash)
    if not ix_mod.is_valid(old_dir, old_hash):
        return False
    with CatalogDB(db_path) as db:
        digest = db.meta().get("content_hash") or "nohash"
        docs = ix_mod.documents(db, service_ids) if service_ids else []
    tmp = index_root / f"{digest}.tmp-{os.getpid()}-{next(ix_mod._seq)}"
    try:
        _link_files(old_dir, tmp)
        ix = windex.open_dir(str(tmp), indexname=ix_mod.INDEX_NAME)
        try:
            writer = ix.writer(codec=FastCodec())
            try:
                names = set(ix.schema.names())
                for sid in dict.fromkeys([*service_ids, *removed_ids]):
                    writer.delete_by_query(And([Term("id", sid), Term("dkind", "service")]))
                for d in docs:
                    writer.add_document(**ix_mod.index_fields(d, names))
                    d["_meta"]["L"] = sum(len(index_terms(d[f])) for f in ix_mod.TEXT_FIELDS if d.get(f))
                checkpoint("index-update-commit")
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            old = json.loads((old_dir / ix_mod.DOCS).read_text(encoding="utf-8"))
            with ix.reader() as reader:
                metas = _metas(reader, old, [d["_meta"] for d in docs])
        finally:
            ix.close()
        (tmp / ix_mod.DOCS).write_text(json.dumps(metas, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        write_texts(tmp, _texts(old_dir, old, docs, metas))
        sizes = sum(v[0] for v in ix_mod._file_table(tmp, with_crc=False).values())
        stamp = {"content_hash": digest, "index_version": ix_mod.INDEX_VERSION, "docs": len(metas),
                 "files": ix_mod._file_table(tmp, with_crc=sizes <= ix_mod.CRC_LIMIT),  # CRCs where is_valid() checks them
                 "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        fsio.atomic_write_text(tmp / ix_mod.STAMP, json.dumps(stamp))
        checkpoint("index-update-before-install")
        ix_mod._install(tmp, ix_mod.index_path(index_root, digest))
    except BaseException:
        ix_mod._remove(tmp)
        raise
    return True
