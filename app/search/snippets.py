"""Snippets and highlighting: matches of the query's words in a name or description, wrapped in <b>.

Texts are normalised once (offset map kept) and cached by the engine per document.
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple, overload

from app.search.analysis import char_class, drops_given, normalize_with_map, one_to_one

SNIPPET_CHARS = 110
_HTML_SPECIAL = re.compile("[&<>\"']")  # what html.escape replaces


@lru_cache(maxsize=4096)
def _is_latin(seg: str) -> bool:
    """A needle of word characters only (matched on word boundaries); asked per hit, so cached."""
    return all(char_class(c) == "w" for c in seg)


def flat_text(text: str) -> str:
    """The text as shown in one line (line breaks and tabs as spaces: one character each)."""
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def first_match(norm: str, needles: list[str]) -> int | None:
    """The smallest position in normalised text where a needle matches as Text.spans matches it."""
    best: int | None = None
    for seg in dict.fromkeys(needles):
        if not seg:
            continue
        latin = _is_latin(seg)
        at = norm.find(seg, 0, len(norm) if best is None else best + len(seg) - 1)
        while at >= 0 and (best is None or at < best):
            end = at + len(seg)
            if not latin or ((at == 0 or char_class(norm[at - 1]) != "w") and (end == len(norm) or char_class(norm[end]) != "w")):
                best = at
                break
            at = norm.find(seg, at + 1)
        # (a later needle can only win with an earlier start)
    return best


def snippet(flat: str, norm: str, needles: list[str], width: int) -> str:
    """Text.of_flat(flat).highlight(needles, width), with `norm` = normalize(flat) given, for a text
    that needs the per-character offset map (Text.light is None: the costly part of highlighting a long
    description): the map is made only for the part of the text the window can reach, a prefix a little past its end;
    where that prefix's map might differ from the whole text's near its end (a voicing mark, ヴ +
    small vowel, an expansion), it grows."""
    first = first_match(norm, needles) if needles else None
    if first is None:
        return render(flat, [], width)
    margin = max(map(len, needles)) + 8
    cut = first + 2 * width + margin
    while cut < len(flat):
        pre = Text.of_flat(flat[:cut])
        n = len(pre.norm)
        if first < n - margin and pre.norm[:n - 4] == norm[:n - 4]:
            lo, hi = _window(len(flat), pre.starts[first], width)
            if bisect_left(pre.starts, hi) + margin < n - 4:  # every match starting in the window ends in the prefix
                return render(flat, [m for m in pre.spans(needles) if m[0] < hi], width)
        cut *= 2
    return Text.of_flat(flat).highlight(needles, width)


class Shifted(Sequence[int]):
    """The offset map of a text whose characters each normalise to one, but for those dropped at
    positions `drops`: normalised character i is original character i + (drops before it), + `plus`
    (1 for end offsets). Made in O(drops) where a list would cost one int object per character;
    `cuts` = [d - j for j, d in enumerate(drops)], shared by a text's start and end maps."""

    __slots__ = ("_cuts", "_n", "_plus")

    def __init__(self, cuts: list[int], n: int, plus: int) -> None:
        self._cuts = cuts  # cuts(drops): from this normalised index on, one more drop before
        self._n = n
        self._plus = plus

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return i + bisect_right(self._cuts, i) + self._plus


