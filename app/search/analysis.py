"""Japanese-aware text analysis shared by the index, the query compiler and the highlighter.

Normalisation (per character, keeping a map back to the original offsets):
NFKC (half-width katakana → full width, full-width Latin → ASCII), case folding,
hiragana → katakana, ヴァ/ヴィ/ヴ… → バ/ビ/ブ…, ヶ/ヵ → ケ/カ, a few kanji variants, and the
long-vowel mark ー dropped after katakana (so サーバ, サーバー and ｻｰﾊﾞ all become サバ).

Terms: runs of CJK characters (kanji + kana) become overlapping character bigrams (a run of one
character stays a unigram), so 2-character words such as 交通 or 窓口 are single terms; runs of
Latin letters/digits become whole words.

Index terms add the last character of every CJK run (so that a one-character query is a prefix
query). A query word of three or more CJK characters is matched as the AND of trigrams that overlap
by one character, and the run itself from four characters, which keeps the character order
("書かない窓口" needs 書カナ, ナイ窓, イ窓口 and 書カナイ窓口, so "窓口で書かない" does not match)
without positional postings, the expensive part of phrase search in a pure-Python engine. Such
trigrams and runs are not index terms (until index version 9 trigrams were: over half of all terms
and of the index build): their documents are those holding bigrams that cover them whose
normalised text (app.search.texts) holds them, with the term frequency counted in that text
(app.search.executor), so they rank as index terms would.
The Datasette copy (app.publish) still indexes trigrams: SQLite FTS5 has no such check.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_COMBINING = {"\u3099", "\u309a", "\uff9e", "\uff9f"}
_KANJI_VARIANTS = str.maketrans({
    "髙": "高", "﨑": "崎", "嵜": "崎", "邉": "辺", "邊": "辺", "濵": "浜", "濱": "浜",
    "齋": "斎", "齊": "斉", "德": "徳", "國": "国", "檜": "桧", "舘": "館", "澤": "沢",
    "ヶ": "ケ", "ヵ": "カ", "ゖ": "ケ", "ゕ": "カ",
})
_VU = {"ァ": "バ", "ィ": "ビ", "ェ": "ベ", "ォ": "ボ"}
_LONG = "ー"


def _is_katakana(c: str) -> bool:
    return "\u30a1" <= c <= "\u30fa" or c in "\u30fd\u30fe\u30ff"


def is_cjk(c: str) -> bool:
    o = ord(c)
    return (
        (0x30A1 <= o <= 0x30FF and o != 0x30FB)  # katakana without the middle dot ・
        or 0x3041 <= o <= 0x3096  # hiragana (folded to katakana before this is asked)
        or 0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FFFF
        or o in (0x3005, 0x3006, 0x3007)  # 々 〆 〇
        or 0xAC00 <= o <= 0xD7AF  # hangul syllables: bigrams suit them too
    )


def char_class(c: str) -> str:
    """'c' for CJK, 'w' for word characters (Latin, digits, other letters), '' for separators."""
    if is_cjk(c):
        return "c"
    if c.isalnum():
        return "w"
    return ""


def _fold_char(c: str) -> str:
    o = ord(c)
    if 0x3041 <= o <= 0x3096 or o in (0x309D, 0x309E):  # hiragana (and ゝゞ) → katakana
        return chr(o + 0x60)
    return c


@lru_cache(maxsize=65536)
def _norm_unit(unit: str) -> str:
    """NFKC + case folding + kana/variant folding of one character (with its voicing marks)."""
    norm = unicodedata.normalize("NFKC", unit).casefold() if not unit.isascii() else unit.lower()
    out = []
    for raw in norm:
        c = _fold_char(raw).translate(_KANJI_VARIANTS)
        if c in _COMBINING or unicodedata.combining(c):
            continue  # a stray voicing mark without a base
        out.append(c)
    return "".join(out)


_UNITS: dict[int, str] = {}  # code point → _norm_unit, for the BMP code points it changes (made on first use)
_UNITS_LOCK = threading.Lock()


def compute_units() -> dict[int, str]:
    """The str.translate table (~1.5x faster than calling _norm_unit per character; ~5,000 entries).
    Made in bulk: NFKC and case folding of each 256-code-point block at once (NUL-separated, so
    nothing composes across code points) find the code points that change; only those (and the
    kana, variants and combining marks that _norm_unit also folds) go through _norm_unit. Tests
    check every code point. ~50 ms, so a copy ships in resources/search/ (`_units`)."""
    table: dict[int, str] = {}
    for lo in range(0, 0x10000, 256):  # a block at a time: no 65,536-string list in memory
        codes = [i for i in range(lo, lo + 256) if i and not 0xD800 <= i < 0xE000]
        chars = [chr(i) for i in codes]
        block = "\0".join(chars)
        bulk = chars  # most blocks are already NFKC and case-folded
        if not unicodedata.is_normalized("NFKC", block) or block.casefold() != block:
            bulk = unicodedata.normalize("NFKC", block).casefold().split("\0")
        for i, c, b, mark in zip(codes, chars, bulk, map(unicodedata.combining, chars), strict=True):
            if (b != c or mark or 0x3041 <= i <= 0x309E or i in _KANJI_VARIANTS or c in _COMBINING) \
                    and (out := _norm_unit.__wrapped__(c)) != c:  # not through its LRU cache
                table[i] = out
    return table


TABLE_FILE = ("search", "normalize-table.json")  # under resources/: written by tools/make_normalize_table.py


def stored_units() -> dict[int, str] | None:
    """The shipped copy of compute_units() (~3 ms to read), or None when it is missing or was made
    with another Unicode version (a test checks it equals compute_units())."""
    try:
        from app import paths

        data = json.loads(paths.resources_dir().joinpath(*TABLE_FILE).read_text(encoding="utf-8"))
        if data["unidata_version"] != unicodedata.unidata_version:
            return None
        return {int(k): v for k, v in data["table"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _units() -> dict[int, str]:
    """compute_units(), read from its shipped copy when there is one (made on first use)."""
    if not _UNITS:
        with _UNITS_LOCK:
            if not _UNITS:
                table = stored_units() or compute_units()
                global _NOT_ONE, _TO_LONG, _NOT_LIGHT
                not_one = "".join(re.escape(chr(i)) for i, out in table.items() if len(out) != 1)
                _NOT_ONE = re.compile("[" + not_one + "]")
                _TO_LONG = ("ー", *sorted(chr(i) for i, out in table.items() if out == "ー" and i != ord("ー")))
                to_vu = "ヴ" + "".join(re.escape(chr(i)) for i, out in table.items() if out == "ヴ")
                _NOT_LIGHT = re.compile("[" + _SLOW_CLASS + not_one + to_vu + "]")
                _UNITS.update(table)
    return _UNITS


_NOT_ONE: re.Pattern[str] | None = None  # code points that _units() maps to more or fewer than one character
_TO_LONG: tuple[str, ...] | None = None  # code points that normalise to ー (which a katakana before drops): ー, ｰ
_NOT_LIGHT: re.Pattern[str] | None = None  # _SLOW_RE's, _NOT_ONE's and those that normalise to ヴ: one scan
_cold = [0]  # characters normalised without the table


COLD_CHARS = 5_000  # ~ as long through the slow path as reading the shipped table takes (~5 ms)


def _table(n: int) -> dict[int, str] | None:
    """The translate table once COLD_CHARS characters went through the slow path; before that None,
    so that importing one entry never reads it."""
    _cold[0] += n
    return _units() if _cold[0] > COLD_CHARS else None


def warm_table() -> None:
    """Make the translate table now (opening the index for searches: not during a keystroke)."""
    _units()


_SLOW_CLASS = "\u3099\u309a\uff9e\uff9f\U00010000-\U0010ffff"
_SLOW_RE = re.compile("[" + _SLOW_CLASS + "]")  # voicing marks, or beyond the table
_LONG_AFTER_KANA = re.compile("(?<=[\u30a1-\u30fa\u30fd-\u30ffー])ー")


def one_to_one(text: str) -> tuple[str, list[int]] | None:
    """(normalised text, offsets in `text` of the characters dropped) when every other character maps
    to exactly one (the usual case: the offset maps are then the identity shifted at each drop);
    None when the text needs the per-character path."""
    if _SLOW_RE.search(text) is None and (table := _UNITS or _table(len(text))):
        joined = text.translate(table)
        # equal lengths alone could be ß → ss next to a dropped mark
        if len(joined) == len(text) and "ヴ" not in joined and _NOT_ONE is not None and _NOT_ONE.search(text) is None:
            if "ー" not in joined:
                return joined, []
            drops = [m.start() for m in _LONG_AFTER_KANA.finditer(joined)]
            return (_LONG_AFTER_KANA.sub("", joined) if drops else joined), drops
    return None


def drops_given(text: str, norm: str) -> list[int] | None:
    """one_to_one(text)[1] when `norm` = normalize(text) is already known (the index stores it): the
    dropped long-vowel marks found from where `text` has them, without translating it. None where
    one_to_one would give None (or the table is not loaded yet)."""
    if _NOT_LIGHT is None or _TO_LONG is None or _NOT_LIGHT.search(text) is not None:
        return None
    drops: list[int] = []
    if len(norm) != len(text):
        marks: list[int] = []
        for mark in _TO_LONG:  # (str.find per mark: a regex over the text cost as much again)
            i = text.find(mark)
            while i >= 0:
                marks.append(i)
                i = text.find(mark, i + 1)
        marks.sort()
        if len(marks) == len(text) - len(norm):
            return marks  # as many dropped as there are marks (the usual case: each after katakana)
        for i in marks:  # dropped when the character before (as translated) is katakana or ー
            if i and ((drops and drops[-1] == i - 1) or _is_kana_or_long(norm[i - 1 - len(drops)])):
                drops.append(i)
    return drops if len(text) - len(drops) == len(norm) else None


def _is_kana_or_long(c: str) -> bool:
    """c in the class that _LONG_AFTER_KANA looks behind for."""
    return "\u30a1" <= c <= "\u30fa" or "\u30fc" <= c <= "\u30ff"


def normalize_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """Normalised text plus, for each normalised character, its start and end offset in `text`."""
    got = one_to_one(text)
    if got is None:
        return _normalize_with_map_slow(text)
    norm, drops = got
    keep: list[int] = []
    prev = 0
    for d in drops:  # a few per text: the runs between them are made in C
        keep.extend(range(prev, d))
        prev = d + 1
    keep.extend(range(prev, len(text)))
    return norm, keep, list(map((1).__add__, keep))


def _normalize_with_map_slow(text: str) -> tuple[str, list[int], list[int]]:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    i = 0
    prev_vu = False
    norm_unit = _norm_unit
    while i < n:
        j = i + 1
        while j < n and text[j] in _COMBINING:
            j += 1
        for c in norm_unit(text[i:j]):
            if c == _LONG and out and (_is_katakana(out[-1]) or out[-1] == _LONG):
                continue
            if prev_vu and c in _VU:
                out[-1] = _VU[c]
                ends[-1] = j
                prev_vu = False
                continue
            if c == "ヴ":
                c = "ブ"
                prev_vu = True
            else:
                prev_vu = False
            out.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(out), starts, ends


_MEMO: list[dict[str, str] | None] = [None]  # normalize()'s results while an index is built (normalize_memo)


@contextmanager
def normalize_memo() -> Iterator[None]:
    """Remember normalize()'s results for the duration: an index build normalises each text twice
    (its terms, and its stored text in texts.dat), ~30 ms of a bundled rebuild."""
    _MEMO[0] = {}
    try:
        yield
    finally:
        _MEMO[0] = None


def normalize(text: str) -> str:
    """The normalised form used for matching (see the module docstring)."""
    memo = _MEMO[0]
    if memo is not None and (known := memo.get(text)) is not None:
        return known
    if _SLOW_RE.search(text) is None and (table := _UNITS or _table(len(text))) \
            and len(norm := text.translate(table)) == len(text) and "ヴ" not in norm:
        if "ー" in norm:
            norm = _LONG_AFTER_KANA.sub("", norm)
    else:
        norm = _normalize_with_map_slow(text)[0]
    if memo is not None:
        memo[text] = norm
    return norm


def key(text: str) -> str:
    """Normalised form with separators removed: for exact comparisons of names and values."""
    norm = normalize(text)
    if norm.isalnum():  # every character has a class (most names): nothing to remove
        return norm
    return "".join(c for c in norm if char_class(c))


@dataclass(frozen=True)
class QueryTerm:
    text: str
    # "term" (CJK bigram, or trigram for Datasette), "run" (a CJK trigram) and "order" (a longer CJK
    # run), both matched through the stored texts (app.search.executor), "cjk1" (one CJK character:
    # a prefix) or "latin" (a word)
    mode: str


def index_terms(text: str, trigrams: bool = False) -> list[str]:
    """Terms indexed for `text`: CJK bigrams (and trigrams if asked), the last character of each CJK
    run; Latin words.

    Every CJK character is thus the first character of some term or a term itself, so a
    one-character query is the prefix query `c*`.
    """
    out: list[str] = []
    for run, cjk in runs(text):
        if not cjk or len(run) == 1:
            out.append(run)
            continue
        out.append(run[-1])
        out += map(str.__add__, run, run[1:])  # bigrams
        if trigrams:
            out += map("".join, zip(run, run[1:], run[2:], strict=False))
    return out


def _covering(run: str, size: int) -> list[str]:
    """Substrings of `size` characters of `run` overlapping by size - 2 (none for bigrams), the last
    one ending at the run's end: together they hold every character and, for trigrams, every pair."""
    starts = list(range(0, len(run) - size + 1, 2))  # (a start every 2 characters: overlap size - 2)
    if starts[-1] != len(run) - size:
        starts.append(len(run) - size)
    return [run[k:k + size] for k in starts]


