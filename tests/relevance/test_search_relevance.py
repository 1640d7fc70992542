"""Relevance of the bundled catalog: recall@10 over tests/relevance/queries.yaml must be >= 0.9."""

from __future__ import annotations

from pathlib import Path

from app import paths
from app.build import ensure_built
from app.search.engine import SearchEngine
from app.search.evaluate import evaluate, load_queries

QUERIES = Path(__file__).with_name("queries.yaml")


def test_relevance_set_recall_at_10(ui_home: Path) -> None:
    res = ensure_built()  # the session's build of the bundled catalog (tests/conftest.py), checked as current
    queries = load_queries(QUERIES)
    assert len(queries) >= 40
    with SearchEngine(res.db_path, paths.index_dir()) as engine:
        known = set(engine._db.service_ids()) | set(engine.nodes)  # type: ignore[union-attr]
        missing = sorted({x for q in queries for x in q["expect"]} - known)
        assert not missing, f"relevance set names entries that are not in the catalog: {missing}"
        report = evaluate(engine, queries, k=10)
    misses = [(s.query, [x for x in s.expect if x not in s.found]) for s in report.scores if s.recall < 1]
    assert report.recall >= 0.9, f"recall@10 {report.recall:.3f} (MRR {report.mrr:.3f}); misses: {misses}"