class Text(NamedTuple):
    """A text with its normalised form and offset map computed once (cached per document)."""

    text: str
    norm: str
    starts: Sequence[int]  # per normalised character, its start and end offset in `text`
    ends: Sequence[int]

    @classmethod
    def of(cls, text: str) -> Text:
        return cls.of_flat(flat_text(text))

    @classmethod
    def of_flat(cls, flat: str) -> Text:
        light = cls.light(flat)
        if light is not None:
            return light
        norm, starts, ends = normalize_with_map(flat)
        return cls(flat, norm, array("I", starts), array("I", ends))

    @classmethod
    def light(cls, flat: str, norm: str | None = None) -> Text | None:
        """The Text of `flat` when each character normalises to one or is dropped (offset maps made
        in O(drops)); None when it needs the per-character map. `norm`: normalize(flat) when known
        (then the text is not translated again)."""
        drops: list[int] | None = None
        if norm is not None:
            drops = drops_given(flat, norm)
        elif (fast := one_to_one(flat)) is not None:
            norm, drops = fast
        if drops is None or norm is None:
            return None
        n = len(norm)
        if not drops:
            return cls(flat, norm, range(n), range(1, n + 1))
        cuts = [d - j for j, d in enumerate(drops)]
        return cls(flat, norm, Shifted(cuts, n, 0), Shifted(cuts, n, 1))

    def spans(self, needles: list[str]) -> list[list[int]]:
        flat, norm, starts, ends = self.text, self.norm, self.starts, self.ends
        # a Shifted map read inline (its __getitem__ is a Python call per offset)
        cuts = starts._cuts if type(starts) is Shifted and type(ends) is Shifted and ends._cuts is starts._cuts \
            and (starts._plus, ends._plus) == (0, 1) else None
        spans: list[tuple[int, int]] = []
        for seg in dict.fromkeys(needles):
            if not seg:
                continue
            latin = _is_latin(seg)
            at = norm.find(seg)
            while at >= 0:
                end = at + len(seg)
                if not latin or ((at == 0 or char_class(norm[at - 1]) != "w") and (end == len(norm) or char_class(norm[end]) != "w")):
                    if cuts is None:
                        s, e = starts[at], ends[end - 1]
                    else:
                        s, e = at + bisect_right(cuts, at), end + bisect_right(cuts, end - 1)
                    while e < len(flat) and flat[e] in "ーｰ":
                        e += 1
                    spans.append((s, e))
                at = norm.find(seg, at + 1)
        spans.sort()
        merged: list[list[int]] = []
        for s, e in spans:
            if merged and (s <= merged[-1][1] or (s - merged[-1][1] == 1 and flat[s - 1] in "-‐－・/_.")):
                merged[-1][1] = max(merged[-1][1], e)  # overlapping, or "J" "-" "LIS" shown as one match
            else:
                merged.append([s, e])
        return merged

    def highlight(self, needles: list[str], width: int | None = None) -> str:
        """HTML-escaped text (cut to a window of `width` around the first match) with matches in <b>."""
        return render(self.text, self.spans(needles) if needles else [], width)


def _window(n: int, first: int | None, width: int | None) -> tuple[int, int]:
    """The (lo, hi) shown of a text of n characters whose first match starts at `first`."""
    lo, hi = 0, n
    if width is not None and n > width:
        if first is not None:
            lo = max(0, first - width // 4)
        hi = min(n, lo + width)
        lo = max(0, min(lo, hi - width))
    return lo, hi


def render(flat: str, merged: list[list[int]], width: int | None = None) -> str:
    """`flat` cut to the window around the first of the `merged` spans, HTML-escaped, spans in <b>."""
    lo, hi = _window(len(flat), merged[0][0] if merged else None, width)
    esc = html.escape if _HTML_SPECIAL.search(flat, lo, hi) else str  # (most windows have nothing to escape)
    out: list[str] = ["…" if lo > 0 else ""]
    pos = lo
    for s, e in merged:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out.append(esc(flat[pos:s]))
        out.append(f"<b>{esc(flat[s:e])}</b>")
        pos = e
    out.append(esc(flat[pos:hi]))
    if hi < len(flat):
        out.append("…")
    return "".join(out)


def highlight(text: str, needles: list[str], width: int | None = None) -> str:
    """HTML-escaped `text` (cut to a window of `width` around the first match) with matches in <b>."""
    if not needles:
        return html.escape(text) if width is None or len(text) <= width else html.escape(text[:width]) + "…"
    return Text.of(text).highlight(needles, width)
