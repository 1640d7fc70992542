"""Writing catalog.db: its tables, a whole catalog, and one entry's rows (local entries).

The tables and indexes are declared in TABLES and created by the statements sqlite-utils (the
project's SQLite layer) would write for them (schema_sql; a test compares the two); the rows go in
with plain sqlite3, one prepared INSERT per table and executemany, all inside one transaction.
Measured on the bundled catalog (CPU s): rows by executemany 0.05, by sqlite-utils insert_all 0.08
(+0.09 ms per service: ~1 s at 10k entries); importing sqlite-utils and creating the tables with it
0.1 of a ~1 s rebuild. Plain tables with
foreign keys and junction tables, so the file opens in any SQLite tool.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from app import __version__
from app.catalog import fields as registry
from app.catalog.hashing import SCHEMA_VERSION
from app.catalog.model import Catalog, Service, Taxonomy
from app.checkpoint import checkpoint


def fact_columns() -> dict[str, type]:
    """services columns of the registry's facts (a year is an integer, NULL when unknown) and their details."""
    cols: dict[str, type] = {}
    for f in registry.FACTS:
        cols[f.key] = int if f.resolver == "year" else str
        if f.detail:
            cols[f.detail] = str
    return cols


def _fact_row(s: Service) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in registry.FACTS:
        value = s.fact(f.key)
        row[f.key] = (int(value) if value.isdigit() else None) if f.resolver == "year" else value
        if f.detail:
            row[f.detail] = s.facts.get(f.detail, "")
    return row


# name → (columns, primary key, foreign keys (column, table, column)); a table without a primary
# key gets SQLite's rowid only.
TABLES: dict[str, tuple[dict[str, type], tuple[str, ...], tuple[tuple[str, str, str], ...]]] = {
    "meta": ({"key": str, "value": str}, ("key",), ()),
    "fields": ({"id": str, "name_ja": str, "name_en": str, "dir": str, "position": int}, ("id",), ()),
    "sectors": ({"name": str, "name_en": str, "description": str, "position": int}, ("name",), ()),
    "use_fields": ({"name": str, "name_en": str, "sector": str, "position": int}, ("name",), (("sector", "sectors", "name"),)),
    "personal_levels": ({"name": str, "name_en": str, "rank": int, "description": str}, ("name",), ()),
    "types": ({"id": str, "name_ja": str, "name_en": str, "data_linkage": int, "description": str}, ("id",), ()),
    "prefectures": ({"name": str, "position": int}, ("name",), ()),
    "arch_nodes": ({"id": str, "edition": int, "parent": str, "level": str, "axis": str, "name_ja": str, "name_en": str,
                    "description": str, "provenance": str, "source_url": str, "source_note": str, "rationale": str,
                    "position": int}, ("id",), (("parent", "arch_nodes", "id"),)),
    "arch_maps": ({"v1_node": str, "v2_node": str, "rationale": str}, ("v1_node", "v2_node"),
                  (("v1_node", "arch_nodes", "id"), ("v2_node", "arch_nodes", "id"))),
    "services": ({"id": str, "name": str, "name_en": str, "provider": str, "field_id": str, "kind": str,
                  "data_linkage": int, "type": str, "personal_data": str, "description": str, "path": str, "local": int,
                  "pack": str, "publisher": str, **fact_columns()}, ("id",), (("field_id", "fields", "id"), ("personal_data", "personal_levels", "name"))),
    "service_municipalities": ({"service_id": str, "municipality": str, "prefecture": str, "position": int},
                               ("service_id", "municipality"),
                               (("service_id", "services", "id"), ("prefecture", "prefectures", "name"))),
    "service_use_fields": ({"service_id": str, "use_field": str}, ("service_id", "use_field"),
                           (("service_id", "services", "id"), ("use_field", "use_fields", "name"))),
    "service_nodes": ({"service_id": str, "node_id": str, "role": str, "why": str, "origin": str, "position": int},
                      ("service_id", "node_id"), (("service_id", "services", "id"), ("node_id", "arch_nodes", "id"))),
    "sources": ({"id": int, "url": str, "title": str}, ("id",), ()),
    "service_sources": ({"service_id": str, "source_id": int, "seen": str, "took": str, "supports": str, "position": int},
                        ("service_id", "source_id"), (("service_id", "services", "id"), ("source_id", "sources", "id"))),
    "service_unconfirmed": ({"service_id": str, "note": str, "position": int}, (), (("service_id", "services", "id"),)),
    "knowledge": ({"section": str, "position": int, "id": str, "data": str}, ("section", "position"), ()),
}
INDEXES = (("sources", ("url",), True), ("service_nodes", ("node_id",), False), ("service_municipalities", ("prefecture",), False),
           ("services", ("field_id",), False), ("service_use_fields", ("use_field",), False))
