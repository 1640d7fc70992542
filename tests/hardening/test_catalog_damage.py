"""catalog.db and the index are derived: damage is detected and they are rebuilt, with a notice."""

from __future__ import annotations

import random

from app import paths
from app.build import ensure_built
from app.catalog.store import CatalogDB, is_healthy, read_meta
from app.search.engine import SearchEngine


def _damage_data_pages(path, pages: int = 3) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(3)
    size = 4096
    total = len(data) // size
    for p in rng.sample(range(total // 2, total), pages):  # leave page 1 (header, schema) alone
        data[p * size:(p + 1) * size] = rng.randbytes(size)
    path.write_bytes(bytes(data))


def test_damaged_data_pages_are_detected_and_rebuilt() -> None:
    first = ensure_built()
    db_path = paths.catalog_db_path()
    _damage_data_pages(db_path)
    assert read_meta(db_path).get("content_hash") == first.content_hash, "meta still reads: the old check said up to date"
    assert not is_healthy(db_path)
    again = ensure_built()
    assert again.repaired and again.built
    assert is_healthy(db_path)
    with CatalogDB(db_path) as db:
        assert len(db.services()) == first.services
    with SearchEngine(db_path, paths.index_dir()) as engine:
        assert engine.search("オンデマンド").hits


def test_index_path_taken_by_a_file_is_replaced() -> None:
    ensure_built(with_index=False)
    index = paths.index_dir()
    if index.exists():
        import shutil

        shutil.rmtree(index)
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text("not a folder")
    res = ensure_built()
    assert res.index_built and index.is_dir()
    with SearchEngine(paths.catalog_db_path(), index) as engine:
        assert engine.search("オンデマンド").hits
