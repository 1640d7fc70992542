"""Checking new local entries against catalog.db instead of re-reading the whole catalog.

An import used to validate its rows by loading every catalog file again (with the rows as extra
local entries): seconds at thousands of entries. When catalog.db is current for the bundled
catalog and the local entries as they are on disk (its content hash), the same checks need
only the new files, the bundled taxonomy/SCRA/source policy (app.catalog.loader.load_local_entries)
and catalog.db's ids, names and providers for the duplicate rules. A new entry that clashes with
another local entry is refused (a full load would instead keep whichever file name sorts first).
"""

from __future__ import annotations

import json
from pathlib import Path

from app import paths
from app.catalog.hashing import MEMO_FILE, content_hash
from app.catalog.loader import load_local_entries
from app.catalog.model import Problem, Service
from app.catalog.store import connect_ro, current_db, read_meta

CLASH_SQL = ("SELECT id, name, provider, path, local, pack FROM services WHERE id IN (SELECT value FROM json_each(?)) "
             "OR (name, provider) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)) ORDER BY local, path")


def clash_args(services: list[Service]) -> tuple[str, str]:
    """CLASH_SQL's parameters: the rows of catalog.db with an id, or a name and provider, of `services`
    (fetching every row took longer at 10k entries than SQLite's scan for these)."""
    return json.dumps([s.id for s in services]), json.dumps([[s.name, s.provider] for s in services])


def check_new_entries(root: Path, files: list[Path]) -> tuple[list[Problem], set[str]] | None:
    """(problems, ids of the entries that load) for new local entry files, each named <id>.md and
    replacing the local entry of that name; None when catalog.db cannot stand in for a full load."""
    db = current_db(paths.catalog_db_path())
    meta = read_meta(db)
    if not meta or meta.get("content_hash") != content_hash(root, paths.overlay_dir(), paths.packs_dir(), paths.user_dir() / MEMO_FILE):
        return None
    services, problems, _ = load_local_entries(root, files)
    replaced = {f.stem for f in files}
    conn = connect_ro(db)
    try:
        rows = conn.execute(CLASH_SQL, clash_args(services)).fetchall()
    finally:
        conn.close()
    ids: dict[str, str] = {}
    pairs: dict[tuple[str, str], str] = {}
    for sid, name, provider, path, local, pack in rows:
        if local and not pack and Path(path).stem in replaced:  # a pack entry is never replaced by a local one
            continue
        ids.setdefault(sid, path)
        pairs.setdefault((name, provider), path)
    loaded: set[str] = set()
    for s in services:
        if s.id in ids:
            problems.append(Problem(s.path, 2, f"duplicate id {s.id!r} (already used by {ids[s.id]})", "give this entry its own id"))
            continue
        if (s.name, s.provider) in pairs:
            problems.append(Problem(s.path, 2, f"same name and provider as {pairs[(s.name, s.provider)]}",
                                    "merge the two entries or correct one of them"))
            continue
        ids[s.id] = pairs[(s.name, s.provider)] = s.path
        loaded.add(s.id)
    return problems, loaded
