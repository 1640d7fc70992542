"""Facet counts for a search: one facet per registry field that declares one (app/catalog/fields.py).

Counts are over the matches, except that a facet with selected values is counted over the query
without its own selections (OR within a facet, AND across). Providers are counted directly; the
other facets by AND + popcount of per-value bitsets made once per open index.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import repeat

from app.catalog import fields as registry
from app.catalog.fields import Field
from app.search.index import DocTable
from app.search.query import Filter, Node, Query, filter_text
from app.search.resolve import Resolver

FACET_LIMIT = 30


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


def facet_column(spec: Field, docs: DocTable) -> list[object]:
    """Per document, the value(s) a facet counts: a docs.json column, or one of the registry facts."""
    if spec.fact:
        i = registry.FACTS.index(spec)
        return [facts[i] if facts else "" for facts in docs.column("facts")]
    return docs.column(spec.doc)


class Facets:
    """Per-value document bitsets of one open index, and the facet lists of a search."""

    def __init__(self, docs: DocTable, resolver: Resolver) -> None:
        self.ndocs = len(docs)
        self.resolver = resolver
        self.providers_by_doc = docs.column("provider")
        self.bits: dict[str, dict[str, int]] = {}
        for spec in registry.FACETS:
            if spec.resolver == "provider":
                continue
            members: dict[str, list[int]] = {}
            for d, v in enumerate(facet_column(spec, docs)):
                for one in (v if isinstance(v, (list, tuple)) else (v,)):
                    if one:
                        members.setdefault(str(one), []).append(d)
            self.bits[spec.facet] = {v: self.bitset(ds) for v, ds in members.items()}

    def bitset(self, docs: Iterable[int]) -> int:
        """Documents as an int with one byte per document (byte d is 1 if d is in `docs`)."""
        ba = bytearray(self.ndocs)
        deque(map(ba.__setitem__, docs, repeat(1)), maxlen=0)
        return int.from_bytes(ba, "little")

    def counts(self, q: Query, matched: AbstractSet[int],
               docs_of: Callable[[Node | None], AbstractSet[int]]) -> dict[str, list[FacetValue]]:
        main = self.bitset(matched)
        out: dict[str, list[FacetValue]] = {}
        for spec in registry.FACETS:
            pool: Iterable[int] = docs_of(q.without_field(spec.name).root) if q.filters(spec.name) else matched
            if spec.resolver == "provider":
                counts: Counter[str] = Counter(map(self.providers_by_doc.__getitem__, pool))
                counts.pop("", None)
            else:
                bits = main if pool is matched else self.bitset(pool)
                counts = Counter({v: n for v, b in self.bits[spec.facet].items() if (n := (bits & b).bit_count())})
            out[spec.facet] = self.values(spec, counts, q)
        return out

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
            rank = {p: i for i, p in enumerate(r.prefectures)}
            return sorted(set(counts) | chosen, key=lambda p: (-counts[p], rank.get(p, 99), p))
        if spec.resolver == "provider":
            top = counts.most_common(FACET_LIMIT)  # C-speed; ties at the cut are then resolved by name
            cut = top[-1][1] if len(top) == FACET_LIMIT else 0
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

    def values(self, spec: Field, counts: Counter[str], q: Query) -> list[FacetValue]:
        sel = self._ids(spec, q.filters(spec.name))
        neg = self._ids(spec, q.filters(spec.name, negated=True))
        out: list[FacetValue] = []
        for v in self.order(spec, counts, sel | neg):
            if counts[v] == 0 and v not in sel and v not in neg:
                continue
            value, exact = self.shown(spec, v)
            out.append(FacetValue(value=value, label=value, count=counts[v], query_text=filter_text(spec.name, value, exact),
                                  selected=v in sel, field=spec.name, exact=exact, negated=v in neg))
        return out
