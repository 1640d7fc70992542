"""A parsed query compiled once per search into what the engine executes.

Words and phrases stay text matches on the scored `all` field; every field filter is resolved
once, through the field registry and the catalog's values (app.search.resolve), into index terms,
a text match on one text part, or "nothing" with a note for the user (with a did-you-mean when a
near value exists). The engine then runs pure set algebra over cached postings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.catalog import fields as registry
from app.search.analysis import key
from app.search.query import And, Filter, Node, Not, Or, Phrase, Word
from app.search.resolve import Resolver, Terms, TextMatch


@dataclass(frozen=True)
class Nothing:
    """Matches no document (a filter value the catalog does not hold)."""


@dataclass(frozen=True)
class Everything:
    """Matches every document (the empty query)."""


@dataclass(frozen=True)
class WordMatch:
    """An unquoted word: matched as a whole or, for a compound, by its parts (app.search.relax)."""

    text: str
    synonyms: tuple[str, ...] = ()  # officer-vocabulary expansions (catalog_data/synonyms.yaml), weighted lower


@dataclass(frozen=True)
class CNot:
    child: Compiled


@dataclass(frozen=True)
class CAnd:
    children: tuple[Compiled, ...]


@dataclass(frozen=True)
class COr:
    children: tuple[Compiled, ...]


Compiled = Terms | TextMatch | WordMatch | Nothing | Everything | CNot | CAnd | COr


class Compiler:
    """Compiles query nodes for one search; a node compiled again (facet counts reuse the query
    without one field's selections) comes from the memo, notes included."""

    def __init__(self, resolver: Resolver, values: Callable[[registry.Field], list[str]],
                 expand: Callable[[str], tuple[str, ...]] | None = None) -> None:
        self.resolver = resolver
        self.values = values
        self.expand = expand  # unquoted word → its synonyms (None: synonyms switched off)
        self._memo: dict[Node, tuple[Compiled, tuple[str, ...]]] = {}

    def compile(self, node: Node | None, notes: list[str]) -> Compiled:
        if node is None:
            return Everything()
        got = self._memo.get(node)
        if got is None:
            mine: list[str] = []
            got = (self._compile(node, mine), tuple(mine))
            self._memo[node] = got
        notes.extend(n for n in got[1] if n not in notes)
        return got[0]

    def _compile(self, node: Node, notes: list[str]) -> Compiled:
        if isinstance(node, Word):  # phrases and field values are never expanded
            return WordMatch(node.text, self.expand(node.text) if self.expand else ())
        if isinstance(node, Phrase):
            return TextMatch(node.text, "all")
        if isinstance(node, Filter):
            return self._filter(node, notes)
        if isinstance(node, Not):  # a negated word excludes the word as typed, not each of its parts
            child = node.child
            return CNot(TextMatch(child.text, "all") if isinstance(child, Word) else self.compile(child, notes))
        if isinstance(node, And):
            return CAnd(tuple(self.compile(c, notes) for c in node.children))
        if isinstance(node, Or):
            return COr(tuple(self.compile(c, notes) for c in node.children))
        return Nothing()

    def _filter(self, f: Filter, notes: list[str]) -> Compiled:
        resolved = self.resolver.resolve(f)
        if resolved is not None:
            return resolved
        spec = registry.BY_NAME[f.field]
        near = self._near_value(spec, f.value)
        ja, en = (f"（もしかして: {near}）", f" (did you mean: {near})") if near else ("", "")
        notes.append(f"{f.field}「{f.value}」に当てはまる値がありません{ja} / no {spec.en} matches '{f.value}'{en}")
        return Nothing()

    def _near_value(self, spec: registry.Field, value: str) -> str | None:
        pool = self.values(spec)
        if not pool:
            return None
        from rapidfuzz import fuzz, process  # here: 4 MB of memory that only a did-you-mean needs

        best = process.extractOne(key(value), [key(p) for p in pool], scorer=fuzz.WRatio, score_cutoff=60)
        return pool[best[2]] if best else None
