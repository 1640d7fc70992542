"""The user's own database (plans.db): plans, answers, saved searches, settings.

It lives in the user data dir, apart from the rebuildable catalog, and is migrated in place:
each migration runs once, inside a transaction, and PRAGMA user_version records how far the
file has come. Never drop user data in a migration.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

from app import paths


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


# Append new migrations at the end; never edit one that has shipped.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m1, _m2, _m3]


class NewerSchemaError(RuntimeError):
    """plans.db was written by a newer version of the app: opening it here could lose data."""

    def __init__(self, path: Path | None, found: int, known: int) -> None:
        where = str(path) if path else "plans.db"
        super().__init__(
            f"{where} was written by a newer version of Machi Navi (schema {found}; this version knows up to {known}). "
            "Update the app to open it; the file was not changed. "
            f"（{where} は新しい版のまちナビで保存されています。アプリを更新してください。ファイルは変更していません）")
        self.path = path
        self.found = found
        self.known = known


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> int:
    """Bring the schema up to date; refuses (NewerSchemaError) a file from a newer app version."""
    version = conn.execute("pragma user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise NewerSchemaError(path, version, len(MIGRATIONS))
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


def connect(path: Path | None = None) -> sqlite3.Connection:
    """Open (creating and migrating as needed) the user's plans.db."""
    path = path or paths.plans_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # autocommit; explicit transactions
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("pragma busy_timeout = 5000")
        version = conn.execute("pragma user_version").fetchone()[0]
        if version > len(MIGRATIONS):  # refuse before anything (even the journal mode) changes the file
            raise NewerSchemaError(path, version, len(MIGRATIONS))
        conn.execute("pragma foreign_keys = on")
        conn.execute("pragma journal_mode = wal")
        migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def utc_now() -> str:
    """Timestamp for rows of the user's database (UTC, seconds, ISO 8601)."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def get_setting(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("select value from settings where key = ?", (key,)).fetchone()
    return row["value"] if row else default


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("insert into settings(key, value) values(?, ?) on conflict(key) do update set value = excluded.value", (key, value))
