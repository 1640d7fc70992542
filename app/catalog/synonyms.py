"""Officer vocabulary: groups of words that name the same thing (catalog_data/synonyms.yaml).

The file is data, validated like the catalog: every problem is `path:line: message (fix)`.
Lookups normalise with NFKC + casefold, so half-width katakana, full-width Latin and
upper/lower case all find the same group. Hiragana `readings` let a kana-typed query
(こそだて) reach the group's kanji words (子育て).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.catalog.model import Problem
from app.catalog.yamlio import Lines, load_yaml_file

FILE_NAME = "synonyms.yaml"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HIRAGANA_RE = re.compile(r"^[\u3041-\u3096\u30fc]+$")  # ぁ..ゖ and the long-vowel mark ー
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GROUP_KEYS = {"id", "words", "readings", "source", "note"}
SOURCE_KEYS = {"url", "seen", "took", "title"}
# Words so generic that expanding through them would flood every result list.
GENERIC_WORDS = frozenset(
    w.casefold() for w in ("システム", "サービス", "アプリ", "アプリケーション", "ツール", "基盤", "プラットフォーム")
)


@dataclass(frozen=True)
class SynonymSource:
    url: str
    seen: str = ""
    took: str = ""


@dataclass(frozen=True)
class SynonymGroup:
    """Words an officer uses for the same thing; `readings` are hiragana spellings that find it."""

    id: str
    words: tuple[str, ...]
    readings: tuple[str, ...] = ()
    source: SynonymSource | None = None
    note: str = ""
    line: int = 0


def normalize(word: str) -> str:
    """The lookup key: NFKC (half-width kana, full-width Latin) + casefold, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", word).casefold().split())


class SynonymIndex:
    """Exact-word lookup over loaded groups."""

    def __init__(self, groups: Iterable[SynonymGroup]) -> None:
        self.groups = list(groups)
        self._by_word: dict[str, SynonymGroup] = {}
        self._by_reading: dict[str, SynonymGroup] = {}
        for g in self.groups:
            for w in g.words:
                self._by_word.setdefault(normalize(w), g)
            for r in g.readings:
                self._by_reading.setdefault(normalize(r), g)

    def group_of(self, word: str) -> SynonymGroup | None:
        key = normalize(word)
        return self._by_word.get(key) or self._by_reading.get(key)

    def expansions(self, word: str) -> list[str]:
        """Other words of the group `word` belongs to; for a hiragana reading, all the group's words."""
        key = normalize(word)
        if not key:
            return []
        group = self._by_word.get(key)
        if group is not None:
            return [w for w in group.words if normalize(w) != key]
        group = self._by_reading.get(key)
        return list(group.words) if group is not None else []


def bundled_path() -> Path:
    from app import paths

    return paths.bundled_catalog_dir() / FILE_NAME


@functools.lru_cache(maxsize=4)
def _index_for(path: Path) -> SynonymIndex:
    groups, _problems = load_synonyms(path)
    return SynonymIndex(groups)


def expansions(word: str, path: Path | None = None) -> list[str]:
    """Synonyms of `word` from the bundled file (or `path`); valid groups only, cached per file."""
    return _index_for(path or bundled_path()).expansions(word)


def catalog_problems(root: Path) -> list[Problem]:
    """Problems of `root/synonyms.yaml` for `validate`; a catalog without the file has none."""
    path = root / FILE_NAME
    if not path.exists():
        return []
    return load_synonyms(path, f"{root.name}/{FILE_NAME}")[1]


def load_synonyms(path: Path, display: str | None = None) -> tuple[list[SynonymGroup], list[Problem]]:
    """Read and validate a synonyms file; invalid groups are reported and left out."""
    disp = display or path.as_posix()
    problems: list[Problem] = []
    data, lines = load_yaml_file(path, disp, problems)
    if problems:
        return [], problems
    reader = _Reader(disp, lines, problems)
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        reader.add((), "the file must hold a mapping with a list under 'groups'", "start the file with 'groups:' and one '- id: …' item per group")
        return [], problems
    for key in data:
        if key != "groups":
            reader.add((key,), f"unknown top-level key {key!r}", "only 'groups' is read; remove it", "warning")
    groups = [g for i, item in enumerate(data["groups"]) if (g := reader.group(i, item)) is not None]
    return groups, problems


