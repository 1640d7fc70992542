"""Map a plan's services onto the SCRA 2nd edition: coverage per node and group, weighted gaps, fills.

A node is covered when a selected service provides or uses it or anything below it. A function is
also covered (inherited) when a service maps its parent block directly. Group coverage is the share
of its blocks that are covered. Gaps are the uncovered blocks (and uncovered functions of covered
blocks); their severity comes from the `gap_rules` knowledge section (data, not code), evaluated
against the plan's services and the officer's recorded answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.catalog.model import ArchNode, Service
from app.catalog.store import CatalogDB
from app.plan.plans import Answer, PlanStore
from app.plan.suggest import PlanContext, Suggestion, make_suggestion, rank

__all__ = ["Coverage", "Gap", "GapReason", "NodeCoverage", "Suggestion", "compute_coverage", "plan_coverage"]

SEVERITIES = ("normal", "important", "critical")  # ascending
SEVERITY_JA = {"normal": "通常", "important": "重要", "critical": "重大"}
SEVERITY_EN = {"normal": "normal", "important": "important", "critical": "critical"}


def severity_rank(name: str) -> int:
    return SEVERITIES.index(name) if name in SEVERITIES else 0


@dataclass(frozen=True)
class NodeCoverage:
    id: str
    name_ja: str
    name_en: str
    level: str  # group | block | function
    parent: str | None
    group_id: str
    provided_by: tuple[str, ...] = ()
    used_by: tuple[str, ...] = ()
    inherited_from_parent: tuple[str, ...] = ()  # functions: services mapping the parent block directly

    @property
    def covered_by(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.provided_by + self.used_by))

    @property
    def covered(self) -> bool:
        return bool(self.provided_by or self.used_by or self.inherited_from_parent)

    @property
    def status(self) -> str:
        if self.provided_by:
            return "provided"
        if self.used_by:
            return "used"
        if self.inherited_from_parent:
            return "inherited"
        return "none"


@dataclass(frozen=True)
class GroupCoverage:
    id: str
    name_ja: str
    name_en: str
    axis: str
    blocks_total: int
    blocks_covered: int
    services: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.blocks_covered / self.blocks_total if self.blocks_total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)


@dataclass(frozen=True)
class GapReason:
    rule_id: str
    severity: str
    text_ja: str
    text_en: str
    services: tuple[str, ...]  # the plan services that trigger the rule (empty for plan-wide conditions)


@dataclass(frozen=True)
class Gap:
    node_id: str
    name_ja: str
    name_en: str
    level: str
    group_id: str
    severity: str
    reasons: tuple[GapReason, ...] = ()
    folded: tuple[str, ...] = ()  # uncovered functions listed under this block gap

    @property
    def severity_ja(self) -> str:
        return SEVERITY_JA.get(self.severity, self.severity)

    @property
    def weight(self) -> int:
        return severity_rank(self.severity) * 1000 + len({s for r in self.reasons for s in r.services})


@dataclass
class Coverage:
    service_ids: list[str]  # present in the catalog, plan order
    missing_ids: list[str]  # in the plan but gone from the catalog
    services: dict[str, Service]
    nodes: dict[str, NodeCoverage]  # group → block → function, catalog order
    groups: list[GroupCoverage]
    gaps: list[Gap]  # heaviest first
    suggestions: dict[str, list[Suggestion]] = field(default_factory=dict)
    rules_applied: list[str] = field(default_factory=list)

    @property
    def total_blocks(self) -> int:
        return sum(g.blocks_total for g in self.groups)

    @property
    def covered_blocks(self) -> int:
        return sum(g.blocks_covered for g in self.groups)

    @property
    def percent(self) -> int:
        return round(100 * self.covered_blocks / self.total_blocks) if self.total_blocks else 0

    def matrix(self) -> list[tuple[str, dict[str, list[tuple[str, str]]]]]:
        """Services × function groups: for each service, group id → [(node id, role)] it maps there."""
        out = []
        for sid in self.service_ids:
            cells: dict[str, list[tuple[str, str]]] = {g.id: [] for g in self.groups}
            for m in self.services[sid].scra:
                node = self.nodes.get(m.node)
                if node is not None:
                    cells.setdefault(node.group_id, []).append((m.node, m.role))
            out.append((sid, cells))
        return out

    def unprovided(self) -> list[str]:
        """Blocks the plan's services use but none provides (the plan depends on something outside it)."""
        return [n.id for n in self.nodes.values() if n.level == "block" and n.used_by and not n.provided_by]


# -- rules ----------------------------------------------------------------------------------------

