"""The empty query's results straight from catalog.db, without the search index.

At start-up the window shows these as soon as it has painted, while the index (Whoosh, the
synonyms, the facet tables) opens in the background: the same rows `SearchEngine.search("")`
returns — every service and SCRA node in the index's document order (name, then id), score 0,
the first SNIPPET_CHARS of the description — so the engine's answer later replaces them unchanged.
"""

from __future__ import annotations

import html
from pathlib import Path

from app.catalog import fields as registry
from app.catalog.model import ArchNode
from app.catalog.store import CatalogDB
from app.search.docfacts import arch_label, node_groups
from app.search.hits import Hit
from app.search.snippets import SNIPPET_CHARS


def plain_snippet(text: str, width: int = SNIPPET_CHARS) -> str:
    """A description as the engine shows it when nothing is highlighted: one line, cut to `width`."""
    flat = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return html.escape(flat[:width]) + ("…" if len(flat) > width else "")


def _service_hits(db: CatalogDB, nodes: dict[str, ArchNode]) -> list[Hit]:
    munis: dict[str, list[str]] = {}
    prefs: dict[str, list[str]] = {}
    for sid, muni, pref in db.conn.execute(
            "select service_id, municipality, prefecture from service_municipalities order by service_id, position"):
        munis.setdefault(sid, []).append(muni)
        if pref and pref not in prefs.setdefault(sid, []):
            prefs[sid].append(pref)
    groups: dict[str, list[str]] = {}
    for sid, node_id in db.conn.execute("select service_id, node_id from service_nodes order by service_id, position"):
        if node_id in nodes:
            groups.setdefault(sid, []).extend(node_groups(nodes[node_id], nodes))
    facts = [f.key for f in registry.FACTS]
    cols = ", ".join(f"s.{k}" for k in facts)
    hits = []
    for r in db.conn.execute("select s.id, s.name, s.provider, s.field_id, f.name_ja, s.kind, s.description, "
                             f"s.personal_data, s.data_linkage, {cols} from services s join fields f on f.id = s.field_id"):
        sid, name, provider, field_id, field_name, kind, desc, personal, linkage = r[:9]
        hits.append(Hit(
            id=sid, kind="service", name=name, provider=provider, field=field_name, score=0.0,
            snippet=plain_snippet(desc or ""), name_html=html.escape(name), field_id=field_id, label=kind,
            prefectures=prefs.get(sid, []), municipalities=munis.get(sid, []),
            groups=list(dict.fromkeys(groups.get(sid, []))), personal=personal, type="TYPE2/3" if linkage else "TYPE1",
            facts={k: registry.UNKNOWN if v in (None, "") else str(v) for k, v in zip(facts, r[9:], strict=True)}))
    return hits


def browse_hits(db_path: Path, limit: int) -> tuple[int, list[Hit]]:
    """(how many results, the first `limit` of them) of the empty query, from the catalog.db at `db_path`."""
    with CatalogDB(db_path) as db:
        nodes = db.nodes()
        hits = _service_hits(db, nodes)
    hits += [Hit(id=n.id, kind="architecture", name=n.name_ja, provider="", field="", score=0.0,
                 snippet=plain_snippet(n.description or ""), name_html=html.escape(n.name_ja), label=arch_label(n),
                 groups=node_groups(n, nodes), edition=n.edition) for n in nodes.values()]
    hits.sort(key=lambda h: (h.name, h.id))
    return len(hits), hits[:max(1, int(limit))]
