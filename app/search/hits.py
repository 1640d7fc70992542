"""One search hit (a result row): plain data, light to import, shared by the engine and the
catalog.db browse list (app.search.browse) that fills the window before the index is open."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    id: str
    kind: str  # "service" | "architecture"
    name: str
    provider: str
    field: str  # catalog field name (Japanese); "" for SCRA nodes
    score: float
    snippet: str  # HTML-escaped, matches wrapped in <b>…</b>
    name_html: str = ""
    field_id: str = ""
    label: str = ""  # service kind label, or "SCRA第2版 機能" for nodes
    prefectures: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)  # adopting municipalities (services only)
    groups: list[str] = field(default_factory=list)
    personal: str = ""
    type: str = ""
    edition: int | None = None
    facts: dict[str, str] = field(default_factory=dict)  # registry fact key → stored value (services only)
