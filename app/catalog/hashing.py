"""The catalog's content hash (every catalog file's path and bytes, and the schema version).

Kept apart from the loader so that the start-up check "is catalog.db current?" needs neither
PyYAML nor the validation code: only hashlib and the file list.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.catalog.fields import fingerprint  # plain dataclasses: as light as this module

SCHEMA_VERSION = 2  # 2: registry facts (since, lgwan, ismap, pricing, status) and source supports


def catalog_files(root: Path, overlay: Path | None = None) -> list[Path]:
    # Ordered by the relative path's parts, case-sensitively: Windows paths compare case-insensitively,
    # which would give the same files another order, and another content hash, than on Linux.
    files = sorted((p for p in root.rglob("*") if p.is_file() and p.suffix in (".md", ".yaml", ".yml")),
                   key=lambda p: p.relative_to(root).parts)
    if overlay and overlay.is_dir():
        files += sorted((p for p in overlay.glob("*.md") if p.is_file()), key=lambda p: p.name)  # quarantine/ is out
    return files


def content_hashes(root: Path, overlay: Path | None = None) -> tuple[str, str]:
    """(hash of the bundled catalog plus the local overlay, hash of the bundled catalog alone): when
    only the second is unchanged, a build can update the local entries in place (app.build)."""
    h = hashlib.sha256(f"schema={SCHEMA_VERSION}\nfields={fingerprint()}\n".encode())
    bundled = ""
    for p in catalog_files(root, overlay):
        if not p.is_relative_to(root) and not bundled:
            bundled = h.hexdigest()
        base = root if p.is_relative_to(root) else overlay
        assert base is not None
        h.update(p.relative_to(base).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest(), bundled or h.hexdigest()


def content_hash(root: Path, overlay: Path | None = None) -> str:
    """Hash of every catalog file (paths + bytes), the schema version and the field registry: same hash, same build."""
    return content_hashes(root, overlay)[0]


def local_digests(overlay: Path | None) -> dict[str, str]:
    """sha256 of each local entry file (overlay/*.md, quarantine/ excluded) by file name."""
    if not overlay or not overlay.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(overlay.glob("*.md")) if p.is_file()}
