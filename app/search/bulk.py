"""Fast Whoosh index writing: a codec that inlines short posting lists, and a bulk writer.

Measured on the bundled catalog (396 documents, ~59,000 terms, ~217,000 postings) the stock
writer spent most of a rebuild per term and per posting: every term's postings were pickled,
zlib-compressed and written as a block of their own (the W3 codec's inlining of short lists is
switched off by default and broken in Whoosh-Reloaded 2.7: it calls a method that does not
exist), each posting went through Whoosh's sorting pool as a tuple, and each posting looked its
document's field length up again in the column just written.

- `FastCodec`: the W3 format with posting lists of fewer than INLINE_LIMIT documents stored in
  the term table (what the W3 reader already supports: Whoosh's own `ListMatcher`). Most terms
  (CJK bigrams and trigrams) occur in a handful of documents. The codec is pickled into the
  index's TOC, so this class must stay importable under this name.
- `BulkWriter`: for building a new index in one go. Postings are gathered per term in dicts in
  document order (no sorting pool, no run files) and handed to the codec's field writer with the
  lengths it already knows. The files it writes are ordinary W3 segment files; anything
  (readers, `update_document`, merges) uses them through the stock Whoosh code.
"""

from __future__ import annotations

import pickle
from array import array
from collections import defaultdict
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths as _KV_LENGTHS
from whoosh.system import emptybytes, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from app.search.analysis import index_terms

INLINE_LIMIT = 32  # posting lists shorter than this live in the term table
_TERMINFO = W3TermInfo._struct


class _InliningPostingsWriter(W3PostingsWriter):
    def finish_postings(self) -> Any:
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class FastCodec(W3Codec):
    """W3 codec with working inlining of short posting lists (see the module docstring)."""

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = INLINE_LIMIT) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _InliningPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                       compression=self._compression, inlinelimit=self._inlinelimit)


def _inlined_terminfo(ids: list[int], weights: list[float], values: list[bytes], lens: list[int]) -> bytes:
    """W3TermInfo.to_bytes() of an inlined posting list: what _InliningPostingsWriter writes (weights
    rounded to float32 by its array("f"); field lengths only where non-zero), pickled faster."""
    w32 = array("f", weights)
    head = _TERMINFO.pack(1, sum(w32), len(ids), length_to_byte(min(lens)) if lens else 0,
                          length_to_byte(max(lens) if lens else 0), max(0, max(weights)), ids[0], ids[-1])
    # protocol 4 (the reader's pickle.loads takes any): protocol 2, Whoosh's choice, pickles every
    # bytes value through codecs.encode, 4x slower and 40 % bigger
    return head + pickle.dumps((tuple(ids), tuple(w32), tuple(v for v in values if v)), 4)


class _TermRows:
    """Rows for the term table (Whoosh's OrderedHashWriter), written in batches: the same file
    layout and hash entries as its add() (length header, key, value; md5 of the key into one of
    256 buckets; the key's position in the ordered index), one write per batch instead of three
    per row. Rows must come in increasing key order, as add() requires."""

    def __init__(self, tindex: Any) -> None:
        self.tindex = tindex
        self.keys: list[bytes] = []
        self.chunks: list[bytes] = []

    def add(self, key: bytes, value: bytes) -> None:
        self.keys.append(key)
        self.chunks += (_KV_LENGTHS.pack(len(key), len(value)), key, value)

    def flush(self) -> None:
        if not self.keys:
            return
        t = self.tindex
        if self.keys[0] <= t.lastkey:
            raise ValueError(f"term table keys must increase: {t.lastkey!r}..{self.keys[0]!r}")
        pos = t.dbfile.tell()
        hashfn, buckets, index = t.hashfn, t.buckets, t.index
        for i, key in enumerate(self.keys):
            index.append(pos)
            h = hashfn(key)
            buckets[h & 255].append((h, pos))
            pos += len(self.chunks[3 * i]) + len(key) + len(self.chunks[3 * i + 2])
        t.dbfile.write(b"".join(self.chunks))
        t.lastkey = self.keys[-1]
        self.keys, self.chunks = [], []


