"""Facet counts for a search: one facet per registry field that declares one (app/catalog/fields.py).

Counts are over the matches, except that a facet with selected values is counted over the query
without its own selections (OR within a facet, AND across). How each facet is counted: Facets.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from dataclasses import field as dc_field
from itertools import chain, groupby, repeat

from app.catalog import fields as registry
from app.catalog.fields import Field
from app.search.index import DocTable
from app.search.query import Filter, Node, Query, filter_text
from app.search.resolve import Resolver
from app.search.vectors import kth_largest

FACET_LIMIT = 30
CHILD_LIMIT = 10  # nested values shown per parent (municipalities per prefecture; up to 47 parents)
BITSET_VALUES = 256  # a facet with more values than this is counted from its column only
ALL_BUT_SHARE = 0.8  # a pool holding more of the index is counted as all minus the rest (a Python loop over the rest's values)
BITS_PER_VALUE_STEP = 512  # bitsets win once the pool's size × this exceeds values × documents (an AND + popcount per value over one byte a document, vs a Counter step per value of the pool: ~0.3 ns a byte vs ~150 ns a value at 10k)


@dataclass(slots=True)  # hundreds made per search (nested municipalities): slots make them quicker to build
class FacetValue:
    """One value of a facet. Read-only to users of a search result: plain nested values are shared
    between results (Facets._plain_child); the UI's model works on copies."""

    value: str
    label: str
    count: int
    query_text: str  # the exact `field:value` text that selecting this value adds
    selected: bool = False
    field: str = ""  # canonical query field (分野, 提供者, …): `Query.with_filter(field, value, exact=exact)`
    exact: bool = False
    negated: bool = False
    children: list[FacetValue] = dc_field(default_factory=list)  # nested values (市区町村 under 都道府県)


def _values(v: object) -> tuple[str, ...]:
    """A docs.json cell as the facet values it holds (lists for multi-valued fields; "" is none)."""
    return tuple(str(one) for one in v if one) if isinstance(v, (list, tuple)) else ((str(v),) if v else ())


def facet_column(spec: Field, docs: DocTable) -> list[object]:
    """Per document, the value(s) a facet counts: a docs.json column, or one of the registry facts."""
    if spec.fact:
        i = registry.FACTS.index(spec)
        return [facts[i] if facts else "" for facts in docs.column("facts")]
    return docs.column(spec.doc)


