"""Relevance of the bundled catalog over tests/relevance/queries.yaml: recall@10 >= 0.9 in every
query class, and the original 60 queries keep their figures (recall@10 1.000, MRR 0.939, i.e. 0.9389)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import paths
from app.build import ensure_built
from app.search.engine import SearchEngine
from app.search.evaluate import evaluate, load_queries

QUERIES = Path(__file__).with_name("queries.yaml")
CLASSES = {"compound", "word", "field", "english", "width", "misspelt"}
ORIGINAL = 60  # the set before compound queries were added (issue 21)


def test_relevance_set_recall_at_10_per_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ENV_HOME, str(tmp_path))
    monkeypatch.delenv(paths.ENV_CATALOG, raising=False)
    res = ensure_built()
    queries = load_queries(QUERIES)
    assert len(queries) >= 120
    assert {q.get("class") for q in queries} == CLASSES, "every query is tagged with a known class"
    assert sum(q["class"] == "compound" for q in queries) >= 60
    assert all(" " not in q["q"] and "\u3000" not in q["q"] for q in queries if q["class"] == "compound")
    with SearchEngine(res.db_path, paths.index_dir()) as engine:
        known = set(engine._db.service_ids()) | set(engine.nodes)  # type: ignore[union-attr]
        missing = sorted({x for q in queries for x in q["expect"]} - known)
        assert not missing, f"relevance set names entries that are not in the catalog: {missing}"
        report = evaluate(engine, queries, k=10)
    for cls, sub in report.by_class().items():
        misses = [(s.query, [x for x in s.expect if x not in s.found]) for s in sub.scores if s.recall < 1]
        assert sub.recall >= 0.9, f"{cls}: recall@10 {sub.recall:.3f} (MRR {sub.mrr:.3f}); misses: {misses}"
    old = report.subset(report.scores[:ORIGINAL])
    assert old.recall == 1.0 and old.mrr >= 0.938, f"original queries: recall@10 {old.recall:.3f}, MRR {old.mrr:.3f}"
    assert not any(s.via_suggestion for s in report.scores if s.cls != "misspelt")
