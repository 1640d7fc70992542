"""「この版の新着」: what changed in the catalog since the user last looked (Qt-free).

The user data dir keeps a snapshot of the catalog the user last saw (seen-catalog.json: edition
and the normalised record of every bundled entry). After an update, `check_whats_new` compares it
with the current catalog.db and returns the diff plus the CHANGELOG section of the new edition;
`mark_seen` stores the current catalog as seen. A first start has nothing "new": it only stores.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.catalog.diff import CatalogDiff, Snapshot, diff_snapshots, read_db, record_from_json, record_json

SEEN_FILE = "seen-catalog.json"
FORMAT = 1


@dataclass(frozen=True)
class WhatsNew:
    diff: CatalogDiff
    changelog: str  # Markdown of the new edition's CHANGELOG section ("" if none)

    @property
    def edition_name(self) -> str:
        ed = self.diff.new.edition
        return ed.get("name") or ed.get("id") or ""


def seen_path(user_dir: Path) -> Path:
    return user_dir / SEEN_FILE


def _write(path: Path, snap: Snapshot) -> None:
    data = {"format": FORMAT, "edition": snap.edition,
            "records": {sid: record_json(rec) for sid, rec in sorted(snap.records.items())}}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash leaves the previous snapshot


def _read(path: Path) -> Snapshot | None:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("records"), dict):
        return None
    edition = data.get("edition") if isinstance(data.get("edition"), dict) else {}
    records = {str(k): record_from_json(v) for k, v in data["records"].items() if isinstance(v, dict)}
    return Snapshot("seen", records, {str(k): str(v) for k, v in edition.items()})


def mark_seen(db_path: Path, path: Path) -> None:
    """Remember the current catalog.db as the catalog the user has seen."""
    _write(path, read_db(db_path, "current"))


def check_whats_new(db_path: Path, path: Path, catalog_root: Path | None = None) -> WhatsNew | None:
    """The changes since the catalog the user last saw, or None (nothing new, or a first start,
    which only records the current catalog). An unreadable snapshot counts as a first start."""
    current = read_db(db_path, "current")
    seen = _read(path)
    if seen is None:
        _write(path, current)
        return None
    d = diff_snapshots(seen, current)
    if d.empty:
        if seen.edition != current.edition:
            _write(path, current)
        return None
    text = changelog_section(catalog_root, current.edition.get("id", "")) if catalog_root else ""
    return WhatsNew(d, text)


def changelog_section(catalog_root: Path, edition_id: str) -> str:
    """The Markdown of the CHANGELOG.md section whose heading starts with the edition id."""
    if not edition_id:
        return ""
    try:
        text = (catalog_root / "CHANGELOG.md").read_text(encoding="utf-8")
    except OSError:
        return ""
    match = re.search(rf"^## {re.escape(edition_id)}\b.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1).strip() if match else ""
