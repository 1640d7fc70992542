"""Snippets and highlighting: matches of the query's words in a name or description, wrapped in <b>.

Texts are normalised once (offset map kept) and cached by the engine per document.
"""

from __future__ import annotations

import html
from array import array
from functools import lru_cache
from typing import NamedTuple

from app.search.analysis import char_class, normalize_with_map

SNIPPET_CHARS = 110


@lru_cache(maxsize=4096)
def _is_latin(seg: str) -> bool:
    """A needle of word characters only (matched on word boundaries); asked per hit, so cached."""
    return all(char_class(c) == "w" for c in seg)


class Text(NamedTuple):
    """A text with its normalised form and offset map computed once (cached per document)."""

    text: str
    norm: str
    starts: array[int]
    ends: array[int]

    @classmethod
    def of(cls, text: str) -> Text:
        flat = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
        norm, starts, ends = normalize_with_map(flat)
        return cls(flat, norm, array("I", starts), array("I", ends))

    def spans(self, needles: list[str]) -> list[list[int]]:
        flat, norm, starts, ends = self.text, self.norm, self.starts, self.ends
        spans: list[tuple[int, int]] = []
        for seg in dict.fromkeys(needles):
            if not seg:
                continue
            latin = _is_latin(seg)
            at = norm.find(seg)
            while at >= 0:
                end = at + len(seg)
                if not latin or ((at == 0 or char_class(norm[at - 1]) != "w") and (end == len(norm) or char_class(norm[end]) != "w")):
                    s, e = starts[at], ends[end - 1]
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
        flat = self.text
        merged = self.spans(needles) if needles else []
        lo, hi = 0, len(flat)
        if width is not None and len(flat) > width:
            if merged:
                lo = max(0, merged[0][0] - width // 4)
            hi = min(len(flat), lo + width)
            lo = max(0, min(lo, hi - width))
        out: list[str] = ["…" if lo > 0 else ""]
        pos = lo
        for s, e in merged:
            if e <= lo or s >= hi:
                continue
            s, e = max(s, lo), min(e, hi)
            out.append(html.escape(flat[pos:s]))
            out.append(f"<b>{html.escape(flat[s:e])}</b>")
            pos = e
        out.append(html.escape(flat[pos:hi]))
        if hi < len(flat):
            out.append("…")
        return "".join(out)


def highlight(text: str, needles: list[str], width: int | None = None) -> str:
    """HTML-escaped `text` (cut to a window of `width` around the first match) with matches in <b>."""
    if not needles:
        return html.escape(text) if width is None or len(text) <= width else html.escape(text[:width]) + "…"
    return Text.of(text).highlight(needles, width)
