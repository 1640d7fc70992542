"""Precision@3 of gap fill suggestions on the hand-checked set tests/data/suggestions.yaml.

    .venv/bin/python bench/suggestions.py [--before REV] [--verbose]

Builds the bundled catalog into a temp folder, then ranks every case's gap with the current code
("after") and with app/plan/coverage.py as of REV ("before", default: the commit before suggestions
were reworked), loaded from git into a throw-away module. Precision@3 of a case = the share of the top
3 suggestions that the case lists as acceptable, with the denominator min(3, number acceptable) so
a perfect ranking scores 1.0; a gap with fewer suggestions than that loses the missing places.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog.loader import load_catalog  # noqa: E402
from app.catalog.store import CatalogDB, build_db  # noqa: E402
from app.plan.coverage import compute_coverage  # noqa: E402

CASES = ROOT / "tests" / "data" / "suggestions.yaml"
BEFORE = "5aa486d"  # main when issue 19's suggestion work started


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])


def old_module(rev: str) -> types.ModuleType:
    """app/plan/coverage.py as of `rev`, imported under another name (its imports still resolve)."""
    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:app/plan/coverage.py"], check=True,
                         capture_output=True, text=True, encoding="utf-8").stdout
    spec = importlib.util.spec_from_loader("coverage_before", loader=None)
    assert spec is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["coverage_before"] = mod  # dataclasses look their module up
    exec(compile(src, f"{rev}:app/plan/coverage.py", "exec"), mod.__dict__)  # noqa: S102 - our own file from git
    return mod


def precision_at_3(top: list[str], acceptable: list[str]) -> float:
    denom = min(3, len(acceptable))
    return sum(1 for s in top[:3] if s in acceptable) / denom if denom else 0.0


def top3(compute: Any, db: CatalogDB, case: dict[str, Any]) -> list[str]:
    cov = compute(db, case["plan"], case.get("answers") or {}, max_suggestions=3)
    return [s.service_id for s in cov.suggestions.get(case["gap"], [])]


def gap_exists(db: CatalogDB, case: dict[str, Any]) -> bool:
    cov = compute_coverage(db, case["plan"], case.get("answers") or {}, with_suggestions=False)
    return any(g.node_id == case["gap"] for g in cov.gaps)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=BEFORE, help="git revision of the 'before' coverage.py")
    ap.add_argument("--verbose", action="store_true", help="print every case's top 3")
    args = ap.parse_args(argv)
    cases = load_cases()
    old = old_module(args.before)
    with tempfile.TemporaryDirectory() as tmp:
        cat = load_catalog(ROOT / "catalog_data")
        build_db(cat, Path(tmp) / "catalog.db")
        db = CatalogDB(Path(tmp) / "catalog.db")
        try:
            scores: dict[str, list[float]] = {"before": [], "after": []}
            for case in cases:
                if not gap_exists(db, case):
                    print(f"!! {case['id']}: {case['gap']} is not a gap of the plan any more", file=sys.stderr)
                for label, fn in (("before", old.compute_coverage), ("after", compute_coverage)):
                    got = top3(fn, db, case)
                    p = precision_at_3(got, case["acceptable"])
                    scores[label].append(p)
                    if args.verbose:
                        print(f"{case['id']:<34} {label:<6} P@3={p:.2f}  {', '.join(got)}")
        finally:
            db.close()
    n = len(cases)
    print(f"cases: {n}")
    for label, vals in scores.items():
        print(f"precision@3 {label}: {sum(vals) / n:.3f}  (perfect cases {sum(1 for v in vals if v == 1.0)}/{n})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
