"""Catalog entries per SCRA node for a set of search results (the live SCRA figure's counts).

A node counts the services mapped to it or to anything below it; a 1st-edition node counts through its
`maps_to` links to the 2nd edition (None when it has none). Pure data: the figure asks with the ids of the
current result, so its numbers follow the query and facets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.catalog.model import ArchNode
from app.catalog.store import CatalogDB


@dataclass(frozen=True)
class NodeServices:
    """node id → the services under it (itself and descendants; 1st ed. through maps_to)."""

    under: dict[str, frozenset[str]]
    unmapped: frozenset[str]  # 1st-edition nodes without a 2nd-edition mapping (count None)

    def counts(self, service_ids: Iterable[str] | None = None) -> dict[str, int | None]:
        """Entries per node among `service_ids` (None: the whole catalog)."""
        out: dict[str, int | None] = {n: None for n in self.unmapped}
        if service_ids is None:
            out.update({n: len(s) for n, s in self.under.items()})
            return out
        wanted = frozenset(service_ids)
        out.update({n: len(s & wanted) for n, s in self.under.items()})
        return out


def node_services(db: CatalogDB) -> NodeServices:
    """Build the node → services index from one read of the mapping table."""
    nodes: dict[str, ArchNode] = db.nodes()
    direct: dict[str, set[str]] = {}
    for row in db.q("select service_id, node_id from service_nodes"):
        direct.setdefault(row["node_id"], set()).add(row["service_id"])
    under: dict[str, set[str]] = {}
    for nid, services in direct.items():
        parts = nid.split("/")
        for i in range(1, len(parts) + 1):  # ids are path-shaped: a/b/c counts for a/b and a
            under.setdefault("/".join(parts[:i]), set()).update(services)
    out: dict[str, frozenset[str]] = {}
    unmapped: set[str] = set()
    for n in nodes.values():
        if n.level == "context":
            continue
        if n.edition == 2:
            out[n.id] = frozenset(under.get(n.id, ()))
        elif n.maps_to:
            out[n.id] = frozenset(s for t in n.maps_to for s in under.get(t, ()))
        else:
            unmapped.add(n.id)
    return NodeServices(out, frozenset(unmapped))
