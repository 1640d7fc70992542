"""Facet counting (app.search.facets): both counting paths agree, nested values are capped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app import paths
from app.catalog.store import current_db
from app.search import facets as facets_mod
from app.search.engine import SearchEngine
from app.search.facets import CHILD_LIMIT, Facets
from app.search.index import DocTable
from app.search.query import parse

QUERIES = ["", "交通", "アプリ 予約", "分野:公共交通", "自治体:北海道", "-自治体:東京都 アプリ", "都道府県:長野県 OR 交通",
           "開始年:2020", "対象:サービス", "提供者:株式会社", "層:都市OS"]


@pytest.fixture
def engine(ui_home: Path) -> Iterator[SearchEngine]:
    with SearchEngine(current_db(paths.catalog_db_path()), paths.index_dir()) as e:
        yield e


def _plain(facets: dict) -> dict:  # type: ignore[type-arg]
    return {k: [(v.value, v.count, v.selected, v.negated, v.query_text, [(c.value, c.label, c.count, c.selected)
                                                                         for c in v.children]) for v in vals]
            for k, vals in facets.items()}


def test_bitset_and_column_counting_agree(engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    def facets(step: int) -> list[dict]:  # type: ignore[type-arg]
        monkeypatch.setattr(facets_mod, "BITS_PER_VALUE_STEP", step)
        engine.clear_cache()
        return [_plain(engine.search(q, limit=5, snippets=0).facets) for q in QUERIES]

    by_column = facets(0)  # a pool never outweighs the bitsets: every facet counted from its column
    by_bits = facets(10**9)  # always the bitsets where a facet has them
    assert by_column == by_bits
    assert by_column[0]["field"] and any(v[5] for v in by_column[0]["prefecture"])  # counts, and nested municipalities
    assert any(v[2] for v in by_column[3]["field"])  # the selected field is listed as selected


def test_counting_most_documents_as_all_but_the_rest_agrees(engine: SearchEngine) -> None:
    """A pool holding most of the index is counted as the totals minus the rest: the same lists,
    also with documents deleted in place (not in the live set)."""
    facets, ex = engine._facets, engine._ex
    assert facets is not None and ex is not None
    everything = set(ex.all_docs)
    for q in QUERIES:
        query = parse(q)
        matched = engine.docs(query.root, [], engine.compiler())
        def docs_of(node: object) -> set[int]:
            return set(engine.docs(node, [], engine.compiler()))  # type: ignore[arg-type]
        assert _plain(facets.counts(query, matched, docs_of, everything)) == _plain(facets.counts(query, matched, docs_of))
    gone = set(sorted(everything)[::7])  # as if deleted: neither matched nor live
    live = everything - gone
    big = live - set(sorted(live)[:3])  # most documents: counted through the totals
    got = facets.counts(parse(""), big, lambda _n: big, live)
    want = facets.counts(parse(""), big, lambda _n: big)
    assert _plain(got) == _plain(want) and sum(v.count for v in want["field"]) > 0
    assert facets.counts(parse(""), big, lambda _n: big, live) is not got  # made again, the same
    assert _plain(facets.counts(parse(""), live, lambda _n: live, live)) == _plain(facets.counts(parse(""), live, lambda _n: live))


def test_nested_values_are_capped_but_keep_selected_ones(engine: SearchEngine,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"k": "service", "provider": "p", "field_id": "f", "field": "f", "label": "l", "groups": [], "personal": "",
            "type": "", "edition": None, "facts": []}
    munis = [f"北海道テスト{i:02d}町" for i in range(CHILD_LIMIT + 10)]
    rows = [dict(base, id=f"s{i}", name=f"s{i}", prefs=["北海道"], munis=munis[: i + 1]) for i in range(len(munis))]
    monkeypatch.setattr(engine.resolver, "municipalities", [*engine.resolver.municipalities, *munis])  # as a catalog holding them
    table = Facets(DocTable(rows), engine.resolver)
    everything = set(range(len(rows)))
    last = munis[-1]  # in one document only: the rarest
    shown = table.counts(parse(""), everything, lambda _n: everything)["prefecture"][0]
    assert shown.value == "北海道" and shown.count == len(rows)
    assert [c.value for c in shown.children] == munis[:CHILD_LIMIT]  # most frequent first
    q = parse(f"自治体:{last}")
    chosen = table.counts(q, {len(rows) - 1}, lambda _n: everything)["prefecture"][0]
    assert len(chosen.children) == CHILD_LIMIT + 1 and chosen.children[-1].value == last and chosen.children[-1].selected


def test_the_index_keeps_each_description_normalised_for_highlighting(engine: SearchEngine) -> None:
    """Highlighting takes a description's normalised form from the index's stored texts (no second
    normalisation per hit): that part must be exactly normalize(description)."""
    from app.search.analysis import normalize

    hitlist = engine._hitlist
    assert hitlist is not None and hitlist.norm_of is not None
    n = len(engine._oi.docs)  # type: ignore[union-attr]
    assert n > 300
    names = engine._oi.docs.column("name")  # type: ignore[union-attr]
    for d in range(n):
        assert hitlist.norm_of(d, "body") == normalize(hitlist.body_of(d)), d
        assert hitlist.norm_of(d, "name").split("\n", 1)[0] == normalize(names[d]), d  # then the English name


@pytest.mark.parametrize("term", ["交通", "アプ", "デジタル", "サービ", "ai"])
def test_parts_made_for_a_few_documents_equal_the_whole_lists(engine: SearchEngine, term: str) -> None:
    """A word ANDed with a rarer one needs the BM25 parts of a few documents of its long posting
    list: made for those only (computed runs and read lists alike), they are the same numbers."""
    from app.search.analysis import normalize, query_terms

    ex = engine._ex
    assert ex is not None
    for t in query_terms(normalize(term)):
        engine.clear_cache()
        post = ex.posting("all", t.text)
        if len(post.ids) < 8 or t.mode == "order":  # (a long run is matched, never scored)
            continue
        few = sorted(post.ids)[::9][:max(1, len(post.ids) // 9)] + [10**6]  # and one it does not hold
        part = post.parts_for(few)
        full = ex.posting("all", t.text).parts
        assert part is not None and full is not None
        assert {d: part[d] for d in few if d in part} == {d: full[d] for d in few if d in full}
        assert set(part) <= set(full) and len(part) < len(full)
        assert post.parts_for(sorted(post.ids)) is full  # most of the list: the whole, kept


@pytest.mark.parametrize("seed", range(6))
def test_top_nested_values_equal_sorting_each_parents_list(engine: SearchEngine, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Without a selection the nested values are picked from one ranking of the counted children:
    per parent the same CHILD_LIMIT values, in the same order, as sorting each parent's own list
    (counts descending, the prefecture's own adoption first among equals, then name order)."""
    import random

    rnd = random.Random(seed)
    base = {"k": "service", "provider": "p", "field_id": "f", "field": "f", "label": "l", "groups": [], "personal": "",
            "type": "", "edition": None, "facts": []}
    prefs = ["北海道", "長野県", "東京都"]
    munis = {p: [p, *(f"{p}テスト{i:02d}{rnd.choice('市町村')}" for i in range(CHILD_LIMIT + 6))] for p in prefs}
    rows = []
    for i in range(120):
        p = rnd.choice(prefs)
        rows.append(dict(base, id=f"s{i}", name=f"s{i}", prefs=[p], munis=rnd.sample(munis[p], rnd.randint(1, 3))))
    monkeypatch.setattr(engine.resolver, "municipalities", [*engine.resolver.municipalities, *(m for ms in munis.values() for m in ms)])
    table = Facets(DocTable(rows), engine.resolver)
    pool = set(rnd.sample(range(len(rows)), 80))
    got = {pv.value: [c.value for c in pv.children] for pv in table.counts(parse(""), pool, lambda _n: pool)["prefecture"]}
    counts = {}
    for d in pool:
        for m in rows[d]["munis"]:
            counts[m] = counts.get(m, 0) + 1
    for p in prefs:
        kids = sorted((m for m in munis[p] if m in counts), key=lambda m: (-counts[m], m != p, m))[:CHILD_LIMIT]
        assert got.get(p, []) == kids, p
    assert any(p in got.get(p, []) for p in prefs)  # some prefecture's own adoption was among them


