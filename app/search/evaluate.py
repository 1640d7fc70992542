"""Relevance evaluation (recall@k and MRR) over a query set; used by bench/relevance.py and tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.search.engine import SearchEngine


@dataclass
class QueryScore:
    query: str
    expect: list[str]
    found: list[str]  # expected ids within the top k
    first_rank: int | None  # rank (1-based) of the first expected id, if any in the results
    top: list[str]
    cls: str = ""  # query class (compound, word, field, english, width, misspelt)
    via_suggestion: bool = False  # nothing matched: scored on the did-you-mean suggestion's results

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.expect) if self.expect else 1.0


@dataclass
class Report:
    k: int
    scores: list[QueryScore]

    @property
    def recall(self) -> float:
        return sum(s.recall for s in self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def mrr(self) -> float:
        return sum(1.0 / s.first_rank for s in self.scores if s.first_rank) / len(self.scores) if self.scores else 0.0

    def subset(self, scores: list[QueryScore]) -> Report:
        return Report(self.k, scores)

    def by_class(self) -> dict[str, Report]:
        """One report per query class, in order of first appearance."""
        out: dict[str, list[QueryScore]] = {}
        for s in self.scores:
            out.setdefault(s.cls or "-", []).append(s)
        return {c: Report(self.k, ss) for c, ss in out.items()}


def load_queries(path: Path) -> list[dict[str, Any]]:
    return [q for q in yaml.safe_load(path.read_text(encoding="utf-8")) if q and q.get("q")]


def evaluate(engine: SearchEngine, queries: list[dict[str, Any]], k: int = 10) -> Report:
    """Recall@k and reciprocal rank per query. A query that finds nothing but offers a did-you-mean
    suggestion is scored on the suggestion's results (one click for the officer), and says so."""
    scores: list[QueryScore] = []
    for item in queries:
        res = engine.search(str(item["q"]), limit=max(k, 50), with_facets=False)
        via = False
        if not res.hits and res.suggestion:
            res = engine.search(res.suggestion, limit=max(k, 50), with_facets=False)
            via = True
        ids = [h.id for h in res.hits]
        expect = [str(x) for x in item["expect"]]
        ranks = [ids.index(x) + 1 for x in expect if x in ids]
        scores.append(QueryScore(str(item["q"]), expect, [x for x in expect if x in ids[:k]],
                                 min(ranks) if ranks else None, ids[:k], str(item.get("class", "")), via))
    return Report(k, scores)
