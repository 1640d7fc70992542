"""Validator = database: any entry that `validate` accepts, the build accepts (property test)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.loader import load_catalog
from app.catalog.store import build_db
from tests.conftest import service_md

# Mostly valid values with a few invalid ones mixed in, so both accepted and rejected entries occur.
NODES = ["asset-management/device", "service-management/portal", "service-management/payment", "data-management",
         "data-management/data-broker", "security/authentication", "intra-region"] * 3 + ["no-such/node"]
MUNIS = ["愛知県豊明市", "愛知県岡崎市", "長野県茅野市", "北海道", "東京都千代田区"] * 3 + ["豊明市", ""]
USE = ["交通・物流", "医療・福祉", "防災", "教育"] * 4 + ["宇宙"]
URLS = ["https://example.org/a", "http://example.org/b?x=1#y", "https://例え.jp/パス"] * 4 + ["ftp://x"]
ROLES = ["provides", "uses"] * 6 + ["owns"]
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=30)
name = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip)


def _flow(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False)  # JSON is YAML flow syntax


@st.composite
def entries(draw: st.DrawFn) -> str:
    scra = draw(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(ROLES), name), max_size=5))
    sources = draw(st.lists(st.tuples(st.sampled_from(URLS), text), min_size=1, max_size=4))
    over: dict[str, object] = {
        "name": json.dumps(draw(name), ensure_ascii=False),
        "provider": json.dumps(draw(name), ensure_ascii=False),
        "municipalities": _flow(draw(st.lists(st.sampled_from(MUNIS), max_size=5))),
        "use_fields": _flow(draw(st.lists(st.sampled_from(USE), max_size=4))),
        "unconfirmed": _flow(draw(st.lists(text, max_size=3))),
        "scra": "".join(f"\n  - node: {n}\n    role: {r}\n    why: {json.dumps(w, ensure_ascii=False)}" for n, r, w in scra) or "[]",
        "sources": "".join(f"\n  - url: {json.dumps(u)}\n    title: {json.dumps(t, ensure_ascii=False)}" for u, t in sources) or "[]",
    }
    if draw(st.booleans()):
        over["scra_defaults"] = "false"
    return service_md("beta", body=draw(text) or "説明", **over)


@settings(max_examples=150, deadline=None, derandomize=True,  # the same examples every run: the guard below counts them
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entries())
def test_what_validation_accepts_the_build_accepts(mini_catalog: Path, tmp_path: Path, md: str) -> None:
    (mini_catalog / "services/transport/beta.md").write_text(md, encoding="utf-8")
    cat = load_catalog(mini_catalog)
    build_db(cat, tmp_path / "catalog.db")  # never an IntegrityError or any other exception
    SEEN.append("beta" in {s.id for s in cat.services})


SEEN: list[bool] = []


def test_the_property_really_built_accepted_entries() -> None:
    """Guard against a generator that only makes rejected entries (then the property proves nothing)."""
    assert SEEN, "run together with the property test"
    assert sum(SEEN) >= 10 and not all(SEEN), f"{sum(SEEN)} of {len(SEEN)} generated entries were accepted"
