"""Build orchestration: catalog_data/ (+ local overlay) → catalog.db + search index.

Skips the work when the content hash is unchanged; everything is built beside the live files
and swapped in atomically, so the previous catalog keeps working until the new one is complete.
The up-to-date check (app.catalog.hashing) needs neither PyYAML nor the loader: they are
imported only when something has to be built.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.catalog.hashing import SCHEMA_VERSION, content_hash
from app.catalog.store import current_db, install_db, read_meta

if TYPE_CHECKING:
    from app.catalog.model import Problem


@dataclass
class BuildResult:
    built: bool
    content_hash: str
    db_path: Path
    problems: list[Problem] = field(default_factory=list)
    services: int = 0
    seconds: float = 0.0
    index_built: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _db_is_current(db_path: Path, digest: str) -> bool:
    meta = read_meta(db_path)
    return meta.get("content_hash") == digest and meta.get("schema_version") == str(SCHEMA_VERSION)


def _adopt_prebuilt(db_path: Path, digest: str) -> Path | None:
    """A packaged app ships catalog.db pre-built (packaging/prebuild.py); copy it in atomically when it
    matches the data and the user's copy is missing or stale (first start, or first start after an
    upgrade). The matching search index is adopted the same way by app.search.index.ensure_index,
    which copies prebuilt/index/<hash>/ into the user's index dir. Returns the adopted file, or None.
    """
    pre = paths.prebuilt_dir() / "catalog.db"
    if not pre.exists() or _db_is_current(db_path, digest) or not _db_is_current(pre, digest):
        return None
    target = paths.catalog_db_path()
    tmp = target.with_name(f".{target.name}.prebuilt.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pre, tmp)
        return install_db(tmp, target)  # beside catalog.db if another window holds it open (Windows)
    except OSError:
        tmp.unlink(missing_ok=True)
        return None


def ensure_built(force: bool = False, catalog_dir: Path | None = None, with_index: bool = True,
                 on_build: Callable[[], None] | None = None) -> BuildResult:
    """Make sure catalog.db (and the search index) match catalog_data/ and the local overlay.

    `on_build` is called (from this thread) when catalog.db has to be (re)built, e.g. to say so.
    """
    started = time.perf_counter()
    root = catalog_dir or paths.bundled_catalog_dir()
    overlay = paths.overlay_dir()
    db_path = current_db(paths.catalog_db_path())
    digest = content_hash(root, overlay)
    result = BuildResult(built=False, content_hash=digest, db_path=db_path)
    if not force:
        db_path = _adopt_prebuilt(db_path, digest) or db_path
    if force or not _db_is_current(db_path, digest):
        if on_build is not None:
            on_build()
        from app.catalog.loader import load_catalog  # PyYAML and validation: only when building
        from app.catalog.store import build_db

        cat = load_catalog(root, overlay)
        result.problems = cat.problems
        result.services = len(cat.services)
        db_path = build_db(cat, paths.catalog_db_path())  # catalog.db, or a newer sibling if it is open (Windows)
        result.built = True
    result.db_path = db_path
    if with_index:
        from app.search.index import ensure_index

        result.index_built = ensure_index(db_path, paths.index_dir(), force=force or result.built)
    result.seconds = time.perf_counter() - started
    return result
