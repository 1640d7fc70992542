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

from app import fsio
from app.catalog.store import CatalogDB
from app.checkpoint import checkpoint
from app.search import index as ix_mod
from app.search.analysis import index_terms
from app.search.bulk import FastCodec
from app.search.texts import TEXTS, doc_text, read_texts, write_texts

_EMPTY_META = {"id": "", "k": "", "name": "", "provider": "", "field_id": "", "field": "", "label": "", "prefs": [],
               "groups": [], "personal": "", "type": "", "edition": None, "facts": [], "munis": [], "L": 0}


Source = int | tuple[str, str] | None  # where a row comes from: old row number, new document's (kind, id), deleted


def _metas(reader: Any, old_segments: dict[str, tuple[int, int]], old_docs: Path, new: list[dict[str, Any]]
           ) -> tuple[list[dict[str, Any]], list[Source]]:
    """docs.json rows for the updated index, and where each comes from (for texts.dat). A segment of
    the old index keeps its documents' numbers within it (deletions only mark them), so its rows are
    the old rows from its old offset (`old_segments`: segment id → (offset, documents)); only documents
    of new or merged segments are looked up by their stored (kind, id): reading every document's
    stored fields took 0.2 s at 10k entries."""
    old: list[dict[str, Any]] = json.loads(old_docs.read_text(encoding="utf-8"))
    if len(old) != sum(n for _, n in old_segments.values()):
        raise ValueError("docs.json does not match the index")
    by_new = {(m["k"], m["id"]): m for m in new}
    by_key: dict[tuple[str, str], int] = {}
    rows: list[dict[str, Any]] = []
    src: list[Source] = []
    for leaf, _base in reader.leaf_readers():
        seg = leaf.segment()
        start = old_segments[seg.segment_id()][0] if seg is not None and seg.segment_id() in old_segments else None
        for docnum in range(leaf.doc_count_all()):
            if leaf.is_deleted(docnum):
                rows.append(dict(_EMPTY_META))
                src.append(None)
            elif start is not None:
                rows.append(old[start + docnum])  # (each old row is used once: no copy)
                src.append(start + docnum)
            else:
                stored = leaf.stored_fields(docnum)
                k = (stored["dkind"], stored["id"])
                if k not in by_new and not by_key:
                    by_key = {(m["k"], m["id"]): i for i, m in enumerate(old) if m.get("k")}
                rows.append(dict(by_new[k]) if k in by_new else old[by_key[k]])
                src.append(k if k in by_new else by_key[k])
    live = sorted((i for i, m in enumerate(rows) if m["k"]), key=lambda i: (rows[i]["name"], rows[i]["id"]))
    for r, i in enumerate(live):
        rows[i]["r"] = r
    for r, i in enumerate((i for i, m in enumerate(rows) if not m["k"]), start=len(live)):
        rows[i]["r"] = r
    return rows, src


def _write_texts(old_dir: Path, tmp: Path, src: list[Source], new: list[dict[str, Any]], stamped: list[int]) -> None:
    """texts.dat (app.search.texts) of the updated index: per document number, the old index's
    text of its old row, a new document's own, or "" for a deleted number. The old file is checked
    against its stamp entry (`stamped`) as it is read: its rows are copied, so damage would carry over."""
    old, old_bodies = read_texts(old_dir, stamped)
    fresh = {(d["_meta"]["k"], d["_meta"]["id"]): (doc_text(d), d.get("body") or "") for d in new}
    rows = [("", "") if s is None else (old[s], old_bodies[s]) if isinstance(s, int) else fresh[s] for s in src]
    write_texts(tmp, (t for t, _ in rows), (b for _, b in rows))


def _segment_offsets(ix: Any) -> dict[str, tuple[int, int]]:
    """Segment id → (number of its first document, its number of documents), in the index as opened."""
    out, base = {}, 0
    for seg in ix._segments():
        out[seg.segment_id()] = (base, seg.doc_count_all())
        base += seg.doc_count_all()
    return out


def _whoosh_file(name: str) -> bool:
    return name.startswith((f"{ix_mod.INDEX_NAME}_", f"_{ix_mod.INDEX_NAME}_")) and "LOCK" not in name.upper()


def _link_files(src: Path, dst: Path) -> None:
    """The Whoosh files of `src` in the new dir `dst` as hard links (a copy where linking fails):
    Whoosh never writes an existing segment or TOC file again, a commit adds new files. The app's
    own files (stamp, docs.json, ...) are written anew, never through a link to the old index's."""
    dst.mkdir()
    for p in src.iterdir():
        if not _whoosh_file(p.name) or not p.is_file():
            continue
        try:
            os.link(p, dst / p.name)
        except OSError:
            shutil.copy2(p, dst / p.name)


