"""Shared fixtures: every test gets its own user data dir; nothing writes into the source tree."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "catalog_data"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def user_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MACHI_NAVI_HOME", str(home))
    monkeypatch.delenv("MACHI_NAVI_CATALOG", raising=False)
    return home


def service_md(sid: str, **over: object) -> str:
    """A valid service file; keyword arguments replace front-matter lines (None drops a key)."""
    fields: dict[str, object] = {
        "id": sid,
        "name": f"テストサービス{sid}",
        "provider": "株式会社テスト",
        "field": "公共交通",
        "kind": "AIオンデマンド交通",
        "municipalities": "[愛知県豊明市]",
        "data_linkage": "false",
        "personal_data": "個人情報",
        "use_fields": "[交通・物流]",
        "scra": "\n  - node: asset-management/device\n    role: uses\n    why: 車両の位置を使う",
        "sources": "\n  - url: https://example.org/page\n    seen: 2026-11-27",
    }
    body = over.pop("body", "住民がスマホで予約できる乗合交通です。")
    for k, v in over.items():
        if v is None:
            fields.pop(k, None)
        else:
            fields[k] = v
    front = "\n".join(f"{k}: {v}" for k, v in fields.items())
    return f"---\n{front}\n---\n{body}\n"


@pytest.fixture
def mini_catalog(tmp_path: Path) -> Path:
    """A small, valid catalog: the bundled taxonomy and SCRA files plus three services."""
    root = tmp_path / "catalog_data"
    root.mkdir()
    shutil.copy(BUNDLED / "taxonomy.yaml", root)
    shutil.copytree(BUNDLED / "architecture", root / "architecture")
    if (BUNDLED / "knowledge").exists():
        shutil.copytree(BUNDLED / "knowledge", root / "knowledge")
    svc = root / "services" / "transport"
    svc.mkdir(parents=True)
    for sid in ("alpha", "beta", "gamma"):
        (svc / f"{sid}.md").write_text(service_md(sid), encoding="utf-8")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalog built once per session (catalog.db + index); tests take a copy (`ui_home`)."""
    home = tmp_path_factory.mktemp("bundled-built")
    mp = pytest.MonkeyPatch()
    mp.setenv("MACHI_NAVI_HOME", str(home))
    mp.delenv("MACHI_NAVI_CATALOG", raising=False)
    try:
        from app.build import ensure_built

        ensure_built()
    finally:
        mp.undo()
    return home


@pytest.fixture
def ui_home(user_home: Path, built_home: Path) -> Path:
    """This test's MACHI_NAVI_HOME with a copy of the session's built catalog.db and index."""
    shutil.copy2(built_home / "catalog.db", user_home / "catalog.db")
    shutil.copytree(built_home / "index", user_home / "index", dirs_exist_ok=True)
    return user_home


@pytest.fixture(scope="module")
def catdb(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A catalog.db of the bundled catalog for one test module (built once per run, copied per module)."""
    from tests.plan_support import bundled_db

    return bundled_db(tmp_path_factory.mktemp("cat") / "catalog.db")
