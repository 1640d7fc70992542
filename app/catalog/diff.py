"""Compare two catalogs: which entries were added, removed or changed, and in which fields.

A catalog is read either from a catalog folder (the raw front matter of services/**/*.md, so an
old revision whose files the current validator would reject still compares) or from a built
catalog.db (plain SQL over whatever columns that file has, so an older schema still compares).
Both come down to the same normalised *record* per entry; `record_of_service` makes one from the
typed model, which is what a plan stores as the baseline of an item (app.plan.changes).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.catalog.model import Service
from app.catalog.yamlio import ReadError, parse_yaml, read_text, split_front_matter

# Compared keys, in display order. Lists compare as sets (a re-ordering is no change).
TEXT_KEYS = ("name", "name_en", "provider", "field", "kind", "data_linkage", "personal_data")
FACT_KEYS = ("status", "ended", "since", "lgwan", "ismap", "pricing", "licence")
LIST_KEYS = ("municipalities", "use_fields", "scra", "sources", "unconfirmed")
KEYS = TEXT_KEYS + FACT_KEYS + LIST_KEYS + ("description",)
LABELS_JA = {
    "name": "名称", "name_en": "英語名", "provider": "提供者", "field": "分野", "kind": "種別",
    "data_linkage": "データ連携", "personal_data": "個人情報", "status": "提供状況", "ended": "終了時期",
    "since": "開始年", "lgwan": "LGWAN-ASP", "ismap": "ISMAP", "pricing": "料金", "licence": "ライセンス",
    "municipalities": "導入自治体", "use_fields": "デジ田利用分野", "scra": "SCRA対応", "sources": "出典",
    "unconfirmed": "未確認事項", "description": "説明",
}
UNKNOWN = "unknown"
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")

Record = dict[str, Any]  # key -> str | tuple[str, ...]


class DiffError(ValueError):
    """A catalog that cannot be read for comparison (message names the path)."""


# -- normalisation --------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # YAML 1.1 reads `lgwan: yes` as True
        return "yes" if value else "no"
    return " ".join(str(value).split())


def _items(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if not isinstance(value, (list, tuple)):
        value = [value]
    return tuple(sorted({t for t in (_text(v) for v in value) if t}))


def _fact(value: Any) -> str:
    text = _text(value)
    return "" if text.lower() == UNKNOWN else text


def make_record(values: Mapping[str, Any]) -> Record:
    """The normalised record of an entry from plain values (missing keys count as empty)."""
    rec: Record = {}
    for key in TEXT_KEYS:
        rec[key] = _text(values.get(key))
    rec["data_linkage"] = "true" if values.get("data_linkage") in (True, 1, "1", "true") else "false"
    rec["personal_data"] = rec["personal_data"] or "なし"
    for key in FACT_KEYS:
        rec[key] = _fact(values.get(key))
    for key in LIST_KEYS:
        rec[key] = _items(values.get(key))
    # a line break inside Japanese text is no change (re-wrapping a paragraph)
    rec["description"] = _CJK_SPACE.sub("", _text(values.get("description")))
    return rec


def record_json(rec: Record) -> dict[str, Any]:
    """A record as plain JSON values (lists instead of tuples), keys sorted."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(rec.items())}


def record_from_json(data: Mapping[str, Any]) -> Record:
    """Inverse of record_json (a stored baseline back to a record; unknown keys are ignored)."""
    return make_record(data)


