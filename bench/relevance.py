"""Print recall@10 and MRR (overall, per query class) on tests/relevance/queries.yaml (bundled catalog).

    python bench/relevance.py [--k 10] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import paths  # noqa: E402
from app.build import ensure_built  # noqa: E402
from app.search.engine import SearchEngine  # noqa: E402
from app.search.evaluate import evaluate, load_queries  # noqa: E402

ORIGINAL = 60  # the first queries of the set, as it was before compound queries were added


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--queries", type=Path, default=ROOT / "tests" / "relevance" / "queries.yaml")
    args = ap.parse_args()
    res = ensure_built()
    with SearchEngine(res.db_path, paths.index_dir()) as engine:
        report = evaluate(engine, load_queries(args.queries), args.k)
    for s in report.scores:
        if args.verbose or s.recall < 1:
            miss = [x for x in s.expect if x not in s.found]
            print(f"{s.recall:4.2f} rank1={s.first_rank} {s.query!r} missing={miss} top={s.top[:5]}")
    print(f"queries: {len(report.scores)}  recall@{args.k}: {report.recall:.3f}  MRR: {report.mrr:.3f}")
    print(f"{'class':10}{'queries':>8}{'recall@' + str(args.k):>11}{'MRR':>7}{'via did-you-mean':>18}")
    for cls, sub in report.by_class().items():
        via = sum(s.via_suggestion for s in sub.scores)
        print(f"{cls:10}{len(sub.scores):8}{sub.recall:11.3f}{sub.mrr:7.3f}{via:18}")
    old = report.subset(report.scores[:ORIGINAL])
    print(f"{'original':10}{len(old.scores):8}{old.recall:11.3f}{old.mrr:7.3f}   (the first {ORIGINAL} queries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