def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def _level_rank(db: CatalogDB) -> dict[str, int]:
    return {r["name"]: int(r["rank"]) for r in db.q("select name, rank from personal_levels")}


def evaluate_rules(rules: list[dict[str, Any]], services: list[Service], answers: Mapping[str, Answer | str],
                   level_rank: Mapping[str, int]) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
    """The rules whose `when` holds for the plan, each with the services that trigger it."""
    out: list[tuple[dict[str, Any], tuple[str, ...]]] = []
    for rule in rules:
        when = rule.get("when") or {}
        if not isinstance(when, dict):
            continue
        ok = True
        triggers: set[str] | None = None  # None: plan-wide condition only

        def narrow(ids: Iterable[str]) -> None:
            nonlocal triggers, ok
            ids = set(ids)
            triggers = ids if triggers is None else triggers & ids
            if not ids:
                ok = False

        for key, want in when.items():
            if key == "data_linkage":
                narrow(s.id for s in services if s.data_linkage == bool(want))
            elif key == "personal_data_min":
                need = level_rank.get(str(want), 99)
                narrow(s.id for s in services if level_rank.get(s.personal_data, -1) >= need)
            elif key == "use_fields_any":
                wanted = set(_as_list(want))
                narrow(s.id for s in services if wanted & set(s.use_fields))
            elif key == "sectors_any":
                wanted = set(_as_list(want))
                narrow(s.id for s in services if wanted & set(s.sectors))
            elif key == "fields_any":
                wanted = set(_as_list(want))
                narrow(s.id for s in services if s.field_id in wanted or s.field_name in wanted)
            elif key == "min_services":
                ok = ok and len(services) >= int(want)
            elif key == "min_sectors":
                ok = ok and len({x for s in services for x in s.sectors}) >= int(want)
            elif key == "answers":
                for qid, value in (want or {}).items():
                    got = answers.get(str(qid))
                    got_value = got.answer if isinstance(got, Answer) else got
                    if got_value not in _as_list(value):
                        ok = False
            else:
                ok = False  # unknown condition: never fire silently on a typo
            if not ok:
                break
        if ok:
            out.append((rule, tuple(sorted(triggers or ()))))
    return out


HELD_PLACEHOLDERS = {"{use_fields}": "use_fields_any", "{sectors}": "sectors_any"}


def _labels(db: CatalogDB) -> dict[str, str]:
    """Japanese → English names of use fields and sectors (for the English reasons)."""
    return {r["name"]: r["name_en"] for t in ("use_fields", "sectors") for r in db.q(f"select name, name_en from {t}")}


def fill_reasons(fired: list[tuple[dict[str, Any], tuple[str, ...]]], services: list[Service],
                 labels: Mapping[str, str]) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
    """Fill {use_fields} / {sectors} in fired rules' reasons with what the plan's services really hold
    (those that trigger the rule, and only values the rule asks for), so a reason never names a field
    or sector the plan does not have."""
    by_id = {s.id: s for s in services}
    out = []
    for rule, trig in fired:
        ja, en = str(rule.get("reason_ja", "")), str(rule.get("reason_en", ""))
        holders = [by_id[t] for t in trig if t in by_id] or services
        for mark, cond in HELD_PLACEHOLDERS.items():
            if mark not in ja and mark not in en:
                continue
            wanted = _as_list((rule.get("when") or {}).get(cond))
            held = [v for v in dict.fromkeys(x for s in holders for x in getattr(s, cond.removesuffix("_any")))
                    if not wanted or v in wanted]
            ja = ja.replace(mark, "・".join(held))
            en = en.replace(mark, ", ".join(labels.get(v, v) for v in held))
        out.append(({**rule, "reason_ja": ja, "reason_en": en}, trig))
    return out


def _rule_matches_node(rule: dict[str, Any], node_id: str) -> bool:
    return any(node_id == n or node_id.startswith(n + "/") for n in _as_list(rule.get("nodes")))


# -- computation ----------------------------------------------------------------------------------

def _tree(db: CatalogDB) -> list[ArchNode]:
    return [n for n in db.nodes(2).values() if n.level in ("group", "block", "function")]


