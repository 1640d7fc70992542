"""The user's own database (plans.db): plans, answers, saved searches, settings.

It lives in the user data dir, apart from the rebuildable catalog, and is migrated in place:
each migration runs once, inside a transaction, and PRAGMA user_version records how far the
file has come. Never drop user data in a migration.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from app import paths
from app.checkpoint import checkpoint
from app.errors import UserError, from_os_error, from_sqlite_error


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's transaction early."""
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            conn.execute(buf)
            buf = ""
    if buf.strip():
        conn.execute(buf)


def _m1(conn: sqlite3.Connection) -> None:
    _script(conn,
        """
        create table plans (
            id integer primary key,
            name text not null unique,
            created_at text not null,
            updated_at text not null
        );
        create table plan_items (
            plan_id integer not null references plans(id) on delete cascade,
            service_id text not null,           -- stable catalog id; may vanish from the catalog
            last_name text not null default '', -- last known name, shown when the entry vanished
            note text not null default '',
            position integer not null default 0,
            added_at text not null,
            primary key (plan_id, service_id)
        );
        create table plan_answers (
            plan_id integer not null references plans(id) on delete cascade,
            question_id text not null,
            answer text not null default '',
            note text not null default '',
            updated_at text not null,
            primary key (plan_id, question_id)
        );
        create table saved_searches (
            name text primary key,
            query text not null,
            created_at text not null
        );
        create table settings (
            key text primary key,
            value text not null
        );
        """
    )


def _m2(conn: sqlite3.Connection) -> None:
    """Plans: remember each item's last known field (shown for entries that vanished), order index."""
    conn.execute("alter table plan_items add column last_field text not null default ''")
    conn.execute("create index if not exists plan_items_order on plan_items(plan_id, position)")


def _m3(conn: sqlite3.Connection) -> None:
    """Plans: each item's baseline, the catalog entry as it was when added (edition, fingerprint and
    the normalised record as JSON), so a plan can show what changed since (app.plan.changes)."""
    for col in ("added_edition", "added_fingerprint", "added_record"):
        conn.execute(f"alter table plan_items add column {col} text not null default ''")


def _m4(conn: sqlite3.Connection) -> None:
    """Plans: the municipality and author a report's cover names (empty until the officer fills them)."""
    for col in ("municipality", "author"):
        conn.execute(f"alter table plans add column {col} text not null default ''")


# Append new migrations at the end; never edit one that has shipped.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m1, _m2, _m3, _m4]


KEEP_BACKUPS = 5  # rolling copies of plans.db in <data>/backups/


class UserConnection(sqlite3.Connection):
    """A plans.db connection that carries what happened while opening it (recovery, backups)."""

    notices: list[str]


