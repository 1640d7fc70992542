"""The catalog's edition (catalog_data/edition.yaml): id, Japanese name and date of this release.

The edition goes into catalog.db's meta table at build (edition_id, edition_name, edition_date),
so the About box, exports and plans can say which edition they were made from.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.catalog.model import Edition, Problem
from app.catalog.yamlio import load_yaml_file

EDITION_FILE = "edition.yaml"
ID_RE = re.compile(r"^\d{4}\.\d{2}(\.\d+)?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

__all__ = ["EDITION_FILE", "Edition", "read_edition"]


def read_edition(root: Path, problems: list[Problem]) -> Edition | None:
    """root/edition.yaml, or None when there is none (older catalogs and local test catalogs)."""
    path = root / EDITION_FILE
    if not path.exists():
        return None
    disp = f"{root.name}/{EDITION_FILE}"
    data, lines = load_yaml_file(path, disp, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(Problem(disp, 1, "edition.yaml must hold id:, name: and date:", "see catalog_data/README.md"))
        return None
    ok = True
    values = {k: str(data.get(k) or "").strip() for k in ("id", "name", "date")}
    checks = (("id", ID_RE, 'write id: "2026.11" (year.month, quoted)'), ("date", DATE_RE, "write date: YYYY-MM-DD"))
    for key, pattern, fix in checks:
        if not pattern.match(values[key]):
            problems.append(Problem(disp, lines.get((key,), 1), f"edition {key} {data.get(key)!r} is not valid", fix))
            ok = False
    if not values["name"]:
        problems.append(Problem(disp, lines.get(("name",), 1), "edition name is empty", "write name: 2026年11月版"))
        ok = False
    return Edition(values["id"], values["name"], values["date"]) if ok else None
