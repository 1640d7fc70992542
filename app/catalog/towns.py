"""One municipality as a first-class axis: what the catalog says a town uses.

`town_profile(db, "茅野市")` resolves the name against the municipalities the catalog lists (full
name 長野県茅野市, or a unique suffix such as 茅野市), and returns the services it uses grouped by
catalog field and by SCRA function group (2nd ed.), each with its public sources. When the catalog
knows nothing about the town, the profile says so and lists the entries used elsewhere in its
prefecture instead. No Qt here: the town page (app/ui/town_page.py) and `machi-navi town` read it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from app.catalog.model import Source
from app.catalog.store import CatalogDB

NO_GROUP = "SCRA対応なし"  # a service without a 2nd-edition mapping


@dataclass(frozen=True)
class TownService:
    id: str
    name: str
    provider: str
    field_id: str
    field_name: str
    kind: str
    groups: tuple[str, ...]  # SCRA 2nd-ed. function group names (ja) the service maps to
    sources: tuple[Source, ...]
    status: str = "unknown"


@dataclass(frozen=True)
class TownProfile:
    query: str  # the name asked for
    name: str  # the catalog's full name (都道府県+市区町村); "" when the catalog does not know it
    prefecture: str  # "" when the name names no prefecture
    services: tuple[TownService, ...] = ()
    by_field: dict[str, list[str]] = field(default_factory=dict)  # field name → service ids (catalog field order)
    by_group: dict[str, list[str]] = field(default_factory=dict)  # function group name → service ids (SCRA order)
    candidates: tuple[str, ...] = ()  # several municipalities match the name (府中市: 東京都 / 広島県)
    prefecture_services: tuple[TownService, ...] = ()  # when unknown: entries used elsewhere in the prefecture

    @property
    def known(self) -> bool:
        return bool(self.services)

    def service(self, service_id: str) -> TownService | None:
        return next((s for s in (*self.services, *self.prefecture_services) if s.id == service_id), None)

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "name": self.name, "prefecture": self.prefecture, "known": self.known,
                "services": [asdict(s) for s in self.services], "by_field": self.by_field, "by_group": self.by_group,
                "candidates": list(self.candidates),
                "prefecture_services": [asdict(s) for s in self.prefecture_services]}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("　", "")


def municipality_names(db: CatalogDB) -> list[str]:
    """Every municipality the catalog lists (full names), sorted."""
    return [r[0] for r in db.q("select distinct municipality from service_municipalities order by municipality")]


def resolve_town(db: CatalogDB, name: str) -> tuple[str, tuple[str, ...]]:
    """(full name, other candidates) for a municipality name; ('', candidates) when ambiguous or unknown."""
    want = _norm(name)
    names = municipality_names(db)
    if want in names:
        return want, ()
    tails = [m for m in names if m.endswith(want) and want]
    if len(tails) == 1:
        return tails[0], ()
    return "", tuple(tails)


def _prefecture_of(db: CatalogDB, name: str) -> str:
    prefs = [r[0] for r in db.q("select name from prefectures order by position")]
    return next((p for p in prefs if _norm(name).startswith(p)), "")


def _town_services(db: CatalogDB, ids: list[str]) -> list[TownService]:
    nodes = db.nodes()
    out = []
    for s in db.services(ids):
        groups = []
        for m in s.scra:
            n = nodes.get(m.node)
            if n is not None and n.edition == 2 and n.level != "context":
                g = nodes.get(n.group_id)
                groups.append(g.name_ja if g else n.group_id)
        out.append(TownService(id=s.id, name=s.name, provider=s.provider, field_id=s.field_id, field_name=s.field_name,
                               kind=s.kind, groups=tuple(dict.fromkeys(groups)), sources=s.sources,
                               status=s.fact("status")))
    return sorted(out, key=lambda t: (t.name, t.id))


def town_profile(db: CatalogDB, name: str) -> TownProfile:
    """Everything the catalog records for one municipality, grouped by field and SCRA function group."""
    full, candidates = resolve_town(db, name)
    if not full:
        cand_prefs = {_prefecture_of(db, c) for c in candidates}
        pref = _prefecture_of(db, name) or (cand_prefs.pop() if len(cand_prefs) == 1 else "")
        near: list[TownService] = []
        if pref:
            ids = [r[0] for r in db.q("select distinct service_id from service_municipalities where prefecture = ?", (pref,))]
            near = _town_services(db, ids)
        return TownProfile(query=name, name="", prefecture=pref, candidates=candidates, prefecture_services=tuple(near))
    ids = [r[0] for r in db.q("select service_id from service_municipalities where municipality = ?", (full,))]
    services = _town_services(db, ids)
    field_order = [r["name_ja"] for r in db.fields()]
    by_field: dict[str, list[str]] = {}
    for f in field_order:
        got = [s.id for s in services if s.field_name == f]
        if got:
            by_field[f] = got
    group_order = [n.name_ja for n in db.nodes(2).values() if n.level == "group"]
    by_group: dict[str, list[str]] = {}
    for g in [*group_order, NO_GROUP]:
        got = [s.id for s in services if g in s.groups or (g == NO_GROUP and not s.groups)]
        if got:
            by_group[g] = got
    return TownProfile(query=name, name=full, prefecture=_prefecture_of(db, full), services=tuple(services),
                       by_field=by_field, by_group=by_group)
