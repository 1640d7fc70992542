"""Fill suggestions for a plan's gaps: which catalog services would cover an uncovered SCRA node, and why.

A service is a candidate for a gap only when its own mapping (written on its entry, or its field's
default from field-defaults.yaml) names the gap's node or a node below it; a mapping of the parent
block does not count (it would cover the function only by inheritance, which says nothing about the
function itself). Candidates are ranked by how directly they cover the gap — provides before uses,
an entry's own mapping before a field default — then by how well they fit the gap and the plan: for
a shared function (security, linkage, data) a service that links data with others, then a service
whose first (main) mapping is the gap, then same field and same municipality, then by how many gaps
they would close. Every suggestion carries its reason in full, naming the nodes it covers
and the mapping's rationale. No Qt here; coverage.py calls `rank`.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingT
from collections.abc import Sequence
from dataclasses import dataclass

from app.catalog.model import Service

# Functions shared by every service of a city OS: the SCRA's pillar groups (axis "pillar") and the
# data-management layer. A candidate that links data with other systems fits such a gap better than
# one whose mapping only describes its own, closed feature (an app limiting who may join it).
SHARED_LAYER_GROUPS = ("data-management",)


@dataclass(frozen=True)
class NodeMap:
    """One own mapping of a candidate inside the gap's subtree."""

    node: str
    role: str  # provides | uses
    origin: str  # entry | default
    why: str


@dataclass(frozen=True)
class Suggestion:
    service_id: str
    name: str
    field_name: str
    same_field: bool
    provides: bool  # provides (rather than only uses) the gap node or a node below it
    fills: tuple[str, ...]  # current gaps that adding it would close
    raises: tuple[str, ...]  # remaining gaps whose severity would rise (new critical needs)
    covers: tuple[str, ...] = ()  # the gap's node or nodes below it that the service maps itself
    origin: str = "entry"  # entry: its own entry maps the node; default: only its field's default does
    primary: bool = False  # the entry's first mapping (what the service mainly is) covers the gap
    same_municipalities: tuple[str, ...] = ()  # municipalities that adopted it and a plan service
    linkage_fit: bool = False  # links data with others, for a shared (pillar / data) function
    reason_ja: str = ""
    reason_en: str = ""

    @property
    def net(self) -> int:
        return len(self.fills) - len(self.raises)

    @property
    def directness(self) -> int:
        """0 best: provides by entry, provides by field default, uses by entry, uses by field default."""
        return (0 if self.provides else 2) + (0 if self.origin == "entry" else 1)

    @property
    def fit(self) -> int:
        return int(self.same_field) + int(bool(self.same_municipalities)) + int(self.linkage_fit)

    def sort_key(self) -> tuple[int, bool, bool, int, int, int, str]:
        # a shared function is best filled by a service that serves the others (links data), then by
        # one that mainly is that function, then by one close to the plan (field, municipality)
        near = int(self.same_field) + int(bool(self.same_municipalities))
        return (self.directness, not self.linkage_fit, not self.primary, -near, -self.net, len(self.raises), self.service_id)


def in_subtree(node_id: str, root: str) -> bool:
    return node_id == root or node_id.startswith(root + "/")


def own_maps(svc: Service, gap_node: str) -> list[NodeMap]:
    """The service's own mappings (entry or field default) on `gap_node` or below it."""
    return [NodeMap(m.node, m.role, m.origin, m.why) for m in svc.scra if in_subtree(m.node, gap_node)]


def is_shared(gap_node: str, pillar_groups: frozenset[str]) -> bool:
    group = gap_node.split("/")[0]
    return group in pillar_groups or group in SHARED_LAYER_GROUPS


@dataclass(frozen=True)
class PlanContext:
    """What the ranking needs to know about the plan."""

    fields: frozenset[str]  # field ids of its services
    municipalities: frozenset[str]
    pillar_groups: frozenset[str]  # SCRA 2nd-ed. groups with axis "pillar"
    node_names: MappingT[str, tuple[str, str]]  # node id → (ja, en)


