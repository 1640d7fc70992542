"""First start of a packaged app: catalog.db and the search index shipped in prebuilt/ are adopted
(copied, not rebuilt) when they match the bundled catalog; anything else is built as usual."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import paths
from app.build import ensure_built
from tests.conftest import service_md


@pytest.fixture
def prebuilt(mini_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What packaging/prebuild.py ships: catalog.db + index/<hash>/ built from `mini_catalog`."""
    scratch = tmp_path / "packaging-home"
    monkeypatch.setenv("MACHI_NAVI_HOME", str(scratch))
    res = ensure_built(catalog_dir=mini_catalog)
    pre = tmp_path / "bundle" / "prebuilt"
    pre.mkdir(parents=True)
    shutil.copy2(res.db_path, pre / "catalog.db")
    shutil.copytree(scratch / "index" / res.content_hash, pre / "index" / res.content_hash)
    monkeypatch.setattr(paths, "prebuilt_dir", lambda: pre)
    return pre


def _use_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    monkeypatch.setenv("MACHI_NAVI_HOME", str(home))
    return home


def test_first_start_adopts_catalog_and_index(prebuilt: Path, mini_catalog: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    home = _use_home(monkeypatch, tmp_path / "user")
    res = ensure_built(catalog_dir=mini_catalog)
    assert not res.built and not res.index_built, "nothing is built on first start"
    assert (home / "catalog.db").read_bytes() == (prebuilt / "catalog.db").read_bytes()
    shipped = prebuilt / "index" / res.content_hash
    adopted = home / "index" / res.content_hash
    assert sorted(p.name for p in adopted.iterdir()) == sorted(p.name for p in shipped.iterdir())
    again = ensure_built(catalog_dir=mini_catalog)
    assert not again.built and not again.index_built


def test_stale_user_catalog_is_replaced_after_an_upgrade(prebuilt: Path, mini_catalog: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _use_home(monkeypatch, tmp_path / "user")
    entry = mini_catalog / "services" / "transport" / "alpha.md"
    original = entry.read_text(encoding="utf-8")
    entry.write_text(service_md("alpha", name="旧バージョンの名前"), encoding="utf-8")
    assert ensure_built(catalog_dir=mini_catalog).built  # the previous version's catalog
    entry.write_text(original, encoding="utf-8")  # the upgrade ships the current catalog + prebuilt/
    res = ensure_built(catalog_dir=mini_catalog)
    assert not res.built and not res.index_built


def test_prebuilt_is_ignored_when_it_does_not_match(prebuilt: Path, mini_catalog: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    home = _use_home(monkeypatch, tmp_path / "user")
    (home / "local_entries").mkdir(parents=True)  # the user's own entries change the content hash
    (home / "local_entries" / "mine.md").write_text(service_md("mine"), encoding="utf-8")
    res = ensure_built(catalog_dir=mini_catalog)
    assert res.built and res.index_built and res.services == 4


def test_force_rebuilds_even_with_a_matching_prebuilt(prebuilt: Path, mini_catalog: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _use_home(monkeypatch, tmp_path / "user")
    res = ensure_built(force=True, catalog_dir=mini_catalog)
    assert res.built and res.index_built
