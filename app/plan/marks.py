"""One reading of a plan's coverage for every place that colours it: plan tiles, node rows, the SCRA figure.

A group is coloured by its share of covered blocks; a block or function by its own status, on the same
scale (app/plan/scale.py). Gap severities roll up: a group holding a critical gap carries the critical
mark even when most of its blocks are covered, so a well-covered tile never hides the plan's worst gap.
Pure data, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.plan.coverage import Coverage, Gap, severity_rank
from app.plan.scale import Band, band_for, status_band


@dataclass(frozen=True)
class NodeMark:
    band: Band
    severity: str | None  # worst gap severity at the node or below it (None: no gap)
    gap: bool  # the node itself is a gap
    gaps: tuple[Gap, ...]  # the gaps at or below the node, heaviest first


def _ancestors(node_id: str) -> list[str]:
    parts = node_id.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def node_marks(cov: Coverage) -> dict[str, NodeMark]:
    """2nd-edition node id → its coverage band and gap marks."""
    gaps_under: dict[str, list[Gap]] = {}
    gap_ids: set[str] = set()
    for g in cov.gaps:
        gap_ids.add(g.node_id)
        gap_ids.update(g.folded)
        for a in _ancestors(g.node_id):
            gaps_under.setdefault(a, []).append(g)
    groups = {g.id: g for g in cov.groups}
    out: dict[str, NodeMark] = {}
    for n in cov.nodes.values():
        band = band_for(groups[n.id].percent) if n.id in groups else status_band(n.status)
        under = sorted(gaps_under.get(n.id, []), key=lambda g: -g.weight)
        worst = max((g.severity for g in under), key=severity_rank, default=None)
        out[n.id] = NodeMark(band, worst, n.id in gap_ids, tuple(under))
    return out


def mapped_mark(marks: dict[str, NodeMark], targets: tuple[str, ...]) -> NodeMark | None:
    """A 1st-edition node's mark through its 2nd-edition targets: the share of them covered, the worst gap."""
    found = [marks[t] for t in targets if t in marks]
    if not found:
        return None
    covered = sum(1 for m in found if m.band.key != "none")
    worst = max((m.severity for m in found if m.severity), key=severity_rank, default=None)
    gaps = tuple(g for m in found for g in m.gaps)
    return NodeMark(band_for(100 * covered / len(found)), worst, all(m.gap for m in found), gaps)
