"""The catalog's content hash (every catalog file's path and bytes, and the schema version).

Kept apart from the loader so that the start-up check "is catalog.db current?" needs neither
PyYAML nor the validation code: only hashlib and the file list.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from app import fsio
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


def _suffix(name: str) -> str:
    i = name.rfind(".")  # pathlib's PurePath.suffix: a leading dot alone is no suffix
    return name[i:] if 0 < i < len(name) - 1 else ""


def _tree(folder: str, parts: tuple[str, ...], out: list[tuple[tuple[str, ...], str]]) -> None:
    """Catalog files under `folder` as (relative parts, path) pairs, as Path.rglob("*") finds them
    (symlinked dirs not followed, unreadable dirs skipped) without a Path object per file."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except PermissionError:
        return
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            _tree(e.path, (*parts, e.name), out)
        elif _suffix(e.name) in (".md", ".yaml", ".yml") and e.is_file():
            out.append(((*parts, e.name), e.path))


def _bundled_files(root: Path) -> list[tuple[str, str]]:
    # Ordered by the relative path's parts, case-sensitively: Windows paths compare case-insensitively,
    # which would give the same files another order, and another content hash, than on Linux.
    found: list[tuple[tuple[str, ...], str]] = []
    _tree(str(root), (), found)
    found.sort(key=lambda f: f[0])
    return [("/".join(parts), path) for parts, path in found]


def _overlay_files(overlay: Path | None) -> list[Path]:
    if not overlay or not overlay.is_dir():
        return []
    return sorted((p for p in overlay.glob("*.md") if p.is_file()), key=lambda p: p.name)  # quarantine/ is out


def catalog_files(root: Path, overlay: Path | None = None, packs: Path | None = None) -> list[Path]:
    return [Path(p) for _, p in _bundled_files(root)] + _overlay_files(overlay) + pack_files(packs)


# The digest of the bundled files is kept for the next call while no file's name, size, mtime,
# ctime or inode changed (a content change updates ctime on POSIX; an edit on Windows its mtime):
# an import hashed the catalog before and after adding its entry, and every command and start
# hashed it again, 10k files at 10k entries. In this process (_memo) and, given a `memo` file, for
# the next ones. Never kept while a file is younger than _RACY_NS: a second edit within the file
# system's timestamp granularity (2 s on FAT) could leave every stat field as it was (git's "racy"
# rule); a file older than that at hashing time can only change with a later timestamp.
_memo: list[tuple[str, str, bytes]] = []  # (root, stat signature, digest)
_RACY_NS = 10_000_000_000
MEMO_FILE = "catalog-files.json"  # in the user data dir (app.build, app.catalog.importcheck)


def _read(path: str) -> bytes:
    """A file's bytes with os.read: a quarter less time than open().read() over 10k small files."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _signature(files: list[tuple[str, str]]) -> tuple[str, int]:
    """(sha256 of every file's name and stat fields, the newest mtime or ctime among them)."""
    sig = hashlib.sha256()
    newest = 0
    for name, path in files:
        st = os.stat(path)
        sig.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode())
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    return sig.hexdigest(), newest


def _remembered(root: str, sig: str, memo: Path | None) -> bytes | None:
    if _memo and _memo[0][:2] == (root, sig):
        return _memo[0][2]
    if memo is None:
        return None
    try:
        got = json.loads(memo.read_text(encoding="utf-8"))
        if got.get("root") == root and got.get("sig") == sig and len(got.get("digest", "")) == 64:
            return bytes.fromhex(got["digest"])
    except (OSError, ValueError, AttributeError):
        pass  # missing or damaged: hash the files
    return None


def _bundled_digest(root: Path, memo: Path | None) -> bytes:
    """sha256 of the bundled files' relative paths and bytes."""
    files = _bundled_files(root)
    sig, newest = _signature(files)
    key = str(root)
    digest = _remembered(key, sig, memo)
    if digest is None:
        h = hashlib.sha256()
        for name, path in files:
            h.update(name.encode() + b"\0" + _read(path) + b"\0")
        digest = h.digest()
        if newest < time.time_ns() - _RACY_NS:
            if memo is not None:
                try:
                    fsio.atomic_write_text(memo, json.dumps({"root": key, "sig": sig, "digest": digest.hex()}))
                except OSError:
                    pass  # a read-only data dir: hashed again next time
    _memo[:] = [(key, sig, digest)] if newest < time.time_ns() - _RACY_NS else []
    return digest


def content_hashes(root: Path, overlay: Path | None = None, packs: Path | None = None,
                   memo: Path | None = None) -> tuple[str, str]:
    """(hash of the bundled catalog, the local overlay and the packs; hash of the bundled catalog and the
    packs alone): when only the second is unchanged, a build can update the local entries in place
    (app.build). Packs count as bundled so that installing or removing one takes the full build.
    `memo`: a file that keeps the bundled files' digest for the next process (MEMO_FILE)."""
    head = f"schema={SCHEMA_VERSION}\nfields={fingerprint()}\n".encode()
    h = hashlib.sha256(head + b"bundled\0" + _bundled_digest(root, memo) + b"\0")
    b = h.copy()
    for p in _overlay_files(overlay):
        assert overlay is not None
        h.update(p.relative_to(overlay).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    for p in pack_files(packs):
        assert packs is not None
        data = b"packs/" + p.relative_to(packs).as_posix().encode() + b"\0" + p.read_bytes() + b"\0"
        h.update(data)
        b.update(data)
    return h.hexdigest(), b.hexdigest()


def content_hash(root: Path, overlay: Path | None = None, packs: Path | None = None, memo: Path | None = None) -> str:
    """Hash of every catalog file (paths + bytes), the schema version and the field registry: same hash, same build."""
    return content_hashes(root, overlay, packs, memo)[0]


def local_digests(overlay: Path | None) -> dict[str, str]:
    """sha256 of each local entry file (overlay/*.md, quarantine/ excluded) by file name."""
    if not overlay or not overlay.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(overlay.glob("*.md")) if p.is_file()}
