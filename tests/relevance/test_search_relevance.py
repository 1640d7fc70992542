"""Relevance of the bundled catalog over tests/relevance/queries.yaml: recall@10 >= 0.95 and MRR >= 0.9
overall, recall@10 >= 0.9 in every query class, and the original 60 queries keep recall@10 1.000 and
MRR >= 0.938 (with their expected ids updated for the wave-2 entries)."""

from __future__ import annotations

from pathlib import Path

from app import paths
from app.build import ensure_built
from app.search.engine import SearchEngine
from app.search.evaluate import evaluate, load_queries

QUERIES = Path(__file__).with_name("queries.yaml")
CLASSES = {"compound", "word", "field", "english", "width", "misspelt", "synonym", "municipality"}
ORIGINAL = 60  # the set before compound queries were added (issue 21)


def test_relevance_set_recall_at_10_per_class(ui_home: Path) -> None:
    res = ensure_built()  # the session's build of the bundled catalog (tests/conftest.py), checked as current
    queries = load_queries(QUERIES)
    assert len(queries) >= 120
    assert {q.get("class") for q in queries} == CLASSES, "every query is tagged with a known class"
    assert sum(q["class"] == "compound" for q in queries) >= 60
    assert sum(q["class"] == "synonym" for q in queries) >= 10
    assert sum(q["class"] == "municipality" for q in queries) >= 10
    assert all(" " not in q["q"] and "\u3000" not in q["q"] for q in queries if q["class"] == "compound")
    with SearchEngine(res.db_path, paths.index_dir()) as engine:
        known = set(engine._db.service_ids()) | set(engine.nodes)  # type: ignore[union-attr]
        missing = sorted({x for q in queries for x in q["expect"]} - known)
        assert not missing, f"relevance set names entries that are not in the catalog: {missing}"
        report = evaluate(engine, queries, k=10)
    assert report.recall >= 0.95 and report.mrr >= 0.9, f"overall: recall@10 {report.recall:.3f}, MRR {report.mrr:.3f}"
    for cls, sub in report.by_class().items():
        misses = [(s.query, [x for x in s.expect if x not in s.found]) for s in sub.scores if s.recall < 1]
        assert sub.recall >= 0.9, f"{cls}: recall@10 {sub.recall:.3f} (MRR {sub.mrr:.3f}); misses: {misses}"
    old = report.subset(report.scores[:ORIGINAL])
    assert old.recall == 1.0 and old.mrr >= 0.938, f"original queries: recall@10 {old.recall:.3f}, MRR {old.mrr:.3f}"
    assert not any(s.via_suggestion for s in report.scores if s.cls != "misspelt")
