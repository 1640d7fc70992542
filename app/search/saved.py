"""Saved searches in the user's plans.db (table saved_searches(name, query, created_at))."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.search.query import parse
from app.userdb import utc_now


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    created_at: str


def save(conn: sqlite3.Connection, name: str, text: str) -> SavedSearch:
    """Save (or overwrite) a search under `name`; the query is stored as canonical text."""
    name = name.strip()
    if not name:
        raise ValueError("a saved search needs a name / 名前を入力してください")
    canonical = parse(text).to_text()
    now = utc_now()
    conn.execute(
        "insert into saved_searches(name, query, created_at) values(?, ?, ?) "
        "on conflict(name) do update set query = excluded.query, created_at = excluded.created_at",
        (name, canonical, now))
    return SavedSearch(name, canonical, now)


def list_saved(conn: sqlite3.Connection) -> list[SavedSearch]:
    """All saved searches, by name."""
    rows = conn.execute("select name, query, created_at from saved_searches order by name").fetchall()
    return [SavedSearch(r[0], r[1], r[2]) for r in rows]


def get(conn: sqlite3.Connection, name: str) -> SavedSearch | None:
    row = conn.execute("select name, query, created_at from saved_searches where name = ?", (name,)).fetchone()
    return SavedSearch(row[0], row[1], row[2]) if row else None


def delete(conn: sqlite3.Connection, name: str) -> bool:
    """Delete a saved search; True if it existed."""
    cur = conn.execute("delete from saved_searches where name = ?", (name,))
    return cur.rowcount > 0