SERVICE_TABLES = ("service_municipalities", "service_use_fields", "service_nodes", "service_sources", "service_unconfirmed")


_SQL_TYPES = {str: "TEXT", int: "INTEGER"}


def _quoted(cols: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def schema_sql() -> list[str]:
    """CREATE TABLE / CREATE INDEX statements of TABLES and INDEXES, written exactly as sqlite-utils'
    Table.create and create_index write them (a test compares sqlite_master with theirs): the same
    file for any SQLite tool, without importing sqlite-utils (~0.1 s of a ~1 s rebuild)."""
    out = []
    for name, (cols, pk, fks) in TABLES.items():
        refs = {col: f' REFERENCES "{table}"("{other}")' for col, table, other in fks}
        one = pk[0] if len(pk) == 1 else None
        lines = [f'   "{c}" {_SQL_TYPES[t]}{" PRIMARY KEY" if c == one else ""}{refs.get(c, "")}' for c, t in cols.items()]
        if len(pk) > 1:
            lines.append(f"   PRIMARY KEY ({_quoted(pk)})")
        out.append(f'CREATE TABLE "{name}" (\n' + ",\n".join(lines) + "\n)")
    for table, idx_cols, unique in INDEXES:
        idx = f'idx_{table}_{"_".join(idx_cols)}'
        out.append(f'CREATE {"UNIQUE " if unique else ""}INDEX "{idx}"\n    ON "{table}" ({_quoted(idx_cols)})')
    return out


def create_schema(conn: sqlite3.Connection) -> None:
    for statement in schema_sql():
        conn.execute(statement)


def _value(v: Any) -> Any:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list, tuple)) else v


def insert(conn: sqlite3.Connection, table: str, rows: Iterable[dict[str, Any]], verb: str = "INSERT") -> None:
    cols = list(TABLES[table][0])
    sql = f'{verb} INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
    conn.executemany(sql, ([_value(r.get(c)) for c in cols] for r in rows))


def _fill_taxonomy(conn: sqlite3.Connection, cat: Catalog) -> None:
    tax = cat.taxonomy
    insert(conn, "fields", ({"id": f.id, "name_ja": f.name_ja, "name_en": f.name_en, "dir": f.dir, "position": i}
                            for i, f in enumerate(tax.catalog_fields)))
    insert(conn, "sectors", ({"name": s.get("name_ja"), "name_en": s.get("name_en", ""), "description": s.get("description", ""),
                              "position": i} for i, s in enumerate(tax.sectors)))
    insert(conn, "use_fields", ({"name": u.name, "name_en": u.name_en, "sector": u.sector, "position": i}
                                for i, u in enumerate(tax.use_fields)))
    insert(conn, "personal_levels", ({"name": lv.name, "name_en": lv.name_en, "rank": lv.rank, "description": lv.description}
                                     for lv in tax.personal_levels))
    insert(conn, "types", ({"id": t.get("id"), "name_ja": t.get("name_ja", ""), "name_en": t.get("name_en", ""),
                            "data_linkage": int(bool(t.get("data_linkage"))), "description": t.get("description", "")}
                           for t in tax.types))
    insert(conn, "prefectures", ({"name": p, "position": i} for i, p in enumerate(tax.prefectures)))
    insert(conn, "arch_nodes", ({
        "id": n.id, "edition": n.edition, "parent": n.parent, "level": n.level, "axis": n.axis, "name_ja": n.name_ja,
        "name_en": n.name_en, "description": n.description, "provenance": n.provenance, "source_url": n.source_url,
        "source_note": n.source_note, "rationale": n.rationale, "position": n.position,
    } for n in cat.nodes.values()))
    insert(conn, "arch_maps", ({"v1_node": n.id, "v2_node": t, "rationale": n.rationale}
                               for n in cat.nodes.values() for t in n.maps_to))


def _service_row(s: Service) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "name_en": s.name_en, "provider": s.provider, "field_id": s.field_id,
            "kind": s.kind, "data_linkage": int(s.data_linkage), "type": s.type_label, "personal_data": s.personal_data,
            "description": s.description, "path": s.path, "local": int(s.local), "pack": s.pack, "publisher": s.publisher,
            **_fact_row(s)}


