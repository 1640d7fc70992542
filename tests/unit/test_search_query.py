"""Query grammar, canonical text, chip helpers and Japanese analysis (no catalog needed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import analysis
from app.search.analysis import (
    _normalize_with_map_slow,
    covering_bigrams,
    index_terms,
    key,
    normalize,
    normalize_with_map,
    query_terms,
)
from app.search.query import Filter, Not, Or, Query, Word, canonical_field, parse

SYNTAX = list('  \u3000"＂“”()（）-－:：=＝ORANDNOT|分野提供者自治体種別機能層個人情報タイプ対象fieldprovider窓口交通ｵﾝﾃﾞなしnone')
query_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(SYNTAX), max_size=40),
    st.lists(st.sampled_from(["窓口", "OR", "NOT", "-", "(", ")", '"', "分野:", "提供者:=", "自治体:愛知県", "ｵﾝﾃﾞﾏﾝﾄﾞ",
                              "機能:data-management", " ", "AND", "x:y", '"a b"', "（", "）", "－", "層:"]), max_size=12).map("".join),
)


# -- analysis --------------------------------------------------------------------------------------

def test_normalisation_folds_width_case_kana_and_long_vowels() -> None:
    assert normalize("ｵﾝﾃﾞﾏﾝﾄﾞ") == normalize("おんでまんど") == normalize("オンデマンド")
    assert normalize("サーバー") == normalize("サーバ") == normalize("ｻｰﾊﾞ")
    assert normalize("ＭａａＳ") == "maas"
    assert normalize("ヴァイオリン") == normalize("バイオリン")
    assert key("医療・健康・子育て") == key("医療健康子育て")


def test_cjk_bigrams_and_latin_words() -> None:
    terms = index_terms("AIオンデマンド交通")
    assert terms[0] == "ai" and {"オン", "ンデ", "ド交", "交通", "通"} <= set(terms)
    assert not any(len(t) > 2 for t in terms[1:]), "CJK runs give bigrams and their last character, no trigrams"
    assert {"オンデ", "ド交通"} <= set(index_terms("AIオンデマンド交通", trigrams=True))  # the Datasette copy's FTS5
    assert "窓口" in index_terms("窓口") and index_terms("MaaS・LINE連携")[:2] == ["maas", "line"]
    assert index_terms("ｵﾝﾃﾞﾏﾝﾄﾞ") == index_terms("おんでまんど") == index_terms("オンデマンド")


def test_index_and_query_terms() -> None:
    # trigrams and (from 4 characters) the whole run, all found through the stored texts
    assert [(t.text, t.mode) for t in query_terms("書かない窓口")] == [
        ("書カナ", "run"), ("ナイ窓", "run"), ("イ窓口", "run"), ("書カナイ窓口", "order")]
    assert [(t.text, t.mode) for t in query_terms("アイウ")] == [("アイウ", "run")]
    assert covering_bigrams("書カナイ窓口") == ["書カ", "ナイ", "窓口"] and covering_bigrams("アイウ") == ["アイ", "イウ"]
    assert [t.text for t in query_terms("書かない窓口", trigrams=True)] == ["書カナ", "ナイ窓", "イ窓口"]
    assert [t.text for t in query_terms("オンデマンド交通", trigrams=True)] == ["オンデ", "デマン", "ンド交", "ド交通"]
    assert [(t.text, t.mode) for t in query_terms("窓口 AI 子")] == [("窓口", "term"), ("ai", "latin"), ("子", "cjk1")]


@settings(max_examples=2_000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("カーサービスヴァイ漢子育てｵﾝﾃﾞﾏﾝﾄﾞ㈱ＡａbーｰﾞﾟA・ \u3099")) | st.characters(), max_size=30))
def test_fast_normalisation_equals_reference(text: str) -> None:
    analysis._units()  # the fast path only runs once the table exists
    assert normalize_with_map(text) == _normalize_with_map_slow(text)
    assert normalize(text) == _normalize_with_map_slow(text)[0]


# -- grammar ---------------------------------------------------------------------------------------

def test_bare_words_phrases_fields_and_operators() -> None:
    q = parse('子育て "書かない窓口" 分野:公共交通 -提供者:="株式会社 アイシン" (a OR b)')
    assert q.message is None
    assert q.to_text() == '子育て "書かない窓口" 分野:公共交通 -提供者:="株式会社 アイシン" (a OR b)'
    assert parse("field:transport provider:x municipality:y kind:z function:f layer:l personal:p type:t").to_text() == \
        "分野:transport 提供者:x 自治体:y 種別:z 機能:f 層:l 個人情報:p タイプ:t"
    assert parse("NOT a").root == Not(Word("a"))
    assert parse("a OR b c").root == Or((Word("a"), parse("b c").root))  # type: ignore[arg-type]
    assert parse("分野:なし").root == Filter("分野", "なし")
    assert parse("分野:なし").root.is_none  # type: ignore[union-attr]
    assert canonical_field("Provider") == "提供者" and canonical_field("ｆｉｅｌｄ") == "分野"


def test_full_width_syntax_works() -> None:
    assert parse("（子育て　OR　保育）　－見守り　分野：公共交通").to_text() == "(子育て OR 保育) -見守り 分野:公共交通"


def test_errors_give_message_and_best_effort() -> None:
    for text, canonical in [('"書かない窓口', '"書かない窓口"'), ("(a OR b", "a OR b"), ("a)", "a"), ("OR a", "a"),
                            ("a NOT", "a"), ("分野:", ""), ("foo:bar", "foo:bar")]:
        q = parse(text)
        assert q.message, text
        assert q.to_text() == canonical, text
    assert parse("a b").message is None


def test_chips_without_and_with_filter() -> None:
    q = parse("オンデマンド 分野:公共交通")
    q = q.with_filter("field", "医療・健康・子育て")
    assert q.to_text() == "オンデマンド (分野:公共交通 OR 分野:医療・健康・子育て)"
    q = q.with_filter("自治体", "愛知県").with_filter("提供者", "株式会社アイシン", negate=True, exact=True)
    assert q.to_text() == "オンデマンド (分野:公共交通 OR 分野:医療・健康・子育て) 自治体:愛知県 -提供者:=株式会社アイシン"
    chips = q.terms()
    assert [(c.field, c.value, c.negated) for c in chips] == [
        (None, "オンデマンド", False), ("分野", "公共交通", False), ("分野", "医療・健康・子育て", False),
        ("自治体", "愛知県", False), ("提供者", "株式会社アイシン", True)]
    assert chips[4].text == "-提供者:=株式会社アイシン"
    assert q.without(chips[1]).to_text() == "オンデマンド 分野:医療・健康・子育て 自治体:愛知県 -提供者:=株式会社アイシン"
    assert q.without(chips[0]).without(chips[0]).to_text().startswith("(分野:")  # stale chip matched by text
    assert q.with_filter("分野", "公共交通") == q  # no duplicates
    assert q.with_filter("提供者", "株式会社アイシン", exact=True).to_text().endswith("提供者:=株式会社アイシン")
    assert q.with_filter("分野", "公共交通", negate=True).to_text() == \
        "オンデマンド 分野:医療・健康・子育て 自治体:愛知県 -提供者:=株式会社アイシン -分野:公共交通"
    assert q.without_field("分野").to_text() == "オンデマンド 自治体:愛知県 -提供者:=株式会社アイシン"
    weird = Query(None).with_filter("提供者", '名前に"引用符"と 空白')
    assert weird.to_text() == '提供者:"名前に引用符と 空白"' and parse(weird.to_text()) == weird


# -- properties ------------------------------------------------------------------------------------

@pytest.mark.slow  # over 10 s of CPU: left out of the fast loop (./dev test -m "not slow")
@settings(max_examples=10_000, deadline=None)
@given(query_text)
def test_parse_never_raises_and_round_trips(text: str) -> None:
    q = parse(text)
    assert isinstance(q, Query)
    canonical = q.to_text()
    again = parse(canonical)
    assert again == q
    assert again.to_text() == canonical


@settings(max_examples=1_000, deadline=None)
@given(query_text, st.sampled_from(["分野", "provider", "自治体", "機能", "type"]), st.text(max_size=12), st.booleans(), st.booleans())
def test_chip_helpers_round_trip(text: str, field: str, value: str, negate: bool, exact: bool) -> None:
    q = parse(text)
    for chip in q.terms():
        smaller = q.without(chip)
        assert parse(smaller.to_text()) == smaller
        assert len(smaller.terms()) == len(q.terms()) - 1
    bigger = q.with_filter(field, value, negate=negate, exact=exact)
    assert parse(bigger.to_text()) == bigger
    for chip in bigger.terms():
        assert parse(chip.text).root is not None