def _stamp_files(folder: Path, old: dict[str, list[int]]) -> dict[str, list[int]]:
    """The new stamp's file table. A Whoosh file of the old index (linked, or copied where linking
    failed: Whoosh never writes an existing name) keeps the old stamp's size and CRC: it was checked
    when it was written, and one damaged since still fails is_valid() (the build's final
    ensure_index, the next open). Only the files the update wrote are read for a CRC."""
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()
             if p.is_file() and p.name != ix_mod.STAMP and "LOCK" not in p.name.upper()}
    with_crc = sum(sizes.values()) <= ix_mod.CRC_LIMIT  # CRCs where is_valid() checks them
    out: dict[str, list[int]] = {}
    for name, size in sorted(sizes.items()):
        prev = old.get(name) if _whoosh_file(name) else None
        if prev is not None and (len(prev) > 1 or not with_crc):
            out[name] = list(prev)
            continue
        out[name] = [size, ix_mod.file_crc(folder / name)] if with_crc else [size]
    return out


def _apply(old_dir: Path, tmp: Path, docs: list[dict[str, Any]], service_ids: list[str],
           removed_ids: list[str]) -> tuple[list[dict[str, Any]], list[Source]] | None:
    """The update in `tmp` (linked from `old_dir`): the docs.json rows and their sources (_metas), or None if the old index is
    inconsistent or unreadable (a damaged file that kept its size: found here or by its CRC later)."""
    _link_files(old_dir, tmp)
    try:
        ix = windex.open_dir(str(tmp), indexname=ix_mod.INDEX_NAME)
        try:
            old_segments = _segment_offsets(ix)
            writer = ix.writer(codec=FastCodec())
            try:
                names = set(ix.schema.names())
                searcher = writer.searcher()  # the writer's own, closed by commit/cancel
                for sid in dict.fromkeys([*service_ids, *removed_ids]):
                    # by the id's postings and the stored kind (an And with the dkind term walked
                    # every service's posting: 10k at 10k entries)
                    for docnum in searcher.document_numbers(id=sid):
                        if searcher.stored_fields(docnum).get("dkind") == "service":
                            writer.delete_document(docnum)
                for d in docs:
                    writer.add_document(**ix_mod.index_fields(d, names))
                    d["_meta"]["L"] = sum(len(index_terms(d[f])) for f in ix_mod.TEXT_FIELDS if d.get(f))
                checkpoint("index-update-commit")
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            with ix.reader() as reader:  # docs.json is read there: Whoosh keeps this frame alive (update_index)
                return _metas(reader, old_segments, old_dir / ix_mod.DOCS, [d["_meta"] for d in docs])
        finally:
            ix.close()
    except OSError:
        raise
    except Exception:
        return None


def update_index(db_path: Path, index_root: Path, old_hash: str, service_ids: list[str], removed_ids: list[str]) -> bool:
    """Make `index_root/<catalog.db's content hash>` from the index of `old_hash` by replacing the
    documents of `service_ids` (read from catalog.db) and deleting those of `removed_ids`.
    False (nothing written) when the old index is missing or damaged: then build it whole."""
    old_dir = ix_mod.index_path(index_root, old_hash)
    if not ix_mod.is_valid(old_dir, old_hash, deep=False):  # stamp and sizes: the CRCs are carried over (_stamp_files)
        return False
    old_files = json.loads((old_dir / ix_mod.STAMP).read_text(encoding="utf-8"))["files"]
    with CatalogDB(db_path) as db:
        digest = db.meta().get("content_hash") or "nohash"
        docs = ix_mod.documents(db, service_ids) if service_ids else []
    tmp = index_root / f"{digest}.tmp-{os.getpid()}-{next(ix_mod._seq)}"
    try:
        applied = _apply(old_dir, tmp, docs, service_ids, removed_ids)
        if applied is None:
            ix_mod._remove(tmp)
            return False
        metas, src = applied
        (tmp / ix_mod.DOCS).write_text(json.dumps(metas, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        try:
            _write_texts(old_dir, tmp, src, docs, old_files[TEXTS])
        except (ValueError, KeyError):  # the old texts.dat is damaged or not stamped: build the index whole
            ix_mod._remove(tmp)
            return False
        stamp = {"content_hash": digest, "index_version": ix_mod.INDEX_VERSION, "docs": len(metas),
                 "files": _stamp_files(tmp, old_files), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        # Whoosh's FileStorage.create() keeps a caught exception in a local (a traceback cycle that
        # holds every frame of the call stack, this one too): drop the 10k rows now, not at the
        # next garbage collection (45 ms at 10k entries, the build pauses the collector)
        del metas
        fsio.atomic_write_text(tmp / ix_mod.STAMP, json.dumps(stamp))
        checkpoint("index-update-before-install")
        ix_mod._install(tmp, ix_mod.index_path(index_root, digest))
    except BaseException:
        ix_mod._remove(tmp)
        raise
    return True
