"""YAML reading that keeps line numbers, so every problem can name `file:line`."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import yaml

from app.catalog.model import Problem

MAX_FILE_BYTES = 1_000_000  # a catalog file larger than this is almost certainly a mistake

Lines = dict[tuple[Any, ...], int]


class ReadError(Exception):
    def __init__(self, line: int, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.fix = fix


def _walk(node: yaml.Node, path: tuple[Any, ...], lines: Lines, offset: int) -> None:
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[path + (key,)] = key_node.start_mark.line + 1 + offset
            _walk_child(value_node, path + (key,), lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, offset)


def _walk_child(node: yaml.Node, path: tuple[Any, ...], lines: Lines, offset: int) -> None:
    # Keep the key's line for the path itself; children get their own lines.
    key_line = lines[path]
    _walk(node, path, lines, offset)
    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        lines[path] = key_line


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings; everything else stays as loaded."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parse_yaml(text: str, offset: int = 0) -> tuple[Any, Lines]:
    """Parse YAML text; `offset` shifts reported lines (front matter starts below `---`)."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: max(exc.position, 0)].count("\n") + 1 + offset
        raise ReadError(line, f"invalid character {exc.character!r} in YAML", "remove control characters from the file") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
        lines: Lines = {}
        _walk(node, (), lines, offset)
        return _plain(data), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else 1 + offset
        raise ReadError(line, f"YAML syntax error: {exc.problem or exc}", "check indentation, quotes and ':' in values") from None
    except yaml.YAMLError as exc:
        raise ReadError(1 + offset, f"YAML error: {exc}", "check the YAML syntax") from None
    finally:
        loader.dispose()


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
