"""Generators of hostile catalog content: what an unlucky or malicious file can hold.

Each case is (case id, relative path inside catalog_data/, bytes). The same cases drive the
in-process loader/build test and the subprocess `validate` test (bounded time and memory).
"""

from __future__ import annotations

from collections.abc import Iterator

from app.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS, MAX_YAML_DEPTH
from tests.conftest import service_md

SERVICE = "services/transport/beta.md"
YAML_FILES = ("architecture/field-defaults.yaml", "knowledge/considerations.yaml", "architecture/scra-1.yaml", "taxonomy.yaml",
              "architecture/scra-2.yaml")


def billion_laughs(levels: int, width: int = 9) -> str:
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * width)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def _front(yaml_text: str, body: str = "説明文です。") -> str:
    return f"---\n{yaml_text}\n---\n{body}\n"


def _svc(**over: object) -> bytes:
    return service_md("beta", **over).encode("utf-8")


# Values that are hostile wherever a scalar is expected.
HOSTILE_VALUES: dict[str, str] = {
    "binary": "!!binary aGVsbG8=",
    "set": "!!set {a, b}",
    "omap": "!!omap [a: 1]",
    "pairs": "!!pairs [a: 1]",
    "python-object": "!!python/object:os.system ls",
    "python-name": "!!python/name:os.system",
    "custom-tag": "!evil x",
    "int-notint": "!!int notint",
    "float-abc": "!!float abc",
    "bool-maybe": "!!bool maybe",
    "timestamp-bad": "!!timestamp yesterday",
    "date-impossible": "2026-13-45",
    "huge-int": "!!int " + "9" * 5000,
    "null-tag": "!!null x",
    "alias-undefined": "*nowhere",
    "anchor-and-alias": "&x [1, *x]",
    "flow-nested": "[" * 40 + "]" * 40,
    "long-text": "x" * (MAX_TEXT_CHARS + 1),
    "map-instead": "{a: 1}",
    "list-instead": "[1, 2]",
    "empty": "",
    "merge-key": "{<<: {a: 1}}",
    "control-char": "\"\\x07 bell\"",
    "quoted-nul": "\"\\0\"",
}
SERVICE_KEYS = ("id", "name", "provider", "field", "kind", "municipalities", "data_linkage", "personal_data", "use_fields", "scra", "sources", "unconfirmed", "name_en", "scra_defaults")


