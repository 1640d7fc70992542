"""Plans in plans.db: CRUD, ordering, undo of removals, answers, migrations, crash safety, missing entries."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import userdb
from app.plan.plans import PlanError, PlanStore, add_services, resolve_items, sync_names
from tests.conftest import ROOT
from tests.plan_support import add_service, build, open_store


@pytest.fixture
def store(tmp_path: Path) -> PlanStore:
    st, _ = open_store(tmp_path / "plans.db")
    return st


def test_create_list_rename_delete(store: PlanStore) -> None:
    info = store.create("  豊明  モデル ")
    assert info.name == "豊明 モデル" and info.item_count == 0 and info.created_at == info.updated_at
    store.create("別案")
    assert [p.name for p in store.list_plans()] == ["別案", "豊明 モデル"]
    with pytest.raises(PlanError, match="既にあります.*already exists"):
        store.create("別案")
    with pytest.raises(PlanError, match="already exists"):
        store.rename("豊明 モデル", "別案")
    with pytest.raises(PlanError, match="No plan named"):
        store.rename("ない計画", "x")
    with pytest.raises(PlanError, match="empty"):
        store.create("   ")
    store.rename("豊明 モデル", "豊明案")
    store.add("豊明案", ["a", "b"])
    store.set_answer("豊明案", "ownership", "municipality")
    store.delete("豊明案")
    assert [p.name for p in store.list_plans()] == ["別案"]
    with pytest.raises(PlanError):
        store.items("豊明案")
    # nothing left behind by the deleted plan
    assert store.conn.execute("select count(*) from plan_items").fetchone()[0] == 0
    assert store.conn.execute("select count(*) from plan_answers").fetchone()[0] == 0


def test_add_skips_duplicates_and_keeps_order(store: PlanStore) -> None:
    store.create("p")
    assert store.add("p", ["a", "b", "a"], names={"a": "エー"}) == 2
    assert store.add("p", ["b", "c"]) == 1
    items = store.items("p")
    assert [(i.service_id, i.position) for i in items] == [("a", 0), ("b", 1), ("c", 2)]
    assert items[0].last_name == "エー" and items[0].added_at
    assert store.info("p").item_count == 3
    with pytest.raises(PlanError):
        store.add("nope", ["a"])


def test_remove_returns_items_and_restore_puts_them_back_in_place(store: PlanStore) -> None:
    store.create("p")
    store.add("p", list("abcde"))
    store.set_note("p", "b", "メモB")
    removed = store.remove("p", ["b", "d", "zz"])
    assert [(r.service_id, r.position, r.note) for r in removed] == [("b", 1, "メモB"), ("d", 3, "")]
    assert [(i.service_id, i.position) for i in store.items("p")] == [("a", 0), ("c", 1), ("e", 2)]
    assert store.restore("p", removed) == 2
    items = store.items("p")
    assert [i.service_id for i in items] == list("abcde")
    assert [i.position for i in items] == [0, 1, 2, 3, 4]
    assert items[1].note == "メモB"
    assert store.restore("p", removed) == 0, "restoring twice does not duplicate"


def test_move_and_notes(store: PlanStore) -> None:
    store.create("p")
    store.add("p", list("abcd"))
    store.move("p", "d", 0)
    assert store.service_ids("p") == list("dabc")
    store.move("p", "d", 99)
    assert store.service_ids("p") == list("abcd")
    with pytest.raises(PlanError, match="not in plan"):
        store.move("p", "zz", 0)
    store.set_note("p", "c", "=cmd|' /C calc'!A0")
    assert store.items("p")[2].note.startswith("=cmd")
    with pytest.raises(PlanError):
        store.set_note("p", "zz", "x")


def test_answers_round_trip(store: PlanStore) -> None:
    store.create("p")
    store.set_answer("p", "um:auth-strength", "identity-proofing", "マイナカード")
    store.set_answer("p", "ownership", "municipality")
    store.set_answer("p", "ownership", "private-company", "変更")
    got = store.answers("p")
    assert got["um:auth-strength"].answer == "identity-proofing" and got["um:auth-strength"].note == "マイナカード"
    assert got["ownership"].answer == "private-company" and got["ownership"].note == "変更"
    store.clear_answer("p", "ownership")
    assert "ownership" not in store.answers("p")


def test_failed_change_rolls_back(store: PlanStore) -> None:
    store.create("p")
    store.add("p", ["a"])
    before = store.items("p")
    with pytest.raises(sqlite3.IntegrityError), store._tx() as c:
        c.execute("delete from plan_items")
        c.execute("insert into plans(name, created_at, updated_at) values ('p', 'x', 'x')")  # unique violation
    assert store.items("p") == before
    assert not store.conn.in_transaction


# -- migrations ------------------------------------------------------------------------------------

def test_migrates_a_hand_made_v1_file_keeping_data(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    conn = sqlite3.connect(path, isolation_level=None)
    userdb._m1(conn)  # exactly the v1 schema, as shipped
    conn.execute("pragma user_version = 1")
    conn.execute("insert into plans(id, name, created_at, updated_at) values (1, '旧計画', '2024-01-01T00:00:00+00:00', '2024-01-02T00:00:00+00:00')")
    conn.execute("insert into plan_items(plan_id, service_id, last_name, note, position, added_at) "
                 "values (1, 'nokkar', 'ノッカル', '残すメモ', 0, '2024-01-01T00:00:00+00:00')")
    conn.execute("insert into plan_answers(plan_id, question_id, answer, note, updated_at) values (1, 'ownership', 'municipality', '', 'x')")
    conn.execute("insert into settings(key, value) values ('ui.language', 'ja')")
    conn.close()

    conn2 = userdb.connect(path)
    assert conn2.execute("pragma user_version").fetchone()[0] == len(userdb.MIGRATIONS)
    st = PlanStore(conn2)
    [info] = st.list_plans()
    assert (info.name, info.created_at, info.item_count) == ("旧計画", "2024-01-01T00:00:00+00:00", 1)
    [item] = st.items("旧計画")
    assert (item.service_id, item.last_name, item.note, item.last_field) == ("nokkar", "ノッカル", "残すメモ", "")
    assert st.answers("旧計画")["ownership"].answer == "municipality"
    assert userdb.get_setting(conn2, "ui.language") == "ja"
    cols = {r[1] for r in conn2.execute("pragma table_info(plan_items)")}
    assert "last_field" in cols
    conn2.close()
    # running again is a no-op
    conn3 = userdb.connect(path)
    assert PlanStore(conn3).items("旧計画")[0].note == "残すメモ"
    conn3.close()


def test_migrates_a_v0_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    sqlite3.connect(path).close()  # an empty SQLite file, user_version 0
    conn = userdb.connect(path)
    assert conn.execute("pragma user_version").fetchone()[0] == len(userdb.MIGRATIONS)
    PlanStore(conn).create("新しい計画")
    conn.close()


def test_a_failing_migration_leaves_the_file_at_the_old_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plans.db"
    conn = sqlite3.connect(path, isolation_level=None)
    userdb._m1(conn)
    conn.execute("pragma user_version = 1")
    conn.close()

    def broken(c: sqlite3.Connection) -> None:
        c.execute("alter table plan_items add column half_done text")
        raise RuntimeError("boom")

    monkeypatch.setattr(userdb, "MIGRATIONS", [userdb._m1, broken])
    with pytest.raises(RuntimeError):
        userdb.connect(path)
    check = sqlite3.connect(path)
    assert check.execute("pragma user_version").fetchone()[0] == 1
    assert "half_done" not in {r[1] for r in check.execute("pragma table_info(plan_items)")}, "the migration rolled back"
    check.close()


# -- crash safety ----------------------------------------------------------------------------------

KILL_SCRIPT = """
import sys
from pathlib import Path
from app import userdb
from app.plan.plans import PlanStore
st = PlanStore(userdb.connect(Path(sys.argv[1])))
st.add("p", [f"new-{i}" for i in range(40)], names={f"new-{i}": f"新{i}" for i in range(40)})
print("not killed")
"""


def test_kill_during_save_leaves_the_plan_consistent(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    st, conn = open_store(path)
    st.create("p")
    st.add("p", ["old-1", "old-2", "old-3"])
    conn.close()
    env = dict(os.environ, MACHI_NAVI_KILL_AT="plan-add-mid")
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr
    st2, conn2 = open_store(path)
    assert conn2.execute("pragma integrity_check").fetchone()[0] == "ok"
    items = st2.items("p")
    assert [i.service_id for i in items] == ["old-1", "old-2", "old-3"], "the half-done add was rolled back"
    assert [i.position for i in items] == [0, 1, 2]
    # and the file is still writable
    assert st2.add("p", ["new-1"]) == 1
    conn2.close()


# -- catalog updates -------------------------------------------------------------------------------

def test_entry_that_vanishes_is_shown_as_missing_not_dropped(mini_catalog: Path, tmp_path: Path) -> None:
    add_service(mini_catalog, "delta", name="デルタ交通")
    db = build(mini_catalog, tmp_path / "catalog.db")
    st, _ = open_store(tmp_path / "plans.db")
    st.create("p")
    added, unknown = add_services(st, db, "p", ["alpha", "delta", "ghost"])
    assert (added, unknown) == (2, ["ghost"])
    db.close()
    (mini_catalog / "services" / "transport" / "delta.md").unlink()
    db2 = build(mini_catalog, tmp_path / "catalog2.db")
    rows = resolve_items(st, db2, "p")
    assert [(r.item.service_id, r.missing, r.name, r.field_name) for r in rows] == [
        ("alpha", False, "テストサービスalpha", "公共交通"), ("delta", True, "デルタ交通", "公共交通")]
    assert sync_names(st, db2, "p") == 0
    assert st.items("p")[1].last_name == "デルタ交通", "the missing entry keeps its last known name"
