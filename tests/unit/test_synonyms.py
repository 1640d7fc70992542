"""Officer vocabulary (catalog_data/synonyms.yaml): validation with file:line, lookup, and the bundled data."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from app.catalog.loader import load_catalog
from app.catalog.synonyms import SynonymIndex, catalog_problems, expansions, load_synonyms, normalize
from app.cli import main
from tests.conftest import BUNDLED

SYNONYMS = BUNDLED / "synonyms.yaml"

GOOD = """\
groups:
  - id: demand
    words: [デマンド交通, 乗合タクシー, MaaS]
    readings: [でまんどこうつう]
    source: {url: "https://example.org/a", seen: 2026-11-30, took: "both words"}
  - id: boshi
    words: [母子手帳, 母子健康手帳]
    note: "same booklet"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "synonyms.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list[str]:
    return [str(p) for p in load_synonyms(_write(tmp_path, text), "synonyms.yaml")[1]]


# ------------------------------------------------------------------ validation


def test_good_file_loads_typed_groups(tmp_path: Path) -> None:
    groups, problems = load_synonyms(_write(tmp_path, GOOD))
    assert problems == []
    assert [g.id for g in groups] == ["demand", "boshi"]
    demand = groups[0]
    assert demand.words == ("デマンド交通", "乗合タクシー", "MaaS")
    assert demand.readings == ("でまんどこうつう",)
    assert demand.source is not None and demand.source.url == "https://example.org/a" and demand.source.seen == "2026-11-30"
    assert groups[1].source is None and groups[1].note == "same booklet"
    assert demand.line == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            GOOD + "  - id: again\n    words: [オンデマンド交通, 乗合タクシー]\n    note: x\n",
            "synonyms.yaml:10: '乗合タクシー' is already in group 'demand' (line 3)",
            id="duplicate-word",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: [ｵﾝﾃﾞﾏﾝﾄﾞ交通, ＭＡＡＳ]\n    note: x\n",
            "synonyms.yaml:10: 'ＭＡＡＳ' is already in group 'demand' (line 3)",
            id="duplicate-after-nfkc-casefold",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: [子育て, 育児]\n    readings:\n      - こそだて\n      - コソダテ\n    note: x\n",
            "synonyms.yaml:13: reading 'コソダテ' is not hiragana",
            id="katakana-reading",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: [子育て, 育児]\n    readings: [kosodate]\n    note: x\n",
            "synonyms.yaml:11: reading 'kosodate' is not hiragana",
            id="latin-reading",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: [子育て, 育児]\n",
            "synonyms.yaml:9: group 'again' has neither source nor note",
            id="no-source-no-note",
        ),
        pytest.param(
            GOOD + "  - id: boshi\n    words: [子育て, 育児]\n    note: x\n",
            "synonyms.yaml:9: duplicate id 'boshi' (first at line 6)",
            id="duplicate-id",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: [子育て, 育児]\n    source: {url: \"ftp://x.org/\", took: y}\n",
            "synonyms.yaml:11: source url must be http(s)",
            id="non-http-source",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: []\n    note: x\n",
            "synonyms.yaml:10: words is empty",
            id="empty-words",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: [子育て]\n    note: x\n",
            "synonyms.yaml:10: a group needs at least two words",
            id="single-word-without-reading",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: [子育て, システム]\n    note: x\n",
            "synonyms.yaml:10: 'システム' is too generic",
            id="generic-word",
        ),
        pytest.param(
            GOOD + "  - id: Bad_Id\n    words: [子育て, 育児]\n    note: x\n",
            "synonyms.yaml:9: id must be a lower-case slug",
            id="bad-id",
        ),
        pytest.param(
            GOOD + "  - id: again\n    words: [子育て, 育児]\n    readings: [いくじ]\n    note: x\n",
            "",  # control: a valid extra group gives no problem
            id="valid-extra-group",
        ),
        pytest.param("groups:\n  - id: a\n    words: [a, b\n", "synonyms.yaml:4: YAML syntax error", id="yaml-syntax"),
        pytest.param("- a\n- b\n", "synonyms.yaml:1: the file must hold a mapping with a list under 'groups'", id="not-a-mapping"),
    ],
)
def test_bad_files_name_path_and_line(tmp_path: Path, text: str, expected: str) -> None:
    problems = _problems(tmp_path, text)
    if not expected:
        assert problems == []
        return
    assert any(p.startswith(expected) for p in problems), problems
    # every problem carries a fix in parentheses
    assert all(p.endswith(")") for p in problems), problems


def test_invalid_group_is_left_out_but_the_rest_loads(tmp_path: Path) -> None:
    groups, problems = load_synonyms(_write(tmp_path, GOOD + "  - id: again\n    words: [子育て, 育児]\n"))
    assert [g.id for g in groups] == ["demand", "boshi"]
    assert len(problems) == 1


def test_unknown_key_is_a_warning_not_an_error(tmp_path: Path) -> None:
    _groups, problems = load_synonyms(_write(tmp_path, GOOD + "    colour: red\n"))
    assert [p.severity for p in problems] == ["warning"]
    assert problems[0].line == 9


