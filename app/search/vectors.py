"""Score vectors: the summed BM25 parts of several terms for each document of a list.

A one-character query word ORs every indexed term it starts (hundreds), and a 10k catalog can
match all of its documents: summing term by term over the whole list (terms × documents) then
costs far more than adding each term's own postings (the sum of their lengths). `term_sum` picks
the cheaper way; both add each document's parts in term order, so the floats are the same.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, repeat
from operator import add, le, mul, neg
from typing import Any

SPARSE_COST = 4  # a posting entry added in Python costs about this many whole-list entries summed in C
SORT_UP_TO = 2000  # a C sort of this many values beats heapq's selection, a Python loop (6x at 450, even at 2000)


def term_sum(terms: Iterable[tuple[dict[int, float] | None, float]], dl: Sequence[int]) -> list[float] | None:
    """Per document of `dl`, Σ over (parts, boost) of parts.get(d, 0) × boost, in term order; None
    when no term has postings."""
    got = [(p, b) for p, b in terms if p]
    if not got:
        return None
    if len(got) > 1 and sum(len(p) for p, _ in got) * SPARSE_COST < len(dl) * len(got):
        acc: dict[int, float] = {}
        get = acc.get
        for parts, boost in got:  # acc[d] = acc.get(d, 0.0) + v (× boost) for each posting, the loop in C
            vals: Iterable[float] = parts.values() if boost == 1.0 else map(mul, parts.values(), repeat(boost))
            acc.update(zip(parts, map(add, map(get, parts, repeat(0.0)), vals), strict=True))  # (distinct keys: read, then written)
        return list(map(get, dl, repeat(0.0)))
    vecs: list[Iterable[float]] = []
    for parts, boost in got:
        vec: Iterable[float] = map(parts.get, dl, repeat(0.0))
        vecs.append(map(mul, vec, repeat(boost)) if boost != 1.0 else vec)
    return list(map(sum, zip(*vecs, strict=True))) if len(vecs) > 1 else list(vecs[0])


def kth_largest(values: Sequence[float], k: int) -> float:
    """The k-th largest of `values` (1 ≤ k ≤ len(values)): heapq.nlargest(k, values)[-1], sorted in C when few."""
    return sorted(values, reverse=True)[k - 1] if len(values) <= SORT_UP_TO else heapq.nlargest(k, values)[-1]


def smallest(n: int, items: Sequence[Any], key: Callable[[Any], Any] | None = None) -> list[Any]:
    """heapq.nsmallest(n, items, key): the same list (sorted(items, key=key)[:n]), sorted in C when few."""
    return sorted(items, key=key)[:n] if len(items) <= SORT_UP_TO else heapq.nsmallest(n, items, key=key)


def top_scored(dl: Sequence[int], scores: Sequence[float], rank: Callable[[int], int], limit: int) -> list[tuple[float, int]]:
    """The `limit` best (negated score, doc) pairs, by descending score, then `rank`: heapq.nsmallest
    over (-score, rank, doc), but only over the documents scoring at least the limit-th best score
    (found by a sort in C), which is what keeps a 10k-document word fast."""
    if len(scores) > 2 * limit:
        kth = kth_largest(scores, limit)
        keep = list(compress(range(len(scores)), map(le, repeat(kth), scores)))
        dl, scores = [dl[i] for i in keep], [scores[i] for i in keep]
    return [(s, d) for s, _, d in smallest(limit, list(zip(map(neg, scores), map(rank, dl), dl, strict=True)))]
