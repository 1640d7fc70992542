"""The keys of a catalog entry (a service file's front matter), declared once, and their check.

ENTRY_KEYS is the table: one `Key` row per front-matter key, with its type, whether it is required,
its default, the values it allows and how to fix a wrong one. `validate_entry` checks parsed front
matter against it and returns every problem with its line; `check_entry` also returns the values,
normalised (stripped text, lists, Mapping and Source objects) for building the `Service`.

Adding a key: one row here (plus, if it is stored, a `Service` attribute named by `attr` and its
column in app/catalog/store.py). Checks against the taxonomy or the SCRA nodes run only when an
`EntryContext` is given; without one, the shape, type and literal-value checks still run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import urlparse

from app.catalog import fields as registry
from app.catalog.model import ROLES, ArchNode, Mapping, Problem, Source, Taxonomy

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FRONT_LINE = 2  # line of the first front-matter key: where a missing key is reported

Lines = dict[tuple[Any, ...], int]
Kind = Literal["text", "texts", "bool", "int", "rows", "raw"]


@dataclass(frozen=True)
class EntryContext:
    """What entry values refer to: the taxonomy, the SCRA nodes and the field-default mappings."""

    taxonomy: Taxonomy
    nodes: dict[str, ArchNode]
    defaults: dict[str, list[Mapping]] = field(default_factory=dict)


Allowed = tuple[Any, ...] | re.Pattern[str] | Callable[[Any], bool]
Fix = str | Callable[[EntryContext | None], str]
RowReader = Callable[[Any, tuple[Any, ...], Lines, str, "EntryContext | None", list[Problem]], Any]


@dataclass(frozen=True)
class Key:
    """One front-matter key. Message templates may use {key} and {value!r}; fixes may be callables
    of the context (e.g. to list the taxonomy's names)."""

    name: str
    kind: Kind = "text"
    required: bool = False
    default: Any = None
    allowed: Allowed | None = None  # literal values, a pattern or a test of the value
    ref: Callable[[str, EntryContext], bool] | None = None  # the value names something in the taxonomy/SCRA
    unknown: str = "unknown {key} {value!r}"  # a value that is not allowed (or names nothing)
    unknown_fix: Fix = ""
    unknown_severity: str = "error"
    type_error: str = ""  # a value of the wrong type (default per kind, see _TYPE_ERRORS)
    fix: str = ""  # how to write a value of the right type
    missing: str = "missing {key}"
    empty: str = "{key} is empty"
    missing_fix: str = "add '{key}: …'"
    check: Callable[[str, str], tuple[str, str] | None] | None = None  # (value, entry path) -> (message, fix)
    rows: tuple[Key, ...] = ()  # kind "rows": the keys of each row; a plain string row is {rows[0]: string}
    row_error: str = ""  # kind "rows": a row that is not a mapping
    row_fix: str = ""
    build: Callable[[dict[str, Any]], Any] | None = None  # kind "rows": a valid row's values -> model object
    reader: RowReader | None = None  # kind "rows": reads one row itself (instead of `rows` + `build`)
    attr: str | None = None  # Service attribute filled with the value ("" = not stored as is); None = name

    @property
    def service_attr(self) -> str:
        return self.name if self.attr is None else self.attr


_TYPE_ERRORS: dict[str, tuple[str, str]] = {
    "text": ("{key} must be text, not {type}", "write {key} as a single line of text"),
    "texts": ("{key} must be a list of text", "write {key}: [a, b] or one '- item' per line"),
    "bool": ("{key} must be true or false, not {value!r}", "write {key}: true or {key}: false"),
    "int": ("{key} must be a whole number, not {value!r}", "write {key} as digits, e.g. {key}: 2021"),
    "rows": ("{key} must be a list", "write one '- …' row per item"),
}


_SPACE = re.compile(r"\s").search  # \s in a str pattern is str.isspace()


def is_http_url(value: Any) -> bool:
    if not isinstance(value, str) or _SPACE(value):
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and "." in parsed.netloc


def check_mapping(row: Any, lpath: tuple[Any, ...], lines: Lines, path: str, ctx: EntryContext | None,
                  problems: list[Problem], origin: str = "entry") -> Mapping | None:
    """One `{node, role, why}` row (an entry's scra list or field-defaults.yaml)."""
    line = lines.get(lpath, 1)
    if not isinstance(row, dict):
        problems.append(Problem(path, line, "scra row must be a mapping {node, role, why}", "write node:, role: and why: keys"))
        return None
    node = str(row.get("node", "")).strip()
    role = str(row.get("role", "")).strip()
    why = str(row.get("why", "") or "").strip()
    before = len(problems)
    if ctx is not None and (node not in ctx.nodes or ctx.nodes[node].edition != 2 or ctx.nodes[node].level == "context"):
        problems.append(Problem(path, lines.get(lpath + ("node",), line), f"unknown SCRA node {node!r}",
                                "use a city-OS node id from architecture/scra-2.yaml"))
    if role not in ROLES:
        problems.append(Problem(path, lines.get(lpath + ("role",), line), f"role must be 'provides' or 'uses', not {role!r}",
                                "write role: provides or role: uses"))
    if not why:
        problems.append(Problem(path, line, f"scra row for {node!r} has no rationale", "add why: one line on why the service covers this node"))
    return Mapping(node, role, why, origin) if len(problems) == before else None


def _supports(raw: Any) -> tuple[str, ...]:
    """A source's `supports:` as a tuple of fact keys (one key or a list)."""
    items = raw if isinstance(raw, list) else [raw] if raw else []
    return tuple(str(x).strip() for x in items if str(x).strip())


def _id_matches_file(value: str, path: str) -> tuple[str, str] | None:
    name = PurePosixPath(path).name
    if value != PurePosixPath(path).stem:
        return f"id {value!r} does not match the file name {name!r}", f"rename the file to {value}.md or change the id"
    return None


def _field_names(ctx: EntryContext | None) -> str:
    return "use one of: " + (", ".join(f.name_ja for f in ctx.taxonomy.catalog_fields) if ctx else "the fields in taxonomy.yaml")


def _use_field_names(ctx: EntryContext | None) -> str:
    return "use one of: " + (", ".join(sorted(u.name for u in ctx.taxonomy.use_fields)) if ctx else "the use fields in taxonomy.yaml")


SOURCE_KEYS: tuple[Key, ...] = (
    Key("url", required=True, allowed=is_http_url, unknown="bad source URL {value!r}",
        unknown_fix="use a full http:// or https:// address", missing="source has no url", empty="source has no url",
        missing_fix="add url: https://…"),
    Key("seen", default=""),
    Key("title", default=""),
    Key("took", default=""),
    Key("supports", "raw", default=None),  # fact keys this page states; checked by loader.read_facts
)

ENTRY_KEYS: tuple[Key, ...] = (
    Key("id", required=True, allowed=ID_RE, unknown="id {value!r} is not a valid id",
        unknown_fix="use lower-case a-z, 0-9 and '-' only", check=_id_matches_file),
    Key("name", required=True),
    Key("name_en", default=""),
    Key("provider", required=True),
    Key("field", required=True, ref=lambda v, ctx: ctx.taxonomy.field_by_any(v) is not None,
        unknown="unknown field {value!r}", unknown_fix=_field_names, attr=""),
    Key("kind", required=True),
    Key("municipalities", "texts", default=(), ref=lambda v, ctx: ctx.taxonomy.prefecture_of(v) is not None,
        unknown="municipality {value!r} does not start with a prefecture", unknown_fix="write it as 都道府県+市区町村, e.g. 愛知県豊明市",
        unknown_severity="warning"),
    Key("data_linkage", "bool", default=False),
    Key("personal_data", default="なし", ref=lambda v, ctx: ctx.taxonomy.level_rank(v) >= 0,
        unknown="unknown personal_data level {value!r}", unknown_fix="use なし, 個人情報 or 要配慮個人情報"),
    Key("use_fields", "texts", default=(), ref=lambda v, ctx: ctx.taxonomy.sector_of(v) is not None,
        unknown="unknown use field {value!r}", unknown_fix=_use_field_names),
    Key("scra", "rows", default=(), type_error="scra must be a list of {{node, role, why}}", fix="write one '- node: …' row per node",
        reader=check_mapping, attr=""),
    Key("scra_defaults", "bool", default=True, attr=""),
    Key("sources", "rows", required=True, default=(), rows=SOURCE_KEYS, build=lambda v: Source(**{**v, "supports": _supports(v["supports"])}),
        type_error="sources must be a list", fix="write one '- url: …' row per source",
        row_error="source must be a mapping with url", row_fix="write - url: https://…",
        missing="no source given", empty="no source given", missing_fix="add sources: - url: https://… (the public page the facts come from)"),
    Key("unconfirmed", "texts", default=()),
    # the registry's facts (app/catalog/fields.py): read and checked by loader.read_facts, one row each here
    *(Key(name, "raw", attr="") for f in registry.FACTS for name in (f.key, f.detail) if name),
)
KEY_NAMES = frozenset(k.name for k in ENTRY_KEYS)


def validate_entry(data: dict[str, Any], path: str, lines: Lines, ctx: EntryContext | None = None) -> list[Problem]:
    """Every problem of one entry's front matter (`data` as parsed, `lines` from app.catalog.yamlio).

    `path` is the entry's display path (problems name it; the id must match its file name).
    """
    return check_entry(data, path, lines, ctx)[1]


def check_entry(data: dict[str, Any], path: str, lines: Lines,
                ctx: EntryContext | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """(normalised values of every key in ENTRY_KEYS, problems). A missing or bad value gets its default."""
    check = _Check(path, lines, ctx)
    if not isinstance(data, dict):
        check.problem(FRONT_LINE, "front matter must be 'key: value' pairs", "see catalog_data/README.md for the keys")
        return {k.name: k.default for k in ENTRY_KEYS}, check.problems
    values = check.mapping(data, ENTRY_KEYS, (), FRONT_LINE)
    check.duplicate_nodes(data.get("scra"))
    return values, check.problems


def _fix(fix: Fix, ctx: EntryContext | None) -> str:
    return fix(ctx) if callable(fix) else fix


def _is_allowed(k: Key, value: Any, ctx: EntryContext | None) -> bool:
    if isinstance(k.allowed, tuple):
        ok = value in k.allowed
    elif isinstance(k.allowed, re.Pattern):
        ok = bool(k.allowed.match(str(value)))
    else:
        ok = k.allowed is None or k.allowed(value)
    return ok and (k.ref is None or ctx is None or k.ref(value, ctx))  # references: only with a context


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _is_blank(k: Key, raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (k.kind == "rows" and raw == [])


class _Check:
    """Reads values against a table of Keys, collecting problems (one instance per entry)."""

    def __init__(self, path: str, lines: Lines, ctx: EntryContext | None) -> None:
        self.path = path
        self.lines = lines
        self.ctx = ctx
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, fix: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, line, message, fix, severity))

    def error_count(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    def mapping(self, data: dict[Any, Any], keys: tuple[Key, ...], prefix: tuple[Any, ...], line: int) -> dict[str, Any]:
        """Warn about unknown keys, then read every key of `keys` from `data`."""
        names = sorted(k.name for k in keys)
        for key in data:
            if key not in names:
                self.problem(self.lines.get(prefix + (key,), line), f"unknown key {key!r}",
                             f"did you mean one of: {', '.join(names)}?", "warning")
        return {k.name: self.value(k, data, prefix, line) for k in keys}

    def value(self, k: Key, data: dict[Any, Any], prefix: tuple[Any, ...], default_line: int) -> Any:
        raw = data.get(k.name)
        lpath = prefix + (k.name,)
        at = self.lines.get(lpath, default_line)
        if k.kind in ("bool", "int") and raw is None and k.name in data:
            return self.wrong_type(k, raw, at)  # `key:` with no value is a mistake, not "use the default"
        if _is_blank(k, raw):
            if k.required:
                present = k.name in data
                self.problem(at if present else default_line, (k.empty if present else k.missing).format(key=k.name),
                             k.missing_fix.format(key=k.name))
            return k.default
        return getattr(self, f"read_{k.kind}")(k, raw, lpath, at)

    def wrong_type(self, k: Key, raw: Any, at: int) -> Any:
        message, fix = _TYPE_ERRORS[k.kind]
        self.problem(at, (k.type_error or message).format(key=k.name, value=raw, type=type(raw).__name__),
                     (k.fix or fix).format(key=k.name))
        return k.default

    def allowed(self, k: Key, value: Any, line: int) -> bool:
        """False (after reporting it) if `value` is not allowed and that is an error, not a warning."""
        if _is_allowed(k, value, self.ctx):
            return True
        self.problem(line, k.unknown.format(key=k.name, value=value), _fix(k.unknown_fix, self.ctx), k.unknown_severity)
        return k.unknown_severity != "error"

    def duplicate_nodes(self, rows: Any) -> None:
        """An SCRA node listed twice in one entry: an error here, not a UNIQUE failure in the build."""
        first: dict[str, int] = {}
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            node = str(row.get("node", "")).strip() if isinstance(row, dict) else ""
            if not node:
                continue
            line = self.lines.get(("scra", i), FRONT_LINE)
            if node in first:
                self.problem(line, f"SCRA node {node!r} is listed twice (first on line {first[node]})",
                             "keep one row per node; choose provides if the service provides it")
            else:
                first[node] = line

    def read_raw(self, k: Key, raw: Any, lpath: tuple[Any, ...], at: int) -> Any:
        return raw  # checked elsewhere (facts: the field registry)

    def read_bool(self, k: Key, raw: Any, lpath: tuple[Any, ...], at: int) -> Any:
        return raw if isinstance(raw, bool) else self.wrong_type(k, raw, at)

    def read_int(self, k: Key, raw: Any, lpath: tuple[Any, ...], at: int) -> Any:
        if not isinstance(raw, int) or isinstance(raw, bool):
            return self.wrong_type(k, raw, at)
        return raw if self.allowed(k, raw, at) else k.default

    def read_text(self, k: Key, raw: Any, lpath: tuple[Any, ...], at: int) -> Any:
        if not _is_text(raw):
            return self.wrong_type(k, raw, at)
        text = str(raw).strip()
        if not self.allowed(k, text, at):
            return k.default
        found = k.check(text, self.path) if k.check else None
        if found:
            self.problem(at, *found)
        return text

    def read_texts(self, k: Key, raw: Any, lpath: tuple[Any, ...], at: int) -> Any:
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in items):
            return self.wrong_type(k, raw, at)
        out = []
        for i, item in enumerate(items):
            text = str(item).strip()
            if text:
                self.allowed(k, text, self.lines.get(lpath + (i,), at))
                out.append(text)
        return tuple(out)

    def read_rows(self, k: Key, raw: Any, lpath: tuple[Any, ...], at: int) -> Any:
        if not isinstance(raw, list):
            return self.wrong_type(k, raw, at)
        out = []
        for i, row in enumerate(raw):
            rpath = lpath + (i,)
            if k.reader is not None:
                item = k.reader(row, rpath, self.lines, self.path, self.ctx, self.problems)
            else:
                item = self.table_row(k, row, rpath, self.lines.get(rpath, at))
            if item is not None:
                out.append(item)
        return tuple(out)

    def table_row(self, k: Key, row: Any, rpath: tuple[Any, ...], line: int) -> Any:
        if isinstance(row, str) and k.rows:
            row = {k.rows[0].name: row}
        if not isinstance(row, dict):
            self.problem(line, k.row_error or f"each {k.name} row must be a mapping", k.row_fix or "write 'key: value' pairs")
            return None
        before = self.error_count()
        values = self.mapping(row, k.rows, rpath, line)
        if self.error_count() > before:
            return None
        return k.build(values) if k.build else values
