"""Facts of an SCRA node as a search document shows them, without Whoosh: its label and its
function groups (shared by the index build and the catalog.db browse list)."""

from __future__ import annotations

from app.catalog.model import ArchNode

LEVEL_JA = {"context": "コンテキスト（層）", "group": "機能群", "block": "機能ブロック", "function": "機能"}


def arch_label(node: ArchNode) -> str:
    return f"SCRA第{node.edition}版 {LEVEL_JA.get(node.level, node.level)}"


def node_groups(node: ArchNode, nodes: dict[str, ArchNode]) -> list[str]:
    """2nd-edition function groups a node belongs to (1st-edition nodes via their group's maps_to)."""
    if node.level == "context":
        return []
    if node.edition == 2:
        return [node.group_id]
    grp = nodes.get(node.group_id)
    targets = grp.maps_to if grp else ()
    return list(dict.fromkeys(nodes[t].group_id for t in targets if t in nodes))