def _node_coverage(tree: list[ArchNode], services: list[Service]) -> dict[str, NodeCoverage]:
    provided: dict[str, list[str]] = {}
    used: dict[str, list[str]] = {}
    direct: dict[str, list[str]] = {}
    for s in services:
        for m in s.scra:
            direct.setdefault(m.node, []).append(s.id)
            # credit the node and all its ancestors
            parts = m.node.split("/")
            for i in range(1, len(parts) + 1):
                target = provided if m.role == "provides" else used
                lst = target.setdefault("/".join(parts[:i]), [])
                if s.id not in lst:
                    lst.append(s.id)
    out: dict[str, NodeCoverage] = {}
    for n in tree:
        inherited: tuple[str, ...] = ()
        if n.level == "function" and n.parent:
            inherited = tuple(dict.fromkeys(direct.get(n.parent, [])))
        out[n.id] = NodeCoverage(
            id=n.id, name_ja=n.name_ja, name_en=n.name_en, level=n.level, parent=n.parent, group_id=n.group_id,
            provided_by=tuple(provided.get(n.id, [])), used_by=tuple(s for s in used.get(n.id, []) if s not in provided.get(n.id, [])),
            inherited_from_parent=inherited)
    return out


def _groups(tree: list[ArchNode], nodes: dict[str, NodeCoverage]) -> list[GroupCoverage]:
    out = []
    for g in tree:
        if g.level != "group":
            continue
        blocks = [n for n in nodes.values() if n.level == "block" and n.parent == g.id]
        out.append(GroupCoverage(
            id=g.id, name_ja=g.name_ja, name_en=g.name_en, axis=g.axis or "", blocks_total=len(blocks),
            blocks_covered=sum(1 for b in blocks if b.covered), services=nodes[g.id].covered_by))
    return out


def _gap_nodes(nodes: dict[str, NodeCoverage]) -> list[tuple[NodeCoverage, tuple[str, ...]]]:
    """Uncovered blocks (with their uncovered functions folded in) and uncovered functions of covered blocks."""
    out = []
    for n in nodes.values():
        if n.covered:
            continue
        if n.level == "block":
            folded = tuple(f.id for f in nodes.values() if f.parent == n.id and not f.covered)
            out.append((n, folded))
        elif n.level == "function" and n.parent in nodes and nodes[n.parent].covered:
            out.append((n, ()))
    return out


def _severities(gap_nodes: list[tuple[NodeCoverage, tuple[str, ...]]],
                fired: list[tuple[dict[str, Any], tuple[str, ...]]]) -> dict[str, tuple[str, tuple[GapReason, ...]]]:
    out: dict[str, tuple[str, tuple[GapReason, ...]]] = {}
    for n, folded in gap_nodes:
        reasons: list[GapReason] = []
        for rule, trig in fired:
            if any(_rule_matches_node(rule, x) for x in (n.id, *folded)):
                reasons.append(GapReason(str(rule.get("id", "")), str(rule.get("severity", "normal")),
                                         str(rule.get("reason_ja", "")), str(rule.get("reason_en", "")), trig))
        sev = max((r.severity for r in reasons), key=severity_rank, default="normal")
        reasons.sort(key=lambda r: -severity_rank(r.severity))
        out[n.id] = (sev, tuple(reasons))
    return out


def compute_coverage(db: CatalogDB, service_ids: Iterable[str], answers: Mapping[str, Answer | str] | None = None,
                     with_suggestions: bool = True, max_suggestions: int = 5) -> Coverage:
    """Coverage, gaps and (optionally) ranked fill suggestions for a set of catalog service ids."""
    ids = list(dict.fromkeys(service_ids))
    answers = answers or {}
    found = {s.id: s for s in db.services(ids)} if ids else {}
    present = [i for i in ids if i in found]
    services = [found[i] for i in present]
    tree = _tree(db)
    rules = [r for r in db.knowledge("gap_rules") if isinstance(r, dict)]
    ranks = _level_rank(db)

    nodes = _node_coverage(tree, services)
    groups = _groups(tree, nodes)
    gap_nodes = _gap_nodes(nodes)
    fired = fill_reasons(evaluate_rules(rules, services, answers, ranks), services, _labels(db))
    sev = _severities(gap_nodes, fired)
    order = {n.id: i for i, n in enumerate(tree)}
    gaps = [Gap(n.id, n.name_ja, n.name_en, n.level, n.group_id, sev[n.id][0], sev[n.id][1], folded) for n, folded in gap_nodes]
    gaps.sort(key=lambda g: (-g.weight, order.get(g.node_id, 0)))
    cov = Coverage(service_ids=present, missing_ids=[i for i in ids if i not in found], services=found, nodes=nodes,
                   groups=groups, gaps=gaps, rules_applied=[str(r.get("id", "")) for r, _ in fired])
    if with_suggestions and gaps:
        cov.suggestions = _suggest(db, cov, tree, rules, answers, ranks, max_suggestions)
    return cov


