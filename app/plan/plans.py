"""Plans kept in the user's plans.db: named baskets of catalog services with notes and answers.

Items refer to catalog entries by their stable id and remember the entry's last known name (and
field), so an entry that vanishes after a catalog update is shown as missing, never dropped.
Every change runs in one transaction (BEGIN IMMEDIATE … COMMIT): a crash leaves the plan as it
was before the change.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.catalog.diff import fingerprint, record_json, record_of_service
from app.catalog.store import checkpoint
from app.userdb import utc_now

if TYPE_CHECKING:
    from app.catalog.model import Service
    from app.catalog.store import CatalogDB

MAX_NAME = 120


class PlanError(ValueError):
    """A plan operation that cannot be done (message in Japanese / English)."""


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    created_at: str
    updated_at: str
    item_count: int
    municipality: str = ""  # the report cover's 自治体名
    author: str = ""  # the report cover's 作成者 (officer or section)


@dataclass(frozen=True)
class PlanItem:
    service_id: str
    last_name: str
    note: str
    position: int
    added_at: str
    last_field: str = ""
    baseline: Baseline | None = None  # the entry as it was when added (None: not recorded)


@dataclass(frozen=True)
class Baseline:
    """A plan item's catalog entry when it was added: edition id, fingerprint, record (JSON)."""

    edition: str
    fingerprint: str
    record: str


@dataclass(frozen=True)
class Answer:
    question_id: str
    answer: str
    note: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class ResolvedItem:
    """A plan item joined with its catalog entry (None when the entry vanished from the catalog)."""

    item: PlanItem
    service: Service | None

    @property
    def missing(self) -> bool:
        return self.service is None

    @property
    def name(self) -> str:
        return self.service.name if self.service else self.item.last_name or self.item.service_id

    @property
    def field_name(self) -> str:
        return self.service.field_name if self.service else self.item.last_field


def _clean_name(name: str) -> str:
    clean = " ".join(str(name).split())
    if not clean:
        raise PlanError("計画名が空です / The plan name is empty")
    if len(clean) > MAX_NAME:
        raise PlanError(f"計画名が長すぎます（{MAX_NAME}文字まで） / The plan name is longer than {MAX_NAME} characters")
    return clean


