"""Compare ways of reading space-free compound queries on the relevance set (bundled catalog).

    python bench/segmenters.py [--repeat 3]

Methods, all through app.search.relax (same matching, ranking and relaxation; only the parts differ):
  * none   - the query word as one unbroken string of bigrams/trigrams (the engine before issue 21);
  * corpus - app.search.segment: catalog document frequencies as the dictionary (what the app uses);
  * bigram - every CJK bigram a part, minimum-should-match 0.7 of the informativeness weight;
  * janome - morphological analysis with janome's IPADIC (only when janome is installed; it is not
             a dependency of the app).
Printed per method: recall@10 and MRR (all queries and the compound class), p50/p95 search latency
over the relevance queries in CPU time (cold: posting caches cleared before each query; "first": also
the segmenter's per-word state), the start-up cost of the segmenter (import + dictionary load) and
its installed size. The index is the same for all
methods (segmentation only touches the query side), so index size does not change.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import paths  # noqa: E402
from app.build import ensure_built  # noqa: E402
from app.search.engine import SearchEngine  # noqa: E402
from app.search.evaluate import evaluate, load_queries  # noqa: E402
from app.search.relax import Relaxer  # noqa: E402


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class _Plain(Relaxer):
    """The engine before issue 21: every word matched as typed, nothing relaxed."""

    def parts(self, word: str, fine: bool = False) -> list:  # type: ignore[override]
        from app.search.segment import Part

        return [Part(word, word)]

    def split_docs(self, word: str):  # type: ignore[no-untyped-def, override]
        return self.engine.text_docs(word), set()

    def relax(self, q):  # type: ignore[no-untyped-def, override]
        return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    res = ensure_built()
    queries = load_queries(ROOT / "tests" / "relevance" / "queries.yaml")
    compound = [q for q in queries if q.get("class") == "compound"]
    methods = ["none", "corpus", "bigram"]
    has_janome = importlib.util.find_spec("janome") is not None
    if has_janome:
        methods.append("janome")
    print(f"{'method':8}{'recall':>8}{'MRR':>7}{'cmp rec':>9}{'cmp MRR':>9}{'p50 ms':>8}{'p95 ms':>8}{'p95 first':>10}"
          f"{'start s':>9}{'size MiB':>10}")
    for m in methods:
        with SearchEngine(res.db_path, paths.index_dir()) as engine:
            start = 0.0
            size = 0.0
            if m == "janome":
                t = time.perf_counter()
                from app.search import segment

                segment.split_janome("地域通貨アプリ")  # import + dictionary load + first call
                start = time.perf_counter() - t
                spec = importlib.util.find_spec("janome")
                assert spec and spec.origin
                size = dir_size(Path(spec.origin).parent) / 2**20
            engine._relax = _Plain(engine) if m == "none" else Relaxer(engine, m)
            allr = evaluate(engine, queries)
            cmp_r = allr.subset([s for s in allr.scores if s.cls == "compound"])
            lat: dict[str, list[float]] = {"cold": [], "first": []}
            for _ in range(args.repeat):
                for mode in ("cold", "first"):
                    for q in queries:
                        engine.clear_cache()  # posting lists and snippets: cold
                        if mode == "first":  # the word never seen: its reading and statistics too
                            engine._relax = _Plain(engine) if m == "none" else Relaxer(engine, m)
                        t = time.process_time()
                        engine.search(str(q["q"]), limit=100, with_facets=True)
                        lat[mode].append((time.process_time() - t) * 1000)
            p95 = {k: sorted(v)[int(0.95 * (len(v) - 1))] for k, v in lat.items()}
            print(f"{m:8}{allr.recall:8.3f}{allr.mrr:7.3f}{cmp_r.recall:9.3f}{cmp_r.mrr:9.3f}"
                  f"{statistics.median(lat['cold']):8.1f}{p95['cold']:8.1f}{p95['first']:10.1f}{start:9.2f}{size:10.1f}")
    print(f"queries: {len(queries)} ({len(compound)} compound). Latency is CPU time (process_time) of "
          "SearchEngine.search (limit 100, facets): p50/p95 with posting and snippet caches cleared before each "
          "query; 'p95 first' also with a fresh reading of the word (its segmentation and statistics never seen).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
