"""The Whoosh index beside catalog.db: built from it, stamped with its content hash, swapped in atomically.

Layout: `index_root/<content_hash>/` holds the Whoosh files, `docs.json` (per document number: the
few facts hits and facet counts need), `texts.dat` (per document number: its normalised text,
app.search.texts) and `stamp.json` (hash, index version, document count and the
size and CRC of every file), written last. A build goes to `index_root/<hash>.tmp-<pid>-<n>` and is
renamed into place; older index dirs are deleted afterwards. A reader opens the dir named by
catalog.db's `content_hash`; a missing, stale or corrupt dir is rebuilt by `ensure_index`.

Documents are added in (name, id) order, so Whoosh's tie-break (lower document number first)
gives the required stable order: score, then name, then id.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from app import fsio
from app.catalog import fields as registry
from app.catalog.model import ArchNode, Service
from app.catalog.store import CatalogDB, read_meta
from app.search.analysis import JaTokenizer, key, normalize_memo, warm_table, weighted
from app.search.docfacts import LEVEL_JA, arch_label, node_groups  # noqa: F401 - re-exported
from app.search.lean_imports import zero_copy_buffers
from app.search.texts import TEXTS, doc_text, write_texts

zero_copy_buffers()  # Whoosh would copy the mapped term table into memory for each reader

INDEX_VERSION = 12  # 8: FastCodec (inlined short posting lists); 9: no trigrams, texts; 10: descriptions in them; 12: texts.dat
INDEX_NAME = "MAIN"
STAMP = "stamp.json"
DOCS = "docs.json"
NONE = registry.MISSING
CRC_LIMIT = 64 * 1024 * 1024  # verify file CRCs on open when the index is at most this big

# Field weights of the ranking (BM25F: weighted term frequencies are summed before saturation),
# from the field registry. All text goes into one scored field, `all`, with each part's tokens
# boosted by its weight, so a query term is one posting list instead of one per field. The text
# parts of registry fields (kind/provider/place) are also indexed on their own for text filters.
TEXT_FIELDS: dict[str, float] = registry.TEXT_WEIGHTS

_seq = itertools.count()


def schema() -> Schema:
    ja = JaTokenizer()
    kw = {"commas": True, "scorable": False}
    keyword = {f.index: (KEYWORD(**kw) if f.multi else ID) for f in registry.FIELDS if f.index != "dkind"}
    texts = {f.text: TEXT(analyzer=ja, phrase=False) for f in registry.FIELDS if f.text}
    return Schema(
        id=ID(stored=True, unique=True), dkind=ID(stored=True),
        all=TEXT(analyzer=ja, phrase=False), body=STORED, f_pref=KEYWORD(**kw), **texts, **keyword,
    )


def _kw(values: Iterable[str]) -> str:
    vals = [v.replace(",", "，").strip() for v in values if v and v.strip()]
    return ",".join(dict.fromkeys(vals)) if vals else NONE


def _exact(value: str) -> str:
    return key(value) or NONE


def service_doc(s: Service, nodes: dict[str, ArchNode], field_en: dict[str, str]) -> dict[str, Any]:
    """The index document of one service, with its `_meta` dict (docs.json)."""
    mapped = [nodes[m.node] for m in s.scra if m.node in nodes]
    groups = list(dict.fromkeys(g for n in mapped for g in node_groups(n, nodes)))
    return {
        "id": s.id, "dkind": "service", "name": f"{s.name}\n{s.name_en}", "kind": s.kind, "provider": s.provider,
        "place": "\n".join(s.municipalities), "fieldname": f"{s.field_name}\n{field_en.get(s.field_id, '')}",
        "body": s.description,
        "extra": "\n".join([*s.use_fields, *s.sectors, *(n.name_ja for n in mapped), *(m.why for m in s.scra)]),
        "f_field": s.field_id or NONE, "f_provider": _exact(s.provider), "f_kind": _exact(s.kind),
        "f_personal": s.personal_data or NONE, "f_type": s.type_label,
        "f_pref": _kw(s.prefectures), "f_muni": _kw(key(m) for m in s.municipalities),
        "f_nodes": _kw(m.node for m in s.scra), "f_groups": _kw(groups), "f_use": _kw(s.use_fields),
        **{f.index: s.fact(f.key) for f in registry.FACTS},
        "_meta": {"id": s.id, "k": "service", "name": s.name, "provider": s.provider, "field_id": s.field_id,
                  "field": s.field_name, "label": s.kind, "prefs": list(s.prefectures), "groups": groups,
                  "personal": s.personal_data, "type": s.type_label, "edition": None,
                  "facts": [s.fact(f.key) for f in registry.FACTS], "munis": list(s.municipalities)},
    }


def node_doc(n: ArchNode, nodes: dict[str, ArchNode]) -> dict[str, Any]:
    """The index document of one SCRA node, with its `_meta` dict (docs.json)."""
    groups = node_groups(n, nodes)
    return {
        "id": n.id, "dkind": "architecture", "name": f"{n.name_ja}\n{n.name_en}\n{n.id}",
        "kind": arch_label(n), "provider": "", "place": "", "fieldname": "", "body": n.description,
        "extra": "\n".join(x for x in (n.rationale, n.source_note) if x),
        "f_field": NONE, "f_provider": NONE, "f_kind": _exact(arch_label(n)), "f_personal": NONE, "f_type": NONE,
        "f_pref": NONE, "f_muni": NONE, "f_nodes": n.id, "f_groups": _kw(groups if n.edition == 2 else [n.group_id, *groups]),
        "f_use": NONE, **{f.index: NONE for f in registry.FACTS},
        "_meta": {"id": n.id, "k": "architecture", "name": n.name_ja, "provider": "", "field_id": "", "field": "",
                  "label": arch_label(n), "prefs": [], "groups": groups, "personal": "", "type": "", "edition": n.edition,
                  "facts": ["" for _ in registry.FACTS], "munis": []},
    }


def documents(db: CatalogDB, service_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """One index document per service and SCRA node, sorted by (name, id); each has a `_meta` dict.
    With `service_ids`, the documents of those services only."""
    nodes = db.nodes()
    field_en = {f["id"]: f["name_en"] for f in db.fields()}
    docs = [service_doc(s, nodes, field_en) for s in db.services(service_ids)]
    if service_ids is None:
        docs += [node_doc(n, nodes) for n in nodes.values()]
    docs.sort(key=lambda d: (d["_meta"]["name"], d["id"]))
    return docs


def index_fields(d: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The Whoosh fields of a document: its own, plus the weighted text parts as `all`."""
    fields = {k: v for k, v in d.items() if k in names}
    fields["all"] = weighted([(w, d.get(f, "")) for f, w in TEXT_FIELDS.items() if d.get(f)])
    return fields


