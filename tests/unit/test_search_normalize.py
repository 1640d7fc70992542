"""The translation table behind normalize / normalize_with_map folds exactly like _norm_unit."""

from __future__ import annotations

import pytest

from app.search import analysis
from app.search.analysis import _norm_unit, _normalize_with_map_slow, normalize, normalize_with_map


def test_table_matches_the_per_character_fold_on_every_bmp_code_point() -> None:
    table = analysis._units()
    assert 1000 < len(table) < 20000  # only the code points that change
    wrong = [hex(i) for i in range(0x10000) if not 0xD800 <= i < 0xE000 and table.get(i, chr(i)) != _norm_unit(chr(i))]
    assert wrong == []


def test_shipped_table_is_the_computed_one() -> None:
    # resources/search/normalize-table.json saves every process ~50 ms; stale after a change to the
    # folding rules: run tools/make_normalize_table.py
    assert analysis.stored_units() == analysis.compute_units()


def test_fast_path_agrees_with_the_slow_path() -> None:
    analysis._units()  # the fast path only runs once the table exists
    texts = ["ＡＢＣかなカナ ﾃﾞｰﾀ 髙橋 データー", "𝐀𝐁 math bold and 𠮷野家", "ｶﾞｲﾄﾞ ㍿ Straße ﬁle", "ヴァイオリン ゔ", "", "é (e\u0301)",
             "ß\u0300", "㍻\u0301\u0301"]  # an expansion next to dropped marks: lengths equal, offsets not
    for text in texts:
        assert normalize_with_map(text) == _normalize_with_map_slow(text), text
        assert normalize(text) == _normalize_with_map_slow(text)[0], text


def test_the_table_is_made_only_after_many_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the table costs about as much as COLD_CHARS characters through the slow path: importing
    one entry (a few hundred characters) never reads it; a build or a session of searches does."""
    monkeypatch.setattr(analysis, "_UNITS", {})
    monkeypatch.setattr(analysis, "_cold", [0])
    text = "ＡＢＣかなカナ 髙橋 データー Straße" * 10
    assert normalize(text) == _normalize_with_map_slow(text)[0] and analysis._UNITS == {}
    for _ in range(analysis.COLD_CHARS // len(text) + 1):
        assert normalize_with_map(text) == _normalize_with_map_slow(text)
    assert len(analysis._UNITS) > 1000
