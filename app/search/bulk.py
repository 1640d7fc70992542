"""Fast Whoosh index writing: a codec that inlines short posting lists, and a bulk writer.

Measured on the bundled catalog (396 documents, ~59,000 terms, ~217,000 postings) the stock
writer spent most of a rebuild per term and per posting: every term's postings were pickled,
zlib-compressed and written as a block of their own (the W3 codec's inlining of short lists is
switched off by default and broken in Whoosh-Reloaded 2.7: it calls a method that does not
exist), each posting went through Whoosh's sorting pool as a tuple, and each posting looked its
document's field length up again in the column just written.

- `FastCodec`: the W3 format with posting lists of fewer than INLINE_LIMIT documents stored in
  the term table (what the W3 reader already supports: Whoosh's own `ListMatcher`). Most terms
  (CJK bigrams) occur in a handful of documents. The codec is pickled into the
  index's TOC, so this class must stay importable under this name.
- `BulkWriter`: for building a new index in one go. Postings are gathered per term in dicts in
  document order (no sorting pool, no run files) and handed to the codec's field writer with the
  lengths it already knows. The files it writes are ordinary W3 segment files; anything
  (readers, `update_document`, merges) uses them through the stock Whoosh code.
"""

from __future__ import annotations

import pickle
import re
from array import array
from collections import Counter, defaultdict
from functools import partial
from hashlib import md5
from itertools import accumulate, starmap
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths as _KV_LENGTHS
from whoosh.filedb.filetables import _pointer as _POINTER
from whoosh.filedb.filetables import md5_hash
from whoosh.system import emptybytes, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from app.search.analysis import index_terms

INLINE_LIMIT = 4096  # posting lists shorter than this live in the term table (W3 inlines one block, 128, itself)
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

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int | None = None) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression,
                         inlinelimit=INLINE_LIMIT if inlinelimit is None else inlinelimit)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _InliningPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                       compression=self._compression, inlinelimit=self._inlinelimit)


def _inlined_rows(prefix: bytes, terms: list[tuple[str, list[tuple[int, float, bytes]]]],
                  l2b: dict[int, int], lengths: dict[int, int]) -> tuple[list[bytes], list[bytes]]:
    """Term table keys and values (W3TermInfo.to_bytes() of an inlined posting list) of short lists:
    what _InliningPostingsWriter writes (weights rounded to float32 by its array("f"); lengths only
    where non-zero), pickled faster: protocol 4, which the reader's pickle.loads takes like any;
    Whoosh's protocol 2 pickles every bytes value through codecs.encode (4x slower, 40 % bigger).
    Half the terms occur once, and most of those share their one posting with other terms of the
    same document (same weight and frequency): the value of a one-posting list is made once."""
    keys = [prefix + term.encode("utf-8") for term, _ in terms]
    vals: list[bytes] = []
    single: dict[tuple[int, float, bytes], bytes] = {}
    for _, plist in terms:
        if len(plist) == 1:
            val = single.get(plist[0])
            if val is None:
                val = single[plist[0]] = _terminfo(*zip(*plist, strict=True), l2b, lengths)
        else:
            val = _terminfo(*zip(*plist, strict=True), l2b, lengths)
        vals.append(val)
    return keys, vals


def _terminfo(ids: tuple[int, ...], weights: tuple[float, ...], values: tuple[bytes, ...], l2b: dict[int, int],
              lengths: dict[int, int]) -> bytes:
    w32 = array("f", weights)
    if lengths:
        get = lengths.get
        try:  # a scored field: every document with a posting has a length (at least its frequency)
            lo, hi = l2b[min(map(get, ids))], l2b[max(map(get, ids))]
        except TypeError:  # (a document without one, should a field ever allow it)
            lens = [n for n in map(get, ids) if n]
            lo, hi = (l2b[min(lens)], l2b[max(lens)]) if lens else (0, 0)
    else:
        lo = hi = 0
    return _TERMINFO.pack(1, sum(w32), len(ids), lo, hi, max(0, max(weights)), ids[0], ids[-1]) + \
        pickle.dumps((ids, tuple(w32), values if values[0] else ()), 4)


def _add_rows(tindex: Any, keys: list[bytes], vals: list[bytes]) -> None:
    """Rows for the term table (Whoosh's OrderedHashWriter) in one write: the file layout and hash
    entries of its add() (length header, key, value; md5 of the key into one of 256 buckets; the
    key's position in the ordered index). Keys must increase, as add() requires."""
    if not keys:
        return
    if keys[0] <= tindex.lastkey:
        raise ValueError(f"term table keys must increase: {tindex.lastkey!r}..{keys[0]!r}")
    sizes = [8 + len(k) + len(v) for k, v in zip(keys, vals, strict=True)]
    positions = list(accumulate(sizes[:-1], initial=tindex.dbfile.tell()))
    _extend_index(tindex.index, positions)
    buckets = tindex.buckets
    for key, pos in zip(keys, positions, strict=True):
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")  # filetables.md5_hash
        buckets[h & 255].append((h, pos))
    heads = map(_KV_LENGTHS.pack, map(len, keys), map(len, vals))
    tindex.dbfile.write(b"".join(map(b"".join, zip(heads, keys, vals, strict=True))))
    tindex.lastkey = keys[-1]


