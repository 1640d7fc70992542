"""SCRA nodes as query chips: a figure click adds `機能:<Japanese name>` to the query, a second click removes it.

Users never see node ids (slugs): the chip carries the node's Japanese name, which the 機能 resolver
(app/search/resolve.py) reads back to the node and its descendants. Reading a query back to the boxes it
filters on accepts ids too (older saved queries and typed ids keep working).
"""

from __future__ import annotations

from collections.abc import Mapping

from app.catalog.model import ArchNode
from app.search.analysis import key
from app.search.query import Query, parse

FIELD = "機能"


def node_value(node: ArchNode) -> str:
    """The chip value for a node: its Japanese name (the resolver maps it back to the node)."""
    return node.name_ja


def _matches(value: str, node: ArchNode) -> bool:
    v = value.strip().strip("/").lower()
    k = key(value)
    return v == node.id or (bool(k) and k in (key(node.name_ja), key(node.name_en)))


def filtered_nodes(query_text: str, nodes: Mapping[str, ArchNode]) -> set[str]:
    """Ids of the nodes the query's positive 機能 filters name (by Japanese/English name or id)."""
    values = [f.value for f in parse(query_text).filters(FIELD)]
    return {n.id for n in nodes.values() if any(_matches(v, n) for v in values)}


def toggle_node(query_text: str, node: ArchNode) -> tuple[str, bool]:
    """The query with the node's chip added (ANDed with the rest), or removed if it is there.

    Returns (new query text, True when the chip was added)."""
    q = parse(query_text)
    terms = [t for t in q.terms() if t.field == FIELD and not t.negated and _matches(t.value, node)]
    if terms:
        for t in reversed(terms):  # later chips first: removing one does not move the earlier ones
            q = q.without(t)
        return q.to_text(), False
    return q.with_filter(FIELD, node_value(node)).to_text(), True


def without_nodes(query: Query) -> Query:
    """The query minus its 機能 chips (what the other boxes are counted against)."""
    return query.without_field(FIELD)
