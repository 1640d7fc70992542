"""Typed model of the catalog as read from catalog_data/ (and as read back from catalog.db)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("provides", "uses")
LEVELS = ("context", "group", "block", "function")


@dataclass(frozen=True)
class Problem:
    """One finding of the validator: `path:line: message (fix)`."""

    path: str
    line: int
    message: str
    fix: str = ""
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        tail = f" ({self.fix})" if self.fix else ""
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {tag}{self.message}{tail}"


@dataclass(frozen=True)
class Edition:
    """The catalog's edition (catalog_data/edition.yaml, read by app.catalog.edition)."""

    id: str
    name: str
    date: str

    def meta(self) -> dict[str, str]:
        """The rows this edition adds to catalog.db's meta table."""
        return {"edition_id": self.id, "edition_name": self.name, "edition_date": self.date}


@dataclass(frozen=True)
class Source:
    url: str
    seen: str = ""
    title: str = ""
    took: str = ""
    supports: tuple[str, ...] = ()  # registry fact keys this source states (since, lgwan, …)


@dataclass(frozen=True)
class Mapping:
    """A service provides or uses an SCRA node, with a one-line rationale."""

    node: str
    role: str
    why: str
    origin: str = "entry"  # "entry" (written on the entry) | "default" (field-defaults.yaml)


@dataclass(frozen=True)
class CatalogField:
    id: str
    dir: str
    name_ja: str
    name_en: str


@dataclass(frozen=True)
class UseField:
    name: str
    name_en: str
    sector: str


@dataclass(frozen=True)
class Level:
    name: str
    name_en: str
    rank: int
    description: str = ""


@dataclass
class Taxonomy:
    catalog_fields: list[CatalogField] = field(default_factory=list)
    sectors: list[dict[str, Any]] = field(default_factory=list)
    use_fields: list[UseField] = field(default_factory=list)
    types: list[dict[str, Any]] = field(default_factory=list)
    personal_levels: list[Level] = field(default_factory=list)
    prefectures: list[str] = field(default_factory=list)

    def field_by_any(self, value: str) -> CatalogField | None:
        for f in self.catalog_fields:
            if value in (f.id, f.name_ja, f.name_en, f.dir):
                return f
        return None

    def prefecture_of(self, municipality: str) -> str | None:
        for pref in self.prefectures:
            if municipality.startswith(pref):
                return pref
        return None

    def sector_of(self, use_field: str) -> str | None:
        for u in self.use_fields:
            if u.name == use_field:
                return u.sector
        return None

    def level_rank(self, name: str) -> int:
        for lv in self.personal_levels:
            if lv.name == name:
                return lv.rank
        return -1


@dataclass
class ArchNode:
    id: str
    edition: int
    level: str
    name_ja: str
    name_en: str
    description: str = ""
    parent: str | None = None
    axis: str | None = None  # "layer" | "pillar" on 2nd-ed groups
    provenance: str = "editorial"  # "source" | "editorial"
    source_url: str = ""
    source_note: str = ""
    rationale: str = ""
    maps_to: tuple[str, ...] = ()
    position: int = 0
    path: str = ""
    line: int = 0

    @property
    def group_id(self) -> str:
        """The function group (top of the city-OS tree) this node belongs to."""
        return self.id.split("/")[0] if self.edition == 2 else "/".join(self.id.split("/")[:2])


@dataclass
class Service:
    id: str
    name: str
    provider: str
    field_id: str
    field_name: str
    kind: str
    description: str
    name_en: str = ""
    municipalities: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()
    data_linkage: bool = False
    personal_data: str = "なし"
    use_fields: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    scra: tuple[Mapping, ...] = ()
    sources: tuple[Source, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    local: bool = False  # not bundled: a local entry or an entry of an installed pack
    path: str = ""
    line: int = 1
    pack: str = ""  # the installed catalog pack it came from (app/catalog/packstore.py), "" otherwise
    publisher: str = ""  # that pack's publisher
    facts: dict[str, str] = field(default_factory=dict)  # registry fact key (and detail key) → stored value

    def fact(self, key: str) -> str:
        """Stored value of a registry fact ('unknown' when the entry does not state it)."""
        return self.facts.get(key) or "unknown"

    @property
    def type_label(self) -> str:
        """デジ田 TYPE relevance: data linkage makes TYPE2/3 relevant, otherwise TYPE1."""
        return "TYPE2/3" if self.data_linkage else "TYPE1"

    @property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(m.node for m in self.scra)


@dataclass
class Catalog:
    """Everything read from catalog_data/ (plus the user's local overlay)."""

    taxonomy: Taxonomy
    nodes: dict[str, ArchNode]
    services: list[Service]
    considerations: dict[str, Any]
    field_defaults: dict[str, list[Mapping]]
    problems: list[Problem]
    content_hash: str = ""
    edition: Edition | None = None  # catalog_data/edition.yaml (None for catalogs without one)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def service(self, service_id: str) -> Service | None:
        for s in self.services:
            if s.id == service_id:
                return s
        return None
