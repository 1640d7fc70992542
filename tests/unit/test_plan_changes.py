"""A plan notices entries that changed, ended or left the catalog since they were added; it never drops them."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from app import userdb
from app.catalog.store import CatalogDB
from app.plan.changes import item_change, plan_changes, record_baselines
from app.plan.plans import ResolvedItem, add_services, resolve_items
from tests.conftest import service_md, write
from tests.plan_support import build, open_store


def _rebuild(root: Path, tmp_path: Path, n: int) -> CatalogDB:
    return build(root, tmp_path / f"catalog{n}.db")


def test_added_items_keep_a_baseline_with_the_edition(mini_catalog: Path, tmp_path: Path) -> None:
    write(mini_catalog / "edition.yaml", 'id: "2031.04"\nname: 2031年4月版\ndate: 2031-04-01\n')
    db = _rebuild(mini_catalog, tmp_path, 1)
    store, conn = open_store(tmp_path / "plans.db")
    store.create("計画")
    assert add_services(store, db, "計画", ["alpha", "beta"]) == (2, [])
    items = store.items("計画")
    assert all(i.baseline and i.baseline.edition == "2031.04" and len(i.baseline.fingerprint) == 16 for i in items)
    assert plan_changes(store, db, "計画") == []
    conn.close()
    db.close()


def test_changed_entries_are_listed_with_fields_and_never_dropped(mini_catalog: Path, tmp_path: Path) -> None:
    db1 = _rebuild(mini_catalog, tmp_path, 1)
    store, conn = open_store(tmp_path / "plans.db")
    store.create("計画")
    add_services(store, db1, "計画", ["alpha", "beta", "gamma"])
    db1.close()
    svc = mini_catalog / "services" / "transport"
    write(svc / "alpha.md", service_md("alpha", name="改名したサービス", municipalities="[愛知県豊明市, 長野県茅野市]"))
    (svc / "gamma.md").unlink()
    db2 = _rebuild(mini_catalog, tmp_path, 2)
    found = {c.service_id: c for c in plan_changes(store, db2, "計画")}
    assert set(found) == {"alpha", "gamma"}
    alpha = found["alpha"]
    assert alpha.keys == ("name", "municipalities") and alpha.changed and not alpha.ended and not alpha.removed
    assert alpha.changes[1].added == ("長野県茅野市",)
    assert alpha.marker_ja() == "変更あり" and "名称" in alpha.summary() and "導入自治体" in alpha.summary()
    assert found["gamma"].removed and found["gamma"].name == "テストサービスgamma"
    assert store.service_ids("計画") == ["alpha", "beta", "gamma"]  # nothing dropped
    # the officer has seen the change: alpha compares against the current entry from now on
    assert record_baselines(store, db2, "計画", ["alpha"]) == 1
    assert [c.service_id for c in plan_changes(store, db2, "計画")] == ["gamma"]
    conn.close()
    db2.close()


def test_undo_of_remove_keeps_the_baseline(mini_catalog: Path, tmp_path: Path) -> None:
    db1 = _rebuild(mini_catalog, tmp_path, 1)
    store, conn = open_store(tmp_path / "plans.db")
    store.create("計画")
    add_services(store, db1, "計画", ["alpha"])
    before = store.items("計画")[0].baseline
    store.restore("計画", store.remove("計画", ["alpha"]))
    assert store.items("計画")[0].baseline == before
    db1.close()
    write(mini_catalog / "services/transport/alpha.md", service_md("alpha", provider="株式会社あたらしい"))
    db2 = _rebuild(mini_catalog, tmp_path, 2)
    assert [c.keys for c in plan_changes(store, db2, "計画")] == [("provider",)]
    conn.close()
    db2.close()


def test_ended_entries_are_marked_even_without_other_changes(mini_catalog: Path, tmp_path: Path) -> None:
    db = _rebuild(mini_catalog, tmp_path, 1)
    store, conn = open_store(tmp_path / "plans.db")
    store.create("計画")
    add_services(store, db, "計画", ["alpha"])
    it = resolve_items(store, db, "計画")[0]
    assert it.service is not None and item_change(it) is None
    svc = dataclasses.replace(it.service)
    object.__setattr__(svc, "facts", {"status": "ended", "ended": "2024-03"})  # the registry's facts of the entry
    change = item_change(ResolvedItem(it.item, svc))
    assert change is not None and change.ended and change.ended_on == "2024-03"
    assert change.keys == ("status", "ended") and change.marker_ja() == "終了・変更あり"
    assert "提供終了（2024-03）" in change.summary()
    conn.close()
    db.close()


def test_items_from_before_migration_3_get_a_baseline_when_first_checked(mini_catalog: Path, tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for step in userdb.MIGRATIONS[:2]:
        raw.execute("begin")
        step(raw)
        raw.execute("commit")
    raw.execute("pragma user_version = 2")
    raw.execute("insert into plans(id, name, created_at, updated_at) values (1, '古い計画', 'x', 'x')")
    raw.execute("insert into plan_items(plan_id, service_id, last_name, added_at) values (1, 'alpha', 'α', 'x')")
    raw.execute("insert into plan_items(plan_id, service_id, last_name, added_at) values (1, 'gone', '消えた', 'x')")
    raw.close()
    store, conn = open_store(path)  # migrates to the latest version
    assert conn.execute("pragma user_version").fetchone()[0] == len(userdb.MIGRATIONS)
    assert [(i.service_id, i.last_name, i.baseline) for i in store.items("古い計画")] == [("alpha", "α", None), ("gone", "消えた", None)]
    db = _rebuild(mini_catalog, tmp_path, 1)
    assert [(c.service_id, c.removed) for c in plan_changes(store, db, "古い計画")] == [("gone", True)]
    assert record_baselines(store, db, "古い計画") == 1  # alpha only: a vanished entry has nothing to record
    assert store.items("古い計画")[0].baseline is not None
    conn.close()
    db.close()
