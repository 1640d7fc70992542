"""A search in two steps (engine.search(rows=n), then engine.complete): the first rows come first and
the completed result is the one-step result; and the C-level score loops (app.search.vectors) give
exactly what the plain loops give."""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from itertools import repeat
from operator import mul, neg
from pathlib import Path

import pytest

from app import paths
from app.catalog.store import current_db
from app.search import vectors
from app.search.engine import SearchEngine
from app.search.vectors import term_sum, top_scored

# words with many hits (one character, katakana), filters, OR, negation, a phrase, no hits, everything
QUERIES = ["", "ア", "交通", "サービス", "アプリ 予約", "分野:公共交通", "自治体:北海道 アプリ", "-自治体:東京都 システム",
           "都道府県:長野県 OR 交通", '"地域通貨"', "まいなんばー", "存在しない語ぞぞぞ", "MaaS"]


@pytest.fixture
def engine(ui_home: Path) -> Iterator[SearchEngine]:
    with SearchEngine(current_db(paths.catalog_db_path()), paths.index_dir()) as e:
        yield e


@pytest.mark.parametrize("synonyms", [True, False])
def test_completed_result_is_the_one_step_result(engine: SearchEngine, synonyms: bool) -> None:
    staged_any = False
    for q in QUERIES:
        full = engine.search(q, limit=1000, synonyms=synonyms, snippets=3)
        engine.highlight_pending(full)
        res = engine.search(q, limit=1000, synonyms=synonyms, snippets=3, rows=5)
        assert res.total == full.total, q  # the total is final in the first step
        first = [(h.id, h.score) for h in res.hits]
        assert first == [(h.id, h.score) for h in full.hits[:len(first)]], q
        if res.rest is not None:  # more hits than rows, or none at all (the did-you-mean): the rest follows
            staged_any = True
            assert res.facets == {} and (len(res.hits) == 5 and full.facets or res.total == 0 and not res.hits), q
        engine.complete(res)
        assert res.rest is None
        engine.highlight_pending(res)
        assert res.to_json() == full.to_json(), q
    assert staged_any


def test_no_match_shows_the_empty_table_before_the_did_you_mean(engine: SearchEngine) -> None:
    res = engine.search("ひかりねっと", limit=1000, rows=100)  # no entry: its did-you-mean reads every name
    assert res.total == 0 and res.rest is not None and res.message is None
    engine.complete(res)
    assert res.rest is None and res.message and res.message == engine.search("ひかりねっと", limit=1000).message


def test_small_results_come_in_one_step(engine: SearchEngine) -> None:
    res = engine.search("アプリ 予約", limit=1000, rows=1000)
    assert res.rest is None and res.facets and len(res.hits) == res.total


def test_completing_after_the_index_reopened_searches_again(engine: SearchEngine) -> None:
    full = engine.search("サービス", limit=1000)
    res = engine.search("サービス", limit=1000, rows=3)
    assert res.rest is not None
    engine._load()  # reopened (a rebuild) between the two steps: the old docnums must not be used
    engine.complete(res)
    assert res.to_json() == full.to_json()


def test_a_result_is_completed_once(engine: SearchEngine) -> None:
    res = engine.search("サービス", limit=1000, rows=3)
    engine.complete(res)
    hits = list(res.hits)
    engine.complete(res)
    assert res.hits == hits and len(hits) == min(res.total, 1000)


def test_cut_query_keeps_its_note_in_the_completed_result(engine: SearchEngine) -> None:
    from app.limits import MAX_QUERY_CHARS

    text = "サービス " + "あ" * MAX_QUERY_CHARS
    full = engine.search(text, limit=1000)
    res = engine.search(text, limit=1000, rows=2)
    engine.complete(res)
    assert res.message == full.message and "先頭" in (res.message or "")


def _dense(terms: list[tuple[dict[int, float], float]], dl: list[int]) -> list[float]:
    """The plain loop term_sum replaces: Σ in term order over the whole list."""
    vecs = [list(map(mul, map(p.get, dl, repeat(0.0)), repeat(b))) if b != 1.0 else list(map(p.get, dl, repeat(0.0)))
            for p, b in terms if p]
    return list(map(sum, zip(*vecs, strict=True))) if len(vecs) > 1 else vecs[0]


@pytest.mark.parametrize("seed", range(8))
def test_sparse_and_dense_term_sums_are_equal(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(seed)
    ndocs = rnd.choice([5, 50, 500])
    terms = [({d: rnd.uniform(0.01, 9.0) for d in rnd.sample(range(ndocs), rnd.randint(1, ndocs))}, rnd.choice([1.0, 0.3]))
             for _ in range(rnd.randint(2, 40))]
    terms.append(({}, 1.0))  # a term without postings is skipped
    dl = sorted(rnd.sample(range(ndocs + 3), rnd.randint(1, ndocs)))
    want = _dense(terms, dl)
    for cost in (0, 10**9):  # always sparse / always dense
        monkeypatch.setattr(vectors, "SPARSE_COST", cost)
        assert term_sum(terms, dl) == want  # the same floats, not nearly
    assert term_sum([({}, 1.0)], dl) is None


@pytest.mark.parametrize("seed", range(8))
def test_top_scored_is_heapq_over_every_document(seed: int) -> None:
    rnd = random.Random(seed)
    n = rnd.choice([10, 300, 3000])
    dl = rnd.sample(range(n * 2), n)
    scores = [rnd.choice([0.0, 1.0, 2.5, rnd.uniform(0, 5)]) for _ in dl]  # many ties
    order = {d: i for i, d in enumerate(rnd.sample(dl, len(dl)))}
    for limit in (1, 7, 100, n + 5):
        want = [(s, d) for s, _, d in heapq.nsmallest(limit, zip(map(neg, scores), map(order.__getitem__, dl), dl, strict=True))]
        assert top_scored(dl, scores, order.__getitem__, limit) == want


@pytest.mark.parametrize("n", [1, 5, 450, vectors.SORT_UP_TO, vectors.SORT_UP_TO + 1, 5000])
def test_selection_by_sorting_equals_heapq_on_either_side_of_the_cut(n: int) -> None:
    rnd = random.Random(n)
    values = [rnd.choice([0.0, 1.5, rnd.uniform(0, 9)]) for _ in range(n)]  # ties
    rank = {d: rnd.random() for d in range(n)}
    for k in {1, min(n, 100), min(n, 200), n}:
        assert vectors.kth_largest(values, k) == heapq.nlargest(k, values)[-1]
        assert vectors.smallest(k, list(range(n)), key=rank.__getitem__) == heapq.nsmallest(k, range(n), key=rank.__getitem__)
        pairs = list(zip(values, range(n), strict=True))
        assert vectors.smallest(k, pairs) == heapq.nsmallest(k, pairs)
