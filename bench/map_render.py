"""Map of Japan: time to count adoptions and paint the tile map, for the catalog's results and for
synthetic result sets (10k entries × a few municipalities each). Prints milliseconds and the ratio
to painting the empty map in the same run (no wall-clock limits).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/map_render.py
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Sequence

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _best(fn: Callable[[], object], n: int = 5) -> float:
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def main() -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from app import paths
    from app.build import ensure_built
    from app.search.engine import SearchEngine
    from app.ui.app import create_application
    from app.ui.japan_map import TILES, JapanMap, adoptions_by_prefecture

    create_application("ja")
    m = JapanMap()
    m.resize(560, 480)
    img = QImage(560, 480, QImage.Format.Format_ARGB32)

    def render(munis: Sequence[Sequence[str]]) -> None:
        m.set_counts(adoptions_by_prefecture(munis))
        p = QPainter(img)
        m.paint_map(p, QRectF(0, 0, 560, 480))
        p.end()

    base = _best(lambda: render([]))
    res = ensure_built()
    with SearchEngine(res.db_path, paths.index_dir()) as engine:
        hits = engine.search("", limit=100000, with_facets=False).hits
    real = [h.municipalities for h in hits]
    rng = random.Random(7)
    prefs = list(TILES)
    synth = [[f"{rng.choice(prefs)}市{rng.randrange(50)}" for _ in range(rng.randrange(0, 6))] for _ in range(10_000)]
    print(f"empty map paint: {base:.2f} ms (baseline)")
    for label, munis in ((f"catalog, {len(real)} results, {sum(map(len, real))} adoptions", real),
                         (f"synthetic, {len(synth)} results, {sum(map(len, synth))} adoptions", synth)):
        ms = _best(lambda munis=munis: render(munis))
        print(f"{label}: {ms:.2f} ms  ({ms / base:.2f}× the empty map)")


if __name__ == "__main__":
    main()