def _suggest(db: CatalogDB, cov: Coverage, tree: list[ArchNode], rules: list[dict[str, Any]],
             answers: Mapping[str, Answer | str], ranks: Mapping[str, int], limit: int) -> dict[str, list[Suggestion]]:
    """Per gap, the catalog services whose own mapping covers its node (app.plan.suggest ranks them)."""
    plan_services = [cov.services[i] for i in cov.service_ids]
    in_plan = set(cov.service_ids) | set(cov.missing_ids)
    gap_sev = {g.node_id: g.severity for g in cov.gaps}
    gap_ids = set(gap_sev)
    labels = _labels(db)
    # who maps what (catalog-wide, entry rows and field defaults alike), straight from the junction table
    mapped: set[str] = set()
    for r in db.q("select service_id, node_id from service_nodes"):
        if r["service_id"] not in in_plan and any(r["node_id"] == g or r["node_id"].startswith(g + "/") for g in gap_ids):
            mapped.add(r["service_id"])
    # an ended service cannot be adopted any more
    cands = {s.id: s for s in db.services(sorted(mapped)) if s.fact("status") != "ended"} if mapped else {}
    effect: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for sid, svc in cands.items():
        trial = plan_services + [svc]
        t_gaps = _gap_nodes(_node_coverage(tree, trial))
        t_sev = _severities(t_gaps, fill_reasons(evaluate_rules(rules, trial, answers, ranks), trial, labels))
        still = {n.id for n, _ in t_gaps}
        fills = tuple(g for g in gap_sev if g not in still)
        raises = tuple(n for n in t_sev if severity_rank(t_sev[n][0]) > severity_rank(gap_sev.get(n, "normal")) or
                       (n not in gap_ids and t_sev[n][0] != "normal"))
        effect[sid] = (fills, raises)
    ctx = PlanContext(fields=frozenset(s.field_id for s in plan_services),
                      municipalities=frozenset(m for s in plan_services for m in s.municipalities),
                      pillar_groups=frozenset(n.id for n in tree if n.level == "group" and n.axis == "pillar"),
                      node_names={n.id: (n.name_ja, n.name_en) for n in tree})
    out: dict[str, list[Suggestion]] = {}
    for g in cov.gaps:
        sugg = [x for sid, svc in cands.items() if (x := make_suggestion(svc, g.node_id, ctx, *effect[sid])) is not None]
        out[g.node_id] = rank(sugg, limit)
    return out


def plan_coverage(store: PlanStore, db: CatalogDB, name: str, with_suggestions: bool = True,
                  max_suggestions: int = 5) -> Coverage:
    return compute_coverage(db, store.service_ids(name), store.answers(name), with_suggestions, max_suggestions)


def coverage_json(cov: Coverage) -> dict[str, Any]:
    """Plain data for `plan coverage --json` (nodes, groups, gaps, suggestions)."""
    return {
        "percent": cov.percent,
        "nodes": [{"id": n.id, "name_ja": n.name_ja, "name_en": n.name_en, "level": n.level, "parent": n.parent,
                   "status": n.status, "covered_by": list(n.covered_by), "provided_by": list(n.provided_by),
                   "used_by": list(n.used_by), "inherited_from_parent": list(n.inherited_from_parent)}
                  for n in cov.nodes.values()],
        "groups": [{"id": g.id, "name_ja": g.name_ja, "axis": g.axis, "blocks_total": g.blocks_total,
                    "blocks_covered": g.blocks_covered, "percent": g.percent, "services": list(g.services)} for g in cov.groups],
        "gaps": [g.node_id for g in cov.gaps],
        "gap_details": [{"node": g.node_id, "name_ja": g.name_ja, "level": g.level, "severity": g.severity,
                         "folded": list(g.folded),
                         "reasons": [{"rule": r.rule_id, "severity": r.severity, "text_ja": r.text_ja, "services": list(r.services)}
                                     for r in g.reasons]} for g in cov.gaps],
        "suggestions": {k: [s.service_id for s in v] for k, v in cov.suggestions.items()},
        "suggestion_details": {k: [{"id": s.service_id, "name": s.name, "field": s.field_name, "same_field": s.same_field,
                                    "provides": s.provides, "origin": s.origin, "covers": list(s.covers),
                                    "fills": list(s.fills), "raises": list(s.raises), "reason_ja": s.reason_ja,
                                    "reason_en": s.reason_en} for s in v]
                               for k, v in cov.suggestions.items()},
        "unprovided": cov.unprovided(),
        "rules_applied": cov.rules_applied,
    }
