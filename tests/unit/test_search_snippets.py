"""The windowed snippet (offset map made for a prefix only) equals highlighting the whole text."""

from __future__ import annotations

from array import array
from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog.store import CatalogDB
from app.search import analysis
from app.search.analysis import _normalize_with_map_slow, normalize, segments
from app.search.snippets import SNIPPET_CHARS, Text, first_match, flat_text, snippet

WORDS = ["交通", "オンデマンド", "予約", "アプリ", "マイナンバーカード", "データ", "連携", "住民", "LINE", "AI", "MaaS",
         "子育て", "見守り", "ー", "窓口", "システム", "サービス", "の", "バス", "ai", "地域", "防災"]


def _same(text: str, needles: list[str], width: int = SNIPPET_CHARS) -> None:
    flat = flat_text(text)
    assert snippet(flat, normalize(flat), needles, width) == Text.of_flat(flat).highlight(needles, width), (text[:80], needles)


def test_snippets_of_every_bundled_description_equal_the_whole_text_highlight(catdb: CatalogDB) -> None:
    bodies = [s.description for s in catdb.services()]
    assert len(bodies) > 300
    for i, body in enumerate(bodies):
        for k in range(3):  # a few needle sets per description, some matching late in long texts
            words = [WORDS[(i + k * 7) % len(WORDS)], WORDS[(i * 3 + k) % len(WORDS)]]
            needles = [seg for w in words for seg in segments(w)]
            _same(body, needles)
            _same(body, needles, 40)
        tail = segments(body[-12:])  # a needle near the end: the window sits far into the text
        if tail:
            _same(body, tail)


ALPHABET = st.sampled_from(list("あいうカタナーｰﾃﾞｶﾞヴァィ漢字交通 ab-ß\u3099\u309a\u0301㍻ﾊﾟ・.\n") + ["オンデマンド", "交通", "LINE"])


@settings(max_examples=800, deadline=None)
@given(st.lists(ALPHABET, min_size=0, max_size=400).map("".join),
       st.lists(st.sampled_from(["カ", "タナ", "交通", "ab", "ー", "オンデマンド", "b", "漢字", "ss", "平成", "ﾃﾞ"]), max_size=3),
       st.sampled_from([10, 40, SNIPPET_CHARS]))
def test_windowed_snippet_equals_whole_text_on_any_text(text: str, words: list[str], width: int) -> None:
    needles = [seg for w in words for seg in segments(w)]
    _same(text, needles, width)


def test_first_match_is_the_first_highlighted_span() -> None:
    text = "LINEで予約。オンデマンド交通の予約はailine不可、AI予約"
    flat = flat_text(text)
    needles = [seg for w in ("予約", "ai") for seg in segments(w)]
    first = first_match(normalize(flat), needles)
    assert first is not None and Text.of_flat(flat).spans(needles)[0][0] == first == text.index("予約")
    assert first_match(normalize("ailine only"), segments("ai")) is None  # a Latin needle needs word boundaries


@settings(max_examples=1_500, deadline=None)
@given(st.lists(ALPHABET, min_size=0, max_size=200).map("".join) | st.text(max_size=60))
def test_light_offset_maps_equal_the_per_character_map(text: str) -> None:
    """Text.light (maps computed from the dropped characters only) agrees with the reference map,
    index by index, wherever it applies; and highlighting through it marks the same characters."""
    analysis._units()  # the light path needs the table
    flat = flat_text(text)
    light = Text.light(flat)
    norm, starts, ends = _normalize_with_map_slow(flat)
    if light is None:
        return
    assert light.norm == norm
    assert list(light.starts) == starts and list(light.ends) == ends
    assert [light.starts[i] for i in range(-len(norm), 0)] == starts  # negative indexes too
    assert bisect_left(light.starts, len(flat) // 2) == bisect_left(starts, len(flat) // 2)
    needles = [norm[1:3]] if len(norm) > 3 else []
    assert light.spans(needles) == Text(flat, norm, array("I", starts), array("I", ends)).spans(needles)


def test_light_maps_cover_everyday_japanese() -> None:
    analysis._units()
    light = Text.light("データ連携サービスのユーザー")
    assert light is not None and light.norm == "デタ連携サビスノユザ"
    assert light.starts[2] == 3 and light.ends[-1] == 14 - 1  # ユーザー: the last kept ザ is character 12
    assert Text.light("ｻｰﾋﾞｽ") is None  # a half-width voicing mark needs the per-character map


@settings(max_examples=1_500, deadline=None)
@given(st.lists(ALPHABET, min_size=0, max_size=200).map("".join) | st.text(max_size=60))
def test_light_maps_from_a_known_normalised_text_equal_translating_it(text: str) -> None:
    """Given normalize(text) (the index stores descriptions normalised), the dropped marks are found
    without translating the text again: the same Text, or None where the light path does not apply."""
    analysis._units()
    flat = flat_text(text)
    given_norm, own = Text.light(flat, normalize(flat)), Text.light(flat)
    if own is None:
        assert given_norm is None
        return
    assert given_norm is not None and given_norm.norm == own.norm
    assert list(given_norm.starts) == list(own.starts) and list(given_norm.ends) == list(own.ends)
    assert Text.light(flat, flat + "x") is None  # one longer than the text cannot be its normalised form


def test_markup_in_a_window_is_escaped_and_plain_windows_are_kept_as_they_are() -> None:
    text = "説明 <script>alert('x')</script> & \"交通\" の窓口"
    shown = Text.of(text).highlight(segments("交通"))
    assert "<script>" not in shown and "&lt;script&gt;" in shown and "&amp;" in shown and "&#x27;x&#x27;" in shown
    assert "&quot;<b>交通</b>&quot;" in shown
    plain = Text.of("オンデマンド交通の予約").highlight(segments("交通"))
    assert plain == "オンデマンド<b>交通</b>の予約"
