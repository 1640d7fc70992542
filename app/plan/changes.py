"""What changed in a plan's services since they were added: edited entries, ended services and
entries that left the catalog. Nothing is ever dropped from the plan; items are only marked.

Each plan item keeps a baseline (plans.baseline_of): the catalog edition, a fingerprint and the
normalised record of its entry at the time it was added. Comparing that record with the entry in
the current catalog.db names the changed fields (app.catalog.diff.compare_records).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.catalog.diff import FieldChange, Record, compare_records, fingerprint, record_from_json, record_of_service
from app.plan.plans import PlanStore, ResolvedItem, baseline_of, resolve_items

if TYPE_CHECKING:
    from app.catalog.store import CatalogDB


@dataclass(frozen=True)
class ItemChange:
    """One plan item that needs the officer's attention, with what happened to its entry."""

    service_id: str
    name: str
    added_edition: str  # catalog edition when the item was added ("" if unknown)
    changes: tuple[FieldChange, ...] = ()  # changed fields since the item was added
    ended: bool = False  # the entry says the service has ended
    ended_on: str = ""  # YYYY-MM when the entry gives it
    removed: bool = False  # the entry is no longer in the catalog

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.changes)

    def marker_ja(self) -> str:
        """Short Japanese marker for lists (e.g. 「終了・変更あり」)."""
        parts = (["カタログから削除"] if self.removed else []) + (["終了"] if self.ended else []) + \
            (["変更あり"] if self.changes else [])
        return "・".join(parts)

    def summary(self) -> str:
        """One line: what happened (field names in Japanese)."""
        out = []
        if self.removed:
            out.append("カタログにありません / no longer in the catalog")
        if self.ended:
            out.append(f"提供終了{f'（{self.ended_on}）' if self.ended_on else ''} / ended{f' {self.ended_on}' if self.ended_on else ''}")
        if self.changes:
            out.append("変更: " + "、".join(c.label_ja for c in self.changes) + " / changed: " + ", ".join(self.keys))
        return "; ".join(out)


def _baseline_record(it: ResolvedItem) -> Record | None:
    base = it.item.baseline
    if base is None or not base.record:
        return None
    try:
        data = json.loads(base.record)
    except ValueError:
        return None
    return record_from_json(data) if isinstance(data, dict) else None


def item_change(it: ResolvedItem) -> ItemChange | None:
    """What happened to one resolved plan item's entry since it was added (None: nothing to notice)."""
    if it.service is None:
        base = it.item.baseline
        return ItemChange(it.item.service_id, it.name, base.edition if base else "", removed=True)
    current = record_of_service(it.service)
    before = _baseline_record(it)
    changes: tuple[FieldChange, ...] = ()
    if before is not None and it.item.baseline is not None and it.item.baseline.fingerprint != fingerprint(current):
        changes = compare_records(before, current)
    ended = current.get("status") == "ended"
    if not changes and not ended:
        return None
    return ItemChange(it.item.service_id, it.name, it.item.baseline.edition if it.item.baseline else "",
                      changes, ended, str(current.get("ended", "")) if ended else "")


def plan_changes(store: PlanStore, db: CatalogDB, name: str) -> list[ItemChange]:
    """The items of plan `name` whose entry changed since they were added, ended or left the
    catalog, in plan order. Items without a baseline (added before plans kept one) count as
    unchanged until `record_baselines` gives them one."""
    return [c for it in resolve_items(store, db, name) if (c := item_change(it)) is not None]


def record_baselines(store: PlanStore, db: CatalogDB, name: str, service_ids: list[str] | None = None) -> int:
    """Take the current catalog entries as the baseline: for the given items (the officer has seen
    their changes), or with no ids for every item that has no baseline yet. Returns items updated."""
    edition = db.meta().get("edition_id", "")
    todo = {}
    for it in resolve_items(store, db, name):
        if it.service is None:
            continue  # a vanished entry keeps its old baseline
        if (service_ids is None and it.item.baseline is None) or (service_ids is not None and it.item.service_id in service_ids):
            todo[it.item.service_id] = baseline_of(it.service, edition)
    return store.set_baselines(name, todo) if todo else 0
