"""Search over services and SCRA nodes: query → matches, BM25F ranking, snippets, facets, suggestions.

`SearchEngine(db_path, index_root).search(text)` is what the UI (in a worker thread), the plan code
and the CLI call. It never raises for any query text: problems come back in `SearchResult.message`.

The Whoosh index (app.search.index) holds the postings; app.search.executor reads them into
cached sets and score dicts, and this module evaluates the parsed query (app.search.query) with set
algebra: words and phrases → AND of bigram/trigram terms of the weighted `all` field; field filters
→ keyword terms resolved against the catalog (a prefecture covers its municipalities, an SCRA node
its descendants, a 1st-edition node its 2nd-edition mapping). `対象:` (target) picks services or
SCRA nodes; `種別:` (kind) is the service's kind label.
"""

from __future__ import annotations

import heapq
import html
import logging
import os
import threading
from array import array
from collections import Counter, deque
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field
from itertools import repeat
from operator import add, mul, neg
from pathlib import Path
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from app.catalog.model import ArchNode
from app.catalog.store import CatalogDB
from app.search.analysis import char_class, key, normalize_with_map, query_terms, segments
from app.search.executor import EMPTY, Executor
from app.search.index import NONE, OpenIndex, open_index
from app.search.query import (
    FIELD_EN,
    And,
    Filter,
    Node,
    Not,
    Or,
    Phrase,
    Query,
    Word,
    canonical_field,
    filter_text,
    node_text,
    parse,
)

log = logging.getLogger(__name__)

SNIPPET_CHARS = 110
FACETS: dict[str, str] = {  # facet key → query field
    "target": "対象", "field": "分野", "provider": "提供者", "prefecture": "自治体", "group": "層",
    "personal": "個人情報", "type": "タイプ",
}
FACET_LIMIT = 30
SINGLE_PASS_DOCS = 5000
TARGETS = {"service": "サービス", "architecture": "アーキテクチャ"}
_TARGET_ALIASES = {
    "service": "service", "services": "service", "サービス": "service", "svc": "service",
    "architecture": "architecture", "arch": "architecture", "アーキテクチャ": "architecture", "scra": "architecture",
    "ノード": "architecture", "node": "architecture", "機能": "architecture",
}
_TARGET_ALIASES = {key(k): v for k, v in _TARGET_ALIASES.items()}
_PERSONAL_ALIASES = {
    "なし": "なし", "none": "なし", "無し": "なし", "no": "なし",
    "個人情報": "個人情報", "personal": "個人情報", "あり": "個人情報", "yes": "個人情報",
    "要配慮個人情報": "要配慮個人情報", "要配慮": "要配慮個人情報", "sensitive": "要配慮個人情報",
}
_PERSONAL_ALIASES = {key(k): v for k, v in _PERSONAL_ALIASES.items()}


@dataclass
class Hit:
    id: str
    kind: str  # "service" | "architecture"
    name: str
    provider: str
    field: str  # catalog field name (Japanese); "" for SCRA nodes
    score: float
    snippet: str  # HTML-escaped, matches wrapped in <b>…</b>
    name_html: str = ""
    field_id: str = ""
    label: str = ""  # service kind label, or "SCRA第2版 機能" for nodes
    prefectures: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    personal: str = ""
    type: str = ""
    edition: int | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    query_text: str  # the exact `field:value` text that selecting this value adds
    selected: bool = False
    field: str = ""  # canonical query field (分野, 提供者, …): `Query.with_filter(field, value, exact=exact)`
    exact: bool = False
    negated: bool = False


@dataclass
class SearchResult:
    query: Query
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    message: str | None
    suggestion: str | None = None  # a corrected query text when nothing matched

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query.to_text(), "total": self.total, "hits": [asdict(h) for h in self.hits],
            "facets": {k: [asdict(v) for v in vals] for k, vals in self.facets.items()},
            "message": self.message, "suggestion": self.suggestion,
        }


