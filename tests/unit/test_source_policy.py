"""Source policy: an entry may not rest on weak sources only (catalog_data/source-policy.yaml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.catalog.loader import load_catalog
from app.catalog.policy import POLICY_FILE, load_policy
from tests.conftest import BUNDLED, service_md, write

POLICY = """\
rules:
  - domain: docsplayer.net
    kind: dump
    reason: 文書の転載
  - domain: hatenablog.com
    kind: blog
    reason: 個人ブログ
  - host_regex: '^(.+\\.)?fdocuments\\.[a-z.]+$'
    name: fdocuments
    kind: dump
    reason: 文書の転載
  - bare_ip: true
    kind: address
    reason: IP アドレス直書き
"""


def _sources(*urls: str) -> str:
    return "".join(f"\n  - url: {u}\n    seen: 2026-11-30" for u in urls)


@pytest.fixture
def cat_root(mini_catalog: Path) -> Path:
    (mini_catalog / POLICY_FILE).write_text(POLICY, encoding="utf-8")
    return mini_catalog


def _entry(root: Path, sid: str, *urls: str) -> Path:
    return write(root / "services" / "transport" / f"{sid}.md", service_md(sid, sources=_sources(*urls)))


def test_all_weak_sources_is_an_error_with_line_and_fix_and_the_entry_is_skipped(cat_root: Path) -> None:
    _entry(cat_root, "weakonly", "https://docsplayer.net/123-x.html", "https://someone.hatenablog.com/entry/1")
    cat = load_catalog(cat_root)
    errors = [p for p in cat.errors if p.path.endswith("weakonly.md")]
    assert len(errors) == 1
    err = errors[0]
    text = (cat_root / "services/transport/weakonly.md").read_text(encoding="utf-8").splitlines()
    assert "docsplayer.net" in text[err.line - 1]  # the line of the first weak URL
    assert "docsplayer.net" in err.message and "hatenablog.com" in err.message
    assert "primary source" in err.fix
    assert cat.service("weakonly") is None
    assert cat.service("alpha") is not None


def test_weak_source_next_to_a_primary_one_is_a_warning(cat_root: Path) -> None:
    _entry(cat_root, "mixed", "https://www.city.example.lg.jp/page.html", "https://fdocuments.net/document/x.html")
    cat = load_catalog(cat_root)
    found = [p for p in cat.problems if p.path.endswith("mixed.md")]
    assert [p.severity for p in found] == ["warning"]
    assert "fdocuments" in found[0].message and "^(" not in found[0].message
    assert cat.service("mixed") is not None


@pytest.mark.parametrize("url", ["http://203.0.113.7/news/1.html", "https://[2001:db8::1]/a", "http://192.168.0.1:8080/x"])
def test_bare_ip_addresses_are_weak(cat_root: Path, url: str) -> None:
    policy = load_policy(cat_root, [])
    rule = policy.weak_rule(url)
    assert rule is not None and rule.kind == "address"


@pytest.mark.parametrize("url", [
    "https://www.docsplayer.net/1.html", "https://DOCSPLAYER.NET./x", "https://fdocuments.in/doc/1",
])
def test_domains_match_hosts_and_subdomains_case_insensitively(cat_root: Path, url: str) -> None:
    assert load_policy(cat_root, []).weak_rule(url) is not None


@pytest.mark.parametrize("url", [
    "https://notdocsplayer.net/x", "https://docsplayer.net.example.com/x", "https://www.city.toyoake.lg.jp/1.html",
    "https://example.org/docsplayer.net/copy",
])
def test_other_hosts_are_not_weak(cat_root: Path, url: str) -> None:
    assert load_policy(cat_root, []).weak_rule(url) is None


def test_local_entries_on_weak_sources_only_are_a_warning(cat_root: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "local"
    write(overlay / "mine.md", service_md("mine", sources=_sources("https://docsplayer.net/9.html")))
    cat = load_catalog(cat_root, overlay)
    found = [p for p in cat.problems if p.path.endswith("mine.md")]
    assert [p.severity for p in found] == ["warning"]
    assert cat.service("mine") is not None


def test_no_policy_file_means_no_policy(mini_catalog: Path) -> None:
    _entry(mini_catalog, "weakonly", "https://docsplayer.net/123-x.html")
    assert load_catalog(mini_catalog).service("weakonly") is not None


@pytest.mark.parametrize(("rule", "message"), [
    ("  - domain: a.com\n    kind: blog\n", "no reason"),
    ("  - domain: a.com\n    kind: gossip\n    reason: x\n", "unknown kind"),
    ("  - domain: a.com\n    host_regex: b\n    kind: blog\n    reason: x\n", "exactly one"),
    ("  - host_regex: '(['\n    kind: blog\n    reason: x\n", "bad host_regex"),
    ("  - domain: a.com/path\n    kind: blog\n    reason: x\n", "not a host name"),
])
def test_bad_policy_rules_are_reported_with_file_and_line(mini_catalog: Path, rule: str, message: str) -> None:
    (mini_catalog / POLICY_FILE).write_text("rules:\n  - domain: ok.example\n    kind: blog\n    reason: r\n" + rule, encoding="utf-8")
    problems: list = []
    policy = load_policy(mini_catalog, problems)
    assert len(policy.rules) == 1
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].path.endswith(POLICY_FILE) and problems[0].line == 5


def test_bundled_policy_loads_and_names_the_weak_hosts_of_issue_16() -> None:
    problems: list = []
    policy = load_policy(BUNDLED, problems)
    assert problems == []
    for url in ("https://asahi.5ch.net/x", "https://ameblo.jp/x", "https://x.hatenablog.com/", "https://note.com/u/n/1",
                "https://docsplayer.net/1", "https://123deta.com/d", "https://fdocuments.net/d", "https://vdocuments.pub/d",
                "https://dokumen.tips/d", "https://expydoc.com/d", "https://www.slideshare.net/d", "https://megalodon.jp/x",
                "https://cache.yimg.jp/x", "https://webcache.googleusercontent.com/search?q=cache:x",
                "https://prod-news.global.ssl.fastly.net/x", "https://lawinsider.com/x", "http://10.1.2.3/x"):
        rule = policy.weak_rule(url)
        assert rule is not None and rule.reason, url
    for url in ("https://www.digital.go.jp/x", "https://www.nikkei.com/x", "https://prtimes.jp/main/x"):
        assert policy.weak_rule(url) is None, url


def test_policy_applies_to_the_real_catalog_copy(tmp_path: Path) -> None:
    root = tmp_path / "catalog_data"
    shutil.copytree(BUNDLED, root)
    path = next((root / "services" / "transport").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("\nsources:")
    # keep everything but the sources block, which becomes one weak source
    lines = rest.splitlines(keepends=True)
    i = 1
    while i < len(lines) and (lines[i].startswith(" ") or lines[i].startswith("-")):
        i += 1
    path.write_text(head + "\nsources:\n  - url: https://ameblo.jp/someone/entry-1.html\n    seen: 2026-11-30\n" + "".join(lines[i:]),
                    encoding="utf-8")
    cat = load_catalog(root)
    assert [p.path for p in cat.errors] == [f"catalog_data/services/transport/{path.name}"]
