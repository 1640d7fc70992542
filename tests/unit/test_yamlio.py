"""app.catalog.yamlio builds the data in its own checking walk: it must be what PyYAML's safe_load
makes (dates as ISO text), key order and repeated keys included, for every catalog file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from app.catalog.yamlio import ReadError, parse_yaml, read_text, split_front_matter
from tests.conftest import ROOT


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


def _same(text: str) -> None:
    data, lines = parse_yaml(text)
    expected = _iso(yaml.safe_load(text))
    assert data == expected
    assert repr(data) == repr(expected)  # the same types and the same key order, recursively
    assert all(isinstance(n, int) and n >= 1 for n in lines.values())


@pytest.mark.parametrize("text", [
    "a: 1\nb: [1, 2.5, true, null, 2024-01-02]\nc: {d: e}\n",
    "z: 1\na: 2\nz: 3\nm: [x, {k: v, j: [1, [2, []]]}]\n",  # a repeated key keeps its first place, last value
    "- 1\n- [2, [3]]\n- {}\n- ''\n- ~\n",
    "x: 2024-01-02 10:00:00\ny: .inf\nz: 0x1F\nw: 1_000\nv: '2024-01-02'\nu: yes\n",
    "text: |\n  two\n  lines\nfolded: >\n  one\n  line\n",
])
def test_parse_yaml_builds_what_safe_load_builds(text: str) -> None:
    _same(text)


def test_every_catalog_file_reads_as_safe_load_reads_it() -> None:
    files = sorted((ROOT / "catalog_data").rglob("*.yaml")) + sorted((ROOT / "catalog_data" / "services").rglob("*.md"))
    assert len(files) > 300
    for path in files:
        text = read_text(path)
        if path.suffix == ".md":
            text = split_front_matter(text)[0]
        _same(text)


@pytest.mark.parametrize(("text", "line"), [
    ("a: 1\nb: &x 1\nc: *x\n", 3),  # aliases
    ("a: 1\nb: !!int abc\n", 2),  # a wrongly typed value
    ("a:\n  b: 2024-13-45\n", 2),
    ("a: !!binary aGk=\n", 1),  # a tag a catalog file never needs
    ("? [1]\n: 2\n", 1),  # a key that is not text
])
def test_refused_values_name_their_line(text: str, line: int) -> None:
    with pytest.raises(ReadError) as err:
        parse_yaml(text)
    assert err.value.line == line
