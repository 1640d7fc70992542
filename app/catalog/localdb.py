"""Applying changed local entries to catalog.db in place of a full rebuild.

catalog.db's meta records the bundled catalog's own hash and, per local entry file, its sha256
and service id (app.catalog.dbwrite.meta_rows). When the bundled hash is unchanged, only the
local files that were added, changed or removed need work: `plan_local_update` names them, and
`update_db` writes a copy of catalog.db with those services' rows replaced and installs it the
way a full build does (temp file, fsync, atomic replace), so a crash leaves the previous file.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app import fsio
from app.catalog.dbwrite import delete_services, insert, insert_services, meta_rows
from app.catalog.hashing import SCHEMA_VERSION
from app.catalog.model import Catalog, Service, Taxonomy
from app.checkpoint import checkpoint

LocalFiles = dict[str, list[str]]  # file name → [sha256, service id]


@dataclass
class LocalPlan:
    """What changed among the local entries since catalog.db was built."""

    changed: list[str] = field(default_factory=list)  # file names added or edited
    removed: list[str] = field(default_factory=list)  # file names gone
    old_ids: dict[str, str] = field(default_factory=dict)  # file name → service id in catalog.db
    digests: dict[str, str] = field(default_factory=dict)  # file name → sha256 now

    @property
    def replaced_ids(self) -> set[str]:
        return {self.old_ids[n] for n in self.changed + self.removed if n in self.old_ids}


def plan_local_update(meta: dict[str, str], bundled_hash: str, digests: dict[str, str]) -> LocalPlan | None:
    """The local entry files to apply, or None when catalog.db needs a full build (another bundled
    catalog or schema, or a catalog.db without the record of its local files)."""
    if meta.get("schema_version") != str(SCHEMA_VERSION) or not bundled_hash or meta.get("bundled_hash") != bundled_hash:
        return None
    try:
        built: LocalFiles = json.loads(meta["local_files"])
    except (KeyError, ValueError):
        return None
    if not isinstance(built, dict) or not all(isinstance(v, list) and len(v) == 2 for v in built.values()):
        return None
    plan = LocalPlan(old_ids={n: str(v[1]) for n, v in built.items()}, digests=digests)
    plan.changed = sorted(n for n, sha in digests.items() if built.get(n, [None])[0] != sha)
    plan.removed = sorted(set(built) - set(digests))
    return plan


def conflicts(db_path: Path, services: list[Service], replaced: set[str]) -> bool:
    """True if a new entry's id, or its name and provider, is taken by a service that stays (a full
    build then reports it and moves the entry to quarantine), or two new entries share them."""
    ids = [s.id for s in services]
    pairs = [(s.name, s.provider) for s in services]
    if len(set(ids)) < len(ids) or len(set(pairs)) < len(pairs):
        return True
    from app.catalog.importcheck import CLASH_SQL, clash_args
    from app.catalog.store import connect_ro

    conn = connect_ro(db_path)
    try:
        rows = conn.execute(CLASH_SQL, clash_args(services)).fetchall()
    finally:
        conn.close()
    kept = [(i, n, p) for i, n, p, *_ in rows if i not in replaced]
    return bool({i for i, _, _ in kept} & set(ids)) or bool({(n, p) for _, n, p in kept} & set(pairs))


def local_files_of(services: list[Service], digests: dict[str, str]) -> LocalFiles:
    """The meta record of the local entries a build took in (digests taken before reading them)."""
    return {Path(s.path).name: [digests[Path(s.path).name], s.id] for s in services
            if s.local and not s.pack and Path(s.path).name in digests}  # pack entries are local too: not files of the overlay


def update_db(db_path: Path, target: Path, tax: Taxonomy, cat: Catalog, plan: LocalPlan, services: list[Service],
              local_files: LocalFiles, before_install: Callable[[Path], object] | None = None) -> Path:
    """Copy catalog.db, replace the changed local services in the copy and install it as `target`
    (app.catalog.store.install_db). `cat` carries the new content hashes (no services needed);
    `before_install(copy)` runs on the finished copy (the search index is updated from it first)."""
    from app.catalog.store import install_db

    tmp = fsio.temp_path(target, suffix="")
    try:
        shutil.copyfile(db_path, tmp)
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            with conn:
                delete_services(conn, sorted(plan.replaced_ids | {s.id for s in services}))
                insert_services(conn, tax, services)
                count = conn.execute("SELECT count(*) FROM services").fetchone()[0]
                keep = {"schema_version", "content_hash", "built_at", "app_version", "services", "bundled_hash", "local_files"}
                edition = [r for r in conn.execute("SELECT key, value FROM meta") if r[0] not in keep]
                conn.execute("DELETE FROM meta")
                insert(conn, "meta", [*meta_rows(cat, count, local_files), *({"key": k, "value": v} for k, v in edition)])
            # no PRAGMA foreign_key_check of the whole file (50 ms at 10k entries): the rows above were
            # written with foreign_keys ON and immediate constraints, so a dangling reference failed there
        finally:
            conn.close()
        fsio.fsync_file(tmp)
        if before_install is not None:
            before_install(tmp)
        checkpoint("local-db-before-replace")
        return install_db(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
