"""Catalog facts (since, lgwan, ismap, pricing, status): values checked, a missing key is unknown, and
every known fact needs a source whose `supports:` names it."""

from __future__ import annotations

from pathlib import Path

from app.catalog.loader import load_catalog
from tests.conftest import service_md

SRC = "\n  - url: https://example.org/page\n    seen: 2026-11-27\n    took: 2019年開始\n    supports: {supports}"


def entry(root: Path, **over: object) -> Path:
    path = root / "services" / "transport" / "alpha.md"
    path.write_text(service_md("alpha", **over), encoding="utf-8")
    return path


def line_of(path: Path, prefix: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(prefix))


def problems(root: Path) -> list[str]:
    return [str(p) for p in load_catalog(root).errors]


def test_missing_keys_are_unknown(mini_catalog: Path) -> None:
    cat = load_catalog(mini_catalog)
    assert not cat.errors
    alpha = cat.service("alpha")
    assert alpha is not None
    assert {k: alpha.fact(k) for k in ("since", "lgwan", "ismap", "pricing", "status")} == dict.fromkeys(
        ("since", "lgwan", "ismap", "pricing", "status"), "unknown")


def test_known_facts_with_supporting_sources_load(mini_catalog: Path) -> None:
    entry(mini_catalog, since="2019", lgwan="yes", ismap="n/a", pricing="oss", licence="MIT", status="ended",
          ended='"2023-03"', sources=SRC.format(supports="[since, lgwan, ismap, pricing, status]"))
    cat = load_catalog(mini_catalog)
    assert not cat.errors, [str(p) for p in cat.errors]
    alpha = cat.service("alpha")
    assert alpha is not None
    assert alpha.facts == {"since": "2019", "lgwan": "yes", "ismap": "n/a", "pricing": "oss", "licence": "MIT",
                           "status": "ended", "ended": "2023-03"}
    assert alpha.sources[0].supports == ("since", "lgwan", "ismap", "pricing", "status")


def test_yaml_booleans_are_yes_and_no(mini_catalog: Path) -> None:
    entry(mini_catalog, lgwan="no", ismap="yes", sources=SRC.format(supports="[lgwan, ismap]"))  # YAML: False / True
    cat = load_catalog(mini_catalog)
    assert not cat.errors
    alpha = cat.service("alpha")
    assert alpha is not None and (alpha.fact("lgwan"), alpha.fact("ismap")) == ("no", "yes")


def test_a_known_fact_without_a_supporting_source_is_an_error(mini_catalog: Path) -> None:
    path = entry(mini_catalog, since="2019")
    errs = problems(mini_catalog)
    line = line_of(path, "since:")
    assert len(errs) == 1 and errs[0].startswith(f"catalog_data/services/transport/alpha.md:{line}: since: 2019 is not supported by any source")
    assert "supports: [since]" in errs[0]
    entry(mini_catalog, since="2019", pricing="free", sources=SRC.format(supports="[since]"))
    assert [e.split(": ", 1)[1] for e in problems(mini_catalog)] == [
        "pricing: free is not supported by any source (add supports: [pricing] to the source that states it, "
        "or leave pricing out (unknown))"]


def test_bad_values_name_file_line_and_fix(mini_catalog: Path) -> None:
    cases = {
        "since": ("平成31年", "since must be a year such as 2019"),
        "lgwan": ("maybe", "lgwan must be one of yes, no, unknown"),
        "ismap": ("pending", "ismap must be one of yes, no, n/a, unknown"),
        "pricing": ("cheap", "pricing must be one of free, paid, quote, oss, unknown"),
        "status": ("closed", "status must be one of active, trial, ended, unknown"),
    }
    for key, (value, message) in cases.items():
        path = entry(mini_catalog, **{key: value})
        errs = problems(mini_catalog)
        line = line_of(path, f"{key}:")
        assert len(errs) == 1 and f"alpha.md:{line}: {message}" in errs[0] and "(write " in errs[0], (key, errs)


def test_details_only_with_their_value(mini_catalog: Path) -> None:
    entry(mini_catalog, pricing="paid", licence="MIT", sources=SRC.format(supports="[pricing]"))
    assert any("licence is only for pricing: oss" in e for e in problems(mini_catalog))
    entry(mini_catalog, status="ended", ended='"2023-3"', sources=SRC.format(supports="[status]"))
    assert any("ended must look like YYYY-MM" in e for e in problems(mini_catalog))


def test_supports_must_name_facts(mini_catalog: Path) -> None:
    path = entry(mini_catalog, sources=SRC.format(supports="[price]"))
    errs = problems(mini_catalog)
    line = line_of(path, "    supports:")
    assert len(errs) == 1 and "supports names unknown fact 'price'" in errs[0] and f"alpha.md:{line}:" in errs[0]
