"""Fast query execution over a Whoosh index: postings as Python sets, BM25F scores computed directly.

Whoosh's own matchers advance one posting at a time in Python, which costs seconds per query at
100k documents when a term is common. Here each posting list is read block by block into a set of
document numbers (and, for the scored field, a dict of BM25 term-frequency parts), and boolean
logic is done with set operations in C. Lists are cached (LRU, bounded by total postings), so
typing a query character by character reuses the lists of the previous keystroke.

BM25F as in Whoosh: idf = ln(N / (df + 1)) + 1; part = tf·(K1+1) / (tf + K1·(1 − B + B·len/avglen)),
where tf is the field-weighted term frequency indexed in the `all` field.
"""

from __future__ import annotations

import math
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, chain, islice
from typing import Any

from app.search.analysis import covering_bigrams, is_run
from app.search.texts import PARTS, DocTexts

K1 = 1.2
B = 0.75
RUN_MEMO = 64  # runs whose documents a shorter run of the same field reuses (a query word's and its pieces')
PARTIAL_SHARE = 4  # parts made for the wanted documents only when they are under a quarter of the list
RUN_SHARE = 1.25  # for a computed run (a Python loop per document, where a read list's is a dict comprehension): under 80 %


class Posting:
    """A term's documents and, for the scored field, its BM25 part per document. A computed run's
    parts are made on first use (`make`): a df lookup (compound splitting, synonyms) needs the
    documents only, which are found in C, and a run's weights cost a Python loop per document."""

    __slots__ = ("ids", "_parts", "idf", "_make", "_share")

    def __init__(self, ids: AbstractSet[int], parts: dict[int, float] | None, idf: float,
                 make: Callable[[Sequence[int] | None], dict[int, float]] | None = None, share: float = PARTIAL_SHARE) -> None:
        self.ids = ids  # keys of a dict: a set for & | - that the garbage collector does not track
        self._parts = parts  # doc → the term's BM25 score in that doc, idf included (scored field only)
        self.idf = idf
        self._make = make  # make(None): every document's part; make(docs): those of `docs` (in ids) only
        self._share = share  # parts_for makes the wanted ones only when they are under 1/share of the list

    @property
    def parts(self) -> dict[int, float] | None:
        if self._make is not None:
            self._parts, self._make = self._make(None), None
        return self._parts

    def parts_for(self, dl: Sequence[int]) -> dict[int, float] | None:
        """The parts of at least the documents of `dl`: when a few of a long list are wanted (a word
        ANDed with a rarer one), only theirs are made, and not kept (the next query wants others)."""
        if self._make is not None and len(dl) * self._share < len(self.ids):
            return self._make(dl)
        return self.parts


EMPTY = Posting({}.keys(), {}, 0.0)


def intersection(sets: Iterable[AbstractSet[int]]) -> AbstractSet[int] | None:
    """The documents in all of `sets` (smallest first); None for no sets. An empty set ends it: the
    sets after it (a generator's) are not made, which spares their runs' text scans."""
    got: list[AbstractSet[int]] = []
    for one in sets:
        if not one:
            return one
        got.append(one)
    if not got:
        return None
    got.sort(key=len)
    docs = got[0]
    for other in got[1:]:
        if not docs:
            break
        docs = docs & other
    return docs


def read_postings(matcher: Any, weights: bool) -> tuple[list[int], list[float]]:
    """All (ids, weights) of a Whoosh posting matcher; block at a time when it is a W3 leaf matcher."""
    ids: list[int] = []
    ws: list[float] = []
    if type(matcher).__name__ == "ListMatcher" and getattr(matcher, "_i", 1) == 0:  # inlined (app.search.bulk)
        ids = list(matcher._ids)
        if weights:
            ws = [matcher._all_weights] * len(ids) if matcher._all_weights else \
                list(matcher._weights) if matcher._weights else [1.0] * len(ids)
        return ids, ws
    if all(hasattr(matcher, a) for a in ("_read_data", "_data", "_byteids", "_blocklength", "_next_block", "_ids", "_weights", "_i")) \
            and getattr(matcher, "_i", 1) == 0:
        while matcher.is_active():
            ids.extend(_block_ids(matcher))
            if weights:
                ws.extend(_block_weights(matcher))
            matcher._next_block()
        return ids, ws
    while matcher.is_active():
        ids.append(matcher.id())
        if weights:
            ws.append(matcher.weight())
        matcher.next()
    return ids, ws


def _block_ids(m: Any) -> Any:
    """A W3 leaf matcher's _read_ids with its delta decoding in C (Whoosh's is a generator in Python)."""
    if m._ids is None:
        if m._data is None:
            m._read_data()
        raw = m._data[0]
        m._ids = raw if m._byteids else tuple(accumulate(raw))
    return m._ids


def _block_weights(m: Any) -> Any:
    """A W3 leaf matcher's _read_weights, a block of equal weights made in C (the same float32 values)."""
    if m._weights is None:
        if m._data is None:
            m._read_data()
        w = m._data[1]
        n = m._blocklength
        m._weights = array("f", [1.0]) * n if w is None else array("f", [w]) * n if isinstance(w, float) else w
    return m._weights