def insert_services(conn: sqlite3.Connection, tax: Taxonomy, services: list[Service], halfway: str = "") -> None:
    """All rows of `services` (which must not be in the database yet), in as few statements as possible."""
    insert(conn, "sources", ({"url": src.url, "title": src.title} for s in services for src in s.sources), "INSERT OR IGNORE")
    urls = list(dict.fromkeys(src.url for s in services for src in s.sources))
    source_ids: dict[str, int] = {}
    for i in range(0, len(urls), 500):  # below SQLite's limit of host parameters
        chunk = urls[i:i + 500]
        source_ids.update(conn.execute(f"SELECT url, id FROM sources WHERE url IN ({','.join('?' * len(chunk))})", chunk))
    rows = [_service_row(s) for s in services]
    half = len(rows) // 2
    insert(conn, "services", rows[:half])
    if halfway:
        checkpoint(halfway)
    insert(conn, "services", rows[half:])
    insert(conn, "service_municipalities", ({"service_id": s.id, "municipality": m, "prefecture": tax.prefecture_of(m), "position": j}
                                            for s in services for j, m in enumerate(dict.fromkeys(s.municipalities))))
    insert(conn, "service_use_fields", ({"service_id": s.id, "use_field": u} for s in services for u in dict.fromkeys(s.use_fields)))
    insert(conn, "service_nodes", ({"service_id": s.id, "node_id": m.node, "role": m.role, "why": m.why, "origin": m.origin,
                                    "position": j} for s in services for j, m in enumerate(s.scra)))
    insert(conn, "service_sources", ({"service_id": s.id, "source_id": source_ids[src.url], "seen": src.seen, "took": src.took,
                                      "supports": ",".join(src.supports), "position": j}
                                     for s in services for j, src in enumerate(s.sources)), "INSERT OR IGNORE")
    insert(conn, "service_unconfirmed", ({"service_id": s.id, "note": n, "position": j}
                                         for s in services for j, n in enumerate(s.unconfirmed)))


def delete_services(conn: sqlite3.Connection, ids: list[str]) -> None:
    """Remove services and their rows (their sources that no other service cites go too)."""
    args = [(i,) for i in ids]
    cited = {r[0] for a in args for r in conn.execute('SELECT source_id FROM "service_sources" WHERE service_id = ?', a)}
    for table in SERVICE_TABLES:
        conn.executemany(f'DELETE FROM "{table}" WHERE service_id = ?', args)
    conn.executemany('DELETE FROM "services" WHERE id = ?', args)
    # only the sources these services cited can have lost their last citation (the whole table
    # against every citation took ~20 ms at 10k entries)
    conn.executemany('DELETE FROM "sources" WHERE id = ? AND NOT EXISTS (SELECT 1 FROM "service_sources" WHERE source_id = ?)',
                     [(c, c) for c in sorted(cited)])


def _knowledge_rows(cat: Catalog) -> list[dict[str, Any]]:
    rows = []
    for section, items in cat.considerations.items():
        if isinstance(items, dict):
            items = [{"id": k, **(v if isinstance(v, dict) else {"items": v})} for k, v in items.items()]
        elif not isinstance(items, list):
            items = [items]
        for i, item in enumerate(items):
            item_id = str(item.get("id", "")) if isinstance(item, dict) else ""
            rows.append({"section": section, "position": i, "id": item_id, "data": json.dumps(item, ensure_ascii=False)})
    return rows


def meta_rows(cat: Catalog, services: int, local_files: dict[str, list[str]] | None = None) -> list[dict[str, str]]:
    """meta of a build: besides the content hash, the bundled catalog's own hash and each local entry
    file's sha256 and service id, so that a later change of local entries alone is applied in place."""
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    return [
        {"key": "bundled_hash", "value": cat.bundled_hash},
        {"key": "local_files", "value": json.dumps(local_files or {}, ensure_ascii=False, sort_keys=True)},
        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
        {"key": "content_hash", "value": cat.content_hash},
        {"key": "built_at", "value": now},
        {"key": "app_version", "value": __version__},
        {"key": "services", "value": str(services)},
        *({"key": k, "value": v} for k, v in (cat.edition.meta() if cat.edition else {}).items()),
    ]


def check_foreign_keys(conn: sqlite3.Connection) -> None:
    problems = conn.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"foreign key check failed: {problems[:5]}")


def write_db(cat: Catalog, path: str | Any, local_files: dict[str, list[str]] | None = None) -> None:
    """A complete catalog.db for `cat` in the new file `path` (one transaction)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = OFF")  # temp file: a crash discards it anyway
        conn.execute("PRAGMA synchronous = OFF")  # fsynced once, whole, before it is installed
        with conn:
            create_schema(conn)
            _fill_taxonomy(conn, cat)
            checkpoint("after-taxonomy")
            insert_services(conn, cat.taxonomy, cat.services, halfway="mid-services")
            insert(conn, "knowledge", _knowledge_rows(cat))
            checkpoint("before-meta")
            insert(conn, "meta", meta_rows(cat, len(cat.services), local_files))
        check_foreign_keys(conn)
        # no VACUUM: a new file written in one transaction has no free pages (the bundled catalog:
        # 365 pages, 362 after a VACUUM that took ~12 ms of the ~1 s rebuild, more at 10k entries)
    finally:
        conn.close()
