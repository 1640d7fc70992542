"""Query text from anywhere (pasted documents, fuzzers) is bounded: cut with a message, never slow or raising."""

from __future__ import annotations

import time

import pytest

from app import paths
from app.build import ensure_built
from app.limits import MAX_QUERY_CHARS
from app.search.engine import SearchEngine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    import os

    home = tmp_path_factory.mktemp("qhome")
    old = os.environ.get("MACHI_NAVI_HOME")
    os.environ["MACHI_NAVI_HOME"] = str(home)
    ensure_built()
    eng = SearchEngine(paths.catalog_db_path(), paths.index_dir())
    yield eng
    eng.close()
    if old is not None:
        os.environ["MACHI_NAVI_HOME"] = old


@pytest.mark.parametrize("text", [
    "オンデマンド " * 200_000,
    "(" * 100_000 + "a",
    '"' * 50_001,
    "分野:" * 100_000,
    "-" * 1_000_000,
    "NOT " * 100_000,
    "\x00\ud800\U0010ffff" * 10_000,
])
def test_long_or_odd_queries_are_cut_and_answered(engine: SearchEngine, text: str) -> None:
    started = time.perf_counter()
    res = engine.search(text)
    elapsed = time.perf_counter() - started
    assert res is not None
    if len(text) > MAX_QUERY_CHARS:
        assert res.message and str(MAX_QUERY_CHARS)[:1] in res.message and "cut" in res.message
    print(f"{len(text):,} chars: {elapsed * 1000:.0f} ms")


def test_cut_query_still_finds(engine: SearchEngine) -> None:
    res = engine.search("オンデマンド" + " " * (MAX_QUERY_CHARS * 3))
    assert res.hits, "the first part of a long query is still searched"
