"""Splitting a space-free Japanese compound query word into the words a reader would see.

`split(text, df, n)` returns the parts of one query word, e.g. 住民票コンビニ交付 → 住民票 | コンビニ交付,
子育て支援アプリ → 子育て | 支援 | アプリ, データ連携基盤導入 → データ | 連携基盤 | 導入.

No dictionary is shipped: the catalog itself is the dictionary. A CJK run of four or more characters
is cut where a unigram language model estimated from the index's document frequencies likes it
best: each piece p scores log((df(p) + 0.1) / N), so a frequent whole (地域通貨, オープンデータ)
stays one piece while a compound that never occurs splits into pieces that do. Script changes
give cheap cut points (kanji → katakana, hiragana → kanji, …), a cut inside a katakana word is
expensive, and okurigana (the て of 子育て, the り of 見守り) are never cut from their kanji.
A particle between two words (高齢者の見守り) is a cut and is dropped.

Latin runs (MaaS, AI, LINE) are always parts of their own; runs of three CJK characters or fewer
are never split. Everything is computed on the normalised text (app.search.analysis), while each
part keeps the original spelling for the UI chips.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from app.search.analysis import char_class, class_runs, normalize, normalize_with_map

MIN_SPLIT = 4  # CJK runs shorter than this are one part
MAX_PIECE = 12  # longer pieces are not considered (bounds the work to O(n·MAX_PIECE) lookups)
SCRIPT_CUT_BONUS = 1.0  # extra for a cut where the script changes, which is natural
KATAKANA_CUT_PENALTY = 2.5  # cutting inside a katakana word (オープン|データ) needs strong evidence
SINGLE_CHAR_PENALTY = 25.0  # a one-character piece is almost never a word: worse than a short absent piece
# Each piece costs this much: frequent generic pieces (データ, 連携, 基盤) are nearly free under the
# unigram model, so without it a named whole (データ連携基盤, 57 entries) would be cut into them.
PIECE_PENALTY = 0.5
ABSENT_PENALTY = 12.0  # (+1 per character) a piece no document contains: keep it as short as possible
SUFFIXES = frozenset("化型的用")  # 〜化, 〜型: a part ending in one also matches its stem
PARTICLES = frozenset(
    normalize(p) for p in ("の", "を", "に", "で", "は", "が", "と", "へ", "や", "も", "から", "まで", "での", "への",
                           "との", "による", "における", "について", "ための", "のための", "など", "および")
)


@dataclass(frozen=True)
class Part:
    """One word of a query: `text` normalised (what is matched), `surface` as typed (what is shown)."""

    text: str
    surface: str


def script(c: str) -> str:
    """'K' kanji, 'H' hiragana, 'A' katakana (and the long-vowel mark), 'L' Latin/digits, 'O' other CJK."""
    o = ord(c)
    if 0x3041 <= o <= 0x309F:
        return "H"
    if 0x30A0 <= o <= 0x30FF or 0xFF66 <= o <= 0xFF9F:
        return "A"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF \
            or o in (0x3005, 0x3006, 0x3007):
        return "K"
    if c.isascii() or 0xFF10 <= o <= 0xFF5A:
        return "L"
    return "O"


def _runs(text: str) -> list[tuple[str, str, list[str]]]:
    """(normalised run, surface, script of each normalised character) for each searchable run of `text`.

    A hiragana particle between two non-hiragana characters ends a run and is dropped.
    """
    norm, starts, ends = normalize_with_map(text)
    scripts = [script(text[s]) for s in starts]
    out: list[tuple[str, str, list[str]]] = []
    for i, j, cls in class_runs(norm):
        if cls == "c":  # drop particles: a hiragana stretch between kanji/katakana that is a particle
            k = i
            cut = i
            while k < j:
                if scripts[k] == "H" and k > i:
                    m = k
                    while m < j and scripts[m] == "H":
                        m += 1
                    if m < j and scripts[k - 1] != "H" and norm[k:m] in PARTICLES:
                        out.append((norm[cut:k], text[starts[cut]:ends[k - 1]], scripts[cut:k]))
                        cut = m
                    k = m
                else:
                    k += 1
            out.append((norm[cut:j], text[starts[cut]:ends[j - 1]], scripts[cut:j]))
        else:
            out.append((norm[i:j], text[starts[i]:ends[j - 1]], scripts[i:j]))
    return [r for r in out if r[0]]


def _cut_cost(run: str, scripts: list[str], k: int) -> float | None:
    """Log-score added by a cut before position k (None: never cut here)."""
    a, b = scripts[k - 1], scripts[k]
    if a == "K" and b == "H":  # okurigana stay with their kanji
        return None
    if b == "K" and a != "K" and run[k] in SUFFIXES:  # デマンド|型 : a suffix stays with its word
        return None
    if a == b == "K" and k >= 2 and scripts[k - 2] != "K" and run[k - 1] in SUFFIXES:
        return SCRIPT_CUT_BONUS  # デマンド型|乗合: the suffix ended the word
    if a == b == "H":
        return None
    if a == b == "A":
        return -KATAKANA_CUT_PENALTY
    if a == b:
        return 0.0
    return SCRIPT_CUT_BONUS


def split_run(run: str, scripts: list[str], df: Callable[[str], int], n_docs: int,
              whole: bool = True) -> list[tuple[int, int]]:
    """Best cut of one normalised CJK run into (start, end) pieces (see the module docstring);
    `whole=False` asks for at least two pieces."""
    n = len(run)
    if n < MIN_SPLIT:
        return [(0, n)]
    total = max(n_docs, 1)
    absent_from = [n + 1] * n  # absent_from[s]: the shortest end e for which run[s:e] occurs nowhere

    def piece(s: int, e: int) -> float:
        if e - s == 1:  # not looked up: a one-character prefix query reads many postings
            return math.log(0.5) - SINGLE_CHAR_PENALTY
        # a piece that extends an absent piece is absent too: no lookup (keeps long runs cheap)
        f = 0 if e >= absent_from[s] else df(run[s:e])
        if f == 0:
            absent_from[s] = min(absent_from[s], e)
            return math.log(0.1 / total) - ABSENT_PENALTY - (e - s)
        return math.log((f + 0.1) / total) - PIECE_PENALTY

    best: list[float] = [0.0] + [-math.inf] * n
    back = [0] * (n + 1)
    for e in range(1, n + 1):
        for s in range(e - 1, max(0, e - MAX_PIECE) - 1, -1):
            if best[s] == -math.inf or (not whole and s == 0 and e == n):
                continue
            cut = 0.0
            if s > 0:
                c = _cut_cost(run, scripts, s)
                if c is None:
                    continue
                cut = c
            v = best[s] + cut + piece(s, e)
            if v > best[e]:
                best[e], back[e] = v, s
    if best[n] == -math.inf:  # only when MAX_PIECE is shorter than an uncuttable stretch
        return [(0, n)]
    pieces: list[tuple[int, int]] = []
    e = n
    while e > 0:
        s = back[e]
        pieces.append((s, e))
        e = s
    return pieces[::-1]


def split(text: str, df: Callable[[str], int], n_docs: int, fine: bool = False) -> list[Part]:
    """The parts of one query word (a single part when it is not a compound). `fine` cuts every
    piece of MIN_SPLIT or more characters once more (for the partial matches of a rare compound)."""
    parts: list[Part] = []
    for run, surface, scripts in _runs(text):
        if char_class(run[0]) != "c" or len(run) < MIN_SPLIT:
            parts.append(Part(run, surface))
            continue
        norm, starts, ends = normalize_with_map(surface)
        if norm != run:  # cannot map pieces back to the surface; keep the normalised spelling
            starts, ends = list(range(len(run))), list(range(1, len(run) + 1))
            surface = run
        if len(run) <= MAX_PIECE:
            df(run)  # (looked up by split_run anyway) first: the engine then finds its pieces' documents among its own
        pieces = split_run(run, scripts, df, n_docs)
        if fine:  # cut again, only into pieces of two or more characters
            finer: list[tuple[int, int]] = []
            for s, e in pieces:
                sub = split_run(run[s:e], scripts[s:e], df, n_docs, whole=False)
                found = [df(run[s + a:s + b]) > 0 for a, b in sub]
                # all must occur; an absent piece (a typo: 母子手張) may keep absent pieces if one occurs
                ok = all(b - a >= (3 if set(scripts[s + a:s + b]) == {"A"} else 2) for a, b in sub) \
                    and (all(found) if df(run[s:e]) else any(found))  # no katakana stubs (チャ|ット)
                finer.extend((s + a, s + b) for a, b in sub) if ok else finer.append((s, e))
            pieces = finer
        for s, e in pieces:
            text = run[s:e]
            if len(text) >= 3 and text[-1] in SUFFIXES and scripts[e - 2] != scripts[e - 1]:
                text = text[:-1]  # オンライン化 → オンライン, デマンド型 → デマンド (a kanji suffix on kana)
            parts.append(Part(text, surface[starts[s]:ends[e - 1]]))
    out: list[Part] = []
    seen: set[str] = set()
    for p in parts:
        if p.text not in seen:
            seen.add(p.text)
            out.append(p)
    return out


# -- alternatives measured in bench/segmenters.py (not used by the app) ---------------------------

def split_bigrams(text: str) -> list[Part]:
    """Dictionary-free baseline: every CJK bigram (and Latin word) of the query is a part."""
    parts: list[Part] = []
    for run, surface, _ in _runs(text):
        if char_class(run[0]) != "c" or len(run) < MIN_SPLIT:
            parts.append(Part(run, surface))
        else:
            parts.extend(Part(run[k:k + 2], run[k:k + 2]) for k in range(len(run) - 1))
    return list({p.text: p for p in parts}.values())


_janome: object | None = None


def split_janome(text: str) -> list[Part]:
    """Morphological baseline (janome, if installed): nouns/verbs with suffixes and prefixes joined,
    particles and symbols dropped; CJK runs shorter than MIN_SPLIT stay whole."""
    global _janome
    if _janome is None:
        from janome.tokenizer import Tokenizer  # type: ignore[import-not-found]

        _janome = Tokenizer()
    parts: list[Part] = []
    for run, surface, _ in _runs(text):
        if char_class(run[0]) != "c" or len(run) < MIN_SPLIT:
            parts.append(Part(run, surface))
            continue
        words: list[str] = []
        glue_next = False
        for tok in _janome.tokenize(surface):  # type: ignore[attr-defined]
            pos = tok.part_of_speech.split(",")
            if pos[0] in ("助詞", "記号", "助動詞"):
                glue_next = False
                continue
            if words and (pos[1] == "接尾" or glue_next):
                words[-1] += tok.surface
            else:
                words.append(tok.surface)
            glue_next = pos[0] == "接頭詞"
        merged: list[str] = []
        for w in words:  # a one-character word joins its neighbour
            if merged and len(normalize(w)) == 1:
                merged[-1] += w
            else:
                merged.append(w)
        if len(merged) > 1 and len(normalize(merged[0])) == 1:
            merged[1] = merged[0] + merged[1]
            merged.pop(0)
        parts.extend(Part(normalize(w), w) for w in merged if normalize(w))
    return list({p.text: p for p in parts}.values())