def make_suggestion(svc: Service, gap_node: str, ctx: PlanContext, fills: tuple[str, ...],
                    raises: tuple[str, ...]) -> Suggestion | None:
    """The suggestion of `svc` for `gap_node`, or None when no own mapping of it covers the node."""
    maps = own_maps(svc, gap_node)
    if not maps:
        return None
    provides = any(m.role == "provides" for m in maps)
    best = [m for m in maps if (m.role == "provides") == provides]
    origin = "entry" if any(m.origin == "entry" for m in best) else "default"
    best = [m for m in best if m.origin == origin]
    first = svc.scra[0] if svc.scra else None
    primary = first is not None and first.origin == "entry" and in_subtree(first.node, gap_node)
    shared_munis = tuple(m for m in svc.municipalities if m in ctx.municipalities)
    s = Suggestion(svc.id, svc.name, svc.field_name, svc.field_id in ctx.fields, provides, fills, raises,
                   covers=tuple(m.node for m in best), origin=origin, primary=primary, same_municipalities=shared_munis,
                   linkage_fit=svc.data_linkage and is_shared(gap_node, ctx.pillar_groups))
    ja, en = _reason(s, best, ctx)
    return Suggestion(**{**s.__dict__, "reason_ja": ja, "reason_en": en})


def _names(ids: Sequence[str], ctx: PlanContext, en: bool) -> str:
    names = [ctx.node_names.get(i, (i, i))[1 if en else 0] for i in ids]
    return ", ".join(names) if en else "、".join(f"「{n}」" for n in names)


def _reason(s: Suggestion, maps: list[NodeMap], ctx: PlanContext) -> tuple[str, str]:
    """The full reason: what it covers and how (with the mapping's rationale), how it fits, what it closes."""
    verb_ja = "提供する" if s.provides else "利用する（提供はしない）"
    verb_en = "provides" if s.provides else "uses (does not provide)"
    basis_ja = "エントリの対応付け" if s.origin == "entry" else "分野の既定の対応付け"
    basis_en = "its entry's mapping" if s.origin == "entry" else "its field's default mapping"
    why = "／".join(dict.fromkeys(m.why for m in maps if m.why))
    main_ja, main_en = ("主な機能として", "as its main function ") if s.primary else ("", "")
    ja = [f"{_names(s.covers, ctx, False)}を{main_ja}{verb_ja}（{basis_ja}" + (f": {why}" if why else "") + "）。"]
    en = [f"{s.name} {verb_en} {_names(s.covers, ctx, True)} {main_en}({basis_en}" + (f": {why}" if why else "") + ")."]
    if s.same_field:
        ja.append(f"計画と同じ分野（{s.field_name}）。")
        en.append(f"Same field as the plan ({s.field_name}).")
    if s.same_municipalities:
        ja.append(f"計画のサービスと同じ自治体で導入（{'、'.join(s.same_municipalities)}）。")
        en.append(f"Adopted where the plan's services are ({', '.join(s.same_municipalities)}).")
    if s.linkage_fit:
        ja.append("データ連携ありで、共通の機能として他のサービスとつなげられる。")
        en.append("It links data, so it can serve the other services as a shared function.")
    if s.fills:
        ja.append(f"追加すると{len(s.fills)}件のギャップが埋まる: {_names(s.fills, ctx, False)}。")
        en.append(f"Adding it closes {len(s.fills)} gap(s): {_names(s.fills, ctx, True)}.")
    if s.raises:
        ja.append(f"ただし{len(s.raises)}件のギャップの重要度が上がる: {_names(s.raises, ctx, False)}。")
        en.append(f"It makes {len(s.raises)} gap(s) more urgent: {_names(s.raises, ctx, True)}.")
    return "".join(ja), " ".join(en)


def rank(suggestions: list[Suggestion], limit: int) -> list[Suggestion]:
    return sorted(suggestions, key=Suggestion.sort_key)[:limit]
