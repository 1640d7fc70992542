"""The normalised text of every indexed document: what keeps a long query word's character order.

The index holds CJK bigrams, not trigrams (app.search.analysis): a query run of three or more CJK
characters matches the documents holding all its covering bigrams, and of those the ones whose
text holds the run itself. That text is kept here, one string per document number: the normalised
text of each scored part (registry.TEXT_WEIGHTS order) joined by SEP, so a run is found inside one
part (SEP is not a CJK character) and a field query (`provider:…`) checks its own part only.

Written as texts.dat by the index build and rewritten by incremental updates, with each document's
description as written (for highlighting); read on the first check or highlight (about 2 bytes per
character in memory; a deleted document number has "").
"""

from __future__ import annotations

import gc
import json
import zlib
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate, compress, repeat
from operator import contains
from pathlib import Path
from typing import Any

from app.catalog import fields as registry
from app.search.analysis import normalize

TEXTS = "texts.dat"  # a JSON line of string lengths, then the strings (UTF-8)
SEP = "\x1f"
PARTS = tuple(registry.TEXT_WEIGHTS)  # the scored parts, in the order they are joined
WEIGHTS = tuple(registry.TEXT_WEIGHTS.values())
_PART_AT = {name: i for i, name in enumerate(PARTS)}


def doc_text(d: dict[str, Any]) -> str:
    """The stored text of an index document (app.search.index.service_doc / node_doc)."""
    return SEP.join(normalize(d.get(f) or "") for f in PARTS)


def write_texts(folder: Path, texts: Iterable[str], bodies: Iterable[str]) -> None:
    """texts.dat: per document number its normalised text (`doc_text`) and its description as
    written (highlighted in results: read here, not from Whoosh's compressed stored fields).
    One JSON line with every string's length, then the strings themselves, concatenated: at 10k
    entries (11 MB) this reads and writes in half the time of a JSON list of strings."""
    texts, bodies = list(texts), list(bodies)
    if len(texts) != len(bodies):
        raise ValueError("one text and one description per document")
    head = json.dumps({"format": 1, "docs": len(texts), "lengths": [len(t) for t in (*texts, *bodies)]})
    (folder / TEXTS).write_bytes(head.encode("ascii") + b"\n" + "".join(texts).encode("utf-8") + "".join(bodies).encode("utf-8"))


def read_texts(folder: Path, expect: list[int] | None = None) -> tuple[list[str], list[str]]:
    """(texts, bodies) of an index dir's texts.dat; with `expect` (its stamp entry: size and, if
    there, CRC-32) a file that changed since it was stamped raises ValueError."""
    raw = (folder / TEXTS).read_bytes()
    if expect is not None and ([len(raw)] if len(expect) < 2 else [len(raw), zlib.crc32(raw)]) != list(expect):
        raise ValueError(f"{folder / TEXTS}: changed since the index was stamped")
    cut = raw.find(b"\n")
    head = json.loads(raw[:cut]) if cut > 0 else None
    lengths = head.get("lengths") if isinstance(head, dict) and head.get("format") == 1 else None
    n = head.get("docs") if lengths is not None else None
    blob = raw[cut + 1:].decode("utf-8")
    if not isinstance(n, int) or not isinstance(lengths, list) or len(lengths) != 2 * n \
            or not all(isinstance(k, int) and k >= 0 for k in lengths) or sum(lengths) != len(blob):
        raise ValueError(f"{folder / TEXTS}: not the texts and descriptions of an index")
    offsets = [0, *accumulate(lengths)]
    strings = list(map(blob.__getitem__, map(slice, offsets, offsets[1:])))
    return strings[:n], strings[n:]


class DocTexts:
    """texts.dat of one open index, read when first needed (callers lock, as for the executor)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._texts: list[str] | None = None
        self._bodies: list[str] = []
        self._bounds: list[tuple[int, ...]] = []  # per document: the offsets of its SEPs (where its parts end)

    def texts(self) -> list[str]:
        if self._texts is None:
            texts, self._bodies = read_texts(self.folder)
            bounds: list[tuple[int, ...]] = []
            for t in texts:
                b, i = [], t.find(SEP)
                while i >= 0:
                    b.append(i)
                    i = t.find(SEP, i + 1)
                bounds.append(tuple(b))  # (tuples of ints: nothing for the garbage collector to walk)
            self._texts, self._bounds = texts, bounds
            gc.freeze()  # read once and kept while the index is open, like the engine's tables (app.search.engine)
        return self._texts

    def body(self, d: int) -> str:
        """The description of document `d` as written."""
        if self._texts is None:
            self.texts()
        return self._bodies[d]

    def part(self, d: int, name: str) -> str:
        """The normalised text of one part (PARTS) of document `d` ("" for a deleted document)."""
        t, b = (self._texts if self._texts is not None else self.texts())[d], self._bounds[d]
        if not b:
            return t
        p = _PART_AT[name]
        return t[b[p - 1] + 1 if p else 0:b[p] if p < len(b) else len(t)]

    def run_weights(self, run: str, docs: Iterable[int], part: str | None = None) -> dict[int, float]:
        """For each document of `docs` whose text holds `run`: the run's term frequency, each
        occurrence (overlapping ones too, as index terms are counted) weighted by its part's BM25F
        weight, or with `part` (a part name) 1 per occurrence in that part only. Every text is
        scanned once (str.find); a loop over per-part columns with str.count in C measured 2x slower."""
        texts, bounds, weights = self.texts(), self._bounds, WEIGHTS
        if part is not None:
            one = [0.0] * len(PARTS)
            one[PARTS.index(part)] = 1.0
            weights = tuple(one)
        out: dict[int, float] = {}
        for d in docs:
            t = texts[d]
            i = t.find(run)
            if i < 0:
                continue
            b = bounds[d]
            w = weights[bisect_right(b, i)]
            i = t.find(run, i + 1)
            while i >= 0:
                w += weights[bisect_right(b, i)]
                i = t.find(run, i + 1)
            if w:
                out[d] = w
        return out

    def holding(self, run: str, docs: Iterable[int]) -> list[int]:
        """The documents of `docs` whose text holds `run` (in any part), in order."""
        docs = list(docs)
        return list(compress(docs, map(contains, map(self.texts().__getitem__, docs), repeat(run))))
