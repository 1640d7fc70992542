"""Atomic writes and fsync as Windows does them, the UTF-8 console, and the refusal of a too-new plans.db."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import fsio, userdb
from app.build import ensure_built
from app.search.index import index_path, is_valid
from tests.conftest import ROOT


@pytest.fixture
def windows_fsync(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """os.fsync under Windows' rule: FlushFileBuffers needs write access, so fsync of a file opened
    read-only fails with PermissionError 13. Elsewhere emulated from the descriptor's access mode
    (directories pass: fsio syncs them on POSIX only); on Windows the real os.fsync applies."""
    calls: list[int] = []
    if os.name == "nt":
        return calls
    import fcntl

    real = os.fsync

    def fsync(fd: int) -> None:
        fd = fd if isinstance(fd, int) else fd.fileno()
        is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
        if not is_dir and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise PermissionError(13, "Permission denied (FlushFileBuffers on a read-only handle)")
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


def test_fsync_of_a_read_only_handle_fails_as_on_windows(windows_fsync: list[int], tmp_path: Path) -> None:
    """The emulation is faithful to the defect: the old code's `open(tmp, "rb")` + fsync fails."""
    f = tmp_path / "x.bin"
    f.write_bytes(b"data")
    with open(f, "rb") as fh, pytest.raises(PermissionError):
        os.fsync(fh.fileno())
    fsio.fsync_file(f)  # the helper opens the file for writing
    assert f.read_bytes() == b"data"


def test_atomic_writes_fsync_through_writable_handles(windows_fsync: list[int], tmp_path: Path) -> None:
    target = tmp_path / "sub" / "r.txt"
    fsio.atomic_write_text(target, "計画\n")
    assert target.read_bytes() == "計画\n".encode()
    fsio.atomic_write_bytes(target, b"\r\nsecond")
    assert target.read_bytes() == b"\r\nsecond", "bytes are written as given, no newline translation"
    with fsio.atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp.suffix == ".txt" and tmp.name.startswith(".r.txt.")
        tmp.write_bytes(b"third")  # as a library (openpyxl, QPdfWriter) writes: closed before the fsync
    assert target.read_bytes() == b"third"
    assert windows_fsync or os.name == "nt", "the writes were fsynced"
    assert [p.name for p in target.parent.iterdir()] == ["r.txt"]


@pytest.mark.parametrize("failure", ["raise", "write nothing"])
def test_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, failure: str) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    with pytest.raises((RuntimeError, FileNotFoundError)):
        with fsio.atomic_path(target) as tmp:
            if failure == "raise":
                tmp.write_bytes(b"half")
                raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_catalog_and_index_builds_fsync_as_windows_allows(windows_fsync: list[int], mini_catalog: Path, user_home: Path) -> None:
    """Regression (Windows only in the wild): catalog.db and the index stamp were fsynced through
    handles opened "rb" → PermissionError on every build. The real build, under Windows' rule."""
    res = ensure_built(catalog_dir=mini_catalog, force=True)
    assert res.built and res.index_built and res.services == 3
    assert is_valid(index_path(user_home / "index", res.content_hash), res.content_hash)
    assert sqlite3.connect(res.db_path).execute("select count(*) from services").fetchone()[0] == 3
    assert len(windows_fsync) >= 2 or os.name == "nt"


def _run_cli(*args: str, home: Path, catalog: Path, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, MACHI_NAVI_HOME=str(home), MACHI_NAVI_CATALOG=str(catalog), PYTHONIOENCODING=encoding)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, timeout=300)


def test_japanese_output_under_a_cp1252_code_page(mini_catalog: Path, user_home: Path, tmp_path: Path) -> None:
    """print() of Japanese to a pipe whose encoding is cp1252 (a Windows console/CI default) never raises:
    stdout and stderr are switched to UTF-8 at CLI start."""
    found = _run_cli("search", "テストサービス", home=user_home, catalog=mini_catalog, encoding="cp1252")
    assert found.returncode == 0, found.stderr.decode("utf-8", "replace")
    assert "テストサービスalpha" in found.stdout.decode("utf-8")
    missing = _run_cli("import", str(tmp_path / "無い.csv"), home=user_home, catalog=mini_catalog, encoding="cp1252")
    err = missing.stderr.decode("utf-8")
    assert missing.returncode == 1 and "ファイルがありません" in err and "取り込みは行われませんでした" in err, err
    assert "Traceback" not in err


def _make_plans_db(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("create table plans (id integer primary key, name text)")
    conn.execute("insert into plans(name) values ('未来の計画')")
    conn.execute(f"pragma user_version = {version}")
    conn.commit()
    conn.close()


def test_userdb_refuses_a_newer_schema_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    _make_plans_db(path, len(userdb.MIGRATIONS) + 1)
    before = path.read_bytes()
    with pytest.raises(userdb.NewerSchemaError) as info:
        userdb.connect(path)
    msg = str(info.value)
    assert str(path) in msg and "newer version" in msg and "Update the app" in msg
    assert info.value.found == len(userdb.MIGRATIONS) + 1 and info.value.known == len(userdb.MIGRATIONS)
    assert path.read_bytes() == before, "not migrated, not switched to WAL"
    assert not Path(f"{path}-wal").exists()


def test_userdb_opens_its_own_version(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    userdb.connect(path).close()
    conn = userdb.connect(path)  # the current version: opened again without complaint
    assert conn.execute("pragma user_version").fetchone()[0] == len(userdb.MIGRATIONS)
    conn.close()


def test_cli_says_to_update_for_a_newer_plans_db(user_home: Path, mini_catalog: Path) -> None:
    _make_plans_db(user_home / "plans.db", 99)
    out = _run_cli("plan", "list", home=user_home, catalog=mini_catalog, encoding="utf-8")
    err = out.stderr.decode("utf-8")
    assert out.returncode == 2 and "plans.db" in err and "Update the app" in err and "Traceback" not in err, err


