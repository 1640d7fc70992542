"""Windows-only behaviour, reproduced on any OS so the regression tests run in every CI.

Each test emulates one rule of Windows that Linux does not have, found by the Wine build
(tests/e2e/test_windows.py runs the real thing):
- FlushFileBuffers (os.fsync) needs a handle opened for writing;
- a pipe's encoding is the ANSI code page (cp1252 on English Windows);
- a file another process has open cannot be replaced or deleted (SQLite opens without
  FILE_SHARE_DELETE), e.g. catalog.db or index files while the GUI runs.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import paths
from app.build import ensure_built
from app.catalog.loader import load_catalog
from app.catalog.store import CatalogDB, build_db, current_db, read_meta
from tests.conftest import ROOT, service_md


@pytest.fixture
def windows_fsync(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """os.fsync as on Windows: PermissionError (errno 13) on a handle opened read-only."""
    real = os.fsync
    calls: list[int] = []

    def fsync(fd: int) -> None:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise PermissionError(13, "Permission denied (FlushFileBuffers needs write access)")
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


def test_catalog_and_index_builds_fsync_through_a_writable_handle(mini_catalog: Path, windows_fsync: list[int]) -> None:
    res = ensure_built(catalog_dir=mini_catalog)  # catalog.db and the Whoosh index (stamp.json)
    assert res.built and res.index_built and not res.errors
    assert len(windows_fsync) >= 2, "both the catalog swap and the index stamp are flushed"
    assert read_meta(res.db_path)["content_hash"] == res.content_hash


def _run_app(*args: str, home: Path, catalog: Path, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, MACHI_NAVI_HOME=str(home), MACHI_NAVI_CATALOG=str(catalog), PYTHONIOENCODING=encoding)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, timeout=300)


@pytest.mark.parametrize("encoding", ["cp1252", "cp932", "ascii"])
def test_cli_output_is_utf8_whatever_the_pipe_code_page(mini_catalog: Path, user_home: Path, encoding: str) -> None:
    """A pipe under cp1252 cannot encode Japanese text or '→': the CLI writes UTF-8 instead of dying."""
    out = _run_app("search", "テストサービス", "--json", home=user_home, catalog=mini_catalog, encoding=encoding)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
    assert "テストサービスalpha" in out.stdout.decode("utf-8")
    err = _run_app("plan", "show", "存在しない計画", home=user_home, catalog=mini_catalog, encoding=encoding)
    assert err.returncode == 2
    assert "存在しない計画" in err.stderr.decode("utf-8"), err.stderr  # not \\u escapes, not a traceback


def test_prebuild_prints_under_cp1252(mini_catalog: Path, tmp_path: Path) -> None:
    """packaging/prebuild.py prints '→' (not in cp1252): a Windows build log is a pipe."""
    env = dict(os.environ, PYTHONIOENCODING="cp1252")
    env.pop("MACHI_NAVI_HOME", None)
    out = subprocess.run([sys.executable, str(ROOT / "packaging" / "prebuild.py"), "--out", str(tmp_path / "pre"),
                          "--catalog", str(mini_catalog)], env=env, capture_output=True, timeout=300)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
    assert "→" in out.stdout.decode("utf-8") and (tmp_path / "pre" / "catalog.db").is_file()


# ---------------------------------------------------------------------------------------------
# Rebuild while another process holds catalog.db / the index open


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Windows' rule for the names in the returned set: replacing or renaming them raises PermissionError."""
    held: set[str] = set()
    real_replace = os.replace
    real_rename = Path.rename

    def replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        if os.path.abspath(dst) in held or os.path.abspath(src) in held:
            raise PermissionError(13, "Access is denied (file in use)", str(dst))
        real_replace(src, dst)

    def rename(self: Path, target: os.PathLike[str] | str) -> Path:
        if os.path.abspath(self) in held:
            raise PermissionError(13, "Access is denied (file in use)", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "rename", rename)
    return held