class Facets:
    """Facet counting for one open index, and the facet lists of a search.

    Per facet, each document's values are kept as a column of tuples. A facet with few values
    also gets per-value bitsets (one byte per document); its counts over a large pool are an AND +
    popcount per value, over a small pool a Counter of the pool's values — whichever touches less
    memory (`_by_bits`). Facets with many values (municipalities, providers) are always counted
    from the column: bitsets for them would cost values × documents bytes.
    """

    def __init__(self, docs: DocTable, resolver: Resolver) -> None:
        self.ndocs = len(docs)
        self.resolver = resolver
        self.cols: dict[str, list[tuple[str, ...]]] = {}
        self.bits: dict[str, dict[str, int]] = {}
        self.flat: dict[str, list[str]] = {}  # a column of single values ("" for none), where no document has two
        self._totals_of: AbstractSet[int] | None = None  # the live set the totals below count
        self._totals: dict[tuple[str, bool], Counter[str]] = {}  # (facet, top-level column?) → counts over it
        for spec in registry.FACETS:
            col = [_values(v) for v in facet_column(spec, docs)]
            self.cols[spec.facet] = col
            members: dict[str, list[int]] = {}
            for d, vals in enumerate(col):
                for one in vals:
                    members.setdefault(one, []).append(d)
            if spec.resolver != "provider" and len(members) <= BITSET_VALUES:
                self.bits[spec.facet] = {v: self.bitset(ds) for v, ds in members.items()}
            elif all(len(vals) <= 1 for vals in col):  # one value a document (providers): counted without chain
                self.flat[spec.facet] = [vals[0] if vals else "" for vals in col]
        # nested values (a prefecture's municipalities): per document, and each child's parent
        self.child_cols: dict[str, list[tuple[str, ...]]] = {}
        self.child_parent: dict[str, str] = {}
        for spec in registry.FACETS:
            if spec.facet_child:
                col = self.child_cols[spec.facet] = [_values(v) for v in docs.column(spec.facet_child)]
                self.child_parent.update({v: resolver.prefecture_of(v) for v in {v for vals in col for v in vals}})
        self.child_lists: dict[str, list[str]] = {}  # parent → its child values in name order (sorted once here)
        self._children = sorted(self.child_parent)  # every child in name order
        self._child_rank = {v: i for i, v in enumerate(self._children)}
        for v in self._children:
            self.child_lists.setdefault(self.child_parent[v], []).append(v)
        self._texts: dict[tuple[str, str, bool], str] = {}  # filter_text(field, value, exact), made once
        self._value_shown: dict[str, dict[str, tuple[str, bool, str]]] = {}  # field → value id → (value, exact, query text)
        self._child_shown: dict[str, tuple[dict[str, str], dict[str, str]]] = {}  # field → (child → label, child → query text)
        self._pref_rank: dict[str, int] = {}  # prefecture → its place in the resolver's list (made on first use)
        self._plain: dict[str, dict[tuple[str, int], FacetValue]] = {}  # field → (child, count) → its plain nested value

    def bitset(self, docs: Iterable[int]) -> int:
        """Documents as an int with one byte per document (byte d is 1 if d is in `docs`)."""
        ba = bytearray(self.ndocs)
        deque(map(ba.__setitem__, docs, repeat(1)), maxlen=0)
        return int.from_bytes(ba, "little")

    def _by_bits(self, facet: str, pool_size: int) -> bool:
        """Count with the bitsets (cost ~ values × documents) rather than the column (~ the pool's values)?"""
        bits = self.bits.get(facet)
        return bits is not None and pool_size * BITS_PER_VALUE_STEP > len(bits) * self.ndocs

    def counts(self, q: Query, matched: AbstractSet[int], docs_of: Callable[[Node | None], AbstractSet[int]],
               live: AbstractSet[int] | None = None) -> dict[str, list[FacetValue]]:
        """The facet lists of a search matching `matched`; `live`: every document of the index (the
        values of a pool holding most of it are counted as all of them minus those of the rest)."""
        main: list[int] = []  # the matches as a bitset, made when a facet first needs it

        def count(facet: str, cols: dict[str, list[tuple[str, ...]]], pool: AbstractSet[int]) -> Counter[str]:
            if cols is self.cols and self._by_bits(facet, len(pool)):
                if pool is not matched:
                    bits = self.bitset(pool)
                else:
                    if not main:
                        main.append(self.bitset(matched))
                    bits = main[0]
                return Counter({v: n for v, b in self.bits[facet].items() if (n := (bits & b).bit_count())})
            if live is not None and len(pool) > ALL_BUT_SHARE * len(live):
                return self._all_but(facet, cols, live, live - pool)
            return self._count(facet, cols, pool)

        out: dict[str, list[FacetValue]] = {}
        filtered = bool(q.filters() or q.filters(negated=True))  # most searches have no filter: asked once
        for spec in registry.FACETS:
            pos, neg = (q.filters(spec.name), q.filters(spec.name, negated=True)) if filtered else ([], [])
            pool = docs_of(q.without_field(spec.name).root) if pos else matched
            out[spec.facet] = self.values(spec, count(spec.facet, self.cols, pool), pos, neg)
            if spec.facet in self.child_cols:
                self.nest(spec, out[spec.facet], count(spec.facet, self.child_cols, pool), pos, neg)
        return out

    def _count(self, facet: str, cols: dict[str, list[tuple[str, ...]]], pool: Iterable[int]) -> Counter[str]:
        flat = self.flat.get(facet) if cols is self.cols else None
        got = Counter(map(flat.__getitem__, pool) if flat is not None else chain.from_iterable(map(cols[facet].__getitem__, pool)))
        got.pop("", None)
        return got

    def _all_but(self, facet: str, cols: dict[str, list[tuple[str, ...]]], live: AbstractSet[int], rest: AbstractSet[int]) -> Counter[str]:
        """The counts over `live` minus `rest`: the counts over every document (made once per `live`
        set) less those of `rest`, values that drop to 0 removed."""
        key = (facet, cols is self.cols)
        if self._totals_of is not live:
            self._totals_of, self._totals = live, {}
        total = self._totals.get(key)
        if total is None:
            total = self._totals[key] = self._count(facet, cols, live)
        got = total.copy()
        drop = dict.__delitem__  # (Counter's own del is a Python method)
        for v, n in self._count(facet, cols, rest).items():
            if got[v] == n:
                drop(got, v)
            else:
                got[v] -= n
        return got

    def query_text(self, field: str, value: str, exact: bool) -> str:
        got = self._texts.get((field, value, exact))
        if got is None:
            if len(self._texts) > 50_000:
                self._texts.clear()
            got = self._texts[(field, value, exact)] = filter_text(field, value, exact)
        return got

    def nest(self, spec: Field, parents: list[FacetValue], counts: Counter[str], pos: list[Filter], negs: list[Filter]) -> None:
        """Put each parent's child values under it: the CHILD_LIMIT most frequent, and selected ones always.
        `pos`, `negs`: the query's filters on the field, and its negated ones."""
        def chosen(filters: list[Filter]) -> set[str]:  # a prefecture filter selects the parent, not a child
            return self._ids(spec, [f for f in filters if f.exact or not self.resolver.resolve_prefecture(f.value)])

        sel = chosen(pos)
        neg = chosen(negs)
        chosen_kids = [v for v in sel | neg if v not in counts]  # listed even when nothing counts them
        labels, texts = self._child_shown.setdefault(spec.name, ({}, {}))
        if not sel and not neg:  # the usual case: every parent's top children, looked up in one pass in C (most recur)
            top = self._top_children(counts)
            runs = [top.get(pv.value, []) for pv in parents]
            kids = list(chain.from_iterable(runs))
            plain = self._plain.setdefault(spec.name, {})
            got = list(map(plain.get, zip(kids, map(counts.__getitem__, kids), strict=True)))
            if None in got:
                for pv, run in zip(parents, runs, strict=True):
                    self._label_children(spec, pv, run, labels, texts)
                got = [g or self._plain_child(plain, spec.name, v, labels[v], counts[v], texts[v]) for g, v in zip(got, kids, strict=True)]
            at = 0
            for pv, run in zip(parents, runs, strict=True):
                pv.children = got[at:at + len(run)]
                at += len(run)
            return
        for pv in parents:
            # the parent's children with counts, in name order (filtered in C from the list sorted once)
            kids = list(filter(counts.__contains__, self.child_lists.get(pv.value, ())))
            if extra := [v for v in chosen_kids if self.child_parent.get(v) == pv.value]:
                kids = sorted(kids + extra)
            kids.sort(key=counts.__getitem__, reverse=True)  # stable: equal counts stay in name order
            if pv.value in kids:  # the prefecture's own adoption first among its equals
                kids.remove(pv.value)
                kids.insert(next((i for i, v in enumerate(kids) if counts[v] <= counts[pv.value]), len(kids)), pv.value)
            kids = kids[:CHILD_LIMIT] + [v for v in kids[CHILD_LIMIT:] if v in sel or v in neg]
            self._label_children(spec, pv, kids, labels, texts)
            pv.children = [FacetValue(v, labels[v], counts[v], texts[v], v in sel, spec.name, True, v in neg) for v in kids]

    @staticmethod
    def _plain_child(plain: dict[tuple[str, int], FacetValue], field: str, value: str, label: str, count: int,
                     text: str) -> FacetValue:
        """A nested value neither selected nor excluded: one shared object per (value, count) in
        `plain`, as the same few hundred recur from search to search (facet values are read-only
        to their users: the UI's model copies them)."""
        if len(plain) > 50_000:
            plain.clear()
        got = plain[(value, count)] = FacetValue(value, label, count, text, False, field, True, False)
        return got

    def _top_children(self, counts: Counter[str]) -> dict[str, list[str]]:
        """Per parent, its CHILD_LIMIT children with the highest counts (equal counts: the parent's own
        adoption first, then name order): the counted children in name order (filtered from all of them
        when they are many, else sorted), then each parent's run sorted by count (stable, in C)."""
        rank, get = self._child_rank, counts.__getitem__
        named = list(filter(counts.__contains__, self._children)) if len(counts) * 3 > len(rank) else sorted(counts, key=rank.__getitem__)
        # a municipality's name starts with its prefecture's: in name order each prefecture's children are
        # one run, its own adoption (the bare prefecture name) first
        return {p: sorted(kids, key=get, reverse=True)[:CHILD_LIMIT] for p, kids in groupby(named, key=self.child_parent.__getitem__)}

    def _label_children(self, spec: Field, pv: FacetValue, kids: list[str], labels: dict[str, str], texts: dict[str, str]) -> None:
        """(label, query text) of nested values: the same for every search, so made once."""
        for v in kids:
            if v not in labels:
                labels[v], texts[v] = self.child_label(pv.value, v), filter_text(spec.name, v, True)

    @staticmethod
    def child_label(parent: str, value: str) -> str:
        """茅野市 under 長野県; the prefecture's own adoption as 長野県（県として）."""
        if value == parent:
            return f"{parent}（{parent[-1]}として）"
        return value.removeprefix(parent) or value

    def _ids(self, spec: Field, filters: list[Filter]) -> set[str]:
        got: set[str] = set()
        for f in filters:
            got.update(self.resolver.facet_ids(spec, f))
        return got

    def order(self, spec: Field, counts: Counter[str], chosen: set[str]) -> list[str]:
        """Facet values in display order (selected and excluded ones always listed)."""
        r = self.resolver
        if spec.resolver == "field":
            return [row["id"] for row in r.field_rows]
        if spec.resolver == "municipality":
            if not self._pref_rank:
                self._pref_rank.update((p, i) for i, p in enumerate(r.prefectures))
            rank = self._pref_rank
            return sorted(set(counts) | chosen, key=lambda p: (-counts[p], rank.get(p, 99), p))
        if spec.resolver == "provider":
            cut = kth_largest(list(counts.values()), FACET_LIMIT) if len(counts) >= FACET_LIMIT else 0  # ties at the cut: by name
            order = sorted((p for p, c in counts.items() if c >= cut), key=lambda p: (-counts[p], p))[:FACET_LIMIT]
            return order + sorted(chosen - set(order))
        if spec.resolver == "group":
            return [g.id for g in r.groups]
        if spec.resolver == "personal":
            return list(r.levels)
        if spec.resolver == "year":
            years = sorted((v for v in set(counts) | chosen if v != registry.UNKNOWN), reverse=True)
            return [*years, registry.UNKNOWN]
        return [v.id for v in spec.values]

    def shown(self, spec: Field, v: str) -> tuple[str, bool]:
        """(query value, exact) of a facet value id; the value is also its label."""
        if spec.resolver == "field":
            return self.resolver.field_name.get(v, v), False
        if spec.resolver == "group":
            return self.resolver.group_name.get(v, v), False
        if spec.resolver == "provider":
            return v, True
        if spec.values or v == registry.UNKNOWN:
            return spec.value_label(v), False
        return v, False

    def values(self, spec: Field, counts: Counter[str], pos: list[Filter], negs: list[Filter]) -> list[FacetValue]:
        """A facet's values in display order; `pos`, `negs`: the query's filters on the field, and its negated ones."""
        all_sel, all_neg = self._ids(spec, pos), self._ids(spec, negs)
        sel, neg = all_sel, all_neg
        out: list[FacetValue] = []
        if spec.facet_child:  # nested values are listed under their parents (nest), not here
            sel, neg = sel.difference(self.child_parent, {""}), neg.difference(self.child_parent)  # O(len(sel))
            sel |= {p for p in all_sel if p in self.resolver.prefectures}
            neg |= {p for p in all_neg if p in self.resolver.prefectures}
        made = self._value_shown.setdefault(spec.name, {})  # value id → (value, exact, query text), made once
        for v in self.order(spec, counts, sel | neg):
            if counts[v] == 0 and v not in sel and v not in neg:
                continue
            got = made.get(v)
            if got is None:
                value, exact = self.shown(spec, v)
                got = made[v] = (value, exact, self.query_text(spec.name, value, exact))
            out.append(FacetValue(got[0], got[0], counts[v], got[2], v in sel, spec.name, got[1], v in neg))
        return out