def test_missing_file_is_one_problem(tmp_path: Path) -> None:
    groups, problems = load_synonyms(tmp_path / "nope.yaml")
    assert groups == [] and len(problems) == 1 and problems[0].line == 1


def test_validate_command_reports_synonym_problems(tmp_path: Path, mini_catalog: Path, capsys) -> None:
    (mini_catalog / "synonyms.yaml").write_text(GOOD + "  - id: boshi\n    words: [子育て, 育児]\n    note: x\n", encoding="utf-8")
    assert catalog_problems(mini_catalog)[0].path == f"{mini_catalog.name}/synonyms.yaml"
    rc = main(["validate", str(mini_catalog)])
    out = capsys.readouterr()
    assert rc == 1
    assert f"{mini_catalog.name}/synonyms.yaml:9: duplicate id 'boshi'" in out.out
    assert "1 error(s)" in out.err


def test_catalog_without_synonyms_file_has_no_synonym_problems(mini_catalog: Path) -> None:
    assert catalog_problems(mini_catalog) == []


# ------------------------------------------------------------------ lookup


@pytest.fixture(scope="module")
def index() -> SynonymIndex:
    groups, problems = load_synonyms(SYNONYMS)
    assert problems == []
    return SynonymIndex(groups)


def test_normalize_folds_width_and_case() -> None:
    assert normalize("ｵﾝﾃﾞﾏﾝﾄﾞ交通") == "オンデマンド交通"
    assert normalize("  ＭａａＳ ") == "maas"
    assert normalize("Mobility  as a\u3000Service") == "mobility as a service"


def test_expansions_kanji(index: SynonymIndex) -> None:
    assert index.expansions("母子手帳") == ["母子健康手帳"]
    assert index.expansions("母子健康手帳") == ["母子手帳"]


def test_expansions_katakana_reach_the_whole_group(index: SynonymIndex) -> None:
    out = index.expansions("デマンド交通")
    assert "デマンド交通" not in out
    assert {"オンデマンド交通", "乗合タクシー", "AI乗合"} <= set(out)
    assert "デマンド交通" in index.expansions("乗合タクシー")


def test_expansions_half_width_katakana(index: SynonymIndex) -> None:
    out = index.expansions("ﾃﾞﾏﾝﾄﾞ交通")
    assert "乗合タクシー" in out and "デマンド交通" not in out


def test_expansions_hiragana_reading_gives_all_words(index: SynonymIndex) -> None:
    assert index.expansions("こそだて") == ["子育て", "育児"]
    assert "デマンド交通" in index.expansions("でまんどこうつう")


def test_expansions_english_case_insensitive(index: SynonymIndex) -> None:
    for spelling in ("maas", "MAAS", "ＭａａＳ"):
        assert "Mobility as a Service" in index.expansions(spelling), spelling
    assert "MaaS" in index.expansions("mobility as a service")
    assert "JPKI" in index.expansions("公的個人認証")
    assert "公的個人認証サービス" in index.expansions("jpki")
    assert "eKYC" in index.expansions("オンライン本人確認")


def test_unknown_and_empty_words_expand_to_nothing(index: SynonymIndex) -> None:
    assert index.expansions("宇宙エレベーター") == []
    assert index.expansions("") == []
    assert index.expansions("   ") == []


def test_module_level_expansions_use_the_bundled_file() -> None:
    assert "母子健康手帳" in expansions("母子手帳")
    assert "乗合タクシー" in expansions("ｵﾝﾃﾞﾏﾝﾄﾞ交通")


def test_module_level_expansions_accept_another_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    assert expansions("maas", path) == ["デマンド交通", "乗合タクシー"]


# ------------------------------------------------------------------ the bundled data


@pytest.fixture(scope="module")
def bundled():
    return load_synonyms(SYNONYMS)


def test_bundled_file_validates_with_zero_problems(bundled) -> None:
    _groups, problems = bundled
    assert [str(p) for p in problems] == []


def test_bundled_file_is_big_enough_and_every_group_has_two_words(bundled) -> None:
    groups, _ = bundled
    assert len(groups) >= 100
    short = [g.id for g in groups if len(g.words) < 2]
    assert short == []


def test_bundled_groups_prefer_sources(bundled) -> None:
    groups, _ = bundled
    with_source = sum(1 for g in groups if g.source is not None)
    assert with_source >= 30, with_source
    for g in groups:
        if g.source is not None:
            assert g.source.seen and g.source.took, g.id


def test_bundled_groups_are_about_this_catalog(bundled) -> None:
    groups, _ = bundled
    catalog = load_catalog(BUNDLED)
    text = normalize(
        "\n".join(f"{s.name}\n{s.kind}\n{s.description}" for s in catalog.services)
    )
    hits = [g.id for g in groups if any(normalize(w) in text for w in g.words)]
    share = len(hits) / len(groups)
    assert share >= 0.6, (share, sorted(set(g.id for g in groups) - set(hits)))


def test_bundled_readings_are_nfkc_stable(bundled) -> None:
    groups, _ = bundled
    for g in groups:
        for r in g.readings:
            assert unicodedata.normalize("NFKC", r) == r, (g.id, r)