def test_nested_values_stay_right_from_search_to_search(engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain nested values are shared between results (one object per value and count): searches in
    turn over one table list the same values, counts and selections as a table made for each."""
    import random

    rnd = random.Random(3)
    base = {"k": "service", "provider": "p", "field_id": "f", "field": "f", "label": "l", "groups": [], "personal": "",
            "type": "", "edition": None, "facts": []}
    munis = ["北海道", *(f"北海道テスト{i:02d}町" for i in range(CHILD_LIMIT + 4))]
    rows = [dict(base, id=f"s{i}", name=f"s{i}", prefs=["北海道"], munis=rnd.sample(munis, rnd.randint(1, 4))) for i in range(60)]
    monkeypatch.setattr(engine.resolver, "municipalities", [*engine.resolver.municipalities, *munis])
    table = Facets(DocTable(rows), engine.resolver)
    everything = set(range(len(rows)))
    for q in ["", f"自治体:{munis[3]}", "", f"-自治体:{munis[5]}", ""]:
        pool = set(rnd.sample(range(len(rows)), rnd.randint(5, 50)))
        got = table.counts(parse(q), pool, lambda _n: everything)
        assert _plain(got) == _plain(Facets(DocTable(rows), engine.resolver).counts(parse(q), pool, lambda _n: everything)), q
        kids = got["prefecture"][0].children
        counted_over = everything if q.startswith("自治体:") else pool  # a facet with a filter is counted without it
        counted = {m: sum(m in rows[d]["munis"] for d in counted_over) for m in munis}
        assert all(c.count == counted[c.value] for c in kids), q
        if q.startswith("自治体:"):
            assert any(c.selected and c.value == munis[3] for c in kids)


@pytest.mark.parametrize("word", ["マイナンバーカード", "オンデマンド交通", "子育て支援", "地域公共交通", "デジタル"])
def test_a_run_read_after_a_longer_one_is_the_same_list(engine: SearchEngine, word: str) -> None:
    """A run's documents are taken from a longer run read before it (a query word, then its trigrams
    and pieces) without scanning their texts: the same documents and BM25 parts as reading it alone."""
    from app.search.analysis import is_run, normalize

    ex = engine._ex
    assert ex is not None
    run = normalize(word)
    pieces = {run[s:e] for s in range(len(run)) for e in range(s + 3, len(run) + 1) if is_run(run[s:e]) and e - s < len(run)}
    assert pieces
    alone = {}
    for p in pieces:
        engine.clear_cache()
        post = ex.posting("all", p)
        alone[p] = (list(post.ids), post.parts)
    engine.clear_cache()
    assert ex.posting("all", run).ids  # the whole word first
    for p in sorted(pieces, key=len, reverse=True):
        post = ex.posting("all", p)
        assert (list(post.ids), post.parts) == alone[p], p
    assert ex._held("all", sorted(pieces, key=len)[0])  # (the shortest piece did find a longer run)