# ---------------------------------------------------------------------------------------------
# Writing and checking index dirs


def _file_table(folder: Path, with_crc: bool) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for p in sorted(folder.iterdir()):
        if p.name == STAMP or "LOCK" in p.name.upper() or not p.is_file():
            continue
        entry = [p.stat().st_size]
        if with_crc:
            entry.append(file_crc(p))
        out[p.name] = entry
    return out


def file_crc(path: Path) -> int:
    """CRC-32 of a file, read in 1 MiB chunks (a whole-file read costs the GUI process its size in peak memory)."""
    crc = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def write_index(docs: list[dict[str, Any]], folder: Path, content_hash: str) -> None:
    """Write a complete index (Whoosh files, docs.json, stamp.json) into an empty `folder`."""
    from app.search.bulk import BulkWriter  # Whoosh's writing modules: only when an index is built

    folder.mkdir(parents=True, exist_ok=False)
    sch = schema()
    names = set(sch.names())
    ix = windex.create_in(str(folder), sch, indexname=INDEX_NAME)
    writer = BulkWriter(ix)
    try:
        for d in docs:
            writer.add_document(**index_fields(d, names))
            d["_meta"]["L"] = writer.last_lengths.get("all", 0)  # BM25 length of `all` (its number of terms)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    (folder / DOCS).write_text(json.dumps([d["_meta"] for d in docs], ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    write_texts(folder, map(doc_text, docs), (d.get("body") or "" for d in docs))
    files = _file_table(folder, with_crc=True)
    stamp = {"content_hash": content_hash, "index_version": INDEX_VERSION, "docs": len(docs), "files": files,
             "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    fsio.atomic_write_text(folder / STAMP, json.dumps(stamp))


def index_path(index_root: Path, content_hash: str) -> Path:
    return index_root / content_hash


def is_valid(folder: Path, content_hash: str, deep: bool = True) -> bool:
    """True if `folder` holds a complete, uncorrupted index for `content_hash`."""
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        if stamp.get("content_hash") != content_hash or stamp.get("index_version") != INDEX_VERSION:
            return False
        files: dict[str, list[int]] = stamp["files"]
        if DOCS not in files or TEXTS not in files:  # the app's own files are part of an index
            return False
        total = sum(v[0] for v in files.values())
        actual = _file_table(folder, with_crc=deep and total <= CRC_LIMIT)
        for name, entry in files.items():
            got = actual.get(name)
            if got is None or got[0] != entry[0] or (len(got) > 1 and got[1] != entry[1]):
                return False
        if deep:
            ix = windex.open_dir(str(folder), indexname=INDEX_NAME)
            try:
                if ix.doc_count_all() != stamp["docs"]:  # docs.json has a row per document number
                    return False
            finally:
                ix.close()
        return True
    except Exception:
        return False


def _remove(path: Path) -> None:
    try:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def _cleanup(index_root: Path, keep: str) -> None:
    """Delete older index dirs and abandoned temp dirs (a temp dir younger than an hour may be another build)."""
    now = time.time()
    for p in index_root.iterdir():
        if p.name == keep:
            continue
        if ".tmp-" in p.name or ".old-" in p.name:
            try:
                if now - p.stat().st_mtime < 3600 and ".tmp-" in p.name:
                    continue
            except OSError:
                continue
        _remove(p)


def _install(tmp: Path, target: Path) -> None:
    if target.exists():
        old = target.with_name(f"{target.name}.old-{os.getpid()}-{next(_seq)}")
        try:
            target.rename(old)
        except OSError:
            # Windows: another process (the GUI) has files of this index open, so it can be neither moved
            # nor deleted whole. It indexes the same content hash: keep it when intact (deleting what can
            # be deleted would break the open reader), else replace it as far as possible.
            if is_valid(target, target.name, deep=False):
                _remove(tmp)
                return
            _remove(target)
        else:
            _remove(old)
    try:
        tmp.rename(target)
    except OSError:
        # another process installed the same hash meanwhile; keep theirs if it is good
        _remove(tmp)
        if not target.exists():
            raise


def build_index(db_path: Path, index_root: Path) -> Path:
    """Build the index for catalog.db at `db_path` into `index_root/<hash>` (atomically)."""
    digest = read_meta(db_path).get("content_hash") or "nohash"
    if index_root.exists() and not index_root.is_dir():  # derived data: a stray file in its place is removed
        index_root.unlink()
    index_root.mkdir(parents=True, exist_ok=True)
    tmp = index_root / f"{digest}.tmp-{os.getpid()}-{next(_seq)}"
    try:
        with normalize_memo():  # each text is normalised for its terms and for texts.dat
            with CatalogDB(db_path) as db:
                docs = documents(db)
            write_index(docs, tmp, digest)
        target = index_path(index_root, digest)
        _install(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    _cleanup(index_root, digest)
    return target


def _adopt_prebuilt(index_root: Path, digest: str) -> bool:
    from app import paths

    pre = paths.prebuilt_dir() / "index" / digest
    if not is_valid(pre, digest):
        return False
    tmp = index_root / f"{digest}.tmp-{os.getpid()}-{next(_seq)}"
    try:
        shutil.copytree(pre, tmp)
        _install(tmp, index_path(index_root, digest))
    except OSError:
        _remove(tmp)
        return False
    return True


def ensure_index(db_path: Path, index_root: Path, force: bool = False) -> bool:
    """Make sure `index_root/<content hash of db_path>` is a valid index; True if it was (re)built."""
    digest = read_meta(db_path).get("content_hash") or "nohash"
    if index_root.exists() and not index_root.is_dir():  # derived data: a stray file in its place is removed
        index_root.unlink()
    index_root.mkdir(parents=True, exist_ok=True)
    target = index_path(index_root, digest)
    if not force and is_valid(target, digest):
        _cleanup(index_root, digest)
        return False
    if not force and not target.exists() and _adopt_prebuilt(index_root, digest):
        _cleanup(index_root, digest)
        return False
    build_index(db_path, index_root)
    return True


class DocMeta(NamedTuple):
    """Per-document facts from docs.json (a tuple, so the garbage collector can stop tracking it)."""

    id: str
    k: str  # "service" | "architecture"
    name: str
    provider: str
    field_id: str
    field: str
    label: str
    prefs: tuple[str, ...]
    groups: tuple[str, ...]
    personal: str
    type: str
    edition: int | None
    facts: tuple[str, ...]  # stored values of registry.FACTS, in order ("" for SCRA nodes)
    munis: tuple[str, ...]  # adopting municipalities as written in the catalog (都道府県+市区町村)
    L: int  # BM25 length of the `all` field

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DocMeta:
        return cls(d["id"], d["k"], d["name"], d["provider"], d["field_id"], d["field"], d["label"], tuple(d["prefs"]),
                   tuple(d["groups"]), d["personal"], d["type"], d["edition"], tuple(d.get("facts", ())),
                   tuple(d.get("munis", ())), int(d.get("L", 1)))


class DocTable:
    """docs.json as columns (plain lists of str/int/tuple, which the garbage collector need not
    traverse); `table[docnum]` builds the DocMeta of one document."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        metas = [DocMeta.from_json(r) for r in rows]
        # (name, id) rank per document: the document order itself unless docs were added in place
        self.rank: list[int] = [r.get("r", i) for i, r in enumerate(rows)]
        self._cols: tuple[list[Any], ...] = tuple(list(col) for col in zip(*metas, strict=True)) if metas else \
            tuple([] for _ in DocMeta._fields)

    def __len__(self) -> int:
        return len(self._cols[0])

    def __getitem__(self, docnum: int) -> DocMeta:
        return DocMeta(*(col[docnum] for col in self._cols))

    def __iter__(self) -> Iterator[DocMeta]:
        return (DocMeta(*row) for row in zip(*self._cols, strict=True))

    def column(self, name: str) -> list[Any]:
        return self._cols[DocMeta._fields.index(name)]


@dataclass
class OpenIndex:
    """An opened index dir: the Whoosh index plus the per-document facts in docs.json."""

    folder: Path
    content_hash: str
    ix: Any
    docs: DocTable

    def close(self) -> None:
        self.ix.close()


def open_index(db_path: Path, index_root: Path) -> OpenIndex:
    """Open the index matching catalog.db, rebuilding it first if it is missing, stale or corrupt."""
    ensure_index(db_path, index_root)
    warm_table()  # searches follow: make the normalisation table now, not in the middle of typing
    digest = read_meta(db_path).get("content_hash") or "nohash"
    folder = index_path(index_root, digest)
    for attempt in range(2):
        ix = None
        try:
            ix = windex.open_dir(str(folder), indexname=INDEX_NAME)
            docs = DocTable(json.loads((folder / DOCS).read_text(encoding="utf-8")))
            if ix.doc_count_all() != len(docs):
                raise ValueError("docs.json does not match the index")
            return OpenIndex(folder, digest, ix, docs)
        except Exception:
            if ix is not None:
                ix.close()  # never leak the handle of an index we are about to rebuild
            if attempt:
                raise
            ensure_index(db_path, index_root, force=True)
    raise AssertionError("unreachable")
