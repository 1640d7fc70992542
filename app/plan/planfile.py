"""Plans as files (.machiplan): export one plan as versioned JSON, import it on another machine.

The format is described by resources/schema/machiplan-1.schema.json (the tests validate exported
files against it); the app checks the same rules here, without a schema library, and says which
file, where and what to do. A file holds the plan's entries by catalog id with their names and
fields at export time, in order, with notes and baselines, the answers to the planning questions,
the timestamps and the catalog edition it was made from. A sha256 over the canonical JSON of the
rest of the document catches a file changed after export (a flipped byte, a hand edit): such a
file is refused, as are malformed, truncated or oversized ones, and nothing is written then.

Import never overwrites: a plan name already in use gets a " (2)" suffix. Entries the local
catalog does not have are kept (shown as missing, like entries that left the catalog), never dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__, limits
from app.errors import UserError
from app.fsio import atomic_write_text
from app.plan.plans import MAX_NAME, Answer, Baseline, PlanItem, PlanStore, resolve_items
from app.userdb import utc_now

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB

FORMAT = "machiplan"
SCHEMA_VERSION = 1
SUFFIX = ".machiplan"
SHORT = 200  # ids, names, fields, timestamps, answers
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# key → (required, max chars or None for an object / array checked separately)
ENTRY_KEYS: dict[str, tuple[bool, int]] = {"id": (True, SHORT), "name": (True, 1000), "field": (True, SHORT),
                                           "note": (True, limits.MAX_TEXT_CHARS), "added_at": (True, SHORT)}
BASELINE_KEYS: dict[str, tuple[bool, int]] = {"edition": (True, SHORT), "fingerprint": (True, SHORT),
                                              "record": (True, limits.MAX_PLAN_RECORD_CHARS)}
ANSWER_KEYS: dict[str, tuple[bool, int]] = {"question_id": (True, SHORT), "answer": (True, SHORT),
                                            "note": (True, limits.MAX_TEXT_CHARS), "updated_at": (True, SHORT)}
PLAN_KEYS: dict[str, tuple[bool, int]] = {"name": (True, MAX_NAME), "created_at": (True, SHORT), "updated_at": (True, SHORT)}
CATALOG_KEYS: dict[str, tuple[bool, int]] = {"edition_id": (True, SHORT), "edition_name": (True, SHORT),
                                             "content_hash": (True, SHORT)}


@dataclass(frozen=True)
class PlanFile:
    """A validated plan file."""

    path: Path
    name: str
    created_at: str
    exported_at: str
    catalog_edition: str
    items: list[PlanItem]
    answers: list[Answer]


@dataclass(frozen=True)
class ImportResult:
    name: str  # the plan's name here
    file_name: str  # its name in the file (differs when that name was taken)
    entries: int
    answers: int
    missing: list[tuple[str, str]]  # (id, name at export) of entries this catalog does not have
    file_edition: str
    local_edition: str

    @property
    def renamed(self) -> bool:
        return self.name != self.file_name


# -- export ---------------------------------------------------------------------------------------

def canonical(doc: dict[str, Any]) -> bytes:
    """The bytes the checksum covers: the document without `sha256`, keys sorted, no spaces."""
    rest = {k: v for k, v in doc.items() if k != "sha256"}
    return json.dumps(rest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def plan_document(store: PlanStore, db: CatalogDB, name: str) -> dict[str, Any]:
    """The plan as a machiplan document (with its checksum)."""
    info = store.info(name)
    meta = db.meta()
    entries = []
    for pos, it in enumerate(resolve_items(store, db, name)):
        entry: dict[str, Any] = {"id": it.item.service_id, "name": it.name, "field": it.field_name, "position": pos,
                                 "note": it.item.note, "added_at": it.item.added_at, "missing": it.missing}
        if it.item.baseline:
            b = it.item.baseline
            entry["baseline"] = {"edition": b.edition, "fingerprint": b.fingerprint, "record": b.record}
        entries.append(entry)
    answers = [{"question_id": a.question_id, "answer": a.answer, "note": a.note, "updated_at": a.updated_at}
               for a in store.answers(name).values()]
    doc: dict[str, Any] = {
        "format": FORMAT, "schema_version": SCHEMA_VERSION, "app_version": __version__, "exported_at": utc_now(),
        "catalog": {"edition_id": meta.get("edition_id", ""), "edition_name": meta.get("edition_name", ""),
                    "content_hash": meta.get("content_hash", "")},
        "plan": {"name": info.name, "created_at": info.created_at, "updated_at": info.updated_at, "entries": entries,
                 "answers": answers},
    }
    doc["sha256"] = hashlib.sha256(canonical(doc)).hexdigest()
    return doc


def export_machiplan(store: PlanStore, db: CatalogDB, name: str, out: Path | str) -> Path:
    """Write the plan to `out` (atomically; UTF-8 JSON, readable in any editor)."""
    text = json.dumps(plan_document(store, db, name), ensure_ascii=False, indent=2) + "\n"
    return atomic_write_text(Path(out), text)


# -- reading and validating -----------------------------------------------------------------------

class PlanFileError(UserError):
    """A plan file that cannot be imported: names the file, what is wrong and what to do."""

    def __init__(self, path: Path, what_ja: str, what_en: str, advice_ja: str = "", advice_en: str = "") -> None:
        super().__init__(f"計画ファイルを読み込めません: {what_ja}", f"cannot import the plan file: {what_en}", path,
                         advice_ja or "書き出した人にもう一度書き出してもらってください（計画は何も変更していません）",
                         advice_en or "ask for a freshly exported file (no plan was changed)")


def _load_json(path: Path) -> Any:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PlanFileError(path, f"ファイルを開けません（{exc.strerror}）", f"the file cannot be opened ({exc.strerror})",
                            "ファイルの場所を確かめてください", "check the file's location") from None
    if size > limits.MAX_PLAN_FILE_BYTES:
        raise PlanFileError(path, f"大きすぎます（{size:,} バイト、上限 {limits.MAX_PLAN_FILE_BYTES:,}）",
                            f"too large ({size:,} bytes; the limit is {limits.MAX_PLAN_FILE_BYTES:,})",
                            "まちナビで書き出した .machiplan ファイルか確かめてください", "check that it is a .machiplan file exported by Machi Navi")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut inside a multi-byte character
            raise PlanFileError(path, "途中で切れています（文字の途中で終わっています）",
                                "it ends too early (truncated inside a character)") from None
        raise PlanFileError(path, f"UTF-8 のテキストではありません（{exc.start} バイト目）",
                            f"not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise PlanFileError(path, "空のファイルです", "the file is empty")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        cut = not text.rstrip().endswith("}")  # an exported file always ends with its closing brace
        what = "途中で切れています" if cut else "JSON の書式が正しくありません"
        what_en = "it ends too early (truncated)" if cut else "the JSON is malformed"
        raise PlanFileError(path, f"{exc.lineno} 行 {exc.colno} 列: {what}（{exc.msg}）",
                            f"line {exc.lineno}, column {exc.colno}: {what_en} ({exc.msg})") from None
    except (RecursionError, ValueError) as exc:
        raise PlanFileError(path, f"JSON として読めません（{exc}）", f"not readable as JSON ({exc})") from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


class _Checker:
    """The rules of the schema, applied with the JSON path of each problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, what_ja: str, what_en: str) -> PlanFileError:
        return PlanFileError(self.path, f"{where}: {what_ja}", f"{where}: {what_en}")

    def obj(self, value: Any, where: str, keys: dict[str, tuple[bool, int]], extra: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "オブジェクトでなければなりません", "must be an object")
        unknown = sorted(set(value) - set(keys) - set(extra))
        if unknown:
            raise self.fail(where, f"知らない項目があります: {', '.join(unknown)}", f"unknown keys: {', '.join(unknown)}")
        for key, (required, most) in keys.items():
            if key not in value:
                if required:
                    raise self.fail(where, f"{key} がありません", f"{key} is missing")
                continue
            self.text(value[key], f"{where}.{key}", most)
        return value

    def text(self, value: Any, where: str, most: int) -> str:
        if not isinstance(value, str):
            raise self.fail(where, "文字列でなければなりません", "must be a string")
        if len(value) > most:
            raise self.fail(where, f"長すぎます（{most} 文字まで）", f"longer than {most} characters")
        if _CONTROL.search(value):
            raise self.fail(where, "制御文字が含まれています", "contains control characters")
        return value

    def array(self, value: Any, where: str, most: int) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "配列でなければなりません", "must be an array")
        if len(value) > most:
            raise self.fail(where, f"多すぎます（{most} 件まで）", f"more than {most} items")
        return value


