"""Hits of a search: each document's facts (docs.json) plus its highlighted name and snippet.

Highlighting is most of the cost of a hit (the text is normalised once per document, then the
query's words are marked), and a window shows a screen of rows, not the thousand a search may
return. So `make(…, eager=n)` highlights the first n hits now and returns the rest as a
`Pending` job, which the caller runs later (the UI: in its search thread, after the rows are
shown); until then those hits have an empty snippet.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count, repeat
from operator import add, neg

from app.catalog import fields as registry
from app.search.analysis import normalize
from app.search.hits import Hit
from app.search.index import DocTable
from app.search.snippets import SNIPPET_CHARS, Text, first_match, flat_text, snippet

CACHE_DOCS = 5000  # normalised texts kept per kind (bodies, names), dropped all at once when full
FACT_KEYS = tuple(f.key for f in registry.FACTS)


@dataclass
class Pending:
    """Hits left to highlight: `run()` fills their snippet and name_html (in place) and returns how many."""

    hits: list[Hit]
    docnums: list[int]
    needles: list[str]
    highlight: Callable[[Hit, int, list[str]], None]

    def run(self, stop: Callable[[], bool] | None = None) -> int:
        """Highlight the hits; `stop()` (asked every few hits) ends it early (a newer search is waiting)."""
        for i, (hit, docnum) in enumerate(zip(self.hits, self.docnums, strict=True)):
            if stop is not None and i % 50 == 0 and stop():
                return i
            self.highlight(hit, docnum, self.needles)
        return len(self.hits)


class HitList:
    """Builds hits for one open index; `body_of(docnum)` reads a document's description."""

    def __init__(self, docs: DocTable, body_of: Callable[[int], str], norm_of: Callable[[int, str], str] | None = None) -> None:
        self.docs = docs
        self.body_of = body_of
        self.norm_of = norm_of  # (docnum, "body" or "name") → that part normalised, as the index stores it
        # the docs.json columns a hit copies, read by docnum (cheaper than a DocMeta per hit)
        self._cols = tuple(docs.column(c) for c in ("id", "k", "name", "provider", "field", "field_id", "label", "prefs",
                                                     "munis", "groups", "personal", "type", "edition", "facts"))
        self._bodies: dict[int, Text | tuple[str, str]] = {}  # description as one line, normalised
        self._names: dict[int, tuple[str, str]] = {}  # name as one line, normalised

    def clear(self) -> None:
        self._bodies.clear()
        self._names.clear()

    def make(self, top: list[tuple[float, int]], needles: list[str], eager: int | None = None,
             rows: int | None = None) -> tuple[list[Hit], Pending, list[tuple[float, int]]]:
        """Hits for (negated score, docnum) pairs in score, name, id order; the first `eager` (None:
        all) highlighted, the others in the returned Pending job. With `rows`, only the first `rows`
        hits are made now; the rest come back as (score, docnum) pairs in order, for `more()`."""
        ids, names = self._cols[0], self._cols[2]
        docs = [d for _, d in top]
        shown = list(map(add, map(round, map(neg, (s for s, _ in top)), repeat(4)), repeat(0.0)))  # Hit.score
        # by (-score, name, id), ties kept in `top` order (the tuples are made and compared in C)
        keys = sorted(zip(map(neg, shown), map(names.__getitem__, docs), map(ids.__getitem__, docs), count()))
        scored = [(shown[k[3]], docs[k[3]]) for k in keys]
        now, later = (scored, []) if rows is None else (scored[:max(0, rows)], scored[max(0, rows):])
        made = [self._hit(score, d) for score, d in now]
        cut = len(made) if eager is None else max(0, eager)
        for hit, (_, docnum) in zip(made[:cut], now, strict=False):
            self.highlight(hit, docnum, needles)
        return made, Pending(made[cut:], [d for _, d in now[cut:]], needles, self.highlight), later

    def more(self, later: list[tuple[float, int]], pending: Pending) -> list[Hit]:
        """The hits `make(rows=…)` left (unhighlighted: added to `pending`)."""
        made = [self._hit(score, d) for score, d in later]
        pending.hits.extend(made)
        pending.docnums.extend(d for _, d in later)
        return made

    def _hit(self, score: float, d: int) -> Hit:
        ids, kinds, names, providers, fields, field_ids, labels, prefs, munis, groups, personal, types, editions, facts = self._cols
        return Hit(ids[d], kinds[d], names[d], providers[d], fields[d], score, "", "", field_ids[d], labels[d], list(prefs[d]),
                   list(munis[d]), list(groups[d]), personal[d], types[d], editions[d],
                   dict(zip(FACT_KEYS, facts[d], strict=False)) if kinds[d] == "service" else {})

    def highlight(self, hit: Hit, docnum: int, needles: list[str]) -> None:
        body = self._body(docnum)
        # offsets mapped only as far as the window reaches when the text needs the costly map
        hit.snippet = body.highlight(needles, SNIPPET_CHARS) if isinstance(body, Text) else snippet(*body, needles, SNIPPET_CHARS)
        if not needles:
            hit.name_html = html.escape(hit.name)
            return
        flat, norm = self._name(docnum, hit.name)
        # most hits match in their description only: a name without a match needs no offset map
        hit.name_html = html.escape(flat) if first_match(norm, needles) is None \
            else (Text.light(flat, norm) or Text.of_flat(flat)).highlight(needles)

    def _name(self, docnum: int, name: str) -> tuple[str, str]:
        """A document's name as one line and normalised (the index's copy: the name part's first
        line, when the name is shown as stored). Cached."""
        got = self._names.get(docnum)
        if got is None:
            if len(self._names) > CACHE_DOCS:
                self._names.clear()
            flat = flat_text(name)
            norm = self.norm_of(docnum, "name").split("\n", 1)[0] if self.norm_of is not None and flat == name else None
            got = self._names[docnum] = (flat, normalize(flat) if norm is None else norm)
        return got

    def _body(self, docnum: int) -> Text | tuple[str, str]:
        """A document's description as one line: as a Text when its offset maps are light (one
        character to one, the usual case), else as (text, normalised text). Cached."""
        got = self._bodies.get(docnum)
        if got is None:
            if len(self._bodies) > CACHE_DOCS:
                self._bodies.clear()
            raw = self.body_of(docnum)
            flat = flat_text(raw)
            # the index's normalised copy, when the text is shown as stored (no line breaks to flatten)
            norm = self.norm_of(docnum, "body") if self.norm_of is not None and flat == raw else None
            got = self._bodies[docnum] = Text.light(flat, norm) or Text.light(flat) or (flat, normalize(flat))
        return got