def service_cases() -> Iterator[tuple[str, str, bytes]]:
    # every hostile value in every key of a service file
    for key in SERVICE_KEYS:
        for vname, value in HOSTILE_VALUES.items():
            yield f"svc-{key}-{vname}", SERVICE, _svc(**{key: value})
    # hostile values inside nested structures
    for vname, value in HOSTILE_VALUES.items():
        yield f"svc-scra-node-{vname}", SERVICE, _svc(scra=f"\n  - node: {value}\n    role: uses\n    why: x")
        yield f"svc-source-url-{vname}", SERVICE, _svc(sources=f"\n  - url: {value}\n    seen: 2026-11-30")
        yield f"svc-source-seen-{vname}", SERVICE, _svc(sources=f"\n  - url: https://example.org/\n    seen: {value}")
    # alias bombs and recursion
    for levels in (3, 6, 9, 12):
        yield f"svc-billion-laughs-{levels}", SERVICE, _front(billion_laughs(levels) + "id: beta").encode()
        yield f"yaml-billion-laughs-{levels}", YAML_FILES[0], billion_laughs(levels).encode()
    yield "svc-recursive-alias", SERVICE, _front("id: &a [*a]").encode()
    yield "yaml-recursive-alias", YAML_FILES[1], b"a: &a {b: *a}\n"
    # nesting
    for depth in (MAX_YAML_DEPTH + 1, 100, 500, 5000):
        yield f"svc-deep-list-{depth}", SERVICE, _front("id: " + "[" * depth + "]" * depth).encode()
        yield f"svc-deep-block-{depth}", SERVICE, _front("id:\n" + "".join("  " * i + "- \n" for i in range(1, min(depth, 400)))).encode()
        yield f"yaml-deep-map-{depth}", YAML_FILES[0], ("a: " + "{b: " * depth + "1" + "}" * depth + "\n").encode()
    # keys
    for kname, k in {"int": "1", "bool": "true", "null": "null", "float": "1.5", "seq": "? [a, b]", "map": "? {a: 1}",
                     "date": "2026-01-01", "binary": "!!binary aGk="}.items():
        line = f"{k}: x" if not k.startswith("?") else f"{k}\n: x"
        yield f"svc-key-{kname}", SERVICE, _front(service_md("beta").split("---\n")[1].rstrip("\n") + "\n" + line).encode()
        yield f"yaml-key-{kname}", YAML_FILES[1], (line + "\n").encode()
        yield f"yaml-scra1-key-{kname}", YAML_FILES[2], (line + "\n").encode()
    # structure
    structural = {
        "no-front-matter": b"id: beta\n",
        "unclosed": b"---\nid: beta\n",
        "empty": b"",
        "whitespace": b"   \n\n",
        "only-dashes": b"---\n---\n",
        "top-level-list": b"---\n- a\n- b\n---\nbody\n",
        "top-level-scalar": b"---\njust text\n---\nbody\n",
        "two-documents": b"---\nid: beta\n...\n---\nid: x\n---\nbody\n",
        "utf16": service_md("beta").encode("utf-16"),
        "shift-jis": service_md("beta").encode("shift_jis"),
        "latin1-bytes": b"---\nid: beta\nname: \xe9\xe8\n---\nbody\n",
        "nul-byte": _svc(name="a\x00b"),
        "control-chars": _svc(name="a\x07\x1bb"),
        "lone-surrogate-escape": _svc(name='"\\ud800"'),
        "bom-twice": b"\xef\xbb\xbf\xef\xbb\xbf" + _svc(),
        "too-large": _svc(body="あ" * (MAX_FILE_BYTES // 3 + 10)),
        "huge-list": _svc(municipalities="[" + ", ".join(["愛知県豊明市"] * 60000) + "]"),
        "huge-body": _svc(body="説明" * 60_000),
        "empty-body": _svc(body=""),
        "tabs-indent": b"---\nid: beta\nscra:\n\t- node: x\n---\nbody\n",
        "crlf": _svc().replace(b"\n", b"\r\n"),
        "cr-only": _svc().replace(b"\n", b"\r"),
        "path-traversal-id": _svc(id="../../etc/passwd"),
        "id-mismatch": _svc(id="gamma"),
        "dup-node": _svc(scra="\n  - node: asset-management/device\n    role: uses\n    why: a\n  - node: asset-management/device\n    role: provides\n    why: b"),
        "dup-key": _svc() .replace(b"kind: ", b"kind: x\nkind: "),
        "dup-source": _svc(sources="\n  - url: https://example.org/a\n  - url: https://example.org/a"),
        "dup-municipality": _svc(municipalities="[愛知県豊明市, 愛知県豊明市]"),
        "dup-use-field": _svc(use_fields="[交通・物流, 交通・物流]"),
        "scra-not-list": _svc(scra="node"),
        "scra-item-scalar": _svc(scra="\n  - just-text"),
        "sources-item-scalar": _svc(sources="\n  - https://example.org/"),
        "url-javascript": _svc(sources="\n  - url: javascript:alert(1)"),
        "url-data": _svc(sources="\n  - url: data:text/html,<script>alert(1)</script>"),
        "url-file": _svc(sources="\n  - url: file:///etc/passwd"),
        "url-no-host": _svc(sources="\n  - url: https://"),
        "url-spaces": _svc(sources="\n  - url: https://exa mple.org/"),
        "html-body": _svc(body="<script>alert(1)</script><img src=x onerror=alert(1)>"),
        "html-name": _svc(name="<b style='color:red'>警告</b><img src='file:///etc/passwd'>"),
    }
    for name, data in structural.items():
        yield f"svc-{name}", SERVICE, data
    # other YAML files of the catalog
    for rel in YAML_FILES:
        for vname, value in HOSTILE_VALUES.items():
            yield f"yaml-{rel.split('/')[-1]}-{vname}", rel, f"top: {value}\n".encode()
        for name in ("empty", "top-level-list", "utf16", "nul-byte", "too-large"):
            data = {"empty": b"", "top-level-list": b"- a\n- b\n", "utf16": "a: b\n".encode("utf-16"),
                    "nul-byte": b"a: \x00\n", "too-large": b"a: " + b"x" * (MAX_FILE_BYTES + 1)}[name]
            yield f"yaml-{rel.split('/')[-1]}-file-{name}", rel, data


def knowledge_cases() -> Iterator[tuple[str, str, bytes]]:
    rel = "knowledge/considerations.yaml"
    rules = {
        "unknown-node": "gap_rules:\n  - id: x\n    when: {}\n    nodes: [no/such-node]\n    severity: critical\n",
        "node-not-text": "gap_rules:\n  - id: x\n    nodes: [1, 2]\n    severity: critical\n",
        "bad-severity": "gap_rules:\n  - id: x\n    nodes: [data-management]\n    severity: apocalyptic\n",
        "rule-scalar": "gap_rules:\n  - just text\n",
        "rules-mapping": "gap_rules: {a: 1}\n",
        "when-list": "gap_rules:\n  - id: x\n    when: [1]\n    nodes: [data-management]\n    severity: critical\n",
    }
    for name, text in rules.items():
        yield f"knowledge-gap-rules-{name}", rel, text.encode()


def all_cases() -> list[tuple[str, str, bytes]]:
    cases = list(service_cases()) + list(knowledge_cases())
    ids = [c[0] for c in cases]
    assert len(ids) == len(set(ids)), "case ids are unique"
    return cases