def _extend_index(index: Any, positions: list[int]) -> None:
    """GrowableArray.extend (one append per number, widening the type when one overflows) in one call."""
    for _ in range(2):
        arr = index.array
        if not isinstance(arr, array):
            break
        try:
            arr.extend(array(arr.typecode, positions))
            return
        except OverflowError:
            index._retype(positions[-1])  # positions increase: the last is the largest
    index.extend(positions)


def _write_hashes(tindex: Any) -> None:
    """HashWriter._write_hashes (its 256 open-addressing tables of (hash, position)), each table in
    one write instead of one per slot: same bytes."""
    dbfile, pack, null = tindex.dbfile, _POINTER.pack, (0, 0)
    for entries in tindex.buckets:
        numslots = 2 * len(entries)
        tindex.directory.append((dbfile.tell(), numslots))
        table = [null] * numslots
        for entry in entries:
            slot = (entry[0] >> 8) % numslots
            while table[slot] is not null:
                slot = (slot + 1) % numslots
            table[slot] = entry
        dbfile.write(b"".join(starmap(pack, table)))


_PACKED = [pack_uint(i) for i in range(256)]  # the Frequency format's value: the term frequency


_CACHED_CHARS = 300  # term counts of texts up to this long are kept during a build (names, kinds, places…)


def _text_postings(value: str, parts_of: Any, fb: float, cache: dict[str, Counter[str]],
                   posts: dict[str, list[tuple[int, float, bytes]]], docnum: int) -> int:
    """Add one document's postings of a JaTokenizer field to `posts` as Whoosh's Frequency format
    would make them, without Token objects: (document, summed boosts, packed frequency) per distinct
    term. Returns the field length (number of terms). Short texts recur (the per-field copies of
    kind/provider/place, shared field names and kinds): their counts are cached."""
    parts = parts_of(value)
    if len(parts) == 1:
        boost, text = parts[0]
        freqs: Any = _counts_of(text, cache)
        weights: Any = freqs if boost == 1.0 else {t: n * boost for t, n in freqs.items()}
    else:  # the parts' counts summed, the biggest first (copied whole); n * boost: binary fractions, exact
        counted = sorted(((_counts_of(text, cache), boost) for boost, text in parts), key=lambda cb: -len(cb[0]))
        first, b0 = counted[0]
        freqs = dict(first)
        weights = {t: n * b0 for t, n in first.items()} if b0 != 1.0 else dict(first)
        for counts, boost in counted[1:]:
            for term, n in counts.items():
                if term in freqs:
                    freqs[term] += n
                    weights[term] += n * boost
                else:
                    freqs[term] = n
                    weights[term] = n * boost
    get, packed = posts.get, _PACKED
    for t, f in freqs.items():
        posting = (docnum, weights[t] * fb, packed[f] if f < 256 else pack_uint(f))
        plist = get(t)
        if plist is None:
            posts[t] = [posting]
        else:
            plist.append(posting)
    return sum(freqs.values())


def _counts_of(text: str, cache: dict[str, Counter[str]]) -> Counter[str]:
    counts = cache.get(text)
    if counts is None:
        counts = Counter(index_terms(text))
        if len(text) <= _CACHED_CHARS:
            cache[text] = counts
    return counts


_KEYWORD_ANALYZER = "CompositeAnalyzer(RegexTokenizer(expression=re.compile('[^,]+'), gaps=False), StripFilter())"


def _fast_kind(field: Any) -> str:
    """"ja", "id" or "kw" for the fields whose postings add_document makes itself (exactly as
    Whoosh's format.word_values would; a test compares), "" for the others."""
    fmt, analyzer = field.format.__class__.__name__, field.analyzer
    if fmt == "Frequency" and getattr(analyzer, "_parts", None) is not None:
        return "ja"
    if fmt == "Existence" and analyzer.__class__.__name__ == "IDTokenizer":
        return "id"
    if fmt == "Frequency" and repr(analyzer) == _KEYWORD_ANALYZER:
        return "kw"
    return ""


