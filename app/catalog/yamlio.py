"""YAML reading that keeps line numbers, so every problem can name `file:line`."""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from app.catalog.model import Problem
from app.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS, MAX_YAML_DEPTH, MAX_YAML_NODES

Lines = dict[tuple[Any, ...], int]


class ReadError(Exception):
    def __init__(self, line: int, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.fix = fix


_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}
_KIND = {"int": "an integer", "float": "a number", "bool": "true or false", "null": "empty", "timestamp": "a date (YYYY-MM-DD)"}
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster, same marks
_STR = "tag:yaml.org,2002:str"


# Without path resolvers descend_resolver(node, index) and ascend_resolver() do nothing, and the
# composer ignores what they return: these builtins do nothing as fast (~1.5 % of a rebuild).
_IGNORE_TWO: Any = {}.get
_IGNORE_NONE: Any = tuple


@lru_cache(maxsize=4096)
def _resolved(kind: Any, value: Any, implicit: Any) -> Any:
    return _Loader.lean_resolve(kind, value, implicit)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader with the resolver's per-node calls made lean: libyaml's composer calls them
    for every node, and with no path resolvers registered (none are: SafeLoader's own state) they
    reduce to the first-character lookup of implicit tags in lean_resolve (the same tags), whose
    answers are kept (_resolved): keys and many values recur in every file."""

    _implicit: dict[str, list[tuple[str, Any]]] = {}

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        if not self.yaml_path_resolvers:  # C-level callables for the composer's three calls per node
            self.descend_resolver = _IGNORE_TWO  # type: ignore[method-assign]
            self.ascend_resolver = _IGNORE_NONE  # type: ignore[method-assign]
            self.resolve = _resolved  # type: ignore[method-assign]

    @classmethod
    def lean_resolve(cls, kind: Any, value: Any, implicit: Any) -> Any:
        """BaseResolver.resolve without path resolvers."""
        if kind is not yaml.ScalarNode:
            return cls.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else cls.DEFAULT_MAPPING_TAG
        if implicit[0]:
            first = value[:1]  # '' for an empty value, as BaseResolver.resolve looks it up
            resolvers = cls._implicit.get(first)
            if resolvers is None:
                resolvers = cls._implicit[first] = cls.yaml_implicit_resolvers.get(first, []) + \
                    cls.yaml_implicit_resolvers.get(None, [])  # type: ignore[call-overload]
            for tag, regexp in resolvers:
                if regexp.match(value):
                    return tag
        return cls.DEFAULT_SCALAR_TAG


def _walk(loader: Any, root: yaml.Node, lines: Lines, offset: int) -> Any:
    """Record the line of every path, refusing what a catalog file never needs, and return the data
    (what SafeConstructor makes, YAML dates as ISO strings).

    Iterative, so depth is a checked bound instead of a RecursionError. Aliases are refused
    because they are how "billion laughs" files expand a few hundred bytes into gigabytes; a
    composed alias is the same node object seen twice (a recursive alias is a cycle). Children are
    set in document order (pushed reversed), so a repeated key keeps its first place and its last
    value, as SafeConstructor's dict does.
    """
    seen: set[int] = set()
    top: list[Any] = [None]
    stack: list[tuple[yaml.Node, tuple[Any, ...], int, int | None, Any, Any]] = [(root, (), 0, None, top, 0)]
    while stack:
        node, path, depth, key_line, parent, slot = stack.pop()
        line = node.start_mark.line + 1 + offset
        if id(node) in seen:
            raise ReadError(key_line or line, "YAML aliases (*name) are not allowed in catalog files",
                            "write the value out instead of referring to an &anchor")
        seen.add(id(node))
        if len(seen) > MAX_YAML_NODES:
            raise ReadError(line, f"file has too many YAML values (limit {MAX_YAML_NODES:,})", "split the file")
        if depth > MAX_YAML_DEPTH:
            raise ReadError(line, f"YAML is nested too deeply (limit {MAX_YAML_DEPTH} levels)", "flatten the structure")
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            raise ReadError(line, f"YAML tag {tag!r} is not allowed in catalog files", "remove the !!tag; write plain text, numbers or lists")
        if isinstance(node, yaml.ScalarNode):
            # A scalar under a key keeps the key's line; collections get their own first line.
            lines[path] = key_line if key_line is not None else line
            parent[slot] = _scalar(loader, node, line)
        elif isinstance(node, yaml.MappingNode):
            lines[path] = line
            mapping: dict[str, Any] = {}
            parent[slot] = mapping
            for key_node, value_node in reversed(node.value):
                kline = key_node.start_mark.line + 1 + offset
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                    raise ReadError(kline, "a key must be plain text", "write the key as a word followed by ':'; quote keys such as yes/no or numbers")
                k = key_node.value
                lines[path + (k,)] = kline
                stack.append((value_node, path + (k,), depth + 1, kline, mapping, k))
        else:
            lines[path] = line
            items: list[Any] = [None] * len(node.value)
            parent[slot] = items
            for i in range(len(node.value) - 1, -1, -1):
                stack.append((node.value[i], path + (i,), depth + 1, None, items, i))
    return top[0]


def _scalar(loader: Any, node: yaml.ScalarNode, line: int) -> Any:
    """The value of a scalar, constructed now so that `!!int abc` or `seen: 2026-13-45` names its line,
    not a traceback. Text is the node's value (SafeConstructor's construct_yaml_str)."""
    if node.tag == _STR:
        if len(node.value) > MAX_TEXT_CHARS:
            raise ReadError(line, f"text value is too long ({len(node.value):,} characters; limit {MAX_TEXT_CHARS:,})",
                            "shorten it; long explanations belong in the description below the front matter")
        return node.value
    kind = node.tag.rsplit(":", 1)[-1]
    try:
        value = loader.construct_object(node)
    except Exception:  # PyYAML's constructors raise ValueError, KeyError, AttributeError… on bad text
        raise ReadError(line, f"{node.value[:40]!r} is not {_KIND.get(kind, kind)}",
                        "correct the value or put it in quotes to make it text") from None
    return value.isoformat() if isinstance(value, (_dt.date, _dt.datetime)) else value


def parse_yaml(text: str, offset: int = 0) -> tuple[Any, Lines]:
    """Parse YAML text; `offset` shifts reported lines (front matter starts below `---`).

    Bounded: no aliases, no custom tags, depth and node caps (app.limits); a wrongly typed value is
    reported with its line. Raises only ReadError.
    """
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, exc, offset) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: Lines = {}
        return _walk(loader, node, lines, offset), lines
    except ReadError:
        raise  # the walk's own findings keep their line and fix
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, exc, offset) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else 1 + offset
        raise ReadError(line, f"YAML syntax error: {exc.problem or exc}", "check indentation, quotes and ':' in values") from None
    except Exception as exc:  # untrusted text: any failure to read it is a ReadError, never a traceback
        raise ReadError(1 + offset, f"YAML error: {exc}", "check the YAML syntax") from None
    finally:
        loader.dispose()


def _reader_error(text: str, exc: yaml.reader.ReaderError, offset: int) -> ReadError:
    line = text[: max(exc.position, 0)].count("\n") + 1 + offset
    return ReadError(line, f"invalid character {exc.character!r} in YAML", "remove control characters from the file")


def read_text(path: Path) -> str:
    """Read a catalog file as UTF-8 with clear errors for empty, huge or non-UTF-8 files."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(1, f"cannot read file: {exc.strerror}", "check the file exists and is readable") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ReadError(1, f"file is too large ({len(raw):,} bytes; limit {MAX_FILE_BYTES:,})", "split it or remove pasted binary data")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(line, "file is not valid UTF-8", "save the file as UTF-8 (not Shift_JIS)") from None
    if not text.strip():
        raise ReadError(1, "file is empty", "add content or delete the file")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ReadError(line, "file contains a NUL byte", "remove binary data from the file")
    return text


def load_yaml_file(path: Path, display: str, problems: list[Problem]) -> tuple[Any, Lines]:
    """Read a whole YAML file; on failure append a Problem and return (None, {})."""
    try:
        return parse_yaml(read_text(path))
    except ReadError as err:
        problems.append(Problem(display, err.line, err.message, err.fix))
        return None, {}


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split `---\\nYAML\\n---\\nbody`; returns (yaml_text, body, body_first_line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ReadError(1, "missing front matter: the file must start with a line '---'", "start the file with '---', the YAML keys, then '---'")
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    raise ReadError(len(lines), "front matter is not closed", "add a line '---' after the YAML keys")