def _header(chk: _Checker, doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PlanFileError(chk.path, "まちナビの計画ファイル（format: machiplan）ではありません",
                            "not a Machi Navi plan file (format: machiplan)",
                            "まちナビの「計画を書き出す」で作った .machiplan ファイルを選んでください",
                            "choose a .machiplan file made with Export plan")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise chk.fail("schema_version", "1 以上の整数でなければなりません", "must be an integer ≥ 1")
    if version > SCHEMA_VERSION:
        raise PlanFileError(chk.path, f"新しい版のまちナビで書き出されています（形式 {version}、この版は {SCHEMA_VERSION} まで）",
                            f"written by a newer Machi Navi (format {version}; this version reads up to {SCHEMA_VERSION})",
                            "まちナビを更新してから読み込んでください", "update Machi Navi, then import it")
    chk.obj(doc, "(document)", {"format": (True, SHORT), "app_version": (True, SHORT), "exported_at": (True, SHORT),
                                "sha256": (True, 64)}, extra=("schema_version", "catalog", "plan"))
    digest = doc["sha256"]
    if not _HEX64.match(digest) or hashlib.sha256(canonical(doc)).hexdigest() != digest:
        raise PlanFileError(chk.path, "書き出した後に内容が変わっています（チェックサム sha256 が一致しません）",
                            "the content changed after export (the sha256 checksum does not match)",
                            "手で編集したか、転送中に壊れた可能性があります。書き出した人にもう一度書き出してもらってください（計画は何も変更していません）",
                            "it was edited or damaged in transfer; ask for a freshly exported file (no plan was changed)")
    chk.obj(doc.get("catalog"), "catalog", CATALOG_KEYS)
    return chk.obj(doc.get("plan"), "plan", PLAN_KEYS, extra=("entries", "answers"))


def _entry(chk: _Checker, raw: Any, where: str) -> tuple[int, PlanItem]:
    e = chk.obj(raw, where, ENTRY_KEYS, extra=("position", "missing", "baseline"))
    pos = e.get("position")
    if not isinstance(pos, int) or isinstance(pos, bool) or pos < 0:
        raise chk.fail(f"{where}.position", "0 以上の整数でなければなりません", "must be an integer ≥ 0")
    if not isinstance(e.get("missing", False), bool):
        raise chk.fail(f"{where}.missing", "true か false でなければなりません", "must be true or false")
    if not e["id"].strip():
        raise chk.fail(f"{where}.id", "空です", "is empty")
    base = None
    if "baseline" in e:
        b = chk.obj(e["baseline"], f"{where}.baseline", BASELINE_KEYS)
        base = Baseline(b["edition"], b["fingerprint"], b["record"])
    return pos, PlanItem(e["id"], e["name"], e["note"], pos, e["added_at"], e["field"], base)


def read_machiplan(path: Path | str) -> PlanFile:
    """Read and check a plan file; raises PlanFileError (file, where, what to do) and changes nothing."""
    path = Path(path)
    chk = _Checker(path)
    doc = _load_json(path)
    plan = _header(chk, doc)
    name = " ".join(plan["name"].split())
    if not name or len(name) > MAX_NAME:
        raise chk.fail("plan.name", f"空か長すぎます（{MAX_NAME} 文字まで）", f"empty or longer than {MAX_NAME} characters")
    entries = chk.array(plan.get("entries"), "plan.entries", limits.MAX_PLAN_ENTRIES)
    items = sorted((_entry(chk, e, f"plan.entries[{i}]") for i, e in enumerate(entries)), key=lambda p: p[0])
    seen: set[str] = set()
    for i, (pos, it) in enumerate(items):
        if it.service_id in seen or (i and items[i - 1][0] == pos):
            raise chk.fail("plan.entries", f"{it.service_id} の ID か順番（position {pos}）が重複しています",
                           f"the id or position of {it.service_id} (position {pos}) appears twice")
        seen.add(it.service_id)
    answers = []
    for i, raw in enumerate(chk.array(plan.get("answers"), "plan.answers", limits.MAX_PLAN_ANSWERS)):
        a = chk.obj(raw, f"plan.answers[{i}]", ANSWER_KEYS)
        if not a["question_id"].strip() or a["question_id"] in {x.question_id for x in answers}:
            raise chk.fail(f"plan.answers[{i}].question_id", "空か重複しています", "is empty or appears twice")
        answers.append(Answer(a["question_id"], a["answer"], a["note"], a["updated_at"]))
    edition = doc["catalog"]["edition_name"] or doc["catalog"]["edition_id"]
    return PlanFile(path, name, plan["created_at"], doc["exported_at"], edition, [it for _, it in items], answers)


# -- import ---------------------------------------------------------------------------------------

def free_name(store: PlanStore, name: str) -> str:
    """`name`, or `name (2)`, `name (3)` … when it is taken (never an overwrite)."""
    if not store.exists(name):
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: MAX_NAME - len(suffix)] + suffix
        if not store.exists(candidate):
            return candidate
        n += 1


def import_machiplan(store: PlanStore, db: CatalogDB, path: Path | str, name: str | None = None) -> ImportResult:
    """Add the plan in `path` as a new plan (renamed if its name is taken); all or nothing."""
    pf = read_machiplan(path)
    target = free_name(store, " ".join((name or pf.name).split()))
    here = {s.id for s in db.services([it.service_id for it in pf.items])} if pf.items else set()
    missing = [(it.service_id, it.last_name) for it in pf.items if it.service_id not in here]
    info = store.create_with(target, pf.created_at, pf.items, pf.answers)
    meta = db.meta()
    return ImportResult(info.name, pf.name, len(pf.items), len(pf.answers), missing, pf.catalog_edition,
                        meta.get("edition_name") or meta.get("edition_id", ""))