def _keyword_items(value: str, fb: float) -> list[tuple[str, int, float, bytes]]:
    """Frequency.word_values of a comma-separated KEYWORD value (tokens stripped, as StripFilter does)."""
    counts = Counter(t.strip() for t in _COMMA_RUNS(value))
    return [(t, f, f * fb, _PACKED[f] if f < 256 else pack_uint(f)) for t, f in counts.items()]


_COMMA_RUNS = re.compile("[^,]+").findall


def _fill_blocks(pw: W3PostingsWriter, cols: tuple[tuple[Any, ...], ...], lengths: dict[int, int]) -> None:
    """Hand a long posting list to the W3 postings writer a block at a time: each full block is
    written by its own _write_block, the last one is left buffered for finish_postings. The buffer
    and its statistics are what add_posting would have gathered posting by posting (lengths 0 are
    not counted, weights start from 0), which cost seconds at 10k entries (a test compares)."""
    ids, weights, values = cols
    limit, get = pw._blocklimit, lengths.get
    for start in range(0, len(ids), limit):
        if start:
            pw._write_block()  # resets the buffer
        chunk = ids[start:start + limit]
        ws = weights[start:start + limit]
        pw._ids = array("I", chunk)
        pw._weights = array("f", ws)
        pw._values = [v for v in values[start:start + limit] if v]
        pw._maxweight = max(0, max(ws))
        lens = [n for n in map(get, chunk) if n]
        pw._minlength = min(lens) if lens else None
        pw._maxlength = max(lens) if lens else 0


class BulkWriter(SegmentWriter):
    """Writes all documents of a new, empty index as one segment (see the module docstring).

    Only for a fresh index: it neither deletes nor merges (commit() writes exactly the documents
    added). Documents need every indexed value as a string; no per-document or per-field boosts.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, codec=FastCodec(), **kwargs)
        if self.segments:
            raise ValueError("BulkWriter writes a new index only")
        # field → term → [(document number, weight, encoded value)] in document order; terms as str
        # (encoded once, when written: UTF-8 sorts like the code points)
        self._posts: dict[str, dict[str, list[tuple[int, float, bytes]]]] = defaultdict(dict)
        self._lengths: dict[str, dict[int, int]] = defaultdict(dict)  # field → docnum → stored (byte-rounded) length
        self.last_lengths: dict[str, int] = {}  # field → number of terms, of the last document added
        self._fast = {name: _fast_kind(field) for name, field in self.schema.items() if field.indexed}
        self._counts: dict[str, Counter[str]] = {}  # see _text_items

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
                    fast = self._fast[fieldname]
                    posts = self._posts[fieldname]
                    if fast == "ja":  # the text fields: most postings, added without the item tuples below
                        length = _text_postings(value, field.analyzer._parts, field.format.field_boost, self._counts,
                                                posts, docnum)
                    else:
                        if fast == "id" and value:
                            items: Any = [(value, 1, field.format.field_boost, emptybytes)]
                        elif fast == "kw":
                            items = _keyword_items(value, field.format.field_boost)
                        else:
                            items = [(tb.decode("utf-8"), f, w, v or emptybytes) for tb, f, w, v in field.index(value)]
                        get = posts.get
                        for term, freq, weight, vbytes in items:
                            length += freq
                            plist = get(term)
                            if plist is None:
                                posts[term] = [(docnum, weight, vbytes)]
                            else:
                                plist.append((docnum, weight, vbytes))
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
        if fw._tindex.hashfn is not md5_hash or _KV_LENGTHS.size != 8 or type(fw._tindex).__name__ != "OrderedHashWriter":
            raise RuntimeError("unexpected Whoosh term table format")
        fw._tindex._write_hashes = partial(_write_hashes, fw._tindex)
        for fieldname in sorted(self._posts):
            lengths = self._lengths.get(fieldname, {})
            l2b = {n: length_to_byte(n) for n in set(lengths.values())}
            fw.start_field(fieldname, self.schema[fieldname])
            prefix = pack_ushort(fw._fieldid)
            short: list[Any] = []
            posts = self._posts[fieldname]
            limit = self.codec._inlinelimit
            for term in sorted(posts):
                plist = posts[term]
                if len(plist) < limit:  # the common case: one term table row, no postings block
                    short.append((term, plist))
                    continue
                _add_rows(fw._tindex, *_inlined_rows(prefix, short, l2b, lengths))
                short = []
                fw.start_term(term.encode("utf-8"))  # the codec writes the postings blocks and adds the row itself
                _fill_blocks(fw._postwriter, tuple(zip(*plist, strict=True)), lengths)
                fw.finish_term()
            _add_rows(fw._tindex, *_inlined_rows(prefix, short, l2b, lengths))
            fw.finish_field()
        fw.close()

    def commit(self, *args: Any, **kwargs: Any) -> None:
        super().commit(merge=False)
