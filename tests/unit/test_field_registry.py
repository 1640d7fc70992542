"""The field registry (app/catalog/fields.py): every field parses, prints back, is indexed, has labels
in Japanese and English, and every facet it declares agrees with the search it writes."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.catalog import fields as registry
from app.search.engine import SearchEngine
from app.search.index import schema
from app.search.query import Filter, parse
from tests.plan_support import bundled_db


def test_every_spelling_of_every_field_parses_and_round_trips() -> None:
    for spec in registry.FIELDS:
        for name in (*spec.names, spec.key, spec.name.upper()):
            q = parse(f"{name}:値 語")
            assert q.filters() == [Filter(spec.name, "値")], (spec.key, name)
            assert q.to_text() == f"{spec.name}:値 語"
            assert parse(q.to_text()) == q
        for text in (f'-{spec.en}:="a b"', f"({spec.en}:x OR {spec.name}:y) z", f"{spec.en}:なし"):
            q = parse(text)
            assert q.message is None and parse(q.to_text()) == q, text
        chip = parse(f"{spec.en}:x").with_filter(spec.key, "y")
        assert [f.value for f in chip.filters(spec.name)] == ["x", "y"]


def test_names_are_unambiguous_across_fields() -> None:
    owner: dict[str, str] = {}
    for spec in registry.FIELDS:
        for name in (*spec.names, spec.key):
            folded = unicodedata.normalize("NFKC", name).casefold()
            assert owner.setdefault(folded, spec.key) == spec.key, f"{name!r} names {owner[folded]} and {spec.key}"


def test_labels_exist_in_japanese_and_english() -> None:
    for spec in registry.FIELDS:
        assert spec.label("ja") and spec.label("en"), spec.key
        if spec.facet:
            assert spec.facet_label("ja") and spec.facet_label("en"), spec.key
        for v in spec.values:
            assert v.ja and v.en, (spec.key, v.id)
            assert spec.value_label(v.id, "ja") == v.ja and spec.value_label(v.id, "en") == v.en


def test_every_index_field_and_text_part_is_in_the_schema() -> None:
    names = set(schema().names())
    for spec in registry.FIELDS:
        assert spec.index in names, spec.key
        if spec.text:
            assert spec.text in names and spec.text in registry.TEXT_WEIGHTS and spec.weight > 0, spec.key


def test_facts_declare_what_the_catalog_needs() -> None:
    assert [f.key for f in registry.FACTS] == ["since", "lgwan", "ismap", "pricing", "status"]
    for f in registry.FACTS:
        assert f.facet and f.missing == registry.UNKNOWN, f.key
        assert f.resolver == "year" or registry.UNKNOWN in [v.id for v in f.values], f.key
    assert registry.fact_label(registry.BY_KEY["pricing"], "oss", "MIT") == "OSS（MIT）"
    assert registry.fact_label(registry.BY_KEY["status"], "ended", "2023-03", "en") == "ended (2023-03)"
    assert registry.fact_label(registry.BY_KEY["since"], "") == "不明"


# -- against the bundled catalog ---------------------------------------------------------------

@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    root = tmp_path_factory.mktemp("registry")
    bundled_db(root / "catalog.db").close()
    eng = SearchEngine(root / "catalog.db", root / "index")
    yield eng
    eng.close()


def test_every_facet_field_is_a_facet_whose_values_search_to_their_counts(engine: SearchEngine) -> None:
    res = engine.search("")
    assert list(res.facets) == [f.facet for f in registry.FACETS]
    for spec in registry.FACETS:
        values = res.facets[spec.facet]
        assert values, spec.key
        for fv in values:
            assert fv.field == spec.name
            got = engine.search(fv.query_text, limit=1)
            assert got.total == fv.count, (fv.query_text, got.total, fv.count, got.message)
            again = next(v for v in got.facets[spec.facet] if v.value == fv.value)
            assert again.selected, fv.query_text


def test_facts_facets_show_known_values_and_unknown(engine: SearchEngine) -> None:
    res = engine.search("対象:サービス")
    services = res.total
    for spec in registry.FACTS:
        counts = {fv.value: fv.count for fv in res.facets[spec.facet]}
        assert sum(counts.values()) == services, spec.key  # one value per service, 不明 included
        assert "不明" in counts
    since = {fv.value: fv.count for fv in res.facets["since"]}
    assert since.get("2019", 0) >= 2, since
    assert "nerv-bousai" in [h.id for h in engine.search("開始年:2019").hits]
    assert "bodik-odcs" in [h.id for h in engine.search("since:2010..2017 料金:無料").hits]


def test_completion_values_resolve_for_every_field(engine: SearchEngine) -> None:
    for spec in registry.FIELDS:
        values = engine.all_values(spec.en)
        assert values, spec.key
        for v in values[:5]:
            res = engine.search(parse("").with_filter(spec.name, v).to_text(), limit=1, with_facets=False)
            assert "当てはまる値がありません" not in (res.message or ""), (spec.key, v, res.message)
    assert engine.all_values("開始年")[-1] == "不明" and "2019" in engine.all_values("since")


def test_unknown_fact_value_is_a_clear_note(engine: SearchEngine) -> None:
    res = engine.search("料金:たぶん無料")
    assert res.total == 0 and "料金「たぶん無料」に当てはまる値がありません" in (res.message or "")
    assert "no pricing matches" in (res.message or "")


def test_bundled_entries_with_facts_keep_their_sources(tmp_path: Path) -> None:
    db = bundled_db(tmp_path / "catalog.db")
    try:
        for s in db.services():
            known = [f.key for f in registry.FACTS if s.fact(f.key) != registry.UNKNOWN]
            supported = {k for src in s.sources for k in src.supports}
            assert set(known) <= supported, (s.id, known, supported)
    finally:
        db.close()
