"""Quality gates on the real bundled catalog (catalog_data/)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.catalog.loader import is_http_url, load_catalog
from tests.conftest import BUNDLED

MIN_PER_FIELD = 25
MIN_TOTAL = 200


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(BUNDLED)


def test_bundled_catalog_validates_with_zero_problems(catalog) -> None:
    # a weak source beside primary ones is a reminder (source-policy.yaml), not a defect
    assert [str(p) for p in catalog.problems if not p.message.startswith("weak source ")] == []


def test_no_entry_rests_on_weak_sources_only(catalog) -> None:
    from app.catalog.policy import load_policy

    policy = load_policy(BUNDLED, [])
    assert policy.rules
    weak_only = [s.id for s in catalog.services if all(policy.weak_rule(src.url) for src in s.sources)]
    assert weak_only == []


def test_counts_per_field(catalog) -> None:
    per_field = Counter(s.field_name for s in catalog.services)
    assert len(catalog.services) >= MIN_TOTAL, per_field
    for f in catalog.taxonomy.catalog_fields:
        assert per_field[f.name_ja] >= MIN_PER_FIELD, (f.name_ja, per_field[f.name_ja])


def test_every_entry_has_http_source_and_description(catalog) -> None:
    for s in catalog.services:
        assert s.sources and all(is_http_url(src.url) for src in s.sources), s.id
        assert len(s.description) >= 40, s.id


def test_every_scra_reference_exists_and_has_rationale(catalog) -> None:
    for s in catalog.services:
        assert s.scra, f"{s.id} maps onto no SCRA node"
        for m in s.scra:
            assert m.node in catalog.nodes and catalog.nodes[m.node].edition == 2, (s.id, m.node)
            assert m.why.strip(), (s.id, m.node)


def test_no_duplicate_name_provider_pairs_or_ids(catalog) -> None:
    pairs = Counter((s.name, s.provider) for s in catalog.services)
    assert [p for p, n in pairs.items() if n > 1] == []
    assert len({s.id for s in catalog.services}) == len(catalog.services)


def test_scra_tree_shape(catalog) -> None:
    groups = [n for n in catalog.nodes.values() if n.edition == 2 and n.level == "group"]
    assert [g.name_ja for g in groups if g.axis == "layer"] == ["サービスマネジメント機能群", "データマネジメント機能群", "アセットマネジメント機能群"]
    assert len([g for g in groups if g.axis == "pillar"]) == 4
    v1 = [n for n in catalog.nodes.values() if n.edition == 1 and n.level == "group"]
    assert len(v1) == 8 and all(n.maps_to for n in v1)
    context = [n for n in catalog.nodes.values() if n.level == "context"]
    assert len(context) >= 9
    for n in catalog.nodes.values():
        assert n.provenance in ("source", "editorial")
        if n.provenance == "source":
            assert is_http_url(n.source_url), n.id


def test_sources_md_lists_every_source(catalog) -> None:
    text = (BUNDLED / "SOURCES.md").read_text(encoding="utf-8")
    for s in catalog.services:
        for src in s.sources:
            assert src.url in text, (s.id, src.url)


def test_municipalities_name_a_prefecture(catalog) -> None:
    for s in catalog.services:
        for m in s.municipalities:
            assert catalog.taxonomy.prefecture_of(m), (s.id, m)


def test_no_file_outside_known_folders(catalog) -> None:
    dirs = {f.dir for f in catalog.taxonomy.catalog_fields}
    for p in (BUNDLED / "services").iterdir():
        assert p.name in dirs, p
    assert isinstance(Path, type)