def test_rebuild_beside_an_open_catalog_then_promote(mini_catalog: Path, user_home: Path, held_open: set[str]) -> None:
    from app import userdb
    from app.plan.plans import PlanStore
    from app.search.engine import SearchEngine

    first = ensure_built(catalog_dir=mini_catalog)
    canonical = paths.catalog_db_path()
    assert first.db_path == canonical
    conn = userdb.connect()
    PlanStore(conn).create("計画")
    conn.close()

    gui_db = CatalogDB(canonical)  # the running GUI: catalog.db and its search engine are open
    engine = SearchEngine(canonical, paths.index_dir())
    assert [h.id for h in engine.search("テストサービスdelta").hits if h.id == "delta"] == []
    held_open.add(os.path.abspath(canonical))

    (mini_catalog / "services" / "transport" / "delta.md").write_text(service_md("delta"), encoding="utf-8")
    second = ensure_built(catalog_dir=mini_catalog)  # `import` / `build` from the CLI meanwhile
    assert second.built and second.db_path != canonical and second.db_path.parent == canonical.parent
    assert read_meta(second.db_path)["content_hash"] == second.content_hash != first.content_hash
    assert read_meta(canonical)["content_hash"] == first.content_hash, "the open catalog.db is untouched"
    assert gui_db.service("alpha") is not None, "the GUI's connection still works"
    assert current_db(canonical) == second.db_path, "new readers open the new catalog"
    assert "delta" in [h.id for h in engine.search("テストサービスdelta").hits], "the running GUI's search adopts it"

    third = ensure_built(catalog_dir=mini_catalog, force=True)  # and again: a second sibling, newer
    assert third.db_path not in (canonical, second.db_path) and current_db(canonical) == third.db_path

    gui_db.close()
    engine.close()
    held_open.clear()  # the GUI has exited
    assert current_db(canonical) == canonical, "the newest is promoted to catalog.db"
    assert read_meta(canonical)["content_hash"] == second.content_hash
    assert sorted(p.name for p in canonical.parent.glob("catalog*.db")) == ["catalog.db"], "siblings removed"
    conn = userdb.connect()
    assert [p.name for p in PlanStore(conn).list_plans()] == ["計画"]
    conn.close()


def test_install_db_replaces_when_nothing_holds_it(tmp_path: Path, mini_catalog: Path) -> None:
    out = tmp_path / "out"
    target = build_db(load_catalog(mini_catalog), out / "catalog.db")
    assert target == out / "catalog.db"
    again = build_db(load_catalog(mini_catalog), target)
    assert again == target and sorted(p.name for p in out.iterdir()) == ["catalog.db"]


def test_forced_index_rebuild_keeps_an_open_index_intact(mini_catalog: Path, held_open: set[str]) -> None:
    from app.search.index import ensure_index, index_path, is_valid

    res = ensure_built(catalog_dir=mini_catalog)
    folder = index_path(paths.index_dir(), res.content_hash)
    assert is_valid(folder, res.content_hash)
    held_open.add(os.path.abspath(folder))  # the GUI reads it: the folder cannot be moved aside
    assert ensure_index(res.db_path, paths.index_dir(), force=True)
    assert is_valid(folder, res.content_hash), "an open, intact index is kept, never half-deleted"
    assert [p.name for p in paths.index_dir().iterdir()] == [res.content_hash], "the new copy was discarded"


def test_content_hash_is_the_same_with_windows_path_ordering(mini_catalog: Path, tmp_path: Path) -> None:
    """Windows paths sort case-insensitively; the hash (which names the index and decides whether a
    shipped prebuilt catalog is adopted) must not depend on it."""
    from app.catalog.hashing import catalog_files, content_hash

    class WindowsOrderPath(type(Path())):  # type: ignore[misc]
        def __lt__(self, other: Path) -> bool:
            return [s.lower() for s in self.parts] < [s.lower() for s in other.parts]

    (mini_catalog / "services" / "transport" / "Zeta.md").write_text(service_md("zeta"), encoding="utf-8")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    for sid in ("Local-b", "local-a"):
        (overlay / f"{sid}.md").write_text(service_md(sid.lower()), encoding="utf-8")
    win_root, win_overlay = WindowsOrderPath(mini_catalog), WindowsOrderPath(overlay)
    assert sorted(win_root.rglob("*.md")) != sorted(mini_catalog.rglob("*.md")), "the emulation orders differently"
    assert [p.name for p in catalog_files(win_root, win_overlay)] == [p.name for p in catalog_files(mini_catalog, overlay)]
    assert content_hash(win_root, win_overlay) == content_hash(mini_catalog, overlay)


def test_family_watch_scans_again_only_when_the_folder_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine asks for the current catalog.db on every search: the folder is listed again only
    when something was added, renamed or removed there (or a second passed), and then a catalog
    built beside an open one is found."""
    from app.catalog import store

    db = tmp_path / "catalog.db"
    db.write_bytes(b"old")
    scans: list[Path] = []
    real = store.current_db
    monkeypatch.setattr(store, "current_db", lambda p: scans.append(p) or real(p))
    watch = store.FamilyWatch()
    assert watch.current(db) == db and watch.current(db) == db and len(scans) == 1
    newer = tmp_path / "catalog.123.db"
    newer.write_bytes(b"new")
    os.utime(tmp_path, ns=(os.stat(tmp_path).st_atime_ns, os.stat(tmp_path).st_mtime_ns + 1_000_000))  # (coarse clocks)
    assert watch.current(db) == db and len(scans) == 2  # promoted to catalog.db: nothing held it
    assert db.read_bytes() == b"new" and not newer.exists()
    monkeypatch.setattr(store.time, "monotonic", lambda: 10.0**9)  # a second later: scanned whatever the folder says
    watch.current(db)
    assert len(scans) == 3
