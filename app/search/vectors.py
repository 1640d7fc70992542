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

SPARSE_COST = 4  # a posting entry added in Python costs about this many whole-list entries summed in C


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


def top_scored(dl: Sequence[int], scores: Sequence[float], rank: Callable[[int], int], limit: int) -> list[tuple[float, int]]:
    """The `limit` best (negated score, doc) pairs, by descending score, then `rank`: heapq.nsmallest
    over (-score, rank, doc), but only over the documents scoring at least the limit-th best score
    (found by a sort in C), which is what keeps a 10k-document word fast."""
    if len(scores) > 2 * limit:
        kth = heapq.nlargest(limit, scores)[-1]  # (3x quicker than sorting 10k floats)
        keep = list(compress(range(len(scores)), map(le, repeat(kth), scores)))
        dl, scores = [dl[i] for i in keep], [scores[i] for i in keep]
    return [(s, d) for s, _, d in heapq.nsmallest(limit, zip(map(neg, scores), map(rank, dl), dl, strict=True))]
