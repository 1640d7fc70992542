"""Catalog taxonomy names a plan report or the plan tab shows in the user's language."""

from __future__ import annotations

from app.catalog.store import CatalogDB


def personal_level_name_en(db: CatalogDB, level: str) -> str:
    """The English name of a personal-data level (its Japanese name is the catalog's key); '' if unknown."""
    if not level:
        return ""
    rows = db.q("select name_en from personal_levels where name = ?", (level,))
    return str(rows[0]["name_en"] or "") if rows else ""