def fingerprint(rec: Record) -> str:
    """Stable hash of a record: equal records, equal fingerprints."""
    blob = json.dumps(record_json(rec), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def record_of_service(svc: Service) -> Record:
    """Record of a typed entry (as CatalogDB.services returns it). Only the entry's own SCRA rows
    count: the field defaults are catalog-wide, not part of the entry."""
    facts: Mapping[str, Any] = getattr(svc, "facts", None) or {}  # registry facts, where the model has them
    return make_record({
        "name": svc.name, "name_en": svc.name_en, "provider": svc.provider, "field": svc.field_name, "kind": svc.kind,
        "data_linkage": svc.data_linkage, "personal_data": svc.personal_data, **{k: facts.get(k) for k in FACT_KEYS},
        "municipalities": svc.municipalities, "use_fields": svc.use_fields,
        "scra": [f"{m.node} {m.role}" for m in svc.scra if m.origin == "entry"],
        "sources": [s.url for s in svc.sources], "unconfirmed": svc.unconfirmed, "description": svc.description,
    })


# -- reading a catalog ----------------------------------------------------------------------------

@dataclass
class Snapshot:
    """Every entry of one catalog as records, plus where it came from."""

    label: str
    records: dict[str, Record]
    edition: dict[str, str] = field(default_factory=dict)  # id, name, date when known
    problems: list[str] = field(default_factory=list)


def _field_names(root: Path) -> dict[str, str]:
    """Any spelling of a catalog field (id, dir, English, Japanese) -> its Japanese name."""
    try:
        data, _ = parse_yaml(read_text(root / "taxonomy.yaml"))
    except ReadError:
        return {}
    out: dict[str, str] = {}
    for f in (data or {}).get("catalog_fields") or []:
        if isinstance(f, dict) and f.get("name_ja"):
            for key in ("id", "dir", "name_en", "name_ja"):
                if f.get(key):
                    out[str(f[key])] = str(f["name_ja"])
    return out


def _edition_of_folder(root: Path) -> dict[str, str]:
    try:
        data, _ = parse_yaml(read_text(root / "edition.yaml"))
    except ReadError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: _text(data.get(k)) for k in ("id", "name", "date") if data.get(k)}


def read_folder(root: Path, label: str = "") -> Snapshot:
    """Records of every entry file below root/services (raw front matter; broken files are noted)."""
    if (root / "catalog_data").is_dir() and not (root / "services").is_dir():
        root = root / "catalog_data"
    if not (root / "services").is_dir():
        raise DiffError(f"{root}: not a catalog folder (no services/ folder)")
    names = _field_names(root)
    snap = Snapshot(label or str(root), {}, _edition_of_folder(root))
    for path in sorted((root / "services").rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        try:
            yaml_text, body, _ = split_front_matter(read_text(path))
            data, _ = parse_yaml(yaml_text, offset=1)
        except ReadError as err:
            snap.problems.append(f"{rel}:{err.line}: {err.message} (entry left out of the comparison)")
            continue
        if not isinstance(data, dict) or not data.get("id"):
            snap.problems.append(f"{rel}: no id (entry left out of the comparison)")
            continue
        sid = _text(data["id"])
        raw_field = _text(data.get("field"))
        values = dict(data)
        values["field"] = names.get(raw_field, raw_field)
        values["scra"] = [f"{_text(r.get('node'))} {_text(r.get('role'))}" for r in data.get("scra") or [] if isinstance(r, dict)]
        values["sources"] = [s.get("url") if isinstance(s, dict) else s for s in data.get("sources") or []]
        values["description"] = body
        if sid in snap.records:
            snap.problems.append(f"{rel}: duplicate id {sid!r} (the first file counts)")
            continue
        snap.records[sid] = make_record(values)
    return snap


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"pragma table_info({table})")}


def read_db(path: Path, label: str = "") -> Snapshot:
    """Records of the bundled entries of a built catalog.db (the user's local entries are left out)."""
    from app.catalog.store import connect_ro

    try:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise DiffError(f"{path}: not a catalog folder or catalog.db file")
    except OSError as exc:
        raise DiffError(f"{path}: cannot read ({exc.strerror})") from None
    conn = connect_ro(path)
    conn.row_factory = sqlite3.Row
    try:
        return _read_db(conn, label or str(path))
    except sqlite3.Error as exc:
        raise DiffError(f"{path}: not a readable catalog.db ({exc})") from None
    finally:
        conn.close()


