"""The catalog's content hash (every catalog file's path and bytes, and the schema version).

Kept apart from the loader so that the start-up check "is catalog.db current?" needs neither
PyYAML nor the validation code: only hashlib and the file list.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.catalog.fields import fingerprint  # plain dataclasses: as light as this module

SCHEMA_VERSION = 3  # 2: registry facts (since, lgwan, ismap, pricing, status) and source supports; 3: pack, publisher


def pack_files(packs: Path | None) -> list[Path]:
    """Each installed pack's record and entry files (app/catalog/packstore.py's layout), by pack name.
    Folders starting with '.' are an install or removal in progress: not part of the catalog."""
    if not packs or not packs.is_dir():
        return []
    files: list[Path] = []
    for folder in sorted((d for d in packs.iterdir() if d.is_dir() and not d.name.startswith(".")), key=lambda d: d.name):
        record = folder / "pack.json"
        if record.is_file():
            files.append(record)
            files += sorted((p for p in (folder / "entries").glob("*.md") if p.is_file()), key=lambda p: p.name)
    return files


def catalog_files(root: Path, overlay: Path | None = None, packs: Path | None = None) -> list[Path]:
    # Ordered by the relative path's parts, case-sensitively: Windows paths compare case-insensitively,
    # which would give the same files another order, and another content hash, than on Linux.
    files = sorted((p for p in root.rglob("*") if p.is_file() and p.suffix in (".md", ".yaml", ".yml")),
                   key=lambda p: p.relative_to(root).parts)
    if overlay and overlay.is_dir():
        files += sorted((p for p in overlay.glob("*.md") if p.is_file()), key=lambda p: p.name)  # quarantine/ is out
    return files + pack_files(packs)


def content_hash(root: Path, overlay: Path | None = None, packs: Path | None = None) -> str:
    """Hash of every catalog file (paths + bytes), the schema version and the field registry: same hash, same build."""
    h = hashlib.sha256(f"schema={SCHEMA_VERSION}\nfields={fingerprint()}\n".encode())
    for p in catalog_files(root, overlay, packs):
        if p.is_relative_to(root):
            name = p.relative_to(root).as_posix()
        elif overlay and p.is_relative_to(overlay):
            name = p.relative_to(overlay).as_posix()
        else:
            assert packs is not None
            name = "packs/" + p.relative_to(packs).as_posix()
        h.update(name.encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()