class _Text(NamedTuple):
    """A text with its normalised form and offset map computed once (cached per document)."""

    text: str
    norm: str
    starts: array[int]
    ends: array[int]

    @classmethod
    def of(cls, text: str) -> _Text:
        flat = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
        norm, starts, ends = normalize_with_map(flat)
        return cls(flat, norm, array("I", starts), array("I", ends))

    def spans(self, needles: list[str]) -> list[list[int]]:
        flat, norm, starts, ends = self.text, self.norm, self.starts, self.ends
        spans: list[tuple[int, int]] = []
        for seg in dict.fromkeys(needles):
            if not seg:
                continue
            latin = all(char_class(c) == "w" for c in seg)
            at = norm.find(seg)
            while at >= 0:
                end = at + len(seg)
                if not latin or ((at == 0 or char_class(norm[at - 1]) != "w") and (end == len(norm) or char_class(norm[end]) != "w")):
                    s, e = starts[at], ends[end - 1]
                    while e < len(flat) and flat[e] in "ーｰ":
                        e += 1
                    spans.append((s, e))
                at = norm.find(seg, at + 1)
        spans.sort()
        merged: list[list[int]] = []
        for s, e in spans:
            if merged and (s <= merged[-1][1] or (s - merged[-1][1] == 1 and flat[s - 1] in "-‐－・/_.")):
                merged[-1][1] = max(merged[-1][1], e)  # overlapping, or "J" "-" "LIS" shown as one match
            else:
                merged.append([s, e])
        return merged

    def highlight(self, needles: list[str], width: int | None = None) -> str:
        """HTML-escaped text (cut to a window of `width` around the first match) with matches in <b>."""
        flat = self.text
        merged = self.spans(needles) if needles else []
        lo, hi = 0, len(flat)
        if width is not None and len(flat) > width:
            if merged:
                lo = max(0, merged[0][0] - width // 4)
            hi = min(len(flat), lo + width)
            lo = max(0, min(lo, hi - width))
        out: list[str] = ["…" if lo > 0 else ""]
        pos = lo
        for s, e in merged:
            if e <= lo or s >= hi:
                continue
            s, e = max(s, lo), min(e, hi)
            out.append(html.escape(flat[pos:s]))
            out.append(f"<b>{html.escape(flat[s:e])}</b>")
            pos = e
        out.append(html.escape(flat[pos:hi]))
        if hi < len(flat):
            out.append("…")
        return "".join(out)


def _highlight(text: str, needles: list[str], width: int | None = None) -> str:
    """HTML-escaped `text` (cut to a window of `width` around the first match) with matches in <b>."""
    if not needles:
        return html.escape(text) if width is None or len(text) <= width else html.escape(text[:width]) + "…"
    return _Text.of(text).highlight(needles, width)


class SearchEngine:
    """Search the catalog.db at `db_path` with the index under `index_root` (rebuilt when needed)."""

    def __init__(self, db_path: Path, index_root: Path) -> None:
        self.db_path = Path(db_path)
        self.index_root = Path(index_root)
        self._lock = threading.RLock()
        self._stat: tuple[int, int] | None = None
        self._oi: OpenIndex | None = None
        self._db: CatalogDB | None = None
        self._searcher: Any = None
        self._ex: Executor | None = None
        self._qcache: dict[tuple[str, str], AbstractSet[int]] = {}
        self._bodies: dict[int, _Text] = {}
        self._names: dict[int, _Text] = {}
        self._load()

    # -- loading ---------------------------------------------------------------------------------
    def _db_stat(self) -> tuple[int, int]:
        st = os.stat(self.db_path)
        return st.st_mtime_ns, st.st_size

    def _load(self) -> None:
        self.close()
        self._bodies, self._names = {}, {}
        self._stat = self._db_stat()
        self._db = CatalogDB(self.db_path)
        self._oi = open_index(self.db_path, self.index_root)
        self._searcher = self._oi.ix.searcher()
        self._ex = Executor(self._searcher.reader(), self._oi.docs.column("L"))
        db = self._db
        self.nodes: dict[str, ArchNode] = db.nodes()
        self.field_rows = [dict(r) for r in db.fields()]
        self.prefectures = [r["name"] for r in db.q("select name from prefectures order by position")]
        self.levels = [r["name"] for r in db.q("select name from personal_levels order by rank")]
        self.use_fields = [r["name"] for r in db.q("select name from use_fields order by position")]
        self.municipalities = [r[0] for r in db.q("select distinct municipality from service_municipalities order by municipality")]
        self.providers = [r[0] for r in db.q("select distinct provider from services order by provider")]
        self.kinds = [r[0] for r in db.q("select distinct kind from services order by kind")]
        self.groups = [n for n in self.nodes.values() if n.level == "group" and n.edition == 2]
        self._group_name = {g.id: g.name_ja for g in self.groups}
        self._field_name = {r["id"]: r["name_ja"] for r in self.field_rows}
        self._ndocs = len(self._oi.docs)
        self._providers_by_doc = self._oi.docs.column("provider")
        self._facet_bits: dict[str, dict[str, int]] = {}
        col = self._oi.docs.column
        for fkey, values in (("target", col("k")), ("field", col("field_id")), ("prefecture", col("prefs")),
                             ("group", col("groups")), ("personal", col("personal")), ("type", col("type"))):
            members: dict[str, list[int]] = {}
            multi = fkey in ("prefecture", "group")
            for d, v in enumerate(values):
                for one in (v if multi else (v,)):
                    if one:
                        members.setdefault(one, []).append(d)
            self._facet_bits[fkey] = {v: self._bitset(ds) for v, ds in members.items()}
        self._suggest_cache: tuple[list[str], list[str]] | None = None  # (pool, normalised keys), made on first use

    def _suggest_pool(self) -> tuple[list[str], list[str]]:
        if self._suggest_cache is None:
            assert self._oi is not None
            pool = list(dict.fromkeys([*self._oi.docs.column("name"), *self.providers, *self.kinds]))
            self._suggest_cache = (pool, [key(s) for s in pool])
        return self._suggest_cache

    def close(self) -> None:
        with self._lock:
            for closer in (self._searcher, self._oi, self._db):
                try:
                    if closer is not None:
                        closer.close()
                except Exception:
                    pass
            self._searcher = self._oi = self._db = self._ex = None

    def _ensure_fresh(self) -> None:
        from app.catalog.store import current_db

        newest = current_db(self.db_path)  # Windows: a rebuild while we hold catalog.db open lands beside it
        if newest != self.db_path:
            self.db_path = newest
            self._load()
            return
        try:
            stat = self._db_stat()
        except OSError:
            return
        if stat != self._stat or self._oi is None:
            self._load()

    @property
    def content_hash(self) -> str:
        return self._oi.content_hash if self._oi else ""

    # -- resolving field values ------------------------------------------------------------------
    def resolve_fields(self, value: str, exact: bool) -> list[str]:
        k = key(value)
        hits = [r["id"] for r in self.field_rows if k in {key(r["id"]), key(r["name_ja"]), key(r["name_en"]), key(r["dir"])}]
        if hits or exact or not k:
            return hits
        return [r["id"] for r in self.field_rows if k in key(r["name_ja"]) or k in key(r["name_en"])]

    def resolve_prefecture(self, value: str) -> str | None:
        k = key(value)
        for p in self.prefectures:
            if k == key(p) or (k and k + "県" == p) or (k + "府" == p) or (k + "都" == p) or (k == "北海" and p == "北海道"):
                return p
        return None

    def resolve_nodes(self, value: str, exact: bool) -> list[str]:
        """Node ids for an id or a (Japanese/English) name; descendants and 1st→2nd-ed mappings unless exact."""
        v = value.strip().strip("/").lower()
        k = key(value)
        found = [v] if v in self.nodes else []
        if not found:
            found = [n.id for n in self.nodes.values() if k and k in (key(n.name_ja), key(n.name_en))]
        if not found and k:
            stripped = [n.id for n in self.nodes.values() if key(n.name_ja).removesuffix("機能群") == k.removesuffix("機能群")]
            found = stripped or [n.id for n in self.nodes.values() if not exact and k in key(n.name_ja)]
        if exact:
            return found
        out: list[str] = []
        for nid in found:
            for d in [nid, *(t for t in self.nodes[nid].maps_to if t in self.nodes)]:
                out.extend(x for x in self.nodes if x == d or x.startswith(d + "/"))
        return list(dict.fromkeys(out))

    def resolve_groups(self, value: str, exact: bool) -> list[str]:
        """Function-group ids for a group id or name ("データマネジメント", "data-management", …)."""
        v = value.strip().strip("/").lower()
        k = key(value).removesuffix("機能群")
        groups = [n for n in self.nodes.values() if n.level == "group"]
        found = [g.id for g in groups if v in (g.id, g.id.removeprefix("v1/"))
                 or k in (key(g.name_ja).removesuffix("機能群"), key(g.name_en).removesuffix("functions"), key(g.name_en))]
        if not found and not exact and k:
            found = [g.id for g in groups if k in key(g.name_ja)]
        out: list[str] = []
        for gid in found:
            out.append(gid)
            out.extend(self.nodes[t].group_id for t in self.nodes[gid].maps_to if t in self.nodes)
        return list(dict.fromkeys(out))

    def resolve_use(self, value: str, exact: bool) -> list[str]:
        k = key(value)
        hits = [u for u in self.use_fields if key(u) == k]
        return hits if hits or exact else [u for u in self.use_fields if k and k in key(u)]

    @staticmethod
    def resolve_type(value: str) -> str | None:
        k = key(value).removeprefix("type").removeprefix("タイプ")
        if k == "1":
            return "TYPE1"
        if k in ("2", "3", "23", "2/3"):
            return "TYPE2/3"
        return None

    # -- evaluating (set algebra over cached postings) -----------------------------------------
    def text_groups(self, text: str, fieldname: str = "all") -> list[list[tuple[str, float]]]:
        """What `text` must match: groups ANDed, each a list of (term, boost) alternatives ORed.

        Two CJK characters are a bigram, longer runs the AND of their trigrams (which keeps the
        order), one character any term it starts; a lone Latin word also matches as a prefix.
        """
        assert self._ex is not None
        terms = query_terms(text)
        groups: list[list[tuple[str, float]]] = []
        for qt in terms:
            if qt.mode == "cjk1":
                groups.append([(t, 1.0) for t in self._ex.expand(fieldname, qt.text) if len(t) <= 2])
            elif qt.mode == "latin" and len(terms) == 1 and len(qt.text) >= 3:
                groups.append([(qt.text, 1.0)] + [(t, 0.3) for t in self._ex.expand(fieldname, qt.text, 200) if t != qt.text])
            else:
                groups.append([(qt.text, 1.0)])
        return groups

    def text_docs(self, text: str, fieldname: str = "all") -> AbstractSet[int]:
        ck = (fieldname, text)
        got = self._qcache.get(ck)
        if got is not None:
            return got
        assert self._ex is not None
        groups = self.text_groups(text, fieldname)
        sets = sorted((self._ex.union(fieldname, [t for t, _ in g]) for g in groups), key=len)
        if not sets:
            docs: AbstractSet[int] = self._ex.all_docs
        else:
            docs = sets[0]
            for other in sets[1:]:
                if not docs:
                    break
                docs = docs & other
        self._qcache[ck] = docs
        return docs

    def filter_docs(self, f: Filter, notes: list[str]) -> AbstractSet[int]:
        """Documents one field filter allows (empty, with a note, when the value matches nothing)."""
        docs = self._filter_docs(f)
        if docs is None:
            near = self._near_value(f)
            tail = f"（もしかして: {near}）/ (did you mean: {near})" if near else ""
            notes.append(f"{f.field}「{f.value}」に当てはまる値がありません / no {FIELD_EN[f.field]} matches '{f.value}'{tail}")
            return EMPTY.ids
        return docs

    def _terms(self, fname: str, values: Iterable[str]) -> AbstractSet[int] | None:
        assert self._ex is not None
        vals = list(dict.fromkeys(values))
        return self._ex.union(fname, vals) if vals else None

    def _filter_docs(self, f: Filter) -> AbstractSet[int] | None:
        """None when the value resolves to nothing in the catalog."""
        fld, v, exact = f.field, f.value, f.exact
        if fld == "対象":
            t = _TARGET_ALIASES.get(key(v))
            return self._terms("dkind", [t]) if t else None
        if fld == "個人情報":
            lv = _PERSONAL_ALIASES.get(key(v)) or next((x for x in self.levels if key(x) == key(v)), None)
            return self._terms("f_personal", [lv]) if lv else None
        none_field = {"分野": "f_field", "提供者": "f_provider", "自治体": "f_muni", "種別": "f_kind", "機能": "f_nodes",
                      "層": "f_groups", "タイプ": "f_type", "利用分野": "f_use"}[fld]
        if f.is_none:
            return self._terms(none_field, [NONE])
        if fld == "分野":
            return self._terms("f_field", self.resolve_fields(v, exact))
        if fld == "提供者":
            return self._terms("f_provider", [key(v)]) if exact else self.text_docs(v, "provider")
        if fld == "種別":
            return self._terms("f_kind", [key(v)]) if exact else self.text_docs(v, "kind")
        if fld == "自治体":
            if exact:
                return self._terms("f_muni", [key(v)])
            pref = self.resolve_prefecture(v)
            return self._terms("f_pref", [pref]) if pref else self.text_docs(v, "place")
        if fld == "機能":
            return self._terms("f_nodes", self.resolve_nodes(v, exact))
        if fld == "層":
            return self._terms("f_groups", self.resolve_groups(v, exact))
        if fld == "タイプ":
            t = self.resolve_type(v)
            return self._terms("f_type", [t]) if t else None
        if fld == "利用分野":
            return self._terms("f_use", self.resolve_use(v, exact))
        return None

    def _near_value(self, f: Filter) -> str | None:
        pool = self.all_values(f.field)
        if not pool:
            return None
        best = process.extractOne(key(f.value), [key(p) for p in pool], scorer=fuzz.WRatio, score_cutoff=60)
        return pool[best[2]] if best else None

    def docs(self, node: Node | None, notes: list[str] | None = None) -> AbstractSet[int]:
        """The documents matching a query node."""
        assert self._ex is not None
        notes = notes if notes is not None else []
        everything = self._ex.all_docs
        if node is None:
            return everything
        if isinstance(node, (Word, Phrase)):
            return self.text_docs(node.text)
        if isinstance(node, Filter):
            return self.filter_docs(node, notes)
        if isinstance(node, Not):
            return everything - self.docs(node.child, notes)
        if isinstance(node, And):
            pos = sorted((self.docs(c, notes) for c in node.children if not isinstance(c, Not)), key=len)
            neg = [self.docs(c.child, notes) for c in node.children if isinstance(c, Not)]
            result: AbstractSet[int] = pos[0] if pos else everything
            for other in pos[1:]:
                result = result & other
            for other in neg:
                if not result:
                    break
                result = result - other
            return result
        if isinstance(node, Or):
            return set().union(*(self.docs(c, notes) for c in node.children))
        return EMPTY.ids

    def scores(self, q: Query, matched: AbstractSet[int]) -> tuple[list[int], list[float]] | None:
        """BM25F scores of the matched documents (summed over the query's positive words and
        phrases), as parallel lists; None when the query has no words. The loops run in C (map/zip
        over cached per-term score dicts), which keeps 100k-document queries fast."""
        assert self._ex is not None
        items = list(dict.fromkeys(q.text_items()))
        if not items or not matched:
            return None
        dl = list(matched)
        total: list[float] | None = None
        for item in items:
            vecs: list[Iterable[float]] = []
            for group in self.text_groups(item):
                for term, boost in group:
                    parts = self._ex.posting("all", term).parts
                    if not parts:
                        continue
                    vec: Iterable[float] = map(parts.get, dl, repeat(0.0))
                    vecs.append(map(mul, vec, repeat(boost)) if boost != 1.0 else vec)
            if not vecs:
                continue
            item_vec = list(map(sum, zip(*vecs, strict=True))) if len(vecs) > 1 else list(vecs[0])
            idocs = self.text_docs(item)
            if not matched <= idocs:  # only documents that match the whole item score for it
                item_vec = list(map(mul, item_vec, map(idocs.__contains__, dl)))
            total = item_vec if total is None else list(map(add, total, item_vec))
        return (dl, total) if total is not None else None

    def clear_cache(self) -> None:
        """Forget cached posting lists (benchmarks use it to measure cold queries)."""
        with self._lock:
            if self._ex is not None:
                self._ex.clear()
            self._bodies.clear()
            self._names.clear()

    # -- searching -------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 100, with_facets: bool = True) -> SearchResult:
        """Run `text`; never raises for any query text (problems come back in `message`)."""
        q = parse(text)
        with self._lock:
            for attempt in range(2):
                try:
                    self._ensure_fresh()
                    return self._search(q, max(1, int(limit)), with_facets)
                except Exception as exc:
                    log.exception("search failed for %r", text)
                    if attempt:
                        return SearchResult(q, 0, [], {}, f"検索中にエラーが起きました / search failed: {type(exc).__name__}: {exc}")
                    try:  # reopen; ensure_index rebuilds the index if it is missing, stale or corrupt
                        from app.search.index import ensure_index

                        self.close()
                        ensure_index(self.db_path, self.index_root)
                        self._load()
                    except Exception as exc2:
                        return SearchResult(q, 0, [], {}, f"索引を開けません / cannot open the index: {exc2}")
        raise AssertionError("unreachable")

    def _search(self, q: Query, limit: int, with_facets: bool) -> SearchResult:
        assert self._oi is not None
        self._qcache = {}
        notes: list[str] = [q.message] if q.message else []
        matched = self.docs(q.root, notes)
        total = len(matched)
        scored = self.scores(q, matched)
        if scored is None:  # no words: every score is 0, so (name, id) order = document order
            top = [(0.0, d) for d in heapq.nsmallest(limit, matched)]
        else:
            dl, sc = scored
            top = heapq.nsmallest(limit, zip(map(neg, sc), dl, strict=True))
        needles = [seg for item in q.text_items() for seg in segments(item)]
        needles += [seg for f in q.filters() if f.field in ("提供者", "種別", "自治体") and not f.exact for seg in segments(f.value)]
        docs = self._oi.docs
        hits: list[Hit] = []
        for neg_score, docnum in top:
            meta = docs[docnum]
            hits.append(Hit(
                id=meta.id, kind=meta.k, name=meta.name, provider=meta.provider, field=meta.field,
                score=round(-neg_score, 4) + 0.0, snippet=self._snippet(docnum, needles),
                name_html=self._name_html(docnum, meta.name, needles), field_id=meta.field_id, label=meta.label,
                prefectures=list(meta.prefs), groups=list(meta.groups), personal=meta.personal,
                type=meta.type, edition=meta.edition))
        hits.sort(key=lambda h: (-h.score, h.name, h.id))
        facets = self._facets(q, matched) if with_facets else {}
        suggestion = None
        if total == 0 and q.root is not None:
            suggestion, note = self._suggest(q)
            notes.append(note)
        message = " ".join(dict.fromkeys(n for n in notes if n)) or None
        self._qcache = {}
        return SearchResult(q, total, hits, facets, message, suggestion)

    def _name_html(self, docnum: int, name: str, needles: list[str]) -> str:
        if not needles:
            return html.escape(name)
        text = self._names.get(docnum)
        if text is None:
            if len(self._names) > 5000:
                self._names.clear()
            text = self._names[docnum] = _Text.of(name)
        return text.highlight(needles)

    def _snippet(self, docnum: int, needles: list[str]) -> str:
        body = self._bodies.get(docnum)
        if body is None:
            if len(self._bodies) > 5000:
                self._bodies.clear()
            body = self._bodies[docnum] = _Text.of(self._searcher.stored_fields(docnum).get("body", ""))
        return body.highlight(needles, SNIPPET_CHARS)

    # -- facets ----------------------------------------------------------------------------------
    def _bitset(self, docs: Iterable[int]) -> int:
        """Documents as an int with one byte per document (byte d is 1 if d is in `docs`)."""
        ba = bytearray(self._ndocs)
        deque(map(ba.__setitem__, docs, repeat(1)), maxlen=0)
        return int.from_bytes(ba, "little")

    def _facets(self, q: Query, matched: AbstractSet[int]) -> dict[str, list[FacetValue]]:
        """Counts per facet value: over the matches, except that a facet with selected values is
        counted over the query without its own selections (OR within a facet, AND across).
        Providers are counted directly; the other facets by AND + popcount of per-value bitsets."""
        main = self._bitset(matched)
        out: dict[str, list[FacetValue]] = {}
        for fkey, qfield in FACETS.items():
            pool: Iterable[int] = self.docs(q.without_field(qfield).root, []) if q.filters(qfield) else matched
            if fkey == "provider":
                counts: Counter[str] = Counter(map(self._providers_by_doc.__getitem__, pool))
                counts.pop("", None)
            else:
                bits = main if pool is matched else self._bitset(pool)
                counts = Counter({v: n for v, b in self._facet_bits[fkey].items() if (n := (bits & b).bit_count())})
            out[fkey] = self._facet_list(fkey, qfield, counts, q)
        return out

    def _facet_list(self, fkey: str, qfield: str, counts: Counter[str], q: Query) -> list[FacetValue]:
        positive = q.filters(qfield)
        negative = q.filters(qfield, negated=True)

        def ids_of(filters: list[Filter]) -> set[str]:
            got: set[str] = set()
            for f in filters:
                got.update(self._facet_ids(fkey, f))
            return got

        sel, neg = ids_of(positive), ids_of(negative)
        if fkey == "target":
            order = list(TARGETS)
        elif fkey == "field":
            order = [r["id"] for r in self.field_rows]
        elif fkey == "prefecture":
            rank = {p: i for i, p in enumerate(self.prefectures)}
            order = sorted(set(counts) | sel | neg, key=lambda p: (-counts[p], rank.get(p, 99), p))
        elif fkey == "provider":
            top = counts.most_common(FACET_LIMIT)  # C-speed; ties at the cut are then resolved by name
            cut = top[-1][1] if len(top) == FACET_LIMIT else 0
            order = sorted((p for p, c in counts.items() if c >= cut), key=lambda p: (-counts[p], p))[:FACET_LIMIT]
            order += sorted((sel | neg) - set(order))
        elif fkey == "group":
            order = [g.id for g in self.groups]
        elif fkey == "personal":
            order = list(self.levels)
        else:
            order = ["TYPE1", "TYPE2/3"]
        out: list[FacetValue] = []
        for v in order:
            if counts[v] == 0 and v not in sel and v not in neg:
                continue
            value, label, exact = v, v, False
            if fkey == "target":
                value = label = TARGETS[v]
            elif fkey == "field":
                value = label = self._field_name.get(v, v)
            elif fkey == "group":
                value = label = self._group_name.get(v, v)
            elif fkey == "provider":
                exact = True
            out.append(FacetValue(value=value, label=label, count=counts[v], query_text=filter_text(qfield, value, exact),
                                  selected=v in sel, field=qfield, exact=exact, negated=v in neg))
        return out

    def _facet_ids(self, fkey: str, f: Filter) -> set[str]:
        if fkey == "target":
            t = _TARGET_ALIASES.get(key(f.value))
            return {t} if t else set()
        if fkey == "field":
            return set(self.resolve_fields(f.value, f.exact))
        if fkey == "provider":
            k = key(f.value)
            return {p for p in self.providers if (key(p) == k if f.exact else k in key(p))}
        if fkey == "prefecture":
            p = None if f.exact else self.resolve_prefecture(f.value)
            return {p} if p else set()
        if fkey == "group":
            return {g for g in self.resolve_groups(f.value, f.exact) if not g.startswith("v1/")}
        if fkey == "personal":
            lv = _PERSONAL_ALIASES.get(key(f.value))
            return {lv} if lv else set()
        if fkey == "type":
            t = self.resolve_type(f.value)
            return {t} if t else set()
        return set()

    # -- suggestions and completion -------------------------------------------------------------
    def _suggest(self, q: Query) -> tuple[str | None, str]:
        fixes: dict[str, str] = {}
        for item in q.text_items():
            if self.text_docs(item):
                continue
            pool, keys = self._suggest_pool()
            best = process.extractOne(key(item), keys, scorer=fuzz.WRatio, score_cutoff=55)
            if best:
                fixes[item] = pool[best[2]]
        if not fixes:
            return None, "該当する項目はありません / no matches"

        def swap(node: Node | None) -> Node | None:
            if isinstance(node, Word) and node.text in fixes:
                return Phrase(fixes[node.text])
            if isinstance(node, Phrase) and node.text in fixes:
                return Phrase(fixes[node.text])
            if isinstance(node, Not):
                return node
            if isinstance(node, And):
                return And(tuple(swap(c) for c in node.children))  # type: ignore[misc]
            if isinstance(node, Or):
                return Or(tuple(swap(c) for c in node.children))  # type: ignore[misc]
            return node

        text = node_text(swap(q.root)).replace('"', "") if all(" " not in v for v in fixes.values()) else node_text(swap(q.root))
        shown = "、".join(f"「{v}」" for v in fixes.values())
        return text, f"該当する項目はありません。もしかして: {shown} / no matches. Did you mean: {', '.join(fixes.values())}?"

    def all_values(self, fieldname: str) -> list[str]:
        """Values that complete `field:` (any accepted field spelling); [] for an unknown field."""
        canon = canonical_field(fieldname)
        if canon == "分野":
            return [r["name_ja"] for r in self.field_rows]
        if canon == "提供者":
            return list(self.providers)
        if canon == "自治体":
            used = {p for m in self.municipalities for p in self.prefectures if m.startswith(p)}
            return [p for p in self.prefectures if p in used] + [m for m in self.municipalities if m not in used]
        if canon == "種別":
            return list(self.kinds)
        if canon == "機能":
            return list(dict.fromkeys([*(n.name_ja for n in self.nodes.values() if n.edition == 2), *self.nodes]))
        if canon == "層":
            return [g.name_ja for g in self.groups]
        if canon == "個人情報":
            return list(self.levels)
        if canon == "タイプ":
            return ["TYPE1", "TYPE2/3"]
        if canon == "対象":
            return list(TARGETS.values())
        if canon == "利用分野":
            return list(self.use_fields)
        return []

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
