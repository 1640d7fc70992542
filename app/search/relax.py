"""Compound query words: match by their parts, rank by informativeness and proximity, relax when needed.

A query word that app.search.segment splits into several parts (住民票コンビニ交付 → 住民票 | コンビニ交付)
matches every document that contains all its *informative* parts, in any order, plus every
document that contains the word as typed. Generic parts (システム, アプリ, サービス, 事業, 導入 …)
only add to the score: a part is generic when it occurs in at least GENERIC_SHARE of all documents
or is one of a few words that are generic in project titles whatever the catalog says.

Ranking of such a word, per document: the BM25F scores of its parts (generic ones damped), plus the
BM25F score of the word as typed and of each pair of neighbouring parts where they occur
contiguously (the proximity evidence a bigram index can give without positions), all multiplied
by coverage² — the informativeness-weighted share of parts present — so entries containing all
parts come first, then those with the most informative parts.

A compound (or a long kanji word) that fewer than THIN documents match in full is topped up to THIN
with its closest partial matches, read more finely (ポイント制度 → ポイント | 制度) and ranked below
every full match; when no document matches it in full, its partial matches are the result and the
search says so (「一部の語に一致」, with the words found and not found). When a query of several
plain words (and filters/phrases) matches nothing, `relax` does the same across its words. A word
with a part no document contains and a close catalog name (オンライン診寮) also gets a did-you-mean.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import add, contains, is_, le, lt, mul
from typing import TYPE_CHECKING, Any, Protocol

from app.search.analysis import char_class, normalize
from app.search.query import And, Node, Or, Phrase, Query, Word
from app.search.segment import Part, script, split, split_bigrams, split_janome
from app.search.vectors import kth_largest, term_sum

if TYPE_CHECKING:  # the engine's side of the conversation, without importing the engine (no cycle)
    from collections.abc import Set as AbstractSet_

    class SearchEngine(Protocol):
        _ex: Any
        _ndocs: int
        _oi: Any

        def text_docs(self, text: str, fieldname: str = "all") -> AbstractSet_[int]: ...
        def text_groups(self, text: str, fieldname: str = "all") -> list[list[tuple[str, float]]]: ...
        def docs(self, node: Any, notes: list[str] | None = None, compiler: Any = None) -> AbstractSet_[int]: ...
        def _suggest_pool(self) -> tuple[list[str], list[str]]: ...

GENERIC_SHARE = 0.25  # a part in at least this share of documents is generic
GENERIC_DAMP = 0.3  # weight and score factor of a generic part
PARTIAL_DAMP = 0.5  # a word's best partial match scores at most this share of its weakest full match
WHOLE_WEIGHT = 0.25  # score factor of the word as typed found contiguously
PAIR_WEIGHT = 0.5  # score factor of two neighbouring parts found contiguously
RELAX_KEEP = 0.5  # partial matches keep documents with at least this share of the best coverage
LONG_WORD = 6  # see Relaxer._looks_compound
TYPO_CUTOFF = 80  # rapidfuzz WRatio a catalog name needs to be offered beside partial matches
THIN = 10  # a compound word matching fewer documents in full is topped up to this with its best partial matches
MSM = 0.7  # "bigram" method: minimum weighted share of the parts a document must contain
# An entry whose name or kind holds the query word (or its informative parts) IS what was asked
# for; one that mentions it in passing may still out-score it by BM25 term frequency. So an item's
# score is multiplied by 1 + NAME_BONUS × (informativeness share of its parts in the name/kind).
NAME_BONUS = 1.5
NAME_RERANK = 200  # only documents that could reach the top this many are checked (exact for them)
# Words that are generic in plan titles and grant applications even where the catalog is small.
GENERIC_WORDS = frozenset(normalize(w) for w in (
    "システム", "アプリ", "サービス", "事業", "導入", "活用", "公開", "支援", "推進", "実証", "整備", "構築", "運用",
    "提供", "利用", "情報", "管理", "ツール", "プラットフォーム", "ソリューション", "取組", "取り組み", "事例",
    "化", "型", "等", "向け", "用", "対応", "強化", "促進", "実施", "開発", "基盤", "データ", "デジタル", "スマート",
))


@dataclass
class Relaxed:
    """Best partial matches of a query no document fully matches."""

    docs: AbstractSet[int]
    scores: dict[int, float]
    matched: list[Part]  # parts present in the best match
    missing: list[Part]  # parts absent from it
    parts: list[Part] = field(default_factory=list)

    @property
    def message(self) -> str:
        got = "、".join(p.surface for p in self.matched)
        miss = "、".join(p.surface for p in self.missing)
        got_en = ", ".join(p.surface for p in self.matched)
        miss_en = ", ".join(p.surface for p in self.missing)
        return (f"一部の語に一致: {got}（{miss} を含む項目はありません）"
                f" / partial match: {got_en} (no entry also contains {miss_en})")


def positive_words(q: Query) -> set[str]:
    """Texts of the Word nodes that are not negated (phrases keep their exact meaning)."""
    out: set[str] = set()

    def walk(node: Node | None) -> None:
        if isinstance(node, Word):
            out.add(node.text)
        elif isinstance(node, (And, Or)):
            for c in node.children:
                walk(c)

    walk(q.root)
    return out


class Relaxer:
    """Segmentation, matching and ranking of compound words for one open SearchEngine.

    `method` is "corpus" (the app's), or "bigram" / "janome" for bench/segmenters.py.
    Caches depend on the index only; the engine makes a new Relaxer whenever it (re)loads one.
    """

    def __init__(self, engine: SearchEngine, method: str = "corpus") -> None:
        self.engine = engine
        self.method = method
        self._parts: dict[tuple[str, bool], list[Part]] = {}
        self._words: dict[str, tuple[AbstractSet[int], AbstractSet[int]]] = {}
        self._groups: dict[str, list[list[tuple[str, float]]]] = {}  # text → engine.text_groups(text)
        self._df: dict[str, int] = {}
        self._nk: dict[int, str] = {}  # docnum → normalised name + kind label

    # -- statistics
    @property
    def n_docs(self) -> int:
        return max(1, self.engine._ndocs)

    def df(self, text: str) -> int:
        got = self._df.get(text)
        if got is None:
            got = self._df[text] = len(self.engine.text_docs(text))
        return got

    def generic(self, p: Part) -> bool:
        return p.text in GENERIC_WORDS or self.df(p.text) >= GENERIC_SHARE * self.n_docs

    def weight(self, p: Part) -> float:
        """Informativeness: idf of the part, damped for generic parts."""
        idf = math.log(self.n_docs / (self.df(p.text) + 1)) + 1.0
        return max(idf, 0.1) * (GENERIC_DAMP if self.generic(p) else 1.0)

    # -- segmentation
    def parts(self, word: str, fine: bool = False) -> list[Part]:
        """How `word` is read (`fine`: long pieces cut once more, for partial matches)."""
        ck = (word, fine)
        got = self._parts.get(ck)
        if got is None:
            if self.method == "bigram":
                got = split_bigrams(word)
            elif self.method == "janome":
                got = split_janome(word)
            else:
                got = split(word, self.df, self.n_docs, fine)
            if len(self._parts) > 2000:
                self._parts.clear()
            self._parts[ck] = got
        return got

    def is_compound(self, word: str) -> bool:
        return len(self.parts(word)) > 1

    def segments(self, q: Query) -> dict[str, list[str]]:
        """How each compound word of the query was read: word → parts as typed."""
        return {w: [p.surface for p in ps] for w in sorted(positive_words(q)) if len(ps := self.parts(w)) > 1}

    def needles(self, item: str, words: set[str]) -> list[str]:
        """Highlight needles of a text item: each part of a compound word, else the item itself."""
        if item in words and self.is_compound(item):
            return [p.text for p in self.parts(item)]
        from app.search.analysis import segments

        return segments(item)

    # -- matching
    def word_docs(self, word: str) -> AbstractSet[int]:
        """Documents a (possibly compound) query word matches (see the module docstring)."""
        full, partial = self.split_docs(word)
        return full | partial if partial else full

    def split_docs(self, word: str) -> tuple[AbstractSet[int], AbstractSet[int]]:
        """(documents with every informative part or the word as typed, best partial matches).

        Partial matches are only looked for when fewer than THIN documents match in full; they
        come from the fine reading, so a rare compound piece (ポイント制度) is cut once more."""
        got = self._words.get(word)
        if got is not None:
            return got
        eng = self.engine
        parts = self.parts(word)
        exact = eng.text_docs(word)
        partial: AbstractSet[int] = set()
        if len(parts) <= 1:
            full = exact
        elif self.method == "bigram":
            full = self._msm_docs(parts) | exact
        else:
            full = self._all_informative(parts) | exact
        if len(full) < THIN and self.method != "bigram" and (len(parts) > 1 or not full or self._looks_compound(word)):
            fine = self.parts(word, fine=True)
            if len(fine) > 1:
                partial = self._best_partial(fine, full)
                if full and len(partial) > THIN - len(full):  # top the first page up, no more
                    cand = list(partial)
                    vec = self.parts_vector(fine, cand, None, self._pairs(word, fine))
                    best = sorted(zip(vec, cand, strict=True), key=lambda x: (-x[0], x[1]))[:THIN - len(full)]
                    partial = {d for _, d in best}
        if len(self._words) > 2000:
            self._words.clear()
        got = self._words[word] = (full, partial)
        return got

    @staticmethod
    def _looks_compound(word: str) -> bool:
        """A long word with kanji (書かない窓口, 窓口混雑状況配信), not a kana name such as
        コンテキストブローカ nor a short word such as 母子手帳: only such words read as one piece get
        partial matches beside a few full ones."""
        cjk = [c for c in word if char_class(c) == "c"]
        return len(normalize("".join(cjk))) >= LONG_WORD and bool({script(c) for c in cjk} - {"A", "H"})

    def handles(self, word: str) -> bool:
        """True when the word is ranked here rather than by the engine's plain word scoring."""
        return self.is_compound(word) or bool(self.split_docs(word)[1])

    def _informative(self, parts: list[Part]) -> list[Part]:
        return [p for p in parts if not self.generic(p)] or parts

    def _all_informative(self, parts: list[Part]) -> AbstractSet[int]:
        """Documents that contain every informative part."""
        sets = sorted((self.engine.text_docs(p.text) for p in self._informative(parts)), key=len)
        docs = sets[0]
        for other in sets[1:]:
            if not docs:
                break
            docs = docs & other
        return docs

    def _best_partial(self, parts: list[Part], full: AbstractSet[int],
                      base: AbstractSet[int] | None = None) -> AbstractSet[int]:
        """Documents outside `full` with the most informative parts: at least RELAX_KEEP of the best
        coverage among them, and at least one informative part."""
        eng = self.engine
        pdocs = {p.text: eng.text_docs(p.text) if base is None else eng.text_docs(p.text) & base for p in parts}
        pool: set[int] = set().union(*(pdocs[p.text] for p in self._informative(parts)))
        pool.difference_update(full)
        if not pool:
            return set()
        weights = [(self.weight(p), pdocs[p.text]) for p in parts]
        cover = {d: sum(w for w, ds in weights if d in ds) for d in pool}
        best = max(cover.values())
        return {d for d, c in cover.items() if c >= RELAX_KEEP * best - 1e-9}

    def _msm_docs(self, parts: list[Part]) -> AbstractSet[int]:
        ws = {p.text: self.weight(p) for p in parts}
        total = sum(ws.values())
        acc: dict[int, float] = {}
        for p in parts:
            w = ws[p.text]
            for d in self.engine.text_docs(p.text):
                acc[d] = acc.get(d, 0.0) + w
        return {d for d, v in acc.items() if v >= MSM * total - 1e-9}

    # -- ranking
    def text_vector(self, text: str, dl: list[int]) -> list[float]:
        """BM25F score of `text` (the engine's own matching of it) for each document of `dl`."""
        eng = self.engine
        ex = eng._ex
        assert ex is not None
        groups = self._groups.get(text)
        if groups is None:
            if len(self._groups) > 4000:
                self._groups.clear()
            groups = self._groups[text] = eng.text_groups(text)
        out = term_sum(((ex.posting("all", term).parts_for(dl), boost) for group in groups for term, boost in group), dl)
        if out is None:
            return [0.0] * len(dl)
        docs = eng.text_docs(text)
        return list(map(mul, out, map(docs.__contains__, dl)))

    def parts_vector(self, parts: list[Part], dl: list[int], whole: str | None = None,
                     pairs: Iterable[str] = ()) -> list[float]:
        """(Σ damped part scores + contiguous evidence) × coverage², per document of `dl`."""
        eng = self.engine
        total_w = sum(self.weight(p) for p in parts) or 1.0
        score = [0.0] * len(dl)
        cover = [0.0] * len(dl)
        for p in parts:
            vec = self.text_vector(p.text, dl)
            if self.generic(p):
                vec = list(map(mul, vec, repeat(GENERIC_DAMP)))
            score = list(map(add, score, vec))
            docs = eng.text_docs(p.text)
            cover = list(map(add, cover, map(mul, map(docs.__contains__, dl), repeat(self.weight(p) / total_w))))
        if whole:
            score = list(map(add, score, map(mul, self.text_vector(whole, dl), repeat(WHOLE_WEIGHT))))
        for text in pairs:
            score = list(map(add, score, map(mul, self.text_vector(text, dl), repeat(PAIR_WEIGHT))))
        return [s * c * c for s, c in zip(score, cover, strict=True)]

    @staticmethod
    def _pairs(word: str, parts: list[Part]) -> list[str]:
        """Neighbouring parts that were contiguous in the word as typed (not across a particle)."""
        norm = normalize(word)
        return [a.text + b.text for a, b in zip(parts, parts[1:], strict=False) if a.text + b.text in norm]

    # -- name / kind evidence
    def name_kind(self, docnum: int) -> str:
        """The normalised name and kind of a document (SCRA nodes: the name only)."""
        got = self._nk.get(docnum)
        if got is None:
            oi = self.engine._oi
            assert oi is not None
            meta = oi.docs
            name = meta.column("name")[docnum]
            label = meta.column("label")[docnum] if meta.column("k")[docnum] == "service" else ""
            if len(self._nk) > 50000:
                self._nk.clear()
            got = self._nk[docnum] = normalize(f"{name}\n{label}")
        return got

    def name_pieces(self, item: str, is_word: bool) -> tuple[list[tuple[str, float]], str]:
        """(informative pieces of `item` with their weights, the item normalised) for the name/kind test."""
        whole = normalize(item)
        if is_word and self.is_compound(item):
            return [(p.text, self.weight(p)) for p in self.parts(item)], whole
        from app.search.analysis import segments

        return [(s, 1.0) for s in segments(item)], whole

    def name_boost(self, item: str, is_word: bool, dl: list[int], vec: list[float]) -> list[float]:
        """`vec` with each document's score multiplied by 1 + NAME_BONUS × the share of the item
        found in its name or kind (the item as typed counts as all of it)."""
        if not dl:
            return vec
        pieces, whole = self.name_pieces(item, is_word)
        total = sum(w for _, w in pieces) or 1.0
        out = list(vec)
        # only documents that could reach the top NAME_RERANK are checked (the loops run in C)
        thr = kth_largest(vec, NAME_RERANK) / (1.0 + NAME_BONUS) if len(vec) > NAME_RERANK else 0.0
        keep = list(compress(range(len(vec)), map(le, repeat(thr), vec) if thr > 0.0 else map(lt, repeat(0.0), vec)))
        docs = list(map(dl.__getitem__, keep))
        nks = list(map(self._nk.get, docs))
        for i in compress(range(len(nks)), map(is_, nks, repeat(None))):  # names not normalised yet
            nks[i] = self.name_kind(docs[i])
        shares: list[float] = [0] * len(nks)  # Σ weights of the pieces found, in piece order (as sum() adds them)
        for t, w in pieces:
            shares = list(map(add, shares, map(mul, map(contains, nks, repeat(t)), repeat(w))))
        whole_in = map(contains, nks, repeat(whole)) if whole else repeat(False)
        for i, found, got in zip(keep, whole_in, shares, strict=False):
            share = 1.0 if found else got / total
            if share:
                out[i] = vec[i] * (1.0 + NAME_BONUS * share)
        return out

    def item_vector(self, word: str, dl: list[int]) -> list[float]:
        """Scores of one word: documents matching it in full by its parts (or as a plain word),
        then its partial matches, scaled to rank below every full match."""
        parts = self.parts(word)
        full, partial = self.split_docs(word)
        fl = [d for d in dl if d in full] if partial else dl
        if len(parts) > 1:
            vec = self.parts_vector(parts, fl, word, self._pairs(word, parts))
        else:
            vec = self.text_vector(word, fl)
        vec = self.name_boost(word, True, fl, vec)
        if not partial:
            return vec
        pl = [d for d in dl if d in partial and d not in full]
        fine = self.parts(word, fine=True)
        pvec = self.name_boost(word, True, pl, self.parts_vector(fine, pl, None, self._pairs(word, fine)))
        floor = min(vec, default=1.0)
        top = max(pvec, default=0.0)
        scale = PARTIAL_DAMP * floor / top if top > floor * PARTIAL_DAMP else 1.0
        got = dict(zip(fl, vec, strict=True))
        got.update(zip(pl, (v * scale for v in pvec), strict=True))
        return [got.get(d, 0.0) for d in dl]

    def report(self, q: Query, relaxed: Relaxed | None, top: int | None,
               skip: AbstractSet[str] = frozenset()) -> tuple[dict[str, Any], str | None]:
        """SearchResult's partial-match fields (and the note for its message): set when the query was
        relaxed, or when one of its words matched no document in full and only partial matches show
        (words in `skip` were matched through synonyms instead)."""
        if relaxed is None:
            words = [c.text for c in q.conjuncts() if isinstance(c, Word) and c.text not in skip]
            partial = [w for w in words if not self.split_docs(w)[0] and self.split_docs(w)[1]]
            if not partial or top is None:
                return {"partial": False, "matched_words": [], "missing_words": []}, None
            matched, missing = self._found_in(partial, top)
            relaxed = Relaxed(set(), {}, matched, missing)
        return ({"partial": True, "matched_words": [p.surface for p in relaxed.matched],
                 "missing_words": [p.surface for p in relaxed.missing]}, relaxed.message)

    def typo_suggestion(self, q: Query) -> str | None:
        """Did-you-mean beside partial matches: for a word with a part no entry contains (診寮 in
        オンライン診寮), the query with that word replaced by a close catalog name, if one is close."""
        from rapidfuzz import fuzz, process

        from app.search.analysis import key

        text = q.to_text()
        changed = False
        for w in sorted(positive_words(q)):
            if self.engine.text_docs(w) or not any(len(p.text) >= 2 and not self.df(p.text) for p in self.parts(w)):
                continue
            pool, keys = self.engine._suggest_pool()
            best = process.extractOne(key(w), keys, scorer=fuzz.WRatio, score_cutoff=TYPO_CUTOFF)
            if best:
                fix = pool[best[2]]
                text = text.replace(w, f'"{fix}"' if " " in fix else fix)
                changed = True
        return text if changed else None

    # -- relaxing a query nothing matches
    def relax(self, q: Query) -> Relaxed | None:
        """Best partial matches when the query matches nothing, or None (not a query of words)."""
        eng = self.engine
        conj = q.conjuncts()
        words = [c.text for c in conj if isinstance(c, Word)]
        others = [c for c in conj if not isinstance(c, Word)]
        if not words or any(isinstance(c, Or) and any(isinstance(x, (Word, Phrase)) for x in c.children) for c in others):
            return None
        parts = list({p.text: p for w in words for p in self.parts(w, fine=True)}.values())
        if len(parts) < 2:
            return None
        base = eng.docs(And(tuple(others)) if len(others) > 1 else others[0]) if others else None
        keep = list(self._best_partial(parts, set(), base))
        if not keep:
            return None
        pairs = [x for w in words for x in self._pairs(w, self.parts(w, fine=True))]
        vec = self.parts_vector(parts, keep, None, pairs)
        scores = dict(zip(keep, vec, strict=True))
        top = max(keep, key=lambda d: (scores[d], -d))
        matched, missing = self._found_in(words, top)
        return Relaxed(set(keep), scores, matched, missing, parts)

    def _found_in(self, words: list[str], doc: int) -> tuple[list[Part], list[Part]]:
        """The words (as read, as in the chips) that document `doc` contains and those it lacks; a
        word it lacks is told by its finer parts where some of those are there (母子手張 → 母子 | 手張)."""
        eng = self.engine
        matched: list[Part] = []
        missing: list[Part] = []
        for w in words:
            fine = self.parts(w, fine=True)
            for p in self.parts(w):
                if doc in eng.text_docs(p.text):
                    matched.append(p)
                    continue
                subs = [f for f in fine if f.text in p.text and f.text != p.text]
                if any(doc in eng.text_docs(f.text) for f in subs):
                    matched.extend(f for f in subs if doc in eng.text_docs(f.text))
                    missing.extend(f for f in subs if doc not in eng.text_docs(f.text))
                else:
                    missing.append(p)
        dedup = lambda ps: list({p.text: p for p in ps}.values())  # noqa: E731
        return dedup(matched), dedup(missing)
