"""Build catalog.db from the loaded catalog (atomically), and read it back.

Plain tables with foreign keys and junction tables for multi-valued facts, so the file opens in
any SQLite tool. The build writes a temp file next to the target and swaps it in with
os.replace (app.fsio): a crash at any point leaves the previous catalog.db intact.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import fsio
from app.catalog import fields as registry
from app.catalog.model import ArchNode, Catalog, Mapping, Service, Source
from app.checkpoint import KILL_ENV, checkpoint  # noqa: F401 - re-exported for the build and its tests


def _facts_of(r: sqlite3.Row) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in registry.FACTS:
        value = r[f.key]
        out[f.key] = registry.UNKNOWN if value in (None, "") else str(value)
        if f.detail and r[f.detail]:
            out[f.detail] = str(r[f.detail])
    return out


def build_db(cat: Catalog, target: Path, local_files: dict[str, list[str]] | None = None) -> Path:
    """Write catalog.db for `cat` to a temp file beside `target`, fsync it, then install it as `target`
    (or as a newer sibling while another process holds `target` open on Windows). Returns the path."""
    from app.catalog.dbwrite import write_db

    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        stale.unlink(missing_ok=True)  # left by a build that was killed
    tmp = fsio.temp_path(target, suffix="")
    try:
        write_db(cat, tmp, local_files)
        fsio.fsync_file(tmp)  # opened for writing: Windows cannot flush a read-only handle
        checkpoint("before-replace")
        return install_db(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# Installing a finished catalog.db. Windows refuses to replace or delete a file another process
# has open (SQLite opens without FILE_SHARE_DELETE), e.g. catalog.db while the GUI runs. Then the
# new file goes beside it as catalog.<time_ns>.db; readers take the newest of the family
# (current_db), and the newest is promoted to catalog.db as soon as nothing holds the old one.

_VERSIONED = re.compile(r"^(?P<stem>.+)\.(?P<n>\d+)(?P<suffix>\.db)$")


def _canonical(path: Path) -> Path:
    m = _VERSIONED.match(path.name)
    return path.with_name(m["stem"] + m["suffix"]) if m else path


def _family(canonical: Path) -> list[Path]:
    """catalog.db and its versioned siblings that exist, newest (by mtime) last."""
    files = [canonical, *canonical.parent.glob(f"{canonical.stem}.*{canonical.suffix}")]
    stamped = []
    for f in files:
        if f == canonical or _VERSIONED.match(f.name):
            try:
                stamped.append((f.stat().st_mtime_ns, f.name != canonical.name, f))
            except OSError:
                continue
    return [f for *_, f in sorted(stamped)]


def install_db(tmp: Path, target: Path) -> Path:
    """Move the finished `tmp` into place as `target`; if `target` is held open by another process
    (Windows), as a newer versioned sibling instead. Returns the path now current."""
    try:
        os.replace(tmp, target)
        _prune(target, keep=target)
        return target
    except PermissionError:
        pass
    versioned = target.with_name(f"{target.stem}.{time.time_ns()}{target.suffix}")
    os.replace(tmp, versioned)
    os.utime(versioned)  # newest of the family by mtime, whatever the copy or build kept
    return versioned


def _prune(canonical: Path, keep: Path) -> None:
    for f in _family(canonical):
        if f != keep and f != canonical:
            try:
                f.unlink()
            except OSError:  # still open somewhere: removed by a later call
                pass


def current_db(path: Path) -> Path:
    """The catalog.db to open: the newest of `path`'s family (catalog.db, catalog.<n>.db); a newer
    versioned file is promoted to catalog.db first when nothing holds either open any more."""
    canonical = _canonical(path)
    family = _family(canonical)
    if not family:
        return canonical
    newest = family[-1]
    if newest != canonical:
        try:
            os.replace(newest, canonical)
            newest = canonical
        except OSError:  # catalog.db (or the newest file) is open in another process: use the newest as is
            pass
    _prune(canonical, keep=newest)
    return newest


class FamilyWatch:
    """current_db(path) for a caller that asks on every search: the folder is scanned again only when
    its mtime changed (a file added, renamed or removed) or a second passed since the last scan."""

    def __init__(self) -> None:
        self._seen, self._scanned = -1, 0.0

    def current(self, path: Path) -> Path:
        try:
            folder = os.stat(path.parent).st_mtime_ns
        except OSError:
            folder = -2
        if folder != self._seen or time.monotonic() - self._scanned > 1.0:
            self._seen, self._scanned = folder, time.monotonic()
            return current_db(path)
        return path


def read_meta(path: Path) -> dict[str, str]:
    """Meta of an existing catalog.db, or {} if it is missing or unreadable."""
    if not path.exists():
        return {}
    try:
        with open_catalog(path) as db:
            return db.meta()
    except sqlite3.Error:
        return {}


def is_healthy(path: Path) -> bool:
    """SQLite's quick_check over every page: catches damaged data pages that leave the header and
    meta readable (a few ms for the bundled catalog)."""
    try:
        conn = connect_ro(path)
        try:
            return [tuple(r) for r in conn.execute("pragma quick_check").fetchall()] == [("ok",)]
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def connect_ro(path: Path) -> sqlite3.Connection:
    """Open catalog.db read-only (one connection type for every reader). The path goes into a
    file: URI, so '%', '?' and '#' (legal in folder names) are percent-encoded; without that a
    data folder such as "C:/Users/Tom#2" would open the wrong file or none."""
    text = str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return sqlite3.connect(f"file:{text}?mode=ro", uri=True, check_same_thread=False)


# ---------------------------------------------------------------------------------------------
# Reading catalog.db back (typed), used by search, plan and the UI.


@dataclass(frozen=True)
class Stats:
    services: int
    per_field: dict[str, int]
    per_node: dict[str, int]
    nodes_by_provenance: dict[str, int]
    with_sources_pct: float
    sources: int
    municipalities: int


class CatalogDB:
    """Read-only access to a built catalog.db."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect_ro(path)
        self.conn.row_factory = sqlite3.Row
        self._nodes: dict[str, ArchNode] | None = None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> CatalogDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.conn.execute("select key, value from meta")}

    def q(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    # -- architecture
    def nodes(self, edition: int | None = None) -> dict[str, ArchNode]:
        if self._nodes is None:
            maps: dict[str, list[str]] = {}
            for r in self.q("select v1_node, v2_node from arch_maps"):
                maps.setdefault(r["v1_node"], []).append(r["v2_node"])
            self._nodes = {
                r["id"]: ArchNode(
                    id=r["id"], edition=r["edition"], level=r["level"], name_ja=r["name_ja"], name_en=r["name_en"],
                    description=r["description"], parent=r["parent"], axis=r["axis"], provenance=r["provenance"],
                    source_url=r["source_url"], source_note=r["source_note"], rationale=r["rationale"],
                    maps_to=tuple(maps.get(r["id"], ())), position=r["position"])
                for r in self.q("select * from arch_nodes order by position")
            }
        if edition is None:
            return self._nodes
        return {k: v for k, v in self._nodes.items() if v.edition == edition}

    def descendants(self, node_id: str) -> list[str]:
        """The node itself and everything below it (ids are path-shaped)."""
        return [n for n in self.nodes() if n == node_id or n.startswith(node_id + "/")]

    # -- services
    def service_ids(self) -> list[str]:
        return [r["id"] for r in self.q("select id from services order by id")]

    def services(self, ids: list[str] | None = None) -> list[Service]:
        if ids is None:
            rows = self.q("select s.*, f.name_ja as field_name from services s join fields f on f.id = s.field_id order by s.id")
        else:
            marks = ",".join("?" * len(ids))
            rows = self.q(f"select s.*, f.name_ja as field_name from services s join fields f on f.id = s.field_id where s.id in ({marks})", tuple(ids))
        by_id = {r["id"]: r for r in rows}
        wanted = list(by_id) if ids is None else [i for i in ids if i in by_id]
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        multi: dict[str, dict[str, list[Any]]] = {i: {"m": [], "p": [], "u": [], "n": [], "s": [], "x": []} for i in wanted}
        for r in self.q(f"select * from service_municipalities where service_id in ({marks}) order by position", tuple(wanted)):
            multi[r["service_id"]]["m"].append(r["municipality"])
            if r["prefecture"] and r["prefecture"] not in multi[r["service_id"]]["p"]:
                multi[r["service_id"]]["p"].append(r["prefecture"])
        for r in self.q(f"select su.*, u.sector from service_use_fields su join use_fields u on u.name = su.use_field where service_id in ({marks}) order by u.position", tuple(wanted)):
            multi[r["service_id"]]["u"].append((r["use_field"], r["sector"]))
        for r in self.q(f"select * from service_nodes where service_id in ({marks}) order by position", tuple(wanted)):
            multi[r["service_id"]]["n"].append(Mapping(r["node_id"], r["role"], r["why"], r["origin"]))
        for r in self.q(f"select ss.*, so.url, so.title from service_sources ss join sources so on so.id = ss.source_id where service_id in ({marks}) order by position", tuple(wanted)):
            supports = tuple(x for x in (r["supports"] or "").split(",") if x)
            multi[r["service_id"]]["s"].append(Source(r["url"], r["seen"], r["title"], r["took"], supports))
        for r in self.q(f"select * from service_unconfirmed where service_id in ({marks}) order by position", tuple(wanted)):
            multi[r["service_id"]]["x"].append(r["note"])
        out = []
        for sid in wanted:
            r, m = by_id[sid], multi[sid]
            out.append(Service(
                id=sid, name=r["name"], provider=r["provider"], field_id=r["field_id"], field_name=r["field_name"],
                kind=r["kind"], description=r["description"], name_en=r["name_en"] or "",
                municipalities=tuple(m["m"]), prefectures=tuple(m["p"]), data_linkage=bool(r["data_linkage"]),
                personal_data=r["personal_data"], use_fields=tuple(u for u, _ in m["u"]),
                sectors=tuple(dict.fromkeys(s for _, s in m["u"])), scra=tuple(m["n"]), sources=tuple(m["s"]),
                unconfirmed=tuple(m["x"]), local=bool(r["local"]), path=r["path"], facts=_facts_of(r),
                **_pack_of(r)))
        return out

    def service(self, service_id: str) -> Service | None:
        found = self.services([service_id])
        return found[0] if found else None

    def services_for_node(self, node_id: str, include_descendants: bool = True) -> list[str]:
        ids = self.descendants(node_id) if include_descendants else [node_id]
        marks = ",".join("?" * len(ids))
        return [r["service_id"] for r in self.q(
            f"select distinct service_id from service_nodes where node_id in ({marks}) order by service_id", tuple(ids))]

    def fields(self) -> list[sqlite3.Row]:
        return self.q("select * from fields order by position")

    def knowledge(self, section: str) -> list[dict[str, Any]]:
        return [json.loads(r["data"]) for r in self.q("select data from knowledge where section = ? order by position", (section,))]

    def stats(self) -> Stats:
        total = self.q("select count(*) from services")[0][0]
        per_field = {r["name_ja"]: r["n"] for r in self.q(
            "select f.name_ja, count(s.id) as n from fields f left join services s on s.field_id = f.id group by f.id order by f.position")}
        per_node = {}
        for node_id, node in self.nodes(2).items():
            if node.level == "context":
                continue
            per_node[node_id] = len(self.services_for_node(node_id))
        prov = {r["provenance"]: r["n"] for r in self.q(
            "select provenance, count(*) as n from arch_nodes where level != 'context' group by provenance")}
        with_src = self.q("select count(distinct service_id) from service_sources")[0][0]
        return Stats(
            services=total, per_field=per_field, per_node=per_node, nodes_by_provenance=prov,
            with_sources_pct=round(100.0 * with_src / total, 1) if total else 0.0,
            sources=self.q("select count(*) from sources")[0][0],
            municipalities=self.q("select count(distinct municipality) from service_municipalities")[0][0],
        )


def _pack_of(r: sqlite3.Row) -> dict[str, str]:
    """The pack and publisher of a service row (a catalog.db of schema 2, e.g. an older edition being diffed, has neither)."""
    keys = r.keys()
    return {k: (r[k] or "") if k in keys else "" for k in ("pack", "publisher")}


@contextmanager
def open_catalog(path: Path) -> Iterator[CatalogDB]:
    db = CatalogDB(path)
    try:
        yield db
    finally:
        db.close()