def _read_db(conn: sqlite3.Connection, label: str) -> Snapshot:
    meta = {r["key"]: r["value"] for r in conn.execute("select key, value from meta")}
    edition = {k: meta[f"edition_{k}"] for k in ("id", "name", "date") if meta.get(f"edition_{k}")}
    cols = _columns(conn, "services")
    local = " where s.local = 0" if "local" in cols else ""
    rows = conn.execute(f"select s.*, f.name_ja as field_name from services s left join fields f on f.id = s.field_id{local}").fetchall()
    values: dict[str, dict[str, Any]] = {}
    for r in rows:
        v: dict[str, Any] = {k: r[k] for k in cols if k in TEXT_KEYS or k in FACT_KEYS or k == "description"}
        v["field"] = r["field_name"] or r["field_id"]
        for key in LIST_KEYS:
            v[key] = []
        values[r["id"]] = v

    def collect(sql: str, key: str, fmt: Any) -> None:
        for r in conn.execute(sql):
            if r["service_id"] in values:
                values[r["service_id"]][key].append(fmt(r))

    collect("select * from service_municipalities", "municipalities", lambda r: r["municipality"])
    collect("select * from service_use_fields", "use_fields", lambda r: r["use_field"])
    origin = " where origin = 'entry'" if "origin" in _columns(conn, "service_nodes") else ""
    collect(f"select * from service_nodes{origin}", "scra", lambda r: f"{r['node_id']} {r['role']}")
    collect("select ss.service_id, so.url from service_sources ss join sources so on so.id = ss.source_id", "sources", lambda r: r["url"])
    collect("select * from service_unconfirmed", "unconfirmed", lambda r: r["note"])
    return Snapshot(label, {sid: make_record(v) for sid, v in values.items()}, edition)


def read_catalog(path: Path, label: str = "") -> Snapshot:
    """A catalog folder or a built catalog.db file."""
    if path.is_dir():
        return read_folder(path, label)
    if path.is_file():
        return read_db(path, label)
    raise DiffError(f"{path}: no such folder or file")


@contextmanager
def git_catalog(rev: str, catalog_dir: Path) -> Iterator[Path]:
    """The catalog folder `catalog_dir` as it was at git revision `rev`, in a temporary folder."""
    try:
        top = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=catalog_dir, capture_output=True,
                                  text=True, check=True).stdout.strip())
    except FileNotFoundError:
        raise DiffError("git is not installed: compare two folders or catalog.db files instead") from None
    except subprocess.CalledProcessError:
        raise DiffError(f"{catalog_dir} is not inside a git repository") from None
    rel = catalog_dir.resolve().relative_to(top.resolve()).as_posix()
    with tempfile.TemporaryDirectory(prefix="machi-navi-diff-") as tmp:
        tar_path = Path(tmp) / "catalog.tar"
        with open(tar_path, "wb") as fh:
            proc = subprocess.run(["git", "archive", "--format=tar", rev, "--", rel], cwd=top, stdout=fh,
                                  stderr=subprocess.PIPE, text=False)
        if proc.returncode != 0:
            msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DiffError(f"git revision {rev!r} has no {rel}/: {msg[-1] if msg else 'git archive failed'}")
        out = Path(tmp) / "tree"
        with tarfile.open(tar_path) as tar:
            tar.extractall(out, filter="data")
        yield out / rel


# -- comparing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    """One changed key of an entry: old/new text, or for lists the items added and removed."""

    key: str
    old: str = ""
    new: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def label_ja(self) -> str:
        return LABELS_JA.get(self.key, self.key)

    def text(self) -> str:
        if self.key in LIST_KEYS:
            parts = [f"+ {a}" for a in self.added] + [f"- {r}" for r in self.removed]
            return "; ".join(parts)
        if self.key == "description":
            return "changed"
        return f"{self.old or '(none)'} → {self.new or '(none)'}"


@dataclass(frozen=True)
class EntrySummary:
    id: str
    name: str
    field: str


