"""Search query grammar: a forgiving parser that never raises, and canonical text for it.

    query    := or_expr
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary+                      (juxtaposition = AND; the word AND is accepted)
    unary    := ("-" | "NOT") unary | atom
    atom     := "(" or_expr ")" | '"phrase"' | field ":" ["="] value | word
    value    := '"quoted value"' | bare-value

Full-width spaces, parentheses, quotes, colons and minus signs work like their ASCII forms.
Field names have Japanese and English spellings (分野/field …); canonical text uses the Japanese
ones. `field:=value` asks for an exact value; `field:なし` / `field:none` asks for a missing one.
Anything odd (unbalanced quotes or parentheses, a dangling OR, an unknown field, an empty value)
is repaired with a short Japanese/English note in `Query.message`.

Query objects are immutable; `terms()`, `without()` and `with_filter()` give the UI its chips and
facet toggles, always returning a new Query whose `to_text()` parses back to an equal Query.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Union

from app.catalog import fields as registry
from app.search.analysis import char_class, normalize

# canonical (Japanese) name → accepted spellings, and the English names: both from the registry
FIELDS: dict[str, tuple[str, ...]] = {f.name: f.names for f in registry.FIELDS}
FIELD_EN: dict[str, str] = {f.name: f.en for f in registry.FIELDS}
NONE_VALUES = ("なし", "none", "無し", "-")

_WS = set(" \t\r\n\u3000\u00a0")
_OPEN = set("(（")
_CLOSE = set(")）")
_QUOTES = set('"＂“”')
_MINUS = set("-－−")
_COLON = set(":：")
_EQ = set("=＝")
_BREAK = _WS | _OPEN | _CLOSE | _QUOTES
_MAX_DEPTH = 32


def canonical_field(name: str) -> str | None:
    """Canonical (Japanese) field name for any accepted spelling, else None."""
    return registry.canonical_name(name)


def _searchable(text: str) -> bool:
    return any(char_class(c) for c in normalize(text))


# ---------------------------------------------------------------------------------------------
# AST


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Filter:
    field: str  # canonical Japanese field name
    value: str
    exact: bool = False

    @property
    def is_none(self) -> bool:
        return not self.exact and self.value.strip().casefold() in NONE_VALUES


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Union[Word, Phrase, Filter, Not, And, Or]  # noqa: UP007 (a runtime alias)


def and_(items: list[Node | None]) -> Node | None:
    flat: list[Node] = []
    for it in items:
        if it is None:
            continue
        if isinstance(it, And):
            flat.extend(it.children)
        else:
            flat.append(it)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def or_(items: list[Node | None]) -> Node | None:
    flat: list[Node] = []
    for it in items:
        if it is None:
            continue
        if isinstance(it, Or):
            flat.extend(it.children)
        else:
            flat.append(it)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def not_(item: Node | None) -> Node | None:
    if item is None:
        return None
    if isinstance(item, Not):
        return item.child
    return Not(item)


# ---------------------------------------------------------------------------------------------
# Canonical text


def _clean_value(value: str) -> str:
    """Values cannot contain quote characters (there is no escape); drop them."""
    return "".join(c for c in value if c not in _QUOTES).strip()


def format_value(value: str) -> str:
    if not value or value[0] in _EQ or any(c in _BREAK for c in value):
        return f'"{value}"'
    return value


def filter_text(fieldname: str, value: str, exact: bool = False) -> str:
    return f"{fieldname}:{'=' if exact else ''}{format_value(value)}"


def node_text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Filter):
        return filter_text(node.field, node.value, node.exact)
    if isinstance(node, Not):
        inner = node_text(node.child)
        return f"-({inner})" if isinstance(node.child, (And, Or)) else f"-{inner}"
    if isinstance(node, And):
        return " ".join(f"({node_text(c)})" if isinstance(c, Or) else node_text(c) for c in node.children)
    if isinstance(node, Or):
        return " OR ".join(f"({node_text(c)})" if isinstance(c, And) else node_text(c) for c in node.children)
    return ""


# ---------------------------------------------------------------------------------------------
# Lexer and parser


@dataclass
class _Tok:
    kind: str  # "(" ")" "or" "and" "not" "neg" "word" "phrase" "filter"
    text: str = ""
    field: str = ""
    exact: bool = False
    closed: bool = True


def _lex(text: str, notes: list[str]) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(text)

    def read_quoted(j: int) -> tuple[str, int, bool]:
        k = j + 1
        while k < n and text[k] not in _QUOTES:
            k += 1
        closed = k < n
        return text[j + 1:k], (k + 1 if closed else k), closed

    while i < n:
        c = text[i]
        if c in _WS:
            i += 1
        elif c in _OPEN:
            out.append(_Tok("("))
            i += 1
        elif c in _CLOSE:
            out.append(_Tok(")"))
            i += 1
        elif c in _QUOTES:
            body, i, closed = read_quoted(i)
            out.append(_Tok("phrase", body, closed=closed))
        elif c in _MINUS:
            if i + 1 < n and text[i + 1] not in _WS and text[i + 1] not in _CLOSE:
                out.append(_Tok("neg"))
            i += 1
        else:
            j = i
            while j < n and text[j] not in _BREAK:
                j += 1
            word = text[i:j]
            i = j
            kw = unicodedata.normalize("NFKC", word)
            if kw in ("OR", "AND", "NOT", "|", "||"):
                out.append(_Tok({"|": "or", "||": "or"}.get(kw, kw.lower())))
                continue
            colon = next((k for k, ch in enumerate(word) if ch in _COLON), -1)
            fname = canonical_field(word[:colon]) if colon > 0 else None
            if fname is None:
                if colon > 0 and not word[colon + 1:].startswith("//") and word[:colon].isalpha() and len(word[:colon]) <= 12:
                    notes.append(f"不明な項目「{word[:colon]}:」は語として検索しました / unknown field '{word[:colon]}:' searched as text")
                out.append(_Tok("word", word))
                continue
            rest = word[colon + 1:]
            exact = bool(rest) and rest[0] in _EQ
            if exact:
                rest = rest[1:]
            closed = True
            if not rest and i < n and text[i] in _QUOTES:
                rest, i, closed = read_quoted(i)
            out.append(_Tok("filter", rest, field=fname, exact=exact, closed=closed))
    return out


class _Parser:
    def __init__(self, toks: list[_Tok], notes: list[str]) -> None:
        self.toks = toks
        self.i = 0
        self.notes = notes
        self.depth = 0

    def peek(self) -> str | None:
        return self.toks[self.i].kind if self.i < len(self.toks) else None

    def note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)

    def parse(self) -> Node | None:
        parts: list[Node | None] = []
        while self.i < len(self.toks):
            parts.append(self.parse_or())
            if self.peek() == ")":
                self.i += 1
                self.note("対応する「(」のない「)」を無視しました / ignored an unmatched ')'")
        return and_(parts)

    def parse_or(self) -> Node | None:
        parts = [self.parse_and()]
        while self.peek() == "or":
            self.i += 1
            if parts[-1] is None:
                self.note("OR の前に語がありません / nothing before OR")
            if self.peek() in (None, ")", "or"):
                self.note("OR の後に語がありません / nothing after OR")
                continue
            parts.append(self.parse_and())
        return or_(parts)

    def parse_and(self) -> Node | None:
        items: list[Node | None] = []
        while self.peek() not in (None, ")", "or"):
            if self.peek() == "and":
                self.i += 1
                continue
            items.append(self.parse_unary())
        return and_(items)

    def parse_unary(self) -> Node | None:
        negs = 0
        while self.peek() in ("neg", "not"):
            self.i += 1
            negs += 1
        if negs and self.peek() in (None, ")", "or", "and"):
            self.note("NOT / - の後に語がありません / nothing after NOT or -")
            return None
        atom = self.parse_atom()
        if atom is None:
            return None
        return not_(atom) if negs % 2 else atom

    def parse_atom(self) -> Node | None:
        tok = self.toks[self.i]
        self.i += 1
        if tok.kind == "(":
            if self.depth >= _MAX_DEPTH:
                self.note("括弧が深すぎます / parentheses nested too deeply")
                return None
            self.depth += 1
            inner = self.parse_or()
            self.depth -= 1
            if self.peek() == ")":
                self.i += 1
            else:
                self.note("閉じ括弧「)」がありません / missing ')'")
            return inner
        if tok.kind == "phrase":
            if not tok.closed:
                self.note("閉じる「\"」がありません / missing closing quote")
            text = tok.text.strip()
            return Phrase(text) if _searchable(text) else None
        if tok.kind == "word":
            return Word(tok.text) if _searchable(tok.text) else None
        if tok.kind == "filter":
            if not tok.closed:
                self.note("閉じる「\"」がありません / missing closing quote")
            value = tok.text.strip()
            if not value:
                self.note(f"「{tok.field}:」の値がありません / no value after '{FIELD_EN[tok.field]}:'")
                return None
            return Filter(tok.field, value, tok.exact)
        return None  # stray keyword; callers never pass one here


# ---------------------------------------------------------------------------------------------
# Query object


@dataclass(frozen=True)
class Term:
    """One chip of the query: a top-level condition the user can remove."""

    field: str | None  # canonical field name for filters, None for words, phrases and groups
    value: str
    negated: bool
    text: str
    exact: bool = False
    path: tuple[int, ...] = ()


@dataclass(frozen=True)
class Query:
    root: Node | None
    message: str | None = field(default=None, compare=False)

    # -- text
    def to_text(self) -> str:
        return node_text(self.root)

    def __str__(self) -> str:
        return self.to_text()

    @property
    def is_empty(self) -> bool:
        return self.root is None

    def conjuncts(self) -> list[Node]:
        if self.root is None:
            return []
        return list(self.root.children) if isinstance(self.root, And) else [self.root]

    # -- chips
    def terms(self) -> list[Term]:
        out: list[Term] = []
        for i, node in enumerate(self.conjuncts()):
            if isinstance(node, Filter):
                out.append(Term(node.field, node.value, False, node_text(node), node.exact, (i,)))
            elif isinstance(node, Not) and isinstance(node.child, Filter):
                f = node.child
                out.append(Term(f.field, f.value, True, node_text(node), f.exact, (i,)))
            elif isinstance(node, (Word, Phrase)):
                out.append(Term(None, node.text, False, node_text(node), False, (i,)))
            elif isinstance(node, Not) and isinstance(node.child, (Word, Phrase)):
                out.append(Term(None, node.child.text, True, node_text(node), False, (i,)))
            elif _same_field_or(node):
                assert isinstance(node, Or)
                for j, f in enumerate(node.children):
                    assert isinstance(f, Filter)
                    out.append(Term(f.field, f.value, False, node_text(f), f.exact, (i, j)))
            else:
                out.append(Term(None, node_text(node), False, node_text(node), False, (i,)))
        return out

    def without(self, term: Term) -> Query:
        """The query with one chip removed (matched by position, else by text)."""
        chips = self.terms()
        target = term if term in chips else next((t for t in chips if t.text == term.text and t.negated == term.negated), None)
        if target is None:
            return self
        parts = self.conjuncts()
        i = target.path[0]
        if len(target.path) == 1:
            del parts[i]
        else:
            group = parts[i]
            assert isinstance(group, Or)
            rest = [c for j, c in enumerate(group.children) if j != target.path[1]]
            parts[i] = or_(list(rest))  # type: ignore[call-overload]
        return Query(and_(list(parts)))

    def filters(self, fieldname: str | None = None, negated: bool = False) -> list[Filter]:
        """Top-level filters (members of same-field OR groups included) of one field, or all."""
        canon = canonical_field(fieldname) if fieldname else None
        out: list[Filter] = []
        for node in self.conjuncts():
            if negated:
                cands = [node.child] if isinstance(node, Not) and isinstance(node.child, Filter) else []
            elif isinstance(node, Filter):
                cands = [node]
            elif _same_field_or(node):
                cands = list(node.children)  # type: ignore[union-attr]
            else:
                cands = []
            out.extend(f for f in cands if isinstance(f, Filter) and (canon is None or f.field == canon))
        return out

    def without_field(self, fieldname: str) -> Query:
        """The query minus its positive top-level filters on one field (for facet counts)."""
        canon = canonical_field(fieldname)
        keep: list[Node | None] = []
        for node in self.conjuncts():
            if isinstance(node, Filter) and node.field == canon:
                continue
            if _same_field_or(node) and node.children[0].field == canon:  # type: ignore[union-attr]
                continue
            keep.append(node)
        return Query(and_(keep))

    def with_filter(self, fieldname: str, value: str, negate: bool = False, exact: bool = False) -> Query:
        """Add `field:value` (OR with existing filters of the same field, AND with the rest)."""
        canon = canonical_field(fieldname)
        value = _clean_value(value)
        if canon is None or not value:
            return self
        new = Filter(canon, value, exact)
        parts: list[Node | None] = list(self.conjuncts())
        if negate:
            if Not(new) in parts:
                return self
            parts = [p for p in parts if p != new]
            parts = [or_([c for c in p.children if c != new]) if isinstance(p, Or) and _same_field_or(p) else p for p in parts]
            parts.append(Not(new))
            return Query(and_(parts))
        parts = [p for p in parts if p != Not(new)]
        for idx, p in enumerate(parts):
            if isinstance(p, Filter) and p.field == canon:
                if p == new:
                    return Query(and_(parts))
                parts[idx] = Or((p, new))
                return Query(and_(parts))
            if p is not None and _same_field_or(p) and p.children[0].field == canon:  # type: ignore[union-attr]
                if new in p.children:  # type: ignore[union-attr]
                    return Query(and_(parts))
                parts[idx] = Or((*p.children, new))  # type: ignore[union-attr]
                return Query(and_(parts))
        parts.append(new)
        return Query(and_(parts))

    def has_filter(self, fieldname: str, value: str, exact: bool = False) -> bool:
        canon = canonical_field(fieldname)
        return Filter(canon or "", _clean_value(value), exact) in self.filters(fieldname)

    def text_items(self) -> list[str]:
        """Words and phrases that are not negated (for highlighting and suggestions)."""
        out: list[str] = []

        def walk(node: Node | None) -> None:
            if isinstance(node, (Word, Phrase)):
                out.append(node.text)
            elif isinstance(node, (And, Or)):
                for c in node.children:
                    walk(c)

        walk(self.root)
        return out


def _same_field_or(node: Node | None) -> bool:
    return (isinstance(node, Or) and all(isinstance(c, Filter) for c in node.children)
            and len({c.field for c in node.children}) == 1)  # type: ignore[union-attr]


def parse(text: str) -> Query:
    """Parse search text. Never raises: problems become `Query.message` and a best-effort Query."""
    notes: list[str] = []
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        parser = _Parser(_lex(text, notes), notes)
        root = parser.parse()
        return Query(root, " ".join(notes) or None)
    except Exception as exc:  # pragma: no cover - a last resort: the grammar above should not fail
        words = [w for w in str(text).split() if _searchable(w)]
        return Query(and_([Phrase(_clean_value(w)) for w in words if _clean_value(w)]),
                     f"検索式を解釈できませんでした / could not parse the query ({type(exc).__name__})")
