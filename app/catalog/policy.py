"""Source policy (catalog_data/source-policy.yaml): sources that may not be an entry's only source.

Forums, personal blogs, document dumps, caches, CDN copies and bare IP addresses are "weak".
An entry whose sources are all weak is an error; a weak source next to primary ones is a
warning. The loader calls `SourcePolicy.check` once per loaded entry; everything else about the
policy lives here.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from app.catalog.model import Problem, Service
from app.catalog.yamlio import load_yaml_file

POLICY_FILE = "source-policy.yaml"
KINDS = ("forum", "blog", "mirror", "cache", "dump", "aggregator", "address")
PRIMARY_FIX = ("add a primary source: the provider's page or press release, a municipality, ministry or agency page, "
               "or a reputable news report (see catalog_data/source-policy.yaml)")


@dataclass(frozen=True)
class Rule:
    """One weak-source rule: exactly one matcher plus why such a source is weak."""

    kind: str
    reason: str
    domain: str = ""
    host_regex: str = ""
    url_regex: str = ""
    bare_ip: bool = False
    name: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        return self.name or self.domain or self.host_regex or self.url_regex or ("bare IP" if self.bare_ip else "?")

    def matches(self, url: str, host: str) -> bool:
        if self.domain:
            return host == self.domain or host.endswith("." + self.domain)
        if self.host_regex:
            return re.fullmatch(self.host_regex, host) is not None
        if self.url_regex:
            return re.search(self.url_regex, url) is not None
        if self.bare_ip:
            return _is_ip(host)
        return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def host_of(url: str) -> str:
    """Lower-case host of a URL without port, user info or a trailing dot."""
    try:
        host = urlparse(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


@dataclass(frozen=True)
class SourcePolicy:
    rules: tuple[Rule, ...] = ()
    path: str = ""

    def weak_rule(self, url: str) -> Rule | None:
        """The first rule that makes `url` a weak source, or None for an acceptable source."""
        host = host_of(url)
        by_domain, others = self._index()
        # the first domain rule for the host or a parent domain (a dict lookup per label, not a
        # test per rule: a catalog has thousands of sources), then any earlier non-domain rule
        labels = host.split(".")
        first = min((by_domain.get(".".join(labels[i:]), len(self.rules)) for i in range(len(labels))),
                    default=len(self.rules))
        for i in others:
            if i > first:
                break
            if self.rules[i].matches(url, host):
                return self.rules[i]
        return self.rules[first] if first < len(self.rules) else None

    def _index(self) -> tuple[dict[str, int], list[int]]:
        """(domain → index of its first rule, indexes of the other rules), made once."""
        got = self.__dict__.get("_by_domain")
        if got is None:
            by_domain: dict[str, int] = {}
            for i, r in enumerate(self.rules):
                if r.domain:
                    by_domain.setdefault(r.domain, i)
            got = (by_domain, [i for i, r in enumerate(self.rules) if not r.domain])
            object.__setattr__(self, "_by_domain", got)  # frozen dataclass: a private cache
        return got

    def check(self, svc: Service, file: Path, disp: str, local: bool = False) -> list[Problem]:
        """Problems of one entry: all sources weak → error (a warning for the user's local entries,
        which are their own notes); a weak source among primary ones → warning."""
        if not self.rules or not svc.sources:
            return []
        weak = [(src.url, rule) for src in svc.sources if (rule := self.weak_rule(src.url)) is not None]
        if not weak:
            return []
        lines = _url_lines(file)
        if len(weak) == len(svc.sources):
            what = "; ".join(f"{r.label}: {r.reason}" for _, r in weak)
            line = lines.get(weak[0][0], _sources_line(file))
            return [Problem(disp, line, f"every source of {svc.id!r} is weak ({what})", PRIMARY_FIX,
                            "warning" if local else "error")]
        return [Problem(disp, lines.get(url, _sources_line(file)), f"weak source {rule.label} ({rule.kind}: {rule.reason})",
                        "replace it with the original page if there is one; it may stay next to the primary sources", "warning")
                for url, rule in weak]


def _file_lines(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _url_lines(file: Path) -> dict[str, int]:
    """First line on which each URL appears in the file (the loader's model keeps no source lines)."""
    out: dict[str, int] = {}
    for number, text in enumerate(_file_lines(file), 1):
        for token in re.findall(r"https?://[^\s\"'<>]+", text):
            out.setdefault(token, number)
    return out


def _sources_line(file: Path) -> int:
    for number, text in enumerate(_file_lines(file), 1):
        if text.startswith("sources:"):
            return number
    return 2


def load_policy(root: Path, problems: list[Problem]) -> SourcePolicy:
    """Read root/source-policy.yaml (no file: an empty policy); problems are appended with file:line."""
    path = root / POLICY_FILE
    disp = f"{root.name}/{POLICY_FILE}"
    if not path.exists():
        return SourcePolicy()
    data, lines = load_yaml_file(path, disp, problems)
    if data is None:
        return SourcePolicy(path=disp)
    raw_rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(raw_rules, list):
        problems.append(Problem(disp, 1, "source policy needs a list 'rules'", "write rules: with one '- domain: …' item per weak source"))
        return SourcePolicy(path=disp)
    rules: list[Rule] = []
    for i, raw in enumerate(raw_rules):
        line = lines.get(("rules", i), 1)
        rule = _rule(raw, line, disp, problems)
        if rule is not None:
            rules.append(rule)
    return SourcePolicy(tuple(rules), disp)


def _rule(raw: object, line: int, disp: str, problems: list[Problem]) -> Rule | None:
    def bad(message: str, fix: str) -> None:
        problems.append(Problem(disp, line, message, fix))

    if not isinstance(raw, dict):
        bad("policy rule must be a mapping", "write domain:, kind: and reason: keys")
        return None
    matchers = [k for k in ("domain", "host_regex", "url_regex", "bare_ip") if raw.get(k) not in (None, "", False)]
    if len(matchers) != 1:
        bad(f"policy rule needs exactly one of domain, host_regex, url_regex, bare_ip (found {matchers or 'none'})",
            "give each rule one matcher")
        return None
    kind = str(raw.get("kind", "")).strip()
    reason = str(raw.get("reason", "") or "").strip()
    if kind not in KINDS:
        bad(f"unknown kind {kind!r}", f"use one of: {', '.join(KINDS)}")
        return None
    if not reason:
        bad("policy rule has no reason", "add reason: why such a source may not stand alone")
        return None
    for key in ("host_regex", "url_regex"):
        if raw.get(key):
            try:
                re.compile(str(raw[key]))
            except re.error as exc:
                bad(f"bad {key} {raw[key]!r}: {exc}", "write a Python regular expression")
                return None
    domain = str(raw.get("domain") or "").strip().lower().rstrip(".")
    if raw.get("domain") and ("/" in domain or not domain or " " in domain):
        bad(f"domain {raw['domain']!r} is not a host name", "write the host only, e.g. docsplayer.net")
        return None
    return Rule(kind=kind, reason=reason, domain=domain, host_regex=str(raw.get("host_regex") or ""),
                url_regex=str(raw.get("url_regex") or ""), bare_ip=raw.get("bare_ip") is True,
                name=str(raw.get("name") or "").strip(), line=line)