@dataclass(frozen=True)
class EntryChange:
    id: str
    name: str
    field: str
    changes: tuple[FieldChange, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.changes)


@dataclass
class CatalogDiff:
    old: Snapshot
    new: Snapshot
    added: list[EntrySummary]
    removed: list[EntrySummary]
    changed: list[EntryChange]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_json(self) -> dict[str, Any]:
        def side(s: Snapshot) -> dict[str, Any]:
            return {"label": s.label, "edition": s.edition, "entries": len(s.records), "problems": s.problems}

        return {
            "old": side(self.old), "new": side(self.new),
            "counts": {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)},
            "added": [e.__dict__ for e in self.added], "removed": [e.__dict__ for e in self.removed],
            "changed": [{"id": c.id, "name": c.name, "field": c.field,
                         "changes": [{"key": f.key, "label_ja": f.label_ja, "old": f.old, "new": f.new,
                                      "added": list(f.added), "removed": list(f.removed)} for f in c.changes]}
                        for c in self.changed],
        }


def compare_records(old: Record, new: Record) -> tuple[FieldChange, ...]:
    """The keys in which two records of the same entry differ, in display order."""
    out: list[FieldChange] = []
    for key in KEYS:
        a, b = old.get(key, () if key in LIST_KEYS else ""), new.get(key, () if key in LIST_KEYS else "")
        if a == b:
            continue
        if key in LIST_KEYS:
            out.append(FieldChange(key, added=tuple(x for x in b if x not in a), removed=tuple(x for x in a if x not in b)))
        else:
            out.append(FieldChange(key, old=str(a), new=str(b)))
    return tuple(out)


def diff_snapshots(old: Snapshot, new: Snapshot) -> CatalogDiff:
    def summary(sid: str, rec: Record) -> EntrySummary:
        return EntrySummary(sid, rec.get("name", ""), rec.get("field", ""))

    added = [summary(i, new.records[i]) for i in sorted(new.records.keys() - old.records.keys())]
    removed = [summary(i, old.records[i]) for i in sorted(old.records.keys() - new.records.keys())]
    changed = []
    for sid in sorted(old.records.keys() & new.records.keys()):
        changes = compare_records(old.records[sid], new.records[sid])
        if changes:
            rec = new.records[sid]
            changed.append(EntryChange(sid, rec.get("name", ""), rec.get("field", ""), changes))
    return CatalogDiff(old, new, added, removed, changed)


def diff_catalogs(old: Path, new: Path) -> CatalogDiff:
    """Compare two catalog folders and/or built catalog.db files."""
    return diff_snapshots(read_catalog(old), read_catalog(new))


def format_diff(d: CatalogDiff) -> str:
    """Plain-text report of a diff (what `machi-navi diff` prints)."""
    def side(s: Snapshot) -> str:
        ed = s.edition.get("name") or s.edition.get("id") or "no edition"
        return f"{s.label} ({ed}, {len(s.records)} entries)"

    lines = [f"old: {side(d.old)}", f"new: {side(d.new)}",
             f"added {len(d.added)}, removed {len(d.removed)}, changed {len(d.changed)}"]
    for s in (d.old, d.new):
        lines += [f"  note: {p}" for p in s.problems]
    if d.added:
        lines += ["", f"added ({len(d.added)}):"] + [f"  + {e.id}\t{e.name}\t[{e.field}]" for e in d.added]
    if d.removed:
        lines += ["", f"removed ({len(d.removed)}):"] + [f"  - {e.id}\t{e.name}\t[{e.field}]" for e in d.removed]
    if d.changed:
        lines += ["", f"changed ({len(d.changed)}):"]
        for c in d.changed:
            lines.append(f"  ~ {c.id}\t{c.name}\t[{c.field}]: {', '.join(c.keys)}")
            lines += [f"      {f.key}: {f.text()}" for f in c.changes]
    return "\n".join(lines)
