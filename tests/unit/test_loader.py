"""Reading and validating catalog files: every problem names file:line and the rest still loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.loader import load_catalog
from tests.conftest import service_md

SVC = "services/transport"


def _problems_for(cat, name: str) -> list[str]:
    return [str(p) for p in cat.problems if p.path.endswith(name)]


def test_valid_mini_catalog_loads_without_errors(mini_catalog: Path) -> None:
    cat = load_catalog(mini_catalog)
    assert cat.errors == []
    assert sorted(s.id for s in cat.services) == ["alpha", "beta", "gamma"]
    alpha = cat.service("alpha")
    assert alpha is not None
    assert alpha.prefectures == ("愛知県",)
    assert alpha.sectors == ("準公共",)
    # own row first, then the field defaults that it did not override
    assert alpha.scra[0].node == "asset-management/device" and alpha.scra[0].origin == "entry"
    assert any(m.origin == "default" for m in alpha.scra)


@pytest.mark.parametrize(
    ("override", "line", "needle"),
    [
        ({"field": "宇宙交通"}, 5, "unknown field"),
        ({"name": '""'}, 3, "name is empty"),
        ({"provider": None}, 2, "missing provider"),
        ({"data_linkage": "maybe"}, 8, "data_linkage must be true or false"),
        ({"personal_data": "極秘"}, 9, "unknown personal_data level"),
        ({"use_fields": "[宇宙開発]"}, 10, "unknown use field"),
        ({"scra": "\n  - node: no-such/node\n    role: uses\n    why: x"}, 12, "unknown SCRA node"),
        ({"scra": "\n  - node: asset-management/device\n    role: owns\n    why: x"}, 13, "role must be"),
        ({"sources": None}, 2, "no source given"),
        ({"sources": "\n  - url: ftp://example.org/x"}, 16, "bad source URL"),
        ({"sources": "\n  - url: javascript:alert(1)"}, 16, "bad source URL"),
        ({"id": "Bad_Id"}, 2, "not a valid id"),
        ({"body": ""}, 19, "description is empty"),
    ],
)
def test_each_bad_value_is_reported_at_its_line(mini_catalog: Path, override: dict, line: int, needle: str) -> None:
    target = mini_catalog / SVC / "beta.md"
    target.write_text(service_md("beta", **override), encoding="utf-8")
    cat = load_catalog(mini_catalog)
    msgs = _problems_for(cat, "beta.md")
    assert any(needle in m for m in msgs), msgs
    assert any(m.startswith(f"catalog_data/{SVC}/beta.md:{line}:") and needle in m for m in msgs), msgs
    assert all("(" in m and m.endswith(")") for m in msgs), "every message says how to fix it"
    # the broken entry is skipped, the others still load
    assert sorted(s.id for s in cat.services) == ["alpha", "gamma"]


def test_malformed_yaml_names_the_line(mini_catalog: Path) -> None:
    target = mini_catalog / SVC / "beta.md"
    target.write_text("---\nid: beta\nname: [unclosed\nprovider: x\n---\nbody\n", encoding="utf-8")
    cat = load_catalog(mini_catalog)
    msgs = _problems_for(cat, "beta.md")
    assert len(msgs) == 1 and "YAML syntax error" in msgs[0]
    assert msgs[0].split(":")[1] in {"3", "4", "5"}
    assert len(cat.services) == 2


@pytest.mark.parametrize(
    ("content", "needle", "line"),
    [
        (b"", "file is empty", 1),
        (b"---\nid: beta\nname: \x83\x65\x83\x58\x83\x67\n---\nx\n", "not valid UTF-8", 3),
        (b"id: beta\nname: x\n", "missing front matter", 1),
        (b"---\nid: beta\nname: x\n", "front matter is not closed", 3),
        (b"---\n- a\n- b\n---\nx\n", "front matter must be", 2),
        (b"---\nid: beta\n" + b"x: " + b"y" * 1_100_000 + b"\n---\nbody\n", "too large", 1),
    ],
)
def test_unreadable_files_get_clear_messages(mini_catalog: Path, content: bytes, needle: str, line: int) -> None:
    (mini_catalog / SVC / "beta.md").write_bytes(content)
    cat = load_catalog(mini_catalog)
    msgs = _problems_for(cat, "beta.md")
    assert any(needle in m and f"beta.md:{line}:" in m for m in msgs), msgs
    assert sorted(s.id for s in cat.services) == ["alpha", "gamma"]


def test_duplicate_id_and_duplicate_name_provider(mini_catalog: Path) -> None:
    other = mini_catalog / "services" / "health"
    other.mkdir()
    (other / "alpha.md").write_text(service_md("alpha", field="医療・健康・子育て"), encoding="utf-8")
    (other / "delta.md").write_text(service_md("delta", field="医療・健康・子育て", name="テストサービスbeta"), encoding="utf-8")
    cat = load_catalog(mini_catalog)
    msgs = [str(p) for p in cat.errors]
    assert any("duplicate id 'alpha'" in m for m in msgs), msgs
    assert any("same name and provider" in m for m in msgs), msgs
    ids = sorted(s.id for s in cat.services)
    assert len(ids) == 3 and ("beta" in ids) != ("delta" in ids), "exactly one of the twins is kept"


def test_id_must_match_file_name_and_unknown_keys_warn(mini_catalog: Path) -> None:
    (mini_catalog / SVC / "beta.md").write_text(service_md("beta", provder="typo"), encoding="utf-8")
    (mini_catalog / SVC / "gamma.md").write_text(service_md("other"), encoding="utf-8")
    cat = load_catalog(mini_catalog)
    warnings = [str(p) for p in cat.problems if p.severity == "warning"]
    assert any("unknown key 'provder'" in w for w in warnings)
    assert any("does not match the file name" in str(p) for p in cat.errors)
    assert "beta" in [s.id for s in cat.services], "a warning does not skip the entry"


def test_broken_taxonomy_and_scra_files_are_reported(mini_catalog: Path) -> None:
    (mini_catalog / "architecture" / "scra-2.yaml").write_text("nodes:\n  - id: a\n    name_ja: [x\n", encoding="utf-8")
    cat = load_catalog(mini_catalog)
    assert any(p.path.endswith("scra-2.yaml") and p.line >= 2 for p in cat.errors)
    # entries referring to unknown nodes are reported, not crashed on
    assert any("unknown SCRA node" in p.message for p in cat.errors)


def test_missing_catalog_folder(tmp_path: Path) -> None:
    cat = load_catalog(tmp_path / "nope")
    assert cat.services == [] and "catalog folder not found" in cat.errors[0].message


FRONT_KEYS = ["id", "name", "provider", "field", "kind", "municipalities", "scra", "sources", "data_linkage", "personal_data"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(FRONT_KEYS + ["x", "", "- ", "  "]),
            st.one_of(st.text(max_size=30), st.sampled_from(["[", "]", "{", "'", '"', ": :", "- a", "\t", "&a", "*a", "!!python/object:os.system"])),
        ),
        max_size=12,
    )
)
def test_property_malformed_front_matter_never_crashes(mini_catalog: Path, rows: list[tuple[str, str]]) -> None:
    text = "---\n" + "\n".join(f"{k}: {v}" for k, v in rows) + "\n---\nbody\n"
    path = mini_catalog / SVC / "fuzz.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass" if False else "strict") if _encodable(text) else path.write_bytes(text.encode("utf-8", "replace"))
    cat = load_catalog(mini_catalog)
    for p in cat.problems:
        assert p.path and p.line >= 1, p
        assert f"{p.path}:{p.line}:" in str(p)
    fuzz_errors = [p for p in cat.errors if p.path.endswith("fuzz.md")]
    assert {s.id for s in cat.services} >= {"alpha", "beta", "gamma"}
    if fuzz_errors:
        assert "fuzz" not in {s.id for s in cat.services}


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False
