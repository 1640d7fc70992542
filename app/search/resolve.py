"""Field values → index terms, against what the catalog holds (one Resolver per open catalog.db).

Each registry field names a resolver (app/catalog/fields.py): generic enumerations and years need
nothing but their registry entry; the others know the catalog's structure (a prefecture covers its
municipalities, an SCRA node its descendants and 1st→2nd-edition mapping, a catalog field has an
id, a Japanese and an English name). The same resolution drives filters, facet selection and
completion, so a facet click, the typed text and the completion list always agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.catalog import fields as registry
from app.catalog.fields import UNKNOWN, Field
from app.catalog.model import ArchNode
from app.catalog.store import CatalogDB
from app.search.analysis import key
from app.search.index import NONE
from app.search.query import Filter


@dataclass(frozen=True)
class Terms:
    """Documents with any of `values` in keyword field `field` (resolved; may be empty)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class TextMatch:
    """Documents whose text part `field` matches `text` like a search word."""

    text: str
    field: str


Resolved = Terms | TextMatch | None  # None: the value matches nothing in the catalog


class Resolver:
    """The catalog's value lists (read once per catalog.db) and the per-field resolution rules."""

    def __init__(self, db: CatalogDB) -> None:
        self.nodes: dict[str, ArchNode] = db.nodes()
        self.field_rows = [dict(r) for r in db.fields()]
        self.prefectures = [r["name"] for r in db.q("select name from prefectures order by position")]
        # the first prefecture (in order) a name starts with, in one C-level match: names are many (10k catalogs)
        self._prefecture_re = re.compile("|".join(map(re.escape, self.prefectures))) if self.prefectures else None
        self.levels = [r["name"] for r in db.q("select name from personal_levels order by rank")]
        self.use_fields = [r["name"] for r in db.q("select name from use_fields order by position")]
        self.municipalities = [r[0] for r in db.q("select distinct municipality from service_municipalities order by municipality")]
        self.providers = [r[0] for r in db.q("select distinct provider from services order by provider")]
        self.kinds = [r[0] for r in db.q("select distinct kind from services order by kind")]
        self.groups = [n for n in self.nodes.values() if n.level == "group" and n.edition == 2]
        self.group_name = {g.id: g.name_ja for g in self.groups}
        self.field_name = {r["id"]: r["name_ja"] for r in self.field_rows}
        self.years: dict[str, list[str]] = {}  # year field key → years present (descending)
        for f in registry.FACTS:
            if f.resolver == "year":
                got = {str(r[0]) for r in db.q(f"select distinct {f.key} from services where {f.key} is not null")}
                self.years[f.key] = sorted(got, reverse=True)
        self._filters: dict[str, Callable[[Field, Filter], Resolved]] = {
            "field": self._field, "provider": self._provider, "kind": self._kind, "municipality": self._municipality,
            "node": self._node, "group": self._group, "use": self._use, "personal": self._enum,
            "enum": self._enum, "year": self._year,
        }

    # -- named resolutions (also used by facets and completion) --------------------------------
    def prefecture_of(self, municipality: str) -> str:
        """The prefecture a municipality name starts with ('' if none)."""
        m = self._prefecture_re.match(municipality) if self._prefecture_re is not None else None
        return m.group() if m else ""

    def resolve_fields(self, value: str, exact: bool) -> list[str]:
        k = key(value)
        hits = [r["id"] for r in self.field_rows if k in {key(r["id"]), key(r["name_ja"]), key(r["name_en"]), key(r["dir"])}]
        if hits or exact or not k:
            return hits
        return [r["id"] for r in self.field_rows if k in key(r["name_ja"]) or k in key(r["name_en"])]

    def resolve_prefecture(self, value: str) -> str | None:
        k = key(value)
        for p in self.prefectures:
            if k == key(p) or (k and k + "県" == p) or (k + "府" == p) or (k + "都" == p) or (k == "北海" and p == "北海道"):
                return p
        return None

    def resolve_nodes(self, value: str, exact: bool) -> list[str]:
        """Node ids for an id or a (Japanese/English) name; descendants and 1st→2nd-ed mappings unless exact."""
        v = value.strip().strip("/").lower()
        k = key(value)
        found = [v] if v in self.nodes else []
        if not found:
            found = [n.id for n in self.nodes.values() if k and k in (key(n.name_ja), key(n.name_en))]
        if not found and k:
            stripped = [n.id for n in self.nodes.values() if key(n.name_ja).removesuffix("機能群") == k.removesuffix("機能群")]
            found = stripped or [n.id for n in self.nodes.values() if not exact and k in key(n.name_ja)]
        if exact:
            return found
        out: list[str] = []
        for nid in found:
            for d in [nid, *(t for t in self.nodes[nid].maps_to if t in self.nodes)]:
                out.extend(x for x in self.nodes if x == d or x.startswith(d + "/"))
        return list(dict.fromkeys(out))

    def resolve_groups(self, value: str, exact: bool) -> list[str]:
        """Function-group ids for a group id or name ("データマネジメント", "data-management", …)."""
        v = value.strip().strip("/").lower()
        k = key(value).removesuffix("機能群")
        groups = [n for n in self.nodes.values() if n.level == "group"]
        found = [g.id for g in groups if v in (g.id, g.id.removeprefix("v1/"))
                 or k in (key(g.name_ja).removesuffix("機能群"), key(g.name_en).removesuffix("functions"), key(g.name_en))]
        if not found and not exact and k:
            found = [g.id for g in groups if k in key(g.name_ja)]
        out: list[str] = []
        for gid in found:
            out.append(gid)
            out.extend(self.nodes[t].group_id for t in self.nodes[gid].maps_to if t in self.nodes)
        return list(dict.fromkeys(out))

    def resolve_use(self, value: str, exact: bool) -> list[str]:
        k = key(value)
        hits = [u for u in self.use_fields if key(u) == k]
        return hits if hits or exact else [u for u in self.use_fields if k and k in key(u)]

    def enum_ids(self, spec: Field, f: Filter) -> list[str]:
        """Stored ids an enumerated value names (id, labels or aliases; a missing value → spec.missing)."""
        k = key(f.value)
        for v in spec.values:
            if k and k in {key(v.id), key(v.ja), key(v.en), *(key(a) for a in v.aliases)}:
                return [v.id]
        if spec.resolver == "personal" and k:
            return [lv for lv in self.levels if key(lv) == k][:1]
        if f.is_none and spec.missing:
            return [spec.missing]
        return []

    def year_ids(self, spec: Field, f: Filter) -> list[str]:
        """'2019', '2019..2021' (either end may be left out) or 不明 / なし → stored values."""
        k = f.value.strip().translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
        if f.is_none or key(k) in {key(a) for a in registry.UNKNOWN_VALUE.aliases}:
            return [UNKNOWN]
        lo, sep, hi = k.partition("..")
        if not (lo or hi) or not all(p.isdigit() for p in (lo, hi) if p):
            return []
        if not sep:
            return [lo]
        first, last = int(lo or 0), int(hi or 9999)
        return [y for y in self.years.get(spec.key, []) if first <= int(y) <= last]

    # -- filters ---------------------------------------------------------------------------------
    def resolve(self, f: Filter) -> Resolved:
        """Index terms or text a filter asks for; None when its value matches nothing in the catalog."""
        spec = registry.BY_NAME[f.field]
        return self._filters[spec.resolver](spec, f)

    @staticmethod
    def _terms(spec: Field, values: list[str]) -> Terms | None:
        vals = tuple(dict.fromkeys(values))
        return Terms(spec.index, vals) if vals else None

    def _field(self, spec: Field, f: Filter) -> Resolved:
        return self._terms(spec, [NONE] if f.is_none else self.resolve_fields(f.value, f.exact))

    def _provider(self, spec: Field, f: Filter) -> Resolved:
        if f.is_none or f.exact:
            return self._terms(spec, [NONE if f.is_none else key(f.value)])
        return TextMatch(f.value, spec.text)

    _kind = _provider

    def _municipality(self, spec: Field, f: Filter) -> Resolved:
        if f.is_none or f.exact:
            return self._terms(spec, [NONE if f.is_none else key(f.value)])
        pref = self.resolve_prefecture(f.value)
        return Terms("f_pref", (pref,)) if pref else TextMatch(f.value, spec.text)

    def _node(self, spec: Field, f: Filter) -> Resolved:
        return self._terms(spec, [NONE] if f.is_none else self.resolve_nodes(f.value, f.exact))

    def _group(self, spec: Field, f: Filter) -> Resolved:
        return self._terms(spec, [NONE] if f.is_none else self.resolve_groups(f.value, f.exact))

    def _use(self, spec: Field, f: Filter) -> Resolved:
        return self._terms(spec, [NONE] if f.is_none else self.resolve_use(f.value, f.exact))

    def _enum(self, spec: Field, f: Filter) -> Resolved:
        return self._terms(spec, self.enum_ids(spec, f))

    def _year(self, spec: Field, f: Filter) -> Resolved:
        return self._terms(spec, self.year_ids(spec, f))

    # -- facets and completion -----------------------------------------------------------------
    def _keyed(self, attr: str) -> list[tuple[str, str]]:
        """(name, key(name)) of self.<attr> (providers, municipalities), normalised once: facet
        counts ask per facet and keystroke, and a 10k catalog has thousands of names."""
        names = getattr(self, attr)
        cached = self.__dict__.get(f"_keyed_{attr}")
        if cached is None or cached[0] is not names:  # (made again if the list is replaced)
            cached = self.__dict__[f"_keyed_{attr}"] = (names, [(v, key(v)) for v in names])
        return cached[1]

    def facet_ids(self, spec: Field, f: Filter) -> set[str]:
        """The facet values (as counted in docs.json) a filter selects."""
        if spec.resolver == "field":
            return set(self.resolve_fields(f.value, f.exact))
        if spec.resolver == "provider":
            k = key(f.value)
            return {p for p, pk in self._keyed("providers") if (pk == k if f.exact else k in pk)}
        if spec.resolver == "municipality":  # a prefecture, or the municipalities it names (nested values)
            p = None if f.exact else self.resolve_prefecture(f.value)
            if p:
                return {p}
            k = key(f.value)
            return {m for m, mk in self._keyed("municipalities") if (mk == k if f.exact else bool(k) and k in mk)}
        if spec.resolver == "group":
            return {g for g in self.resolve_groups(f.value, f.exact) if not g.startswith("v1/")}
        if spec.resolver == "year":
            return set(self.year_ids(spec, f))
        return set(self.enum_ids(spec, f))

    def all_values(self, spec: Field) -> list[str]:
        """Values that complete `field:`."""
        r = spec.resolver
        if r == "field":
            return [row["name_ja"] for row in self.field_rows]
        if r == "provider":
            return list(self.providers)
        if r == "municipality":
            used = set(map(self.prefecture_of, self.municipalities))
            return [p for p in self.prefectures if p in used] + [m for m in self.municipalities if m not in used]
        if r == "kind":
            return list(self.kinds)
        if r == "node":
            return list(dict.fromkeys([*(n.name_ja for n in self.nodes.values() if n.edition == 2), *self.nodes]))
        if r == "group":
            return [g.name_ja for g in self.groups]
        if r == "personal":
            return list(self.levels)
        if r == "use":
            return list(self.use_fields)
        if r == "year":
            return [*self.years.get(spec.key, []), "不明"]
        return [v.ja for v in spec.values]
