"""The bulk index writer (app.search.bulk) writes exactly what Whoosh's own writer writes.

Built from the bundled catalog's documents both ways, the two indexes must hold the same terms in
every field, the same postings (document numbers, weights, encoded values), the same stored
fields and the same field lengths — so search cannot tell which writer made an index.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex

from app.catalog.store import CatalogDB
from app.search import bulk
from app.search import index as ix_mod
from app.search.bulk import BulkWriter, FastCodec


def _postings(reader: Any, field: str, term: bytes) -> list[tuple[int, float, bytes]]:
    m = reader.postings(field, term)
    out = []
    while m.is_active():
        out.append((m.id(), round(m.weight(), 4), m.value() or None))  # no value: '' when inlined, None in a block
        m.next()
    return out


def _stats(ti: Any) -> tuple[Any, ...]:
    return (round(ti.weight(), 3), ti.doc_frequency(), ti.min_length(), ti.max_length(), round(ti.max_weight(), 4),
            ti.min_id(), ti.max_id())


def _dump(folder: Path) -> dict[str, Any]:
    ix = windex.open_dir(str(folder), indexname=ix_mod.INDEX_NAME)
    try:
        with ix.reader() as r:
            fields = [name for name, f in ix.schema.items() if f.indexed]
            return {
                "count": r.doc_count_all(),
                "stored": [r.stored_fields(d) for d in range(r.doc_count_all())],
                "lengths": {f: [r.doc_field_length(d, f, 0) for d in range(r.doc_count_all())] for f in fields},
                "terms": {f: {t: _postings(r, f, t) for t in r.lexicon(f)} for f in fields},
                "stats": {f: {t: _stats(r.term_info(f, t)) for t in r.lexicon(f)} for f in fields},
            }
    finally:
        ix.close()


@pytest.mark.parametrize("inline_limit", [None, 1])  # 1: every list in postings blocks (long lists at 10k)
def test_bulk_writer_equals_whoosh_writer(tmp_path: Path, catdb: CatalogDB, monkeypatch: pytest.MonkeyPatch,
                                          inline_limit: int | None) -> None:
    if inline_limit is not None:
        monkeypatch.setattr(bulk, "INLINE_LIMIT", inline_limit)
    docs = ix_mod.documents(catdb)
    odd = dict(docs[0], id="odd-values", f_pref=" 東京都 , 大阪府,,", f_muni="a,a,b", f_kind="")  # spaces, repeats, empty
    docs.append(odd)
    names = set(ix_mod.schema().names())
    dumps = []
    for kind in ("bulk", "whoosh"):
        folder = tmp_path / kind
        folder.mkdir()
        ix = windex.create_in(str(folder), ix_mod.schema(), indexname=ix_mod.INDEX_NAME)
        writer = BulkWriter(ix) if kind == "bulk" else ix.writer(codec=FastCodec())
        for d in docs:
            writer.add_document(**ix_mod.index_fields(d, names))
        writer.commit()
        ix.close()
        dumps.append(_dump(folder))
    made, stock = dumps
    assert made["count"] == stock["count"] == len(docs)
    assert made["stored"] == stock["stored"]
    assert made["lengths"] == stock["lengths"]
    for field, terms in stock["terms"].items():
        assert list(made["terms"][field]) == list(terms), field
        for term, posts in terms.items():
            assert made["terms"][field][term] == posts, (field, term)
            assert made["stats"][field][term] == stock["stats"][field][term], (field, term)
    # the fields the bulk writer makes postings for itself were all exercised
    assert {"all", "provider", "f_pref", "f_nodes", "f_kind", "id"} <= {f for f, t in stock["terms"].items() if t}



def test_block_reads_equal_whooshs_own_matcher(tmp_path: Path, catdb: CatalogDB, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_postings decodes W3 blocks itself (ids delta-decoded and equal weights made in C): the
    same ids and weights as stepping Whoosh's matcher posting by posting."""
    from app.search.executor import read_postings

    monkeypatch.setattr(bulk, "INLINE_LIMIT", 1)  # every list in blocks
    docs = ix_mod.documents(catdb)
    names = set(ix_mod.schema().names())
    ix = windex.create_in(str(tmp_path), ix_mod.schema(), indexname=ix_mod.INDEX_NAME)
    writer = BulkWriter(ix)
    for d in docs:
        writer.add_document(**ix_mod.index_fields(d, names))
    writer.commit()
    checked = 0
    with ix.reader() as r:
        for field in ("all", "provider", "f_pref"):
            for term in r.lexicon(field):
                scored = field == "all"
                fast = read_postings(r.postings(field, term), scored)
                m = r.postings(field, term)
                slow: tuple[list[int], list[float]] = ([], [])
                while m.is_active():
                    slow[0].append(m.id())
                    if scored:
                        slow[1].append(m.weight())
                    m.next()
                assert fast == slow, (field, term)
                checked += len(slow[0]) > 1
    ix.close()
    assert checked > 1000  # lists of more than one posting, in blocks
