"""plans.db is the user's own work: damage is never silently replaced, a newer file is refused,
backups roll, and a read-only folder gives a message instead of a crash."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import paths, userdb
from app.errors import UserError
from app.plan.plans import PlanStore
from tests.conftest import ROOT


def _make_plans(n_plans: int = 3, items: int = 40) -> Path:
    conn = userdb.connect()
    store = PlanStore(conn)
    for p in range(n_plans):
        store.create(f"計画{p}")
        store.add(f"計画{p}", [f"svc-{p}-{i}" for i in range(items)], {f"svc-{p}-{i}": "名前" * 20 for i in range(items)})
        store.set_answer(f"計画{p}", "q1", "はい", "メモ" * 50)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    return paths.plans_db_path()


def _corrupt(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    rng = random.Random(7)
    if how == "zeroed":
        data[:] = bytes(len(data))
    elif how == "truncated":
        del data[len(data) // 2:]
    elif how == "random-pages":
        for p in rng.sample(range(1, len(data) // page), max(1, len(data) // page // 3)):
            data[p * page:(p + 1) * page] = rng.randbytes(page)
    elif how == "one-page":  # a single damaged leaf page near the end of the file
        p = len(data) // page - 2
        data[p * page + 100:(p + 1) * page] = rng.randbytes(page - 100)
    elif how == "header":
        data[:16] = b"not a database!!"
    elif how == "garbage":
        data[:] = rng.randbytes(len(data))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["zeroed", "truncated", "random-pages", "header", "garbage"])
def test_damaged_plans_db_is_set_aside_and_salvaged(how: str) -> None:
    path = _make_plans()
    original = path.read_bytes()
    _corrupt(path, how)
    damaged = path.read_bytes()
    conn = userdb.connect()
    try:
        assert conn.notices and "corrupt-" in conn.notices[0], "the user is told"
        assert PlanStore(conn).list_plans() is not None  # usable again
        conn.execute("insert into saved_searches(name, query, created_at) values('x', 'y', 'z')")  # and writable
    finally:
        conn.close()
    asides = list(path.parent.glob("plans.db.corrupt-*"))
    assert len([a for a in asides if not a.name.endswith(("-wal", "-shm"))]) == 1
    assert [a for a in asides if not a.name.endswith(("-wal", "-shm"))][0].read_bytes() == damaged, "the damaged original is kept"
    assert original != damaged


def test_salvage_keeps_rows_from_undamaged_pages() -> None:
    path = _make_plans(n_plans=3, items=200)
    _corrupt(path, "one-page")
    conn = userdb.connect()
    try:
        store = PlanStore(conn)
        kept = sum(len(store.items(p.name)) for p in store.list_plans())
    finally:
        conn.close()
    assert kept > 0, "rows on undamaged pages come back"


def test_empty_file_is_reported_not_silently_emptied() -> None:
    path = _make_plans()
    path.write_bytes(b"")
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    conn = userdb.connect()
    try:
        assert conn.notices, "a 0-byte plans.db is reported"
    finally:
        conn.close()


def test_newer_schema_is_refused_and_left_unchanged() -> None:
    path = _make_plans()
    raw = sqlite3.connect(path)
    raw.execute("pragma user_version = 99")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(UserError) as err:
        userdb.connect()
    assert "99" in str(err.value) and str(path) in str(err.value)
    assert path.read_bytes() == before


def test_backups_roll_and_restore() -> None:
    path = _make_plans()
    conn = userdb.connect()
    for i in range(userdb.KEEP_BACKUPS + 3):
        userdb.backup(conn, path, reason=f"t{i:02d}")
    conn.close()
    backups = userdb.list_backups()
    assert len(backups) == userdb.KEEP_BACKUPS
    conn = userdb.connect()
    PlanStore(conn).delete("計画0")
    conn.close()
    userdb.restore_backup(backups[0])
    conn = userdb.connect()
    try:
        assert "計画0" in [p.name for p in PlanStore(conn).list_plans()]
    finally:
        conn.close()


def test_migration_takes_a_backup_first() -> None:
    path = paths.plans_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = sqlite3.connect(path)
    raw.execute("pragma user_version = 0")
    userdb.MIGRATIONS[0](raw)
    raw.execute("insert into plans(name, created_at, updated_at) values('旧計画', 'x', 'x')")
    raw.execute("pragma user_version = 1")
    raw.commit()
    raw.close()
    userdb.connect().close()
    assert any("before-v" in b.name for b in userdb.list_backups())


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_gives_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "ro"
    home.mkdir()
    monkeypatch.setenv("MACHI_NAVI_HOME", str(home))
    home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(UserError):
            userdb.connect()
    finally:
        home.chmod(stat.S_IRWXU)


def test_damaged_plans_db_cli_says_so_without_traceback() -> None:
    path = _make_plans()
    _corrupt(path, "header")
    proc = subprocess.run([sys.executable, "-m", "app", "plan", "list"], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, cwd=ROOT, timeout=120)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert "corrupt-" in out, out