class PlanStore:
    """All plan reads and writes on an open plans.db connection (see app.userdb.connect)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- helpers ------------------------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self.conn.in_transaction:  # nested call: the outer transaction decides
            yield self.conn
            return
        self.conn.execute("begin immediate")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("rollback")
            raise
        self.conn.execute("commit")

    def _plan_id(self, name: str) -> int:
        row = self.conn.execute("select id from plans where name = ?", (name,)).fetchone()
        if row is None:
            raise PlanError(f"計画「{name}」が見つかりません / No plan named {name!r}")
        return int(row[0])

    def _touch(self, plan_id: int) -> None:
        self.conn.execute("update plans set updated_at = ? where id = ?", (utc_now(), plan_id))

    def _compact(self, plan_id: int) -> None:
        """Renumber positions 0..n-1 in their current order."""
        rows = self.conn.execute(
            "select service_id from plan_items where plan_id = ? order by position, added_at, service_id", (plan_id,)).fetchall()
        for i, r in enumerate(rows):
            self.conn.execute("update plan_items set position = ? where plan_id = ? and service_id = ?", (i, plan_id, r[0]))

    # -- plans --------------------------------------------------------------------------------
    def list_plans(self) -> list[PlanInfo]:
        rows = self.conn.execute(
            "select p.id, p.name, p.created_at, p.updated_at, count(i.service_id) as n, p.municipality, p.author "
            "from plans p left join plan_items i on i.plan_id = p.id group by p.id order by p.name").fetchall()
        return [PlanInfo(int(r[0]), r[1], r[2], r[3], int(r[4]), r[5], r[6]) for r in rows]

    def exists(self, name: str) -> bool:
        return self.conn.execute("select 1 from plans where name = ?", (name,)).fetchone() is not None

    def info(self, name: str) -> PlanInfo:
        for p in self.list_plans():
            if p.name == name:
                return p
        raise PlanError(f"計画「{name}」が見つかりません / No plan named {name!r}")

    def create(self, name: str) -> PlanInfo:
        clean = _clean_name(name)
        with self._tx() as c:
            if self.exists(clean):
                raise PlanError(f"計画「{clean}」は既にあります / A plan named {clean!r} already exists")
            ts = utc_now()
            cur = c.execute("insert into plans(name, created_at, updated_at) values (?, ?, ?)", (clean, ts, ts))
            return PlanInfo(int(cur.lastrowid or 0), clean, ts, ts, 0)

    def create_with(self, name: str, created_at: str, items: Iterable[PlanItem], answers: Iterable[Answer]) -> PlanInfo:
        """A new plan holding `items` (in this order) and `answers`, in one transaction (plan files)."""
        clean = _clean_name(name)
        with self._tx() as c:
            if self.exists(clean):
                raise PlanError(f"計画「{clean}」は既にあります / A plan named {clean!r} already exists")
            ts = utc_now()
            plan_id = int(c.execute("insert into plans(name, created_at, updated_at) values (?, ?, ?)",
                                    (clean, created_at or ts, ts)).lastrowid or 0)
            n = 0
            for n, it in enumerate(items, 1):
                base = it.baseline or Baseline("", "", "")
                c.execute(
                    "insert into plan_items(plan_id, service_id, last_name, note, position, added_at, last_field, "
                    "added_edition, added_fingerprint, added_record) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (plan_id, it.service_id, it.last_name, it.note, n - 1, it.added_at or ts, it.last_field,
                     base.edition, base.fingerprint, base.record))
                if n == 1:
                    checkpoint("plan-import-mid")  # crash-test hook (no-op unless MACHI_NAVI_KILL_AT names it)
            for a in answers:
                c.execute("insert into plan_answers(plan_id, question_id, answer, note, updated_at) values (?, ?, ?, ?, ?)",
                          (plan_id, a.question_id, a.answer, a.note, a.updated_at or ts))
            return PlanInfo(plan_id, clean, created_at or ts, ts, n)

    def delete(self, name: str) -> None:
        with self._tx() as c:
            plan_id = self._plan_id(name)
            c.execute("delete from plan_items where plan_id = ?", (plan_id,))
            c.execute("delete from plan_answers where plan_id = ?", (plan_id,))
            c.execute("delete from plans where id = ?", (plan_id,))

    def rename(self, old: str, new: str) -> None:
        clean = _clean_name(new)
        with self._tx() as c:
            plan_id = self._plan_id(old)
            if clean == old:
                return
            if self.exists(clean):
                raise PlanError(f"計画「{clean}」は既にあります / A plan named {clean!r} already exists")
            c.execute("update plans set name = ?, updated_at = ? where id = ?", (clean, utc_now(), plan_id))

    def set_properties(self, name: str, municipality: str | None = None, author: str | None = None) -> PlanInfo:
        """Set the cover properties of a report (None leaves a property as it is); returns the plan."""
        values = {"municipality": municipality, "author": author}
        with self._tx() as c:
            plan_id = self._plan_id(name)
            for col, value in values.items():
                if value is None:
                    continue
                clean = " ".join(str(value).split())
                if len(clean) > MAX_NAME:
                    raise PlanError(f"{'自治体名' if col == 'municipality' else '作成者'}が長すぎます（{MAX_NAME}文字まで） / "
                                    f"The {col} is longer than {MAX_NAME} characters")
                c.execute(f"update plans set {col} = ? where id = ?", (clean, plan_id))
            self._touch(plan_id)
        return self.info(name)

    # -- items --------------------------------------------------------------------------------
    def items(self, name: str) -> list[PlanItem]:
        plan_id = self._plan_id(name)
        rows = self.conn.execute(
            "select service_id, last_name, note, position, added_at, last_field, added_edition, added_fingerprint, "
            "added_record from plan_items where plan_id = ? order by position, added_at, service_id", (plan_id,)).fetchall()
        return [PlanItem(r[0], r[1], r[2], int(r[3]), r[4], r[5], Baseline(r[6], r[7], r[8]) if r[7] else None) for r in rows]

    def service_ids(self, name: str) -> list[str]:
        return [i.service_id for i in self.items(name)]

    def add(self, name: str, service_ids: Iterable[str], names: dict[str, str] | None = None,
            fields: dict[str, str] | None = None) -> int:
        """Append services to the plan (ids already in it are skipped); returns how many were added."""
        names = names or {}
        fields = fields or {}
        wanted = [s.strip() for s in dict.fromkeys(service_ids) if s and s.strip()]
        added = 0
        with self._tx() as c:
            plan_id = self._plan_id(name)
            have = {r[0] for r in c.execute("select service_id from plan_items where plan_id = ?", (plan_id,))}
            pos = c.execute("select coalesce(max(position) + 1, 0) from plan_items where plan_id = ?", (plan_id,)).fetchone()[0]
            ts = utc_now()
            half = len(wanted) // 2
            for i, sid in enumerate(wanted):
                if i == half and i:
                    checkpoint("plan-add-mid")  # crash-test hook (no-op unless MACHI_NAVI_KILL_AT names it)
                if sid in have:
                    continue
                c.execute(
                    "insert into plan_items(plan_id, service_id, last_name, note, position, added_at, last_field) "
                    "values (?, ?, ?, '', ?, ?, ?)", (plan_id, sid, names.get(sid, ""), pos, ts, fields.get(sid, "")))
                have.add(sid)
                pos += 1
                added += 1
            if added:
                self._touch(plan_id)
        return added

    def remove(self, name: str, service_ids: Iterable[str]) -> list[PlanItem]:
        """Remove services; returns the removed items (with their positions) for `restore` (undo)."""
        drop = set(service_ids)
        with self._tx() as c:
            plan_id = self._plan_id(name)
            removed = [it for it in self.items(name) if it.service_id in drop]
            for it in removed:
                c.execute("delete from plan_items where plan_id = ? and service_id = ?", (plan_id, it.service_id))
            if removed:
                self._compact(plan_id)
                self._touch(plan_id)
        return removed

    def restore(self, name: str, items: Iterable[PlanItem]) -> int:
        """Put removed items back at their old positions (undo of `remove`); returns how many came back."""
        back = 0
        with self._tx() as c:
            plan_id = self._plan_id(name)
            order = [it.service_id for it in self.items(name)]
            present = set(order)
            kept: dict[str, PlanItem] = {}
            for it in sorted(items, key=lambda x: x.position):
                if it.service_id in present or it.service_id in kept:
                    continue
                kept[it.service_id] = it
                order.insert(min(max(it.position, 0), len(order)), it.service_id)
            for it in kept.values():
                base = it.baseline or Baseline("", "", "")
                c.execute(
                    "insert into plan_items(plan_id, service_id, last_name, note, position, added_at, last_field, "
                    "added_edition, added_fingerprint, added_record) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (plan_id, it.service_id, it.last_name, it.note, 0, it.added_at or utc_now(), it.last_field,
                     base.edition, base.fingerprint, base.record))
                back += 1
            for i, sid in enumerate(order):
                c.execute("update plan_items set position = ? where plan_id = ? and service_id = ?", (i, plan_id, sid))
            if back:
                self._touch(plan_id)
        return back

    def set_note(self, name: str, service_id: str, note: str) -> None:
        with self._tx() as c:
            plan_id = self._plan_id(name)
            cur = c.execute("update plan_items set note = ? where plan_id = ? and service_id = ?", (note, plan_id, service_id))
            if cur.rowcount == 0:
                raise PlanError(f"計画「{name}」に {service_id} はありません / {service_id!r} is not in plan {name!r}")
            self._touch(plan_id)

    def move(self, name: str, service_id: str, new_position: int) -> None:
        with self._tx() as c:
            plan_id = self._plan_id(name)
            order = [it.service_id for it in self.items(name)]
            if service_id not in order:
                raise PlanError(f"計画「{name}」に {service_id} はありません / {service_id!r} is not in plan {name!r}")
            order.remove(service_id)
            order.insert(min(max(int(new_position), 0), len(order)), service_id)
            for i, sid in enumerate(order):
                c.execute("update plan_items set position = ? where plan_id = ? and service_id = ?", (i, plan_id, sid))
            self._touch(plan_id)

    def remember_names(self, name: str, names: dict[str, str], fields: dict[str, str] | None = None) -> int:
        """Update the last known name/field of items whose catalog entry exists; returns rows changed."""
        fields = fields or {}
        changed = 0
        with self._tx() as c:
            plan_id = self._plan_id(name)
            for it in self.items(name):
                new_name = names.get(it.service_id, it.last_name)
                new_field = fields.get(it.service_id, it.last_field)
                if (new_name, new_field) != (it.last_name, it.last_field):
                    c.execute("update plan_items set last_name = ?, last_field = ? where plan_id = ? and service_id = ?",
                              (new_name, new_field, plan_id, it.service_id))
                    changed += 1
        return changed

    def set_baselines(self, name: str, baselines: dict[str, Baseline]) -> int:
        """Record (or replace) the baseline of items in the plan; returns rows changed."""
        changed = 0
        with self._tx() as c:
            plan_id = self._plan_id(name)
            for sid, b in baselines.items():
                cur = c.execute("update plan_items set added_edition = ?, added_fingerprint = ?, added_record = ? "
                                "where plan_id = ? and service_id = ?", (b.edition, b.fingerprint, b.record, plan_id, sid))
                changed += cur.rowcount
        return changed

    # -- answers ------------------------------------------------------------------------------
    def answers(self, name: str) -> dict[str, Answer]:
        plan_id = self._plan_id(name)
        rows = self.conn.execute(
            "select question_id, answer, note, updated_at from plan_answers where plan_id = ? order by question_id", (plan_id,))
        return {r[0]: Answer(r[0], r[1], r[2], r[3]) for r in rows}

    def set_answer(self, name: str, qid: str, answer: str, note: str = "") -> None:
        if not qid:
            raise PlanError("質問IDが空です / The question id is empty")
        with self._tx() as c:
            plan_id = self._plan_id(name)
            c.execute(
                "insert into plan_answers(plan_id, question_id, answer, note, updated_at) values (?, ?, ?, ?, ?) "
                "on conflict(plan_id, question_id) do update set answer = excluded.answer, note = excluded.note, "
                "updated_at = excluded.updated_at", (plan_id, qid, answer, note, utc_now()))
            self._touch(plan_id)

    def clear_answer(self, name: str, qid: str) -> None:
        with self._tx() as c:
            plan_id = self._plan_id(name)
            c.execute("delete from plan_answers where plan_id = ? and question_id = ?", (plan_id, qid))
            self._touch(plan_id)


# -- catalog-aware helpers (used by coverage, export, CLI and UI) ---------------------------------

def resolve_items(store: PlanStore, db: CatalogDB, name: str) -> list[ResolvedItem]:
    """The plan's items in order, each with its catalog entry or None if it vanished."""
    items = store.items(name)
    found = {s.id: s for s in db.services([i.service_id for i in items])} if items else {}
    return [ResolvedItem(i, found.get(i.service_id)) for i in items]