class _Reader:
    def __init__(self, display: str, lines: Lines, problems: list[Problem]) -> None:
        self.display = display
        self.lines = lines
        self.problems = problems
        self.ids: dict[str, int] = {}
        self.words: dict[str, tuple[str, int]] = {}  # normalised word or reading -> (group id, line)

    def line(self, path: tuple[Any, ...]) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def add(self, path: tuple[Any, ...], message: str, fix: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.display, self.line(path), message, fix, severity))

    def group(self, i: int, item: Any) -> SynonymGroup | None:
        at = ("groups", i)
        if not isinstance(item, dict):
            self.add(at, "a group must be a mapping with id and words", "write '- id: …' then 'words: [...]'")
            return None
        before = len(self.problems)
        for key in item:
            if key not in GROUP_KEYS:
                self.add(at + (key,), f"unknown key {key!r}", f"use only {', '.join(sorted(GROUP_KEYS))}", "warning")
        gid = item.get("id")
        if not isinstance(gid, str) or not ID_RE.match(gid):
            self.add(at + ("id",), f"id must be a lower-case slug (a-z, 0-9, -), got {gid!r}", "e.g. id: demand-transport")
            gid = ""
        elif gid in self.ids:
            self.add(at + ("id",), f"duplicate id {gid!r} (first at line {self.ids[gid]})", "give this group its own id")
        else:
            self.ids[gid] = self.line(at + ("id",))
        words = self._strings(at, "words", item.get("words"))
        readings = self._strings(at, "readings", item.get("readings", []))
        if "words" in item and not words and isinstance(item.get("words"), list):
            self.add(at + ("words",), "words is empty", "list at least two words that mean the same thing")
        elif len(words) == 1 and not readings:
            self.add(at + ("words",), "a group needs at least two words (or one word with readings)", "add a synonym or delete the group")
        for j, w in enumerate(words):
            if w.casefold() in GENERIC_WORDS:
                self.add(at + ("words", j), f"{w!r} is too generic to expand through", "remove it; name the specific thing")
            self._claim(gid, w, at + ("words", j))
        for j, r in enumerate(readings):
            if not HIRAGANA_RE.match(r):
                self.add(at + ("readings", j), f"reading {r!r} is not hiragana", "write readings in hiragana only, e.g. こそだて")
            else:
                self._claim(gid, r, at + ("readings", j))
        source = self._source(at, item.get("source"))
        note = item.get("note")
        if note is not None and (not isinstance(note, str) or not note.strip()):
            self.add(at + ("note",), "note must be a non-empty text", "say why these words name the same thing, or remove the key")
            note = None
        if source is None and note is None and "source" not in item:
            self.add(at, f"group {gid or i!r} has neither source nor note", "add source: {url: …, seen: …, took: …} or a note saying why")
        if len(self.problems) > before and any(p.severity == "error" for p in self.problems[before:]):
            return None
        return SynonymGroup(gid, tuple(words), tuple(readings), source, note or "", self.line(at))

    def _strings(self, at: tuple[Any, ...], key: str, value: Any) -> list[str]:
        if value is None:
            if key == "words":
                self.add(at, "missing words", "add words: [word1, word2, …]")
            return []
        if not isinstance(value, list):
            self.add(at + (key,), f"{key} must be a list", f"write {key}: [a, b]")
            return []
        out: list[str] = []
        for j, v in enumerate(value):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(v)
            if not isinstance(v, str) or not v.strip():
                self.add(at + (key, j), f"{key} item {j + 1} is empty or not text", "remove it or write the word")
                continue
            out.append(v.strip())
        return out

    def _claim(self, gid: str, word: str, path: tuple[Any, ...]) -> None:
        key = normalize(word)
        line = self.line(path)
        if key in self.words:
            other, other_line = self.words[key]
            where = "this group" if other == gid else f"group {other!r}"
            self.add(path, f"{word!r} is already in {where} (line {other_line})", "a word may belong to one group only; merge the groups or drop one")
            return
        self.words[key] = (gid, line)

    def _source(self, at: tuple[Any, ...], value: Any) -> SynonymSource | None:
        if value is None:
            return None
        path = at + ("source",)
        if not isinstance(value, dict):
            self.add(path, "source must be a mapping", "write source: {url: \"https://…\", seen: 2026-11-30, took: …}")
            return None
        for key in value:
            if key not in SOURCE_KEYS:
                self.add(path + (key,), f"unknown source key {key!r}", f"use only {', '.join(sorted(SOURCE_KEYS))}", "warning")
        url = value.get("url")
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+\S*$", url):
            self.add(path + ("url",), f"source url must be http(s), got {url!r}", "paste the page's full https:// address")
            return None
        seen = value.get("seen", "")
        if seen and not (isinstance(seen, str) and DATE_RE.match(seen)):
            self.add(path + ("seen",), f"seen must be a date YYYY-MM-DD, got {seen!r}", "e.g. seen: 2026-11-30")
        took = value.get("took", "")
        return SynonymSource(url, str(seen or ""), str(took or ""))