def covering_bigrams(run: str) -> list[str]:
    """Bigrams of a CJK run that hold each of its characters (a run's candidate documents)."""
    return _covering(run, 2)


def covering_trigrams(run: str) -> list[str]:
    """Trigrams of a CJK run overlapping by one character (a 4+ character run's query terms)."""
    return _covering(run, 3)


def is_run(term: str) -> bool:
    """True for the text of a QueryTerm "run" or "order": three or more CJK characters."""
    return len(term) >= 3 and is_cjk(term[0])


def query_terms(text: str, trigrams: bool = False) -> list[QueryTerm]:
    """What a query word must match, ANDed: a bigram for 2 CJK characters; for a longer run the
    trigrams overlapping by one character that cover it (mode "run": scored like index terms) and,
    from 4 characters, the run itself (mode "order": checks the order, adds no score). With
    `trigrams` (the Datasette copy's index holds them) the trigrams as plain terms."""
    out: list[QueryTerm] = []
    for run, cjk in runs(text):
        if not cjk:
            out.append(QueryTerm(run, "latin"))
        elif len(run) == 1:
            out.append(QueryTerm(run, "cjk1"))
        elif len(run) == 2:
            out.append(QueryTerm(run, "term"))
        else:
            out.extend(QueryTerm(t, "term" if trigrams else "run") for t in covering_trigrams(run))
            if len(run) > 3 and not trigrams:
                out.append(QueryTerm(run, "order"))
    return list(dict.fromkeys(out))


