"""Search over services and SCRA nodes: query → matches, BM25F ranking, snippets, facets, suggestions.

`SearchEngine(db_path, index_root).search(text)` is what the UI (in a worker thread), the plan code
and the CLI call; it never raises for any query text (problems come back in `SearchResult.message`).
A query is parsed (app.search.query) and compiled once (app.search.compiled: filters resolved
through the field registry and app.search.resolve); this module runs it as set algebra over the
postings app.search.executor caches, ranks by BM25F (compounds by their parts: app.search.relax), and
asks app.search.facets and app.search.snippets for counts and highlighted text.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field
from operator import add, mul
from pathlib import Path
from typing import Any

from app.catalog import fields as registry
from app.catalog.model import ArchNode
from app.catalog.store import CatalogDB, FamilyWatch
from app.catalog.synonyms import FILE_NAME as SYNONYMS_FILE
from app.catalog.synonyms import SynonymIndex, load_synonyms
from app.limits import MAX_QUERY_CHARS
from app.search.analysis import key, query_terms, segments
from app.search.compiled import CAnd, CNot, Compiled, Compiler, COr, Everything, Nothing, WordMatch
from app.search.executor import EMPTY, Executor, intersection
from app.search.facets import FACET_LIMIT, Facets, FacetValue  # noqa: F401 - FacetValue/FACET_LIMIT re-exported
from app.search.hitlist import HitList, Pending
from app.search.hits import Hit  # noqa: F401 - re-exported
from app.search.index import OpenIndex, open_index
from app.search.query import And, Node, Not, Or, Phrase, Query, Word, node_text, parse
from app.search.relax import Relaxer, positive_words
from app.search.resolve import Resolver, Terms, TextMatch
from app.search.texts import DocTexts
from app.search.vectors import smallest, term_sum, top_scored

log = logging.getLogger(__name__)

SINGLE_PASS_DOCS = 5000
# An entry found only through a synonym scores at most this share of its best synonym match, and
# always below the weakest entry holding the word as typed (SYNONYM_BELOW × that entry's score).
SYNONYM_WEIGHT = 0.5
SYNONYM_BELOW = 0.9
# facet key → query field, and the targets (both from the field registry; kept for callers)
FACETS: dict[str, str] = {f.facet: f.name for f in registry.FACETS}
TARGETS = {v.id: v.ja for v in registry.BY_KEY["target"].values}


@dataclass
class SearchResult:
    query: Query
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    message: str | None
    suggestion: str | None = None  # a corrected query text when nothing matched
    # how compound words were read (word → parts) and, when nothing matched every part, which did
    segments: dict[str, list[str]] = field(default_factory=dict)
    partial: bool = False
    matched_words: list[str] = field(default_factory=list)
    missing_words: list[str] = field(default_factory=list)
    # words expanded through officer vocabulary (catalog_data/synonyms.yaml): word → synonyms that matched
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    unexpanded: list[str] = field(default_factory=list)  # words with synonyms, not expanded (switched off)
    pending: Pending | None = field(default=None, repr=False, compare=False)  # hits left to highlight (search(snippets=n))
    rest: Callable[[], None] | None = field(default=None, repr=False, compare=False)  # search(rows=n): complete() runs it

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query.to_text(), "total": self.total, "hits": [asdict(h) for h in self.hits],
            "facets": {k: [asdict(v) for v in vals] for k, vals in self.facets.items()},
            "message": self.message, "suggestion": self.suggestion,
            "segments": self.segments, "partial": self.partial, "matched_words": self.matched_words,
            "missing_words": self.missing_words, "synonyms": self.synonyms,
            "unexpanded": self.unexpanded,
        }


GC_YOUNG = 10_000  # allocations between young collections (default 700: 2–3 per search; 1k p95 6.9–8.3 → 5.9–6.3 ms)


class SearchEngine:
    """Search the catalog.db at `db_path` with the index under `index_root` (rebuilt when needed)."""

    def __init__(self, db_path: Path, index_root: Path, synonyms: SynonymIndex | Path | None = None) -> None:
        """`synonyms`: an index, a synonyms.yaml, or None for the catalog's own (catalog_data/synonyms.yaml)."""
        self.db_path = Path(db_path)
        self.index_root = Path(index_root)
        if not isinstance(synonyms, SynonymIndex):
            from app import paths

            path = synonyms or paths.bundled_catalog_dir() / SYNONYMS_FILE
            synonyms = SynonymIndex(load_synonyms(path)[0] if path.exists() else [])
        self.synonym_index = synonyms
        self.use_synonyms = True  # the default of search(synonyms=None); the UI keeps it as a setting
        self._syn_on = True
        self._syn_cache: dict[str, tuple[str, ...]] = {}
        self._lock = threading.RLock()
        self._stat: tuple[int, int] | None = None
        self._watch = FamilyWatch()
        self._oi: OpenIndex | None = None
        self._db: CatalogDB | None = None
        self._searcher: Any = None
        self._ex: Executor | None = None
        self._qcache: dict[tuple[str, str], AbstractSet[int]] = {}
        self._hitlist: HitList | None = None
        self._load()

    # -- loading ---------------------------------------------------------------------------------
    def _db_stat(self) -> tuple[int, int]:
        st = os.stat(self.db_path)
        return st.st_mtime_ns, st.st_size

    def _load(self) -> None:
        self.close()
        self._syn_cache = {}
        self._stat = self._db_stat()
        self._db = CatalogDB(self.db_path)
        self._oi = open_index(self.db_path, self.index_root)
        self._searcher = self._oi.ix.searcher()
        texts = DocTexts(self._oi.folder)  # normalised texts (3+ character words) and descriptions (snippets)
        self._hitlist = HitList(self._oi.docs, texts.body, texts.part)
        self._ex = Executor(self._searcher.reader(), self._oi.docs.column("L"), texts)
        self.resolver = Resolver(self._db)
        self.nodes: dict[str, ArchNode] = self.resolver.nodes
        self._facets = Facets(self._oi.docs, self.resolver)
        self._ndocs = len(self._oi.docs)
        self._suggest_cache: tuple[list[str], list[str]] | None = None  # (pool, normalised keys), made on first use
        self._relax = Relaxer(self)  # compound words: segmentation and ranking by parts (app.search.relax)
        gc.freeze()  # the tables live as long as the engine: no full collection walks them (10–35 ms pauses at 1k–10k)
        gc.set_threshold(max(gc.get_threshold()[0], GC_YOUNG), *gc.get_threshold()[1:])

    def _suggest_pool(self) -> tuple[list[str], list[str]]:
        if self._suggest_cache is None:
            assert self._oi is not None
            pool = list(dict.fromkeys([*self._oi.docs.column("name"), *self.resolver.providers, *self.resolver.kinds]))
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
            gc.unfreeze()  # the closed index's tables collectable again (cycles in frozen objects would stay)

    def _ensure_fresh(self) -> None:
        newest = self._watch.current(self.db_path)  # Windows: a rebuild while we hold catalog.db open lands beside it
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

    # -- evaluating (set algebra over cached postings) -----------------------------------------
    def text_groups(self, text: str, fieldname: str = "all") -> list[list[tuple[str, float]]]:
        """What `text` must match: groups ANDed, each a list of (term, boost) alternatives ORed.

        Two CJK characters are a bigram, longer runs the AND of their trigrams and of the run itself
        (which keeps the order; both found through the stored texts: app.search.executor), one
        character any term it starts; a lone Latin word also matches as a prefix.
        """
        assert self._ex is not None
        terms = query_terms(text)
        # the whole runs first, for their character order (no score of their own): their documents are
        # the trigrams' too, which then are not scanned for (app.search.executor)
        groups: list[list[tuple[str, float]]] = [[(qt.text, 0.0)] for qt in terms if qt.mode == "order"]
        for qt in terms:
            if qt.mode == "cjk1":
                groups.append([(t, 1.0) for t in self._ex.expand(fieldname, qt.text) if len(t) <= 2])
            elif qt.mode == "latin" and len(terms) == 1 and len(qt.text) >= 3:
                groups.append([(qt.text, 1.0)] + [(t, 0.3) for t in self._ex.expand(fieldname, qt.text, 200) if t != qt.text])
            elif qt.mode != "order":
                groups.append([(qt.text, 1.0)])
        return groups

    def text_docs(self, text: str, fieldname: str = "all") -> AbstractSet[int]:
        ck = (fieldname, text)
        got = self._qcache.get(ck)
        if got is not None:
            return got
        assert self._ex is not None
        ex = self._ex
        docs = intersection(ex.union(fieldname, [t for t, _ in g]) for g in self.text_groups(text, fieldname))
        if docs is None:
            docs = ex.all_docs
        self._qcache[ck] = docs
        return docs

    def compiler(self) -> Compiler:
        """A compiler for one search (it memoises resolved filters and their notes)."""
        return Compiler(self.resolver, self.resolver.all_values, self.expansions if self._syn_on else None)

    def expansions(self, word: str) -> tuple[str, ...]:
        """Synonyms of an unquoted query word that some document contains (hiragana readings
        reach their group's words)."""
        got = self._syn_cache.get(word)
        if got is None:
            own = key(word)
            got = tuple(e for e in self.synonym_index.expansions(word) if key(e) != own and self.text_docs(e))
            if len(self._syn_cache) > 2000:
                self._syn_cache.clear()
            self._syn_cache[word] = got
        return got

    def word_sets(self, c: WordMatch) -> tuple[AbstractSet[int], AbstractSet[int]]:
        """(documents holding the word as typed, documents holding only one of its synonyms). When
        synonyms match, a thin word's partial matches are not added: the synonyms are closer."""
        if not c.synonyms:
            return self._relax.word_docs(c.text), EMPTY.ids
        syn: set[int] = set().union(*(self.text_docs(e) for e in c.synonyms))
        exact = self._relax.split_docs(c.text)[0]
        return exact, syn - exact

    def docs(self, node: Node | None, notes: list[str] | None = None, compiler: Compiler | None = None) -> AbstractSet[int]:
        """The documents matching a query node."""
        return self.execute((compiler or self.compiler()).compile(node, notes if notes is not None else []))

    def execute(self, c: Compiled) -> AbstractSet[int]:
        """The documents a compiled query matches (set algebra over cached postings)."""
        assert self._ex is not None
        everything = self._ex.all_docs
        if isinstance(c, WordMatch):  # an unquoted word: compounds are matched by their parts (app.search.relax)
            if c.synonyms:
                exact, syn = self.word_sets(c)
                return exact | syn
            return self._relax.word_docs(c.text)
        if isinstance(c, TextMatch):
            return self.text_docs(c.text, c.field)
        if isinstance(c, Terms):
            return self._ex.union(c.field, list(c.values))
        if isinstance(c, Everything):
            return everything
        if isinstance(c, CNot):
            return everything - self.execute(c.child)
        if isinstance(c, CAnd):
            pos = intersection(self.execute(x) for x in c.children if not isinstance(x, CNot))
            result: AbstractSet[int] = everything if pos is None else pos
            for x in (x.child for x in c.children if isinstance(x, CNot)):
                if not result:
                    break
                result = result - self.execute(x)
            return result
        if isinstance(c, COr):
            return set().union(*(self.execute(x) for x in c.children))
        assert isinstance(c, Nothing)
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
        words = positive_words(q)
        for item in items:
            syns = self.expansions(item) if self._syn_on and item in words else ()
            if syns:
                svec = self._synonym_vector(item, syns, dl)
                total = svec if total is None else list(map(add, total, svec))
                continue
            if item in words and self._relax.handles(item):  # ranked by its parts (app.search.relax)
                cvec = self._relax.item_vector(item, dl)
                total = cvec if total is None else list(map(add, total, cvec))
                continue
            item_vec = term_sum(((self._ex.posting("all", t).parts_for(dl), b) for g in self.text_groups(item) for t, b in g), dl)
            if item_vec is None:
                continue
            idocs = self.text_docs(item)
            if not matched <= idocs:  # only documents that match the whole item score for it
                item_vec = list(map(mul, item_vec, map(idocs.__contains__, dl)))
            item_vec = self._relax.name_boost(item, item in words, dl, item_vec)
            total = item_vec if total is None else list(map(add, total, item_vec))
        return (dl, total) if total is not None else None

    def _synonym_vector(self, word: str, syns: tuple[str, ...], dl: list[int]) -> list[float]:
        """Scores of a word with synonyms: documents holding the word as typed score as usual; those
        holding only a synonym score SYNONYM_WEIGHT × their best synonym, kept below the former."""
        exact, _ = self.word_sets(WordMatch(word, syns))
        el = [d for d in dl if d in exact]
        if self._relax.handles(word):
            evec = self._relax.item_vector(word, el)
        else:
            evec = self._relax.name_boost(word, True, el, self._relax.text_vector(word, el))
        ol = [d for d in dl if d not in exact]
        ovec = [0.0] * len(ol)
        for e in syns:
            v = self._relax.name_boost(e, False, ol, self._relax.text_vector(e, ol))
            ovec = list(map(max, ovec, v))
        floor = min((v for v in evec if v > 0), default=0.0)
        top = max(ovec, default=0.0)
        scale = SYNONYM_WEIGHT
        if floor and top * scale > SYNONYM_BELOW * floor:
            scale = SYNONYM_BELOW * floor / top
        got = dict(zip(el, evec, strict=True))
        got.update(zip(ol, (v * scale for v in ovec), strict=True))
        return [got.get(d, 0.0) for d in dl]

    def clear_cache(self) -> None:
        """Forget cached posting lists (benchmarks use it to measure cold queries)."""
        with self._lock:
            if self._ex is not None:
                self._ex.clear()
            if self._hitlist is not None:
                self._hitlist.clear()

    # -- searching -------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 100, with_facets: bool = True, synonyms: bool | None = None,
               snippets: int | None = None, rows: int | None = None) -> SearchResult:
        """Run `text`; never raises for any query text (problems come back in `message`).
        `synonyms`: expand unquoted words through officer vocabulary (None: `use_synonyms`).
        `snippets`: highlight only the first this many hits; `highlight_pending(result)` does the rest.
        `rows`: when there are more hits, make only the first this many (total is final); the other
        hits, the facets and the notes follow from `complete(result)` (the UI shows the rows first)."""
        cut = len(text) > MAX_QUERY_CHARS  # bounded work for any input: parse and match only the first part
        q = parse(text[:MAX_QUERY_CHARS] if cut else text)
        note = f"検索語が長すぎるため先頭 {MAX_QUERY_CHARS:,} 文字で検索しました / the query was cut to its first {MAX_QUERY_CHARS:,} characters"
        with self._lock:
            self._syn_on = self.use_synonyms if synonyms is None else bool(synonyms)
            for attempt in range(2):
                try:
                    self._ensure_fresh()
                    return self._search(q, max(1, int(limit)), with_facets, snippets, rows, [note] if cut else [])
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

    def complete(self, result: SearchResult) -> SearchResult:
        """Fill in what `search(rows=n)` left (the other hits, facets, notes), in place; never raises."""
        job, result.rest = result.rest, None
        if job is not None:
            with self._lock:
                try:
                    job()
                except Exception as exc:
                    log.exception("completing the search for %r failed", result.query.to_text())
                    result.message = f"検索中にエラーが起きました / search failed: {type(exc).__name__}: {exc}"
        return result

    def highlight_pending(self, result: SearchResult, stop: Callable[[], bool] | None = None) -> int:
        """Highlight the hits `search(snippets=n)` left (in place); how many. Nothing if the index was
        reopened since; `stop()` true ends it early."""
        job, result.pending = result.pending, None
        with self._lock:
            ok = job is not None and self._hitlist is not None and job.highlight == self._hitlist.highlight
            return job.run(stop) if job is not None and ok else 0

    def _search(self, q: Query, limit: int, with_facets: bool, snippets: int | None = None, rows: int | None = None,
                notes: list[str] | None = None) -> SearchResult:
        self._qcache = {}
        first_notes, syn_on = list(notes or []), self._syn_on
        notes = [*first_notes, *([q.message] if q.message else [])]
        compiler = self.compiler()
        matched = self.execute(compiler.compile(q.root, notes))
        relaxed = self._relax.relax(q) if not matched else None  # best partial matches instead of nothing
        if relaxed is not None:
            matched = relaxed.docs
        scored = (list(relaxed.scores), list(relaxed.scores.values())) if relaxed else self.scores(q, matched)
        rank = self._oi.docs.rank.__getitem__  # (name, id) order (document order unless updated in place)
        if scored is None:  # no words: every score is 0, so (name, id) order
            top = [(0.0, d) for d in smallest(limit, list(matched), key=rank)]
        else:  # ties in (name, id) order
            top = top_scored(scored[0], scored[1], rank, limit)
        hitlist = self._hitlist
        assert hitlist is not None
        hits, pending, later = hitlist.make(top, self._needles(q), snippets, rows)
        res = SearchResult(q, len(matched), hits, {}, None, pending=pending)

        def rest() -> None:  # the other hits, the facets, the notes (now, or from complete())
            self._syn_on = syn_on
            if self._hitlist is not hitlist:  # the index was reopened since: search again, whole
                res.__dict__.update(self._search(q, limit, with_facets, snippets, None, first_notes).__dict__)
                return
            if later:
                res.hits = [*res.hits, *hitlist.more(later, pending)]
            self._finish(res, notes, compiler, matched, relaxed, with_facets, top[0][1] if top else None)
            self._qcache = {}
        if rows is None or (not later and matched):  # (no hits left to make: the rest is cheap; with no match at
            rest()                                   # all it is a did-you-mean over every name, after the empty table)
        else:
            res.rest = rest
        self._qcache = {}
        return res

    def _finish(self, res: SearchResult, notes: list[str], compiler: Compiler, matched: AbstractSet[int], relaxed: Any,
                with_facets: bool, first: int | None) -> None:
        q = res.query
        live = self._ex.all_docs if self._ex else None
        facets = self._facets.counts(q, matched, lambda node: self.docs(node, [], compiler), live) if with_facets else {}
        suggestion = None
        if res.total == 0 and q.root is not None:
            suggestion, note = self._suggest(q)
            notes.append(note)
        expandable = {w: list(e) for w in sorted(positive_words(q)) if (e := self.expansions(w))}
        syn_used = expandable if self._syn_on else {}
        partial, note = self._relax.report(q, relaxed, first, skip=set(syn_used))
        notes.append(note or "")
        if partial["partial"] and suggestion is None:
            suggestion = self._relax.typo_suggestion(q)
        res.facets, res.suggestion, res.segments = facets, suggestion, self._relax.segments(q)
        res.message = "\n".join(dict.fromkeys(n for n in notes if n)) or None  # one "ja / en" note a line
        res.partial, res.matched_words, res.missing_words = partial["partial"], partial["matched_words"], partial["missing_words"]
        res.synonyms, res.unexpanded = syn_used, [] if self._syn_on else list(expandable)
        if res.pending is not None and not res.pending.hits:
            res.pending = None

    def _needles(self, q: Query) -> list[str]:
        """The normalised text segments a hit highlights: the query's words, synonyms and text filters."""
        words = positive_words(q)
        needles = [seg for item in q.text_items() for seg in self._relax.needles(item, words)]
        if self._syn_on:
            needles += [seg for w in words for e in self.expansions(w) for seg in segments(e)]
        return needles + [seg for f in q.filters() if registry.BY_NAME[f.field].highlight and not f.exact for seg in segments(f.value)]

    # -- suggestions and completion -------------------------------------------------------------
    def _suggest(self, q: Query) -> tuple[str | None, str]:
        fixes: dict[str, str] = {}
        for item in q.text_items():
            if self.text_docs(item):
                continue
            pool, keys = self._suggest_pool()
            from rapidfuzz import fuzz, process  # here: 4 MB of memory that only a did-you-mean needs

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
        spec = registry.lookup(fieldname)
        return self.resolver.all_values(spec) if spec else []

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
