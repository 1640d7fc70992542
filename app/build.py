"""Build orchestration: catalog_data/ (+ local overlay) → catalog.db + search index.

It sits above the domain (it drives app.catalog and app.search): only app.commands and app.ui
call it, never app.catalog, app.search or app.plan.

Skips the work when the content hash is unchanged; everything is built beside the live files
and swapped in atomically, so the previous catalog keeps working until the new one is complete.
The up-to-date check (app.catalog.hashing) needs neither PyYAML nor the loader: they are
imported only when something has to be built.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.catalog.hashing import SCHEMA_VERSION, content_hash
from app.catalog.store import current_db, install_db, is_healthy, read_meta

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
    repaired: bool = False  # catalog.db was damaged and has been rebuilt
    quarantined: list[Path] = field(default_factory=list)  # local entries moved aside because they do not validate

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def notices(self) -> list[str]:
        """What the user should hear about this build (both languages; commands print, the GUI shows)."""
        out = []
        if self.repaired:
            out.append(f"{self.db_path}: カタログが壊れていたため作り直しました / catalog.db was damaged and has been rebuilt")
        for path in self.quarantined:
            out.append(f"{path}: エラーのあるローカルエントリを隔離しました（修正して元のフォルダに戻すか、import --remove で削除） / "
                       f"a local entry with errors was moved to quarantine (fix it and move it back, or remove it with import --remove)")
        return out


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


def quarantine_broken_local_entries(problems: list[Problem], overlay: Path) -> list[Path]:
    """Move local entries with errors to local_entries/quarantine/ so one bad file never locks the user out.

    Bundled entries with errors are only skipped (they are fixed by an update); local ones are the
    user's files, so they are kept, out of the build, where `machi-navi import --list` shows them.
    """
    bad = {Path(p.path) for p in problems if p.severity == "error"}
    moved: list[Path] = []
    target_dir = overlay / "quarantine"
    for path in sorted(bad):
        if path.parent != overlay or path.suffix != ".md" or not path.is_file():
            continue
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / path.name
        if target.exists():
            target = target_dir / f"{path.stem}-{int(time.time())}{path.suffix}"
        os.replace(path, target)
        moved.append(target)
    return moved


BUILD_STEPS = ("read", "write", "index")  # on_progress(step, done, total): done = steps finished


def _progress(on_progress: Callable[[str, int, int], None] | None, step: str) -> None:
    if on_progress is not None:
        on_progress(step, BUILD_STEPS.index(step), len(BUILD_STEPS))


def ensure_built(force: bool = False, catalog_dir: Path | None = None, with_index: bool = True,
                 on_build: Callable[[], None] | None = None,
                 on_progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Make sure catalog.db (and the search index) match catalog_data/ and the local overlay.

    `on_build` is called (from this thread) when catalog.db has to be (re)built, e.g. to say so;
    `on_progress(step, done, total)` as each step of that build starts: "read" (the catalog files),
    "write" (catalog.db), "index" (the search index).
    A full or read-only disk, or a locked file, raises UserError naming the data folder; the
    previous catalog.db and index are untouched (both are swapped in only when complete).
    """
    import sqlite3

    from app.errors import from_os_error, from_sqlite_error

    try:
        return _ensure_built(force, catalog_dir, with_index, on_build, on_progress)
    except OSError as exc:
        raise from_os_error(exc, exc.filename or paths.user_dir()) from None
    except sqlite3.Error as exc:
        raise from_sqlite_error(exc, paths.catalog_db_path()) from None


def _ensure_built(force: bool, catalog_dir: Path | None, with_index: bool, on_build: Callable[[], None] | None,
                  on_progress: Callable[[str, int, int], None] | None) -> BuildResult:
    started = time.perf_counter()
    root = catalog_dir or paths.bundled_catalog_dir()
    overlay, packs = paths.overlay_dir(), paths.packs_dir()
    db_path = current_db(paths.catalog_db_path())
    digest = content_hash(root, overlay, packs)
    result = BuildResult(built=False, content_hash=digest, db_path=db_path)
    if not force:
        db_path = _adopt_prebuilt(db_path, digest) or db_path
    current = _db_is_current(db_path, digest)
    if current and not force and not is_healthy(db_path):
        result.repaired, current = True, False  # derived data: rebuild it, and say so
    if force or not current:
        if on_build is not None:
            on_build()
        from app.catalog.loader import load_catalog  # PyYAML and validation: only when building
        from app.catalog.store import build_db

        _progress(on_progress, "read")
        cat = load_catalog(root, overlay, packs)
        moved = quarantine_broken_local_entries(cat.problems, overlay)
        if moved:  # the catalog opens without them; the user is told where they went
            result.quarantined = moved
            cat = load_catalog(root, overlay, packs)
        result.problems = cat.problems
        result.services = len(cat.services)
        _progress(on_progress, "write")
        db_path = build_db(cat, paths.catalog_db_path())  # catalog.db, or a newer sibling if it is open (Windows)
        result.built = True
    result.db_path = db_path
    if with_index:
        from app.search.index import ensure_index

        if result.built:
            _progress(on_progress, "index")
        result.index_built = ensure_index(db_path, paths.index_dir(), force=force or result.built)
    result.seconds = time.perf_counter() - started
    return result
