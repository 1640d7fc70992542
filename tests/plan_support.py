"""Helpers shared by the plan tests (tests/*/test_plan*.py)."""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path

from app import userdb
from app.catalog.loader import load_catalog
from app.catalog.store import CatalogDB, build_db
from app.plan.plans import PlanStore
from tests.conftest import BUNDLED, service_md

REAL_FIVE = ["nokkar", "ai-sakura-san", "mebuku-pay", "ckan", "docomo-ai-unko-bus"]


def build(root: Path, target: Path, overlay: Path | None = None) -> CatalogDB:
    cat = load_catalog(root, overlay)
    assert not cat.errors, [str(p) for p in cat.errors]
    build_db(cat, target)
    return CatalogDB(target)


_BUILT: list[Path] = []  # the bundled catalog.db, built once per test process


def bundled_db(target: Path) -> CatalogDB:
    """A copy of catalog.db built from the bundled catalog (built on first use, then copied)."""
    if not _BUILT:
        folder = Path(tempfile.mkdtemp(prefix="machi-navi-bundled-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        build(BUNDLED, folder / "catalog.db").close()
        _BUILT.append(folder / "catalog.db")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_BUILT[0], target)
    return CatalogDB(target)


def open_store(path: Path) -> tuple[PlanStore, sqlite3.Connection]:
    conn = userdb.connect(path)
    return PlanStore(conn), conn


def scra(*rows: tuple[str, str]) -> str:
    """scra: front-matter value for service_md from (node, role) pairs."""
    return "".join(f"\n  - node: {n}\n    role: {r}\n    why: テスト用の対応" for n, r in rows)


def add_service(root: Path, sid: str, folder: str = "transport", **over: object) -> Path:
    path = root / "services" / folder / f"{sid}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    over.setdefault("scra_defaults", "false")
    path.write_text(service_md(sid, **over), encoding="utf-8")
    return path
