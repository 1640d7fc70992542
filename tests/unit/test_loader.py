"""Reading and validating catalog files: every problem names file:line and the rest still loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from app.catalog.entry import ENTRY_KEYS, KEY_NAMES, EntryContext, check_entry, validate_entry
from app.catalog.loader import build_service, entry_context, load_catalog
from app.catalog.yamlio import ReadError, parse_yaml, split_front_matter
from tests.conftest import BUNDLED, service_md

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


FRONT_KEYS = ["id", "name", "provider", "field", "kind", "municipalities", "scra", "sources", "data_linkage", "personal_data",
              "use_fields", "unconfirmed", "name_en", "scra_defaults"]
_CTX: list[EntryContext] = []


def _bundled_context() -> EntryContext:
    if not _CTX:
        _CTX.append(entry_context(BUNDLED))
    return _CTX[0]


_VALUES = st.one_of(st.text(max_size=30), st.sampled_from([
    "[", "]", "{", "'", '"', ": :", "- a", "\t", "&a", "*a", "!!python/object:os.system", "[a, [b]]", "{url: x}", "null", "true", "no",
    "2026-11-27", "12", "公共交通", "[愛知県豊明市, 豊明市]", "[交通・物流]", "個人情報", "\n  - node: asset-management/device\n    role: uses\n    why: x",
    "\n  - url: https://example.org/a", "\n  - https://example.org/b", "\n  - url: https://example.org/c\n    title: [t]", "\n  - 5"]))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        # a valid entry with a few keys replaced or dropped (None)
        st.dictionaries(st.sampled_from(FRONT_KEYS + ["x"]), st.one_of(st.none(), _VALUES), max_size=3).map(
            lambda over: service_md("fuzz", **{k: v for k, v in over.items() if k != "id"})),
        # arbitrary key: value lines
        st.lists(st.tuples(st.sampled_from(FRONT_KEYS + ["x", "", "- ", "  "]), _VALUES), max_size=12).map(
            lambda rows: "---\n" + "\n".join(f"{k}: {v}" for k, v in rows) + "\n---\nbody\n"),
    )
)
def test_property_malformed_front_matter_never_crashes(text: str) -> None:
    """Any front matter: the validator never raises, every problem names path:line, and an entry
    without errors always builds a Service (what the validator accepts, the loader accepts)."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    path = f"catalog_data/{SVC}/fuzz.md"
    ctx = _bundled_context()
    try:
        yaml_text, body, _ = split_front_matter(text)
        data, lines = parse_yaml(yaml_text, offset=1)
    except ReadError as err:
        assert err.line >= 1 and err.message
        return
    values, problems = check_entry(data, path, lines, ctx)
    assert problems == validate_entry(data, path, lines, ctx)
    for p in problems:
        assert p.path == path and p.line >= 1, p
        assert str(p).startswith(f"{path}:{p.line}: ") and p.fix, p
    if not any(p.severity == "error" for p in problems):
        event("valid entry built")
        svc = build_service(values, body.strip(), ctx, local=False, disp=path)
        assert svc.id == "fuzz" and svc.name and svc.field_name and svc.sources
        assert all(m.node in ctx.nodes for m in svc.scra)


def test_validate_entry_without_a_catalog_checks_shape_but_not_references() -> None:
    """validate_entry works on a dict alone (no taxonomy): types, required keys, literal values."""
    data = {"id": "Bad_Id", "name": ["x"], "field": "宇宙", "data_linkage": "maybe", "sources": [{"url": "ftp://x.org"}], "extra": 1}
    lines = {("id",): 2, ("name",): 3, ("field",): 4, ("data_linkage",): 5, ("sources",): 6, ("sources", 0): 7, ("sources", 0, "url"): 7,
             ("extra",): 8}
    msgs = [str(p) for p in validate_entry(data, "x/beta.md", lines)]
    assert msgs == [
        "x/beta.md:8: warning: unknown key 'extra' (did you mean one of: " + ", ".join(sorted(KEY_NAMES)) + "?)",
        "x/beta.md:2: id 'Bad_Id' is not a valid id (use lower-case a-z, 0-9 and '-' only)",
        "x/beta.md:3: name must be text, not list (write name as a single line of text)",
        "x/beta.md:2: missing provider (add 'provider: …')",
        "x/beta.md:2: missing kind (add 'kind: …')",
        "x/beta.md:5: data_linkage must be true or false, not 'maybe' (write data_linkage: true or data_linkage: false)",
        "x/beta.md:7: bad source URL 'ftp://x.org' (use a full http:// or https:// address)",
    ], msgs
    # with the catalog's taxonomy, the field is checked too, and the message lists the real fields
    with_ctx = [str(p) for p in validate_entry(data, "x/beta.md", lines, _bundled_context())]
    assert any(m.startswith("x/beta.md:4: unknown field '宇宙' (use one of: 公共交通,") for m in with_ctx), with_ctx


def test_every_entry_key_is_declared_once_with_a_fix() -> None:
    names = [k.name for k in ENTRY_KEYS]
    assert len(names) == len(set(names))
    assert set(names) >= {"id", "name", "provider", "field", "kind", "sources"}
    for k in ENTRY_KEYS:
        assert not k.required or k.missing_fix, k.name
        assert (k.allowed is None and k.ref is None) or k.unknown_fix, f"{k.name}: a disallowed value needs a fix text"


def test_a_new_key_is_one_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a front-matter key = one Key row: type, allowed values and messages come from the table."""
    from app.catalog import entry

    review_year = entry.Key("review_year", "int", allowed=lambda y: 1990 <= y <= 2100, unknown="review_year {value!r} is not a plausible year",
                      unknown_fix="write the year of the last review, e.g. review_year: 2021")
    phase = entry.Key("phase", default="active", allowed=("active", "ended"), unknown_fix="use active or ended")

    def check(**over: object) -> tuple[dict, list[str]]:
        yaml_text, _, _ = split_front_matter(service_md("beta", **over))
        data, lines = parse_yaml(yaml_text, offset=1)
        values, problems = check_entry(data, "s/beta.md", lines, _bundled_context())
        return values, [str(p) for p in problems]

    values, msgs = check(review_year=2021)
    assert msgs and "unknown key 'review_year'" in msgs[0] and values.get("review_year") is None, "not declared yet: a warning"
    monkeypatch.setattr(entry, "ENTRY_KEYS", entry.ENTRY_KEYS + (review_year, phase))
    values, msgs = check(review_year=2021)
    assert msgs == [] and values["review_year"] == 2021 and values["phase"] == "active"
    assert check(review_year="soon")[1] == ["s/beta.md:18: review_year must be a whole number, not 'soon' (write review_year as digits, e.g. review_year: 2021)"]
    assert check(review_year=1800)[1] == ["s/beta.md:18: review_year 1800 is not a plausible year (write the year of the last review, e.g. review_year: 2021)"]
    assert check(phase="maybe")[1] == ["s/beta.md:18: unknown phase 'maybe' (use active or ended)"]