class Executor:
    """Cached postings and BM25 parts for one open Whoosh reader (not thread-safe: callers lock)."""

    def __init__(self, reader: Any, lengths: list[int], texts: DocTexts | None = None, scored_field: str = "all",
                 budget: int = 2_000_000) -> None:
        self.reader = reader
        self.texts = texts  # the stored texts that 3+ character CJK runs are matched in (app.search.texts)
        self.scored_field = scored_field
        self.n = reader.doc_count_all()
        # After an incremental update (app.search.incremental) some document numbers are deleted:
        # they match nothing, and idf and the mean length count live documents only (length 0).
        self.live = reader.doc_count()
        live_lengths = [ln for ln in lengths if ln]
        avg = (sum(live_lengths) / len(live_lengths)) if live_lengths else 1.0
        self.normk = [K1 * (1 - B + B * (ln / avg if avg else 1.0)) for ln in lengths]
        deleted = {d for d in range(self.n) if reader.is_deleted(d)} if reader.has_deletions() else set()
        self.all_docs: AbstractSet[int] = dict.fromkeys(d for d in range(self.n) if d not in deleted).keys()
        self.budget = budget
        self._cache: OrderedDict[tuple[str, str], Posting] = OrderedDict()
        self._runs: dict[str, dict[str, AbstractSet[int]]] = {}  # field → run → its documents, the last RUN_MEMO read
        self._cached = 0

    def clear(self) -> None:
        self._cache.clear()
        self._cached = 0
        self._runs.clear()

    def posting(self, field: str, term: str) -> Posting:
        key = (field, term)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        post = self._read(field, term)
        self._cache[key] = post
        self._cached += len(post.ids) + 1
        while self._cached > self.budget and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached -= len(old.ids) + 1
        return post

    def _read(self, field: str, term: str) -> Posting:
        scored = field == self.scored_field
        if self.texts is not None and (scored or field in PARTS) and is_run(term):  # text fields only, not keywords
            return self._read_run(field, term, scored)
        try:
            matcher = self.reader.postings(field, term)
        except Exception:  # TermNotFound (or a field without postings)
            return EMPTY
        ids, ws = read_postings(matcher, scored)
        if not scored:
            return Posting(dict.fromkeys(ids).keys(), None, 0.0)
        return self._scored(ids, ws)

    def _read_run(self, field: str, run: str, scored: bool) -> Posting:
        """The posting list of a 3+ character CJK run, which the index does not hold: of the documents
        holding the bigrams that cover it, those whose stored text holds the run, with its weighted
        frequency there; the documents of a longer run holding it, read before (a query word is read
        before its trigrams and pieces), are taken without a scan. A run longer than three characters
        is only matched, never scored (QueryTerm "order": the trigrams score), so it gets no weights."""
        assert self.texts is not None
        cands = intersection(self.posting(field, p).ids for p in covering_bigrams(run))
        if not cands:
            return EMPTY
        if not scored:
            return Posting(self.texts.run_weights(run, cands, field).keys(), None, 0.0)
        held = self._held(field, run)  # the documents of a longer run read before hold this one too: not scanned
        ids = sorted(chain(held, self.texts.holding(run, sorted(cands - held)))) if held else self.texts.holding(run, sorted(cands))
        keys = dict.fromkeys(ids).keys()
        runs = self._runs.setdefault(field, {})
        if len(runs) >= RUN_MEMO:
            runs.clear()
        runs[run] = keys
        if len(run) > 3:
            return Posting(keys, {}, 0.0)
        texts = self.texts
        idf = self._idf(len(ids))
        return Posting(keys, None, idf,  # every weight > 0: the same documents
                       lambda docs: self._parts(texts.run_weights(run, ids if docs is None else [d for d in docs if d in keys]), idf),
                       RUN_SHARE)

    def _held(self, field: str, run: str) -> AbstractSet[int]:
        """The most documents of a longer run read before (RUN_MEMO) that holds `run`, or none."""
        best: AbstractSet[int] = EMPTY.ids
        for longer, docs in self._runs.get(field, {}).items():
            if len(docs) > len(best) and len(longer) > len(run) and run in longer:
                best = docs
        return best

    def _idf(self, df: int) -> float:
        return math.log(self.live / (df + 1)) + 1 if self.live else 0.0

    def _parts(self, weights: dict[int, float], idf: float) -> dict[int, float]:
        normk, k1p = self.normk, (K1 + 1) * idf
        return {d: w * k1p / (w + normk[d]) for d, w in weights.items()}

    def _scored(self, ids: list[int], ws: list[float]) -> Posting:
        idf = self._idf(len(ids))
        weights = dict(zip(ids, ws, strict=True))

        def make(docs: Sequence[int] | None) -> dict[int, float]:
            return self._parts(weights if docs is None else {d: weights[d] for d in docs if d in weights}, idf)
        return Posting(weights.keys(), None, idf, make)

    def expand(self, field: str, prefix: str, limit: int = 2000) -> list[str]:
        """Index terms of `field` that start with `prefix` (at most `limit`)."""
        try:
            raw = islice(self.reader.expand_prefix(field, prefix), limit)
            return [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in raw]
        except Exception:
            return []

    def union(self, field: str, terms: list[str]) -> AbstractSet[int]:
        sets = [self.posting(field, t).ids for t in terms]
        if not sets:
            return EMPTY.ids
        if len(sets) == 1:
            return sets[0]
        return set().union(*sets)