_CJK_CLASS = ("\u30a1-\u30fa\u30fc-\u30ff\u3041-\u3096\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
              "\U00020000-\U0002ffff\u3005-\u3007\uac00-\ud7af")  # is_cjk() as a character class
# [^\W_] is exactly str.isalnum(); the lookahead keeps CJK out of word runs, as char_class() does
_RUN_RE = re.compile(f"([{_CJK_CLASS}]+)|((?:(?![{_CJK_CLASS}])[^\\W_])+)")


def class_runs(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, class) of each maximal run of one character class in normalised text; characters
    of no class (spaces, punctuation) separate runs."""
    for m in _RUN_RE.finditer(norm):
        yield m.start(), m.end(), "c" if m.group(1) else "w"


def runs(text: str) -> list[tuple[str, bool]]:
    """Maximal runs of CJK (True) or word (False) characters of the normalised text."""
    return [(c, True) if c else (w, False) for c, w in _RUN_RE.findall(normalize(text))]  # class_runs, in C


def weighted(parts: list[tuple[float, str]]) -> str:
    """Encode texts with per-part boosts for one index field (read back by JaTokenizer)."""
    return "\x1d".join(f"{w}\x1e{t}" for w, t in parts)


def segments(text: str) -> list[str]:
    """Maximal runs of searchable characters in the normalised text (used for highlighting)."""
    norm = normalize(text)
    segs: list[str] = []
    cur: list[str] = []
    for c in norm:
        if char_class(c):
            cur.append(c)
        elif cur:
            segs.append("".join(cur))
            cur = []
    if cur:
        segs.append("".join(cur))
    return segs


_tokenizer_lock = threading.Lock()


def _make_ja_tokenizer() -> type:
    """Define JaTokenizer on first use: whoosh is only imported by code that indexes or searches,
    not by the query parser, the highlighter or the UI that uses them."""
    from whoosh.analysis import Token, Tokenizer

    class JaTokenizer(Tokenizer):
        """Whoosh tokenizer: `index_terms()` of the text, with per-part boosts encoded by `weighted()`.

        Reached as `app.search.analysis.JaTokenizer` (the pickled schema of an index names it so).
        """

        def __eq__(self, other: object) -> bool:
            return self.__class__ is other.__class__

        def __hash__(self) -> int:
            return hash(self.__class__.__name__)

        @staticmethod
        def _parts(value: str) -> list[tuple[float, str]]:
            if "\x1e" not in value:
                return [(1.0, value)]
            parts: list[tuple[float, str]] = []
            for chunk in value.split("\x1d"):
                w, sep, text = chunk.partition("\x1e")
                try:
                    parts.append((float(w), text) if sep else (1.0, chunk))
                except ValueError:
                    parts.append((1.0, chunk))
            return parts

        def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                     removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                     mode: str = "", **kwargs: object) -> Iterator[Token]:
            t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
            if not tokenize:
                t.original = t.text = normalize(value)
                t.boost = 1.0
                if positions:
                    t.pos = start_pos
                if chars:
                    t.startchar, t.endchar = start_char, start_char + len(value)
                yield t
                return
            pos = start_pos
            for boost, text in self._parts(value):
                for term in index_terms(text):
                    t.text = term
                    t.boost = boost
                    t.stopped = False
                    if keeporiginal:
                        t.original = term
                    if positions:
                        t.pos = pos
                    if chars:
                        t.startchar = t.endchar = start_char
                    pos += 1
                    yield t

    JaTokenizer.__qualname__ = "JaTokenizer"  # pickled (in the index schema) as app.search.analysis.JaTokenizer
    return JaTokenizer


def __getattr__(name: str) -> Any:
    if name == "JaTokenizer":
        with _tokenizer_lock:
            cls = globals().get("JaTokenizer")
            if cls is None:
                cls = globals()["JaTokenizer"] = _make_ja_tokenizer()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
