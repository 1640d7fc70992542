"""Japanese line breaking for wrapped UI text: keep words whole.

Qt breaks Japanese text between any two characters (UAX #14), so a wrapped label can split
「システム」 into 「シ/ステム」. `keep_words` inserts U+2060 WORD JOINER (zero width, never a
break) where a break would split a word: inside a run of katakana (with ー), between a kanji and
the hiragana after it (okurigana, particles), inside Latin words, and at the first or last kanji of
a run of kanji (no lone 群 on a line). Other breaks between kanji, around punctuation and between
other scripts stay allowed. tests/ui/layout_check.py checks the same rule.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

WORD_JOINER = "\u2060"


def _katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch in "ーヽヾ" or "\uff66" <= ch <= "\uff9f"


def _hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u3096" or ch in "ゝゞ"


def _kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "々〆"


def _joined(a: str, b: str) -> bool:
    """True if a line break between `a` and `b` would split a word."""
    if _katakana(a) and _katakana(b):
        return True
    if _kanji(a) and _hiragana(b):
        return True
    return a.isascii() and b.isascii() and a.isalnum() and b.isalnum()


@lru_cache(maxsize=8192)  # every paint of a table cell asks again; names and kinds repeat
def keep_words(text: str) -> str:
    """`text` with word joiners where a line break would split a word (display only: strip with
    `plain` before copying or searching)."""
    if not text:
        return text
    out = [text[0]]
    n = len(text)
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if (_joined(a, b) and not (a.isascii() and b.isascii())) or (_kanji(a) and _kanji(b) and (
                i < 2 or not _kanji(text[i - 2]) or i + 1 >= n or not _kanji(text[i + 1]))):
            out.append(WORD_JOINER)  # (a kanji run never leaves one kanji alone on a line: 機能/群)
        out.append(b)
    return "".join(out)


def plain(text: str) -> str:
    """`text` without the word joiners keep_words added."""
    return text.replace(WORD_JOINER, "")


class KeepWordsDelegate(QStyledItemDelegate):
    """Table cells that wrap between words only (the model's text stays plain for copy and export)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.text = keep_words(option.text)
