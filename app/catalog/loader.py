"""Read catalog_data/ into the typed model, validating as it goes.

Every problem becomes a `Problem(path, line, message, fix)`. A broken file is reported and
skipped; everything else still loads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.catalog import fields as registry
from app.catalog.edition import read_edition
from app.catalog.entry import ENTRY_KEYS, ID_RE, EntryContext, _supports, check_entry, check_mapping, is_http_url  # noqa: F401 - re-exported
from app.catalog.hashing import SCHEMA_VERSION, catalog_files, content_hash  # noqa: F401 - re-exported
from app.catalog.model import (
    LEVELS,
    ArchNode,
    Catalog,
    CatalogField,
    Level,
    Mapping,
    Problem,
    Service,
    Taxonomy,
    UseField,
)
from app.catalog.packstore import InstalledPack, installed_packs
from app.catalog.policy import load_policy
from app.catalog.yamlio import Lines, ReadError, load_yaml_file, parse_yaml, read_text, split_front_matter

NODE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")


def read_facts(data: dict[str, Any], line_of: Callable[..., int], report: Callable[[int, str, str], None]) -> dict[str, str]:
    """The registry facts of one entry (app/catalog/fields.py: since, lgwan, ismap, pricing, status and
    their details), checked; a missing key is 'unknown'. Every known fact needs a source whose
    `supports:` names it, and every `supports:` item must be a fact key."""
    facts: dict[str, str] = {}
    for f in registry.FACTS:
        facts[f.key], problem, fix = f.read(data.get(f.key))
        if problem:
            report(line_of(f.key), problem, fix)
        if f.detail and data.get(f.detail) is not None:
            detail, problem, fix = f.read_detail(data[f.detail], facts[f.key])
            if problem:
                report(line_of(f.detail), problem, fix)
            elif detail:
                facts[f.detail] = detail
    supported: set[str] = set()
    for i, src in enumerate(data["sources"] if isinstance(data.get("sources"), list) else []):
        for item in _supports(src.get("supports") if isinstance(src, dict) else None):
            if item not in registry.BY_KEY or not registry.BY_KEY[item].fact:
                keys = ", ".join(f.key for f in registry.FACTS)
                report(line_of("sources", i, "supports"), f"supports names unknown fact {item!r}", f"use fact keys: {keys}")
            supported.add(item)
    for f in registry.FACTS:
        if facts[f.key] != registry.UNKNOWN and f.key not in supported:
            report(line_of(f.key), f"{f.key}: {facts[f.key]} is not supported by any source",
                   f"add supports: [{f.key}] to the source that states it, or leave {f.key} out (unknown)")
    return facts


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def problem(self, path: str, line: int, message: str, fix: str = "", severity: str = "error") -> None:
        self.problems.append(Problem(path, line, message, fix, severity))

    # -- taxonomy ---------------------------------------------------------------------------
    def taxonomy(self) -> Taxonomy:
        path = self.root / "taxonomy.yaml"
        disp = _rel(path, self.root)
        data, lines = load_yaml_file(path, disp, self.problems)
        tax = Taxonomy()
        if not isinstance(data, dict):
            if data is not None:
                self.problem(disp, 1, "taxonomy must be a mapping of lists", "see catalog_data/README.md")
            return tax
        for i, f in enumerate(self._list(data, "catalog_fields", disp, lines)):
            if self._need(f, ("id", "name_ja"), disp, lines.get(("catalog_fields", i), 1)):
                tax.catalog_fields.append(CatalogField(str(f["id"]), str(f.get("dir", f["id"])), str(f["name_ja"]), str(f.get("name_en", ""))))
        tax.sectors = [s for s in self._list(data, "sectors", disp, lines) if isinstance(s, dict)]
        sector_names = {str(s.get("name_ja")) for s in tax.sectors}
        for i, u in enumerate(self._list(data, "use_fields", disp, lines)):
            line = lines.get(("use_fields", i), 1)
            if self._need(u, ("name", "sector"), disp, line):
                if u["sector"] not in sector_names:
                    self.problem(disp, line, f"use field {u['name']!r} has unknown sector {u['sector']!r}", f"use one of {sorted(sector_names)}")
                tax.use_fields.append(UseField(str(u["name"]), str(u.get("name_en", "")), str(u["sector"])))
        tax.types = [t for t in self._list(data, "types", disp, lines) if isinstance(t, dict)]
        for i, lv in enumerate(self._list(data, "personal_data_levels", disp, lines)):
            if self._need(lv, ("name", "rank"), disp, lines.get(("personal_data_levels", i), 1)):
                tax.personal_levels.append(Level(str(lv["name"]), str(lv.get("name_en", "")), int(lv["rank"]), str(lv.get("description", ""))))
        tax.prefectures = [str(p) for p in self._list(data, "prefectures", disp, lines)]
        return tax

    def _list(self, data: dict[str, Any], key: str, disp: str, lines: Lines) -> list[Any]:
        value = data.get(key)
        if value is None:
            self.problem(disp, 1, f"missing list {key!r}", f"add '{key}:' with its entries")
            return []
        if not isinstance(value, list):
            self.problem(disp, lines.get((key,), 1), f"{key!r} must be a list", "write each item on a '- ' line")
            return []
        return value

    def _need(self, item: Any, keys: tuple[str, ...], disp: str, line: int) -> bool:
        if not isinstance(item, dict):
            self.problem(disp, line, "item must be a mapping", "write it as 'key: value' pairs")
            return False
        missing = [k for k in keys if item.get(k) in (None, "")]
        if missing:
            self.problem(disp, line, f"missing {', '.join(missing)}", "fill in the missing keys")
            return False
        return True

    # -- architecture -----------------------------------------------------------------------
    def architecture(self) -> dict[str, ArchNode]:
        nodes: dict[str, ArchNode] = {}
        for name, edition in (("scra-2.yaml", 2), ("scra-1.yaml", 1)):
            path = self.root / "architecture" / name
            if not path.exists():
                self.problem(_rel(path, self.root), 1, "SCRA file is missing", "restore it from the bundled catalog")
                continue
            disp = _rel(path, self.root)
            data, lines = load_yaml_file(path, disp, self.problems)
            if data is None and any(p.path == disp for p in self.problems):
                continue  # unreadable: already reported
            if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not data["nodes"]:
                self.problem(disp, 1, "SCRA file must be a mapping with a non-empty 'nodes:' list", "restore it from the bundled catalog")
                continue
            if not isinstance(data.get("context") or [], list):
                self.problem(disp, lines.get(("context",), 1), "'context' must be a list", "write each context layer on a '- ' line")
                data["context"] = []
            position = 0
            if edition == 2:
                for i, raw in enumerate(data.get("context") or []):
                    node = self._node(raw, ("context", i), lines, disp, edition, None, position, context=True)
                    if node:
                        position += 1
                        self._add_node(nodes, node, disp)
            stack = [(raw, ("nodes", i), None) for i, raw in enumerate(data.get("nodes") or [])]
            while stack:
                raw, lpath, parent = stack.pop(0)
                node = self._node(raw, lpath, lines, disp, edition, parent, position)
                if not node:
                    continue
                position += 1
                self._add_node(nodes, node, disp)
                children = raw.get("children") or []
                if not isinstance(children, list):
                    self.problem(disp, lines.get(lpath + ("children",), 1), "'children' must be a list", "write each child on a '- ' line")
                    continue
                stack[0:0] = [(c, lpath + ("children", j), node.id) for j, c in enumerate(children)]
        for node in nodes.values():
            for target in node.maps_to:
                if target not in nodes or nodes[target].edition != 2:
                    self.problem(node.path, node.line, f"maps_to names unknown 2nd-edition node {target!r}", "use an id from scra-2.yaml")
            node.maps_to = tuple(t for t in node.maps_to if t in nodes)
        return nodes

    def _add_node(self, nodes: dict[str, ArchNode], node: ArchNode, disp: str) -> None:
        if node.id in nodes:
            self.problem(disp, node.line, f"duplicate node id {node.id!r}", "give every node its own id")
        else:
            nodes[node.id] = node

    def _node(self, raw: Any, lpath: tuple[Any, ...], lines: Lines, disp: str, edition: int,
              parent: str | None, position: int, context: bool = False) -> ArchNode | None:
        line = lines.get(lpath, 1)
        if not self._need(raw, ("id", "name_ja"), disp, line):
            return None
        node_id = str(raw["id"])
        if not NODE_ID_RE.match(node_id):
            self.problem(disp, line, f"bad node id {node_id!r}", "use lower-case a-z, 0-9, '-' and '/'")
            return None
        if parent and not node_id.startswith(parent + "/"):
            self.problem(disp, line, f"node id {node_id!r} does not start with its parent's id {parent!r}/", f"rename it to {parent}/<slug>")
            return None
        level = "context" if context else str(raw.get("level", ""))
        if level not in LEVELS:
            self.problem(disp, line, f"unknown level {level!r}", f"use one of {', '.join(LEVELS[1:])}")
            return None
        prov = str(raw.get("provenance", ""))
        source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
        if prov == "source":
            if not is_http_url(source.get("url")):
                self.problem(disp, line, f"node {node_id!r} has provenance 'source' but no http(s) source url", "add source: {url: https://…} or mark it editorial with a rationale")
                prov = "editorial"
        elif prov == "editorial":
            if not str(raw.get("rationale", "")).strip():
                self.problem(disp, line, f"editorial node {node_id!r} has no rationale", "add rationale: why we structured it this way", "warning")
        else:
            self.problem(disp, line, f"node {node_id!r} needs provenance 'source' or 'editorial'", "add provenance: source (+ source url) or editorial (+ rationale)")
            prov = "editorial"
        maps_to = raw.get("maps_to") or []
        return ArchNode(
            id=node_id, edition=edition, level=level, name_ja=str(raw["name_ja"]),
            name_en=str(raw.get("name_en", "")), description=str(raw.get("description", "")).strip(),
            parent=parent, axis=raw.get("axis"), provenance=prov,
            source_url=str(source.get("url", "")), source_note=str(source.get("note", "")),
            rationale=str(raw.get("rationale") or raw.get("maps_rationale") or "").strip(),
            maps_to=tuple(str(m) for m in maps_to) if isinstance(maps_to, list) else (),
            position=position, path=disp, line=line,
        )

    # -- field defaults and knowledge -------------------------------------------------------
    def field_defaults(self, tax: Taxonomy, nodes: dict[str, ArchNode]) -> dict[str, list[Mapping]]:
        path = self.root / "architecture" / "field-defaults.yaml"
        disp = _rel(path, self.root)
        if not path.exists():
            return {}
        data, lines = load_yaml_file(path, disp, self.problems)
        out: dict[str, list[Mapping]] = {}
        if not isinstance(data, dict):
            return out
        for key, rows in data.items():
            fld = tax.field_by_any(str(key))
            if fld is None:
                self.problem(disp, lines.get((key,), 1), f"unknown catalog field {key!r}", "use a field id from taxonomy.yaml")
                continue
            if rows is not None and not isinstance(rows, list):
                self.problem(disp, lines.get((key,), 1), f"defaults of {key!r} must be a list of {{node, role, why}}", "write one '- node: …' row per node")
                continue
            out[fld.id] = self._mappings(rows or [], (key,), lines, disp, nodes, origin="default")
        return out

    def considerations(self, nodes: dict[str, ArchNode] | None = None) -> dict[str, Any]:
        path = self.root / "knowledge" / "considerations.yaml"
        if not path.exists():
            return {}
        disp = _rel(path, self.root)
        data, lines = load_yaml_file(path, disp, self.problems)
        if data is not None and not isinstance(data, dict):
            self.problem(disp, 1, "considerations must be a mapping", "see catalog_data/README.md")
            return {}
        data = data or {}
        if nodes is not None and "gap_rules" in data:
            data["gap_rules"] = self._gap_rules(data["gap_rules"], lines, disp, nodes)
        return data

    def _gap_rules(self, rules: Any, lines: Lines, disp: str, nodes: dict[str, ArchNode]) -> list[dict[str, Any]]:
        """Rules the plan code can evaluate: a mapping with known node ids and a known severity."""
        if not isinstance(rules, list):
            self.problem(disp, lines.get(("gap_rules",), 1), "gap_rules must be a list", "write one '- id: …' rule per item")
            return []
        good = []
        for i, rule in enumerate(rules):
            line = lines.get(("gap_rules", i), 1)
            if not isinstance(rule, dict) or not isinstance(rule.get("when", {}), dict):
                self.problem(disp, line, "a gap rule must be a mapping with when:, nodes: and severity:", "see the comment above gap_rules")
                continue
            ids = rule.get("nodes")
            ids = ids if isinstance(ids, list) else [ids]
            unknown = [n for n in ids if not isinstance(n, str) or n not in nodes]
            if unknown:
                self.problem(disp, lines.get(("gap_rules", i, "nodes"), line), f"unknown SCRA node(s) {unknown!r} in gap rule",
                             "use node ids from architecture/scra-2.yaml")
                continue
            if rule.get("severity") not in ("critical", "important"):
                self.problem(disp, lines.get(("gap_rules", i, "severity"), line), f"unknown severity {rule.get('severity')!r}",
                             "write severity: critical or severity: important")
                continue
            marks = {m for k in ("reason_ja", "reason_en") for m in re.findall(r"\{[^{}]*\}", str(rule.get(k, "")))}
            if marks - {"{use_fields}", "{sectors}"}:
                self.problem(disp, line, f"unknown placeholder(s) {sorted(marks - {'{use_fields}', '{sectors}'})} in gap rule reason",
                             "use {use_fields} or {sectors}")
                continue
            good.append(rule)
        return good

    def _mappings(self, rows: list[Any], lpath: tuple[Any, ...], lines: Lines, disp: str,
                  nodes: dict[str, ArchNode], origin: str) -> list[Mapping]:
        """Read scra rows; a node listed twice is an error here, not a UNIQUE failure in the build."""
        out: list[Mapping] = []
        first: dict[str, int] = {}
        for i, row in enumerate(rows):
            m = self._mapping(row, lpath + (i,), lines, disp, nodes, origin)
            if m is None:
                continue
            line = lines.get(lpath + (i,), 1)
            if m.node in first:
                self.problem(disp, line, f"SCRA node {m.node!r} is listed twice (first on line {first[m.node]})",
                             "keep one row per node; choose provides if the service provides it")
                continue
            first[m.node] = line
            out.append(m)
        return out

    def _mapping(self, row: Any, lpath: tuple[Any, ...], lines: Lines, disp: str,
                 nodes: dict[str, ArchNode], origin: str) -> Mapping | None:
        return check_mapping(row, lpath, lines, disp, EntryContext(Taxonomy(), nodes), self.problems, origin)

    # -- services ---------------------------------------------------------------------------
    def service_file(self, path: Path, disp: str, ctx: EntryContext, local: bool) -> Service | None:
        """Read one entry file; its front matter is checked against app.catalog.entry.ENTRY_KEYS."""
        try:
            text = read_text(path)
            yaml_text, body, body_line = split_front_matter(text)
            data, lines = parse_yaml(yaml_text, offset=1)
        except ReadError as err:
            self.problem(disp, err.line, err.message, err.fix)
            return None
        values, problems = check_entry(data, disp, lines, ctx)
        if isinstance(data, dict):  # the registry's facts (since, lgwan, …): checked with their provenance
            values["facts"] = read_facts(data, lambda *key: lines.get(key, 2),
                                         lambda line, msg, fix: problems.append(Problem(disp, line, msg, fix)))
        self.problems += problems
        description = body.strip()
        if not description:
            self.problem(disp, body_line, "description is empty", "write 2–5 sentences below the closing '---'")
        if not description or any(p.severity == "error" for p in problems):
            return None
        return build_service(values, description, ctx, local, disp)

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def entry_context(root: Path) -> EntryContext:
    """What entries of the catalog at `root` are checked against (for validate_entry without a full load)."""
    reader = _Reader(root)
    tax = reader.taxonomy()
    nodes = reader.architecture()
    return EntryContext(tax, nodes, reader.field_defaults(tax, nodes))


def build_service(values: dict[str, Any], description: str, ctx: EntryContext, local: bool, disp: str) -> Service:
    """The Service for checked entry values (check_entry without errors): stored keys as they are,
    plus what follows from them (field, prefectures, sectors, SCRA rows merged with the field defaults)."""
    tax = ctx.taxonomy
    fld = tax.field_by_any(values["field"])
    assert fld is not None, "check_entry reports an unknown field"
    own = values["scra"]
    mapped = {m.node for m in own}
    defaults = ctx.defaults.get(fld.id, []) if values["scra_defaults"] else []
    stored = {k.service_attr: values[k.name] for k in ENTRY_KEYS if k.service_attr}
    return Service(
        **stored, field_id=fld.id, field_name=fld.name_ja, description=description,
        prefectures=_unique(p for p in map(tax.prefecture_of, values["municipalities"]) if p),
        sectors=_unique(s for s in map(tax.sector_of, values["use_fields"]) if s),
        scra=tuple(own) + tuple(d for d in defaults if d.node not in mapped), local=local, path=disp,
        facts=values.get("facts", {}),
    )


def _unique(items: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def load_catalog(root: Path, overlay: Path | None = None, packs: Path | None = None) -> Catalog:
    """Read and validate everything below `root` (and the entries of the packs installed in `packs`
    and the user's local entries in `overlay`). Bundled entries come first: a pack entry or a local
    entry can never take the place of a bundled one."""
    reader = _Reader(root)
    if not root.is_dir():
        reader.problem(str(root), 1, "catalog folder not found", "point to a folder that holds taxonomy.yaml and services/")
        return Catalog(Taxonomy(), {}, [], {}, {}, reader.problems)
    tax = reader.taxonomy()
    nodes = reader.architecture()
    defaults = reader.field_defaults(tax, nodes)
    ctx = EntryContext(tax, nodes, defaults)
    considerations = reader.considerations(nodes)
    policy = load_policy(root, reader.problems)
    services: list[Service] = []
    seen_ids: dict[str, str] = {}
    seen_pairs: dict[tuple[str, str], str] = {}
    entry_files: list[tuple[Path, bool, InstalledPack | None]] = [(p, False, None) for p in sorted((root / "services").rglob("*.md"))]
    for pack in installed_packs(packs) if packs else []:
        entry_files += [(pack.entries_dir / f"{sid}.md", True, pack) for sid in pack.entry_ids]
    if overlay and overlay.is_dir():
        entry_files += [(p, True, None) for p in sorted(overlay.glob("*.md"))]
    for path, local, pack in entry_files:
        disp = path.as_posix() if local else _rel(path, root)
        svc = reader.service_file(path, disp, ctx, local)
        if svc is None:
            continue
        if pack is not None:
            if svc.id != path.stem:
                reader.problem(disp, 2, f"id {svc.id!r} differs from the file name {path.name!r}", "name each pack entry <id>.md")
                continue
            svc.pack, svc.publisher = pack.name, pack.publisher if pack.verified else f"{pack.publisher} (未検証 / unverified)"
        weak = policy.check(svc, path, disp, local)  # source-policy.yaml: no entry on weak sources only
        reader.problems += weak
        if any(p.severity == "error" for p in weak):
            continue
        if svc.id in seen_ids:
            reader.problem(disp, 2, f"duplicate id {svc.id!r} (already used by {seen_ids[svc.id]})", "give this entry its own id")
            continue
        pair = (svc.name, svc.provider)
        if pair in seen_pairs:
            reader.problem(disp, 2, f"same name and provider as {seen_pairs[pair]}", "merge the two entries or correct one of them")
            continue
        fld = tax.field_by_any(svc.field_id)
        if not local and fld and path.parent.name != fld.dir:
            reader.problem(disp, 2, f"entry of field {svc.field_name!r} is in folder {path.parent.name!r}", f"move it to services/{fld.dir}/", "warning")
        seen_ids[svc.id] = disp
        seen_pairs[pair] = disp
        services.append(svc)
    edition = read_edition(root, reader.problems)
    return Catalog(tax, nodes, services, considerations, defaults, reader.problems, content_hash(root, overlay, packs), edition)