class NewerSchemaError(UserError):
    """plans.db was written by a newer version of the app: opening it here could lose data."""

    def __init__(self, path: Path | None, found: int, known: int) -> None:
        super().__init__(f"新しい版のまちナビで保存された計画ファイルです（形式 {found}、この版は {known} まで）",
                         f"written by a newer version of Machi Navi (schema {found}; this version knows up to {known})",
                         path or Path("plans.db"), "アプリを更新してください。ファイルは変更していません",
                         "Update the app to open it; the file was not changed")
        self.found = found
        self.known = known


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> int:
    version = conn.execute("pragma user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise NewerSchemaError(path, version, len(MIGRATIONS))
    if path is not None and 0 < version < len(MIGRATIONS):
        backup(conn, path, reason=f"before-v{len(MIGRATIONS)}")
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("begin immediate")
        try:
            step(conn)
            conn.execute(f"pragma user_version = {number}")
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
    return len(MIGRATIONS)


def backups_dir(path: Path | None = None) -> Path:
    return (path or paths.plans_db_path()).parent / "backups"


def list_backups(path: Path | None = None) -> list[Path]:
    """Backups of plans.db, newest first."""
    folder = backups_dir(path)
    return sorted(folder.glob("plans-*.db"), key=lambda p: p.name, reverse=True) if folder.is_dir() else []


def backup(conn: sqlite3.Connection, path: Path, reason: str = "daily") -> Path | None:
    """Copy the open database with SQLite's online backup (consistent even while in use); keep the newest few."""
    folder = backups_dir(path)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"plans-{stamp}-{reason}.db"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(target)
        try:
            conn.backup(dest)
        finally:
            dest.close()
    except (OSError, sqlite3.Error):  # a backup must never stop the user from working
        return None
    for old in list_backups(path)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
    return target


def _daily_backup(conn: sqlite3.Connection, path: Path) -> None:
    newest = list_backups(path)
    today = _dt.datetime.now().strftime("%Y%m%d")
    if conn.execute("select count(*) from plans").fetchone()[0] and not (newest and newest[0].name[6:14] == today):
        backup(conn, path)


def _quick_check(conn: sqlite3.Connection) -> bool:
    try:
        rows = conn.execute("pragma quick_check").fetchall()
        return [tuple(r) for r in rows] == [("ok",)]
    except sqlite3.DatabaseError:
        return False


def _salvage(src: Path, dest: Path) -> dict[str, int]:
    """Copy every readable row of the known tables from a damaged file into a fresh, migrated one.

    Reads row by row in rowid order and skips over unreadable ranges, so one bad page loses only the
    rows on it. Portable: no sqlite3 command-line tool is needed (Windows has none).
    """
    counts: dict[str, int] = {}
    fresh = _open(dest)
    try:
        migrate(fresh)
        try:
            old = sqlite3.connect(f"file:{src.as_posix()}?mode=ro", uri=True)
        except sqlite3.Error:
            return counts
        try:
            for table in ("plans", "plan_items", "plan_answers", "saved_searches", "settings"):
                counts[table] = _copy_table(old, fresh, table)
        finally:
            old.close()
    finally:
        fresh.close()
    return counts


def _copy_table(old: sqlite3.Connection, fresh: sqlite3.Connection, table: str) -> int:
    try:
        cols = [r[1] for r in old.execute(f"pragma table_info({table})")]
        have = {r[1] for r in fresh.execute(f"pragma table_info({table})")}
        cols = [c for c in cols if c in have]
        top = old.execute(f"select max(rowid) from {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        return 0
    copied, rowid = 0, 0
    sql = f"insert or ignore into {table} ({', '.join(cols)}) values ({', '.join('?' * len(cols))})"
    while rowid <= top:
        try:
            row = old.execute(f"select rowid, {', '.join(cols)} from {table} where rowid >= ? order by rowid limit 1",
                              (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            rowid += 1  # unreadable: step over it
            continue
        if row is None:
            break
        try:
            fresh.execute(sql, tuple(row[1:]))
            copied += 1
        except sqlite3.Error:
            pass
        rowid = row[0] + 1
    return copied


def _set_aside(path: Path) -> Path:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    shutil.copy2(path, aside)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            shutil.copy2(side, aside.with_name(aside.name + suffix))
    return aside


def recover(path: Path) -> list[str]:
    """plans.db is damaged: keep the original aside, salvage what can be read into a new file, say what."""
    aside = _set_aside(path)
    salvaged = path.with_name(f".{path.name}.recovered")
    salvaged.unlink(missing_ok=True)
    counts = _salvage(aside, salvaged)
    checkpoint("recover-before-replace")  # crash-test hook: the damaged file and its copy aside both survive
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(salvaged, path)
    got = f"計画 {counts.get('plans', 0)} 件、項目 {counts.get('plan_items', 0)} 件、回答 {counts.get('plan_answers', 0)} 件"
    got_en = f"{counts.get('plans', 0)} plans, {counts.get('plan_items', 0)} items, {counts.get('plan_answers', 0)} answers"
    return [f"計画ファイル {path} が壊れていたため、元のファイルを {aside.name} として残し、読めた内容（{got}）を復元しました。"
            f"バックアップからの復元もできます。 / plans.db was damaged: the original was kept as {aside.name} and what could be "
            f"read ({got_en}) was recovered. You can also restore a backup."]


def _open(path: Path) -> UserConnection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=UserConnection)  # autocommit
    conn.notices = []
    conn.row_factory = sqlite3.Row
    conn.execute("pragma foreign_keys = on")
    conn.execute("pragma busy_timeout = 5000")
    return conn


def connect(path: Path | None = None) -> UserConnection:
    """Open (creating, checking and migrating as needed) the user's plans.db.

    A damaged file is never silently replaced: it is copied aside and its readable rows are salvaged
    (`conn.notices` says so). A file from a newer version is refused. Raises UserError for what the
    user can fix (read-only folder, full disk, locked, too new).
    """
    path = path or paths.plans_db_path()
    notices: list[str] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size == 0:
            notices += recover(path)  # an emptied file lost its plans: keep evidence, start clean, say so
        conn = _open(path)
        try:
            damaged = not _quick_check(conn)
        except sqlite3.DatabaseError:
            damaged = True
        if damaged:
            conn.close()
            notices += recover(path)
            conn = _open(path)
        version = conn.execute("pragma user_version").fetchone()[0]
        if version > len(MIGRATIONS):  # refuse before anything (even the journal mode) changes the file
            conn.close()
            raise NewerSchemaError(path, version, len(MIGRATIONS))
        conn.execute("pragma journal_mode = wal")
        migrate(conn, path)
        _daily_backup(conn, path)
    except UserError:
        raise
    except sqlite3.Error as exc:
        raise from_sqlite_error(exc, path) from None
    except OSError as exc:
        raise from_os_error(exc, path) from None
    conn.notices = notices
    return conn


def restore_backup(backup_path: Path, path: Path | None = None) -> Path:
    """Replace plans.db with a backup; the current file is backed up first. Returns that safety copy."""
    path = path or paths.plans_db_path()
    src = sqlite3.connect(f"file:{backup_path.as_posix()}?mode=ro", uri=True)
    try:
        if not _quick_check(src):
            raise UserError("バックアップが壊れています", "the backup is damaged", backup_path, "別のバックアップを選んでください",
                            "choose another backup")
        current = connect(path)
        try:
            safety = backup(current, path, reason="before-restore")
            src.backup(current)
        finally:
            current.close()
    finally:
        src.close()
    return safety or path


def utc_now() -> str:
    """Timestamp for rows of the user's database (UTC, seconds, ISO 8601)."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def get_setting(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("select value from settings where key = ?", (key,)).fetchone()
    return row["value"] if row else default


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("insert into settings(key, value) values(?, ?) on conflict(key) do update set value = excluded.value", (key, value))
