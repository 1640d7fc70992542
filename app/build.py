"""Build orchestration: catalog_data/ (+ local overlay) → catalog.db + search index.

It sits above the domain (it drives app.catalog and app.search): only app.commands and app.ui
call it, never app.catalog, app.search or app.plan.

Skips the work when the content hash is unchanged; everything is built beside the live files
and swapped in atomically, so the previous catalog keeps working until the new one is complete.
The up-to-date check (app.catalog.hashing) needs neither PyYAML nor the loader: they are
imported only when something has to be built.
"""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.catalog.hashing import MEMO_FILE, SCHEMA_VERSION, content_hashes, local_digests
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
    local_update: bool = False  # only changed local entries were applied (no full rebuild)
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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection during a build: it makes millions of small objects (postings,
    YAML nodes) that live until the end, so every collection would walk them all again; measured
    ~17 % of the index writing. Reference counting still frees everything else at once."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
        with _gc_paused():
            return _ensure_built(force, catalog_dir, with_index, on_build, on_progress)
    except OSError as exc:
        raise from_os_error(exc, exc.filename or paths.user_dir()) from None
    except sqlite3.Error as exc:
        raise from_sqlite_error(exc, paths.catalog_db_path()) from None


def _local_update(db_path: Path, root: Path, overlay: Path, digest: str, bundled: str, with_index: bool,
                  result: BuildResult) -> Path | None:
    """Apply added, edited or removed local entries to catalog.db and the index in place (the
    bundled catalog is unchanged since catalog.db was built). Returns the new catalog.db, or None
    when a full build is needed: no record of the local files, an entry with errors (the full
    build reports it and moves it to quarantine), or an id or name+provider already taken."""
    from app.catalog.loader import load_local_entries
    from app.catalog.localdb import conflicts, plan_local_update, update_db
    from app.catalog.model import Catalog, Taxonomy

    meta = read_meta(db_path)
    digests = local_digests(overlay)  # before reading the files: a later edit is seen by the next build
    plan = plan_local_update(meta, bundled, digests)
    if plan is None:
        return None
    services, problems, tax = load_local_entries(root, [overlay / n for n in plan.changed])
    if len(services) < len(plan.changed) or any(p.severity == "error" for p in problems) \
            or conflicts(db_path, services, plan.replaced_ids):
        return None
    local_files = {n: [sha, plan.old_ids[n]] for n, sha in digests.items() if n not in plan.changed and n in plan.old_ids}
    local_files.update({Path(s.path).name: [digests[Path(s.path).name], s.id] for s in services})
    new_ids = [s.id for s in services]
    gone = sorted(plan.replaced_ids - set(new_ids))

    def index_first(copy: Path) -> None:  # the new index is in place before the new catalog.db
        if with_index:
            from app.search.incremental import update_index

            update_index(copy, paths.index_dir(), meta.get("content_hash", ""), new_ids, gone)

    stub = Catalog(Taxonomy(), {}, [], {}, {}, [], digest, None, bundled)
    new_db = update_db(db_path, paths.catalog_db_path(), tax, stub, plan, services, local_files, index_first)
    result.problems, result.local_update, result.built = problems, True, True
    result.services = int(read_meta(new_db).get("services", "0"))
    return new_db


def _ensure_built(force: bool, catalog_dir: Path | None, with_index: bool, on_build: Callable[[], None] | None,
                  on_progress: Callable[[str, int, int], None] | None) -> BuildResult:
    started = time.perf_counter()
    root = catalog_dir or paths.bundled_catalog_dir()
    overlay, packs = paths.overlay_dir(), paths.packs_dir()
    db_path = current_db(paths.catalog_db_path())
    # packs count as bundled: a pack change takes the full build
    digest, bundled = content_hashes(root, overlay, packs, paths.user_dir() / MEMO_FILE)
    result = BuildResult(built=False, content_hash=digest, db_path=db_path)
    if not force:
        db_path = _adopt_prebuilt(db_path, digest) or db_path
    current = _db_is_current(db_path, digest)
    if current and not force and not is_healthy(db_path):
        result.repaired, current = True, False  # derived data: rebuild it, and say so
    announced = False
    if not force and not current and not result.repaired and db_path.exists():
        if on_build is not None:
            on_build()
            announced = True
        db_path = _local_update(db_path, root, overlay, digest, bundled, with_index, result) or db_path
    if force or not (current or result.local_update):
        if on_build is not None and not announced:
            on_build()
        from app.catalog.loader import load_catalog  # PyYAML and validation: only when building
        from app.catalog.localdb import local_files_of
        from app.catalog.store import build_db

        _progress(on_progress, "read")
        digests = local_digests(overlay)
        cat = load_catalog(root, overlay, packs)
        moved = quarantine_broken_local_entries(cat.problems, overlay)
        if moved:  # the catalog opens without them; the user is told where they went
            result.quarantined = moved
            cat = load_catalog(root, overlay, packs)
        result.problems = cat.problems
        result.services = len(cat.services)
        _progress(on_progress, "write")
        # catalog.db, or a newer sibling if it is open (Windows)
        db_path = build_db(cat, paths.catalog_db_path(), local_files_of(cat.services, digests))
        result.built = True
    result.db_path = db_path
    if with_index:
        from app.search.index import ensure_index

        if result.built:
            _progress(on_progress, "index")
        full = force or (result.built and not result.local_update)
        result.index_built = ensure_index(db_path, paths.index_dir(), force=full) or result.local_update
    result.seconds = time.perf_counter() - started
    return result