def add_services(store: PlanStore, db: CatalogDB, name: str, service_ids: Iterable[str]) -> tuple[int, list[str]]:
    """Add catalog services by id (remembering name and field); returns (added, unknown ids)."""
    ids = list(dict.fromkeys(service_ids))
    found = {s.id: s for s in db.services(ids)} if ids else {}
    unknown = [i for i in ids if i not in found]
    known = [i for i in ids if i in found]
    with store._tx():  # the items and their baselines in one transaction
        had = set(store.service_ids(name))
        added = store.add(name, known, {i: found[i].name for i in known}, {i: found[i].field_name for i in known})
        if added:
            edition = db.meta().get("edition_id", "")
            store.set_baselines(name, {i: baseline_of(found[i], edition) for i in known if i not in had})
    return added, unknown


def baseline_of(svc: Service, edition: str) -> Baseline:
    """The baseline a plan item keeps of its entry: edition, fingerprint and the normalised record."""
    rec = record_of_service(svc)
    return Baseline(edition, fingerprint(rec), json.dumps(record_json(rec), ensure_ascii=False))


def sync_names(store: PlanStore, db: CatalogDB, name: str) -> int:
    """Refresh every item's last known name/field from the current catalog (missing ones keep theirs)."""
    found = {s.id: s for s in db.services(store.service_ids(name))}
    return store.remember_names(name, {k: v.name for k, v in found.items()}, {k: v.field_name for k, v in found.items()})