def _text_items(value: str, parts_of: Any, fb: float) -> list[tuple[bytes, int, float, bytes]]:
    """What Whoosh's Frequency format yields for a JaTokenizer field, without Token objects:
    (term bytes, frequency, summed boosts, packed frequency) per distinct term."""
    freqs: dict[str, int] = defaultdict(int)
    weights: dict[str, float] = defaultdict(float)
    for boost, text in parts_of(value):
        for term in index_terms(text):
            freqs[term] += 1
            weights[term] += boost
    return [(t.encode("utf-8"), f, weights[t] * fb, pack_uint(f)) for t, f in freqs.items()]


class BulkWriter(SegmentWriter):
    """Writes all documents of a new, empty index as one segment (see the module docstring).

    Only for a fresh index: it neither deletes nor merges (commit() writes exactly the documents
    added). Documents need every indexed value as a string; no per-document or per-field boosts.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, codec=FastCodec(), **kwargs)
        if self.segments:
            raise ValueError("BulkWriter writes a new index only")
        # field → term → (document numbers, weights, encoded values), in document order
        self._posts: dict[str, dict[bytes, tuple[list[int], list[float], list[bytes]]]] = defaultdict(dict)
        self._lengths: dict[str, dict[int, int]] = defaultdict(dict)  # field → docnum → stored (byte-rounded) length
        self.last_lengths: dict[str, int] = {}  # field → number of terms, of the last document added
        self._fast: dict[str, Any] = {}
        for name, field in self.schema.items():
            parts = getattr(field.analyzer, "_parts", None) if field.format.__class__.__name__ == "Frequency" else None
            if parts is not None:
                self._fast[name] = parts

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        schema, docnum, pdw = self.schema, self.docnum, self.perdocwriter
        pdw.start_doc(docnum)
        self.last_lengths = {}
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    parts = self._fast.get(fieldname)
                    items = _text_items(value, parts, field.format.field_boost) if parts is not None else field.index(value)
                    posts = self._posts[fieldname]
                    for tbytes, freq, weight, vbytes in items:
                        length += freq
                        cols = posts.get(tbytes)
                        if cols is None:
                            posts[tbytes] = ([docnum], [weight], [vbytes or emptybytes])
                        else:
                            cols[0].append(docnum)
                            cols[1].append(weight)
                            cols[2].append(vbytes or emptybytes)
                    self.last_lengths[fieldname] = length
                    if not field.scorable:
                        length = 0
                    if length:
                        self._lengths[fieldname][docnum] = byte_to_length(length_to_byte(length))
                pdw.add_field(fieldname, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    pdw.add_column_value(fieldname, column, field.to_column_value(value))
        except Exception:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        rows = _TermRows(fw._tindex)
        for fieldname in sorted(self._posts):
            posts = self._posts[fieldname]
            lengths = self._lengths.get(fieldname, {})
            fw.start_field(fieldname, self.schema[fieldname])
            prefix = pack_ushort(fw._fieldid)
            for tbytes in sorted(posts):
                ids, weights, values = posts[tbytes]
                if len(ids) < INLINE_LIMIT:  # the common case: one term table row, no postings block
                    lens = [n for n in map(lengths.get, ids) if n] if lengths else []
                    rows.add(prefix + tbytes, _inlined_terminfo(ids, weights, values, lens))
                    continue
                rows.flush()  # the codec adds this term's row itself
                fw.start_term(tbytes)
                for docnum, weight, vbytes in zip(ids, weights, values, strict=True):
                    fw.add(docnum, weight, vbytes, lengths.get(docnum, 0))
                fw.finish_term()
            rows.flush()
            fw.finish_field()
        fw.close()

    def commit(self, *args: Any, **kwargs: Any) -> None:
        super().commit(merge=False)
