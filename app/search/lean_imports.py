"""Stand-ins for two modules Whoosh imports but the app never uses (installed by app/search/__init__.py).

- whoosh.compat binds `urllib.request.urlretrieve`: urllib.request imports ssl (OpenSSL's tables),
  http.client and email;
- whoosh.reading takes its `cached_property` from the PyPI package of that name, which imports
  asyncio (and ssl, concurrent.futures) to support coroutines;
- whoosh.query and whoosh.analysis import English stemming and word variations (big regular
  expressions compiled on import) for query types and filters the app does not use.

Together ~9 MiB of the GUI's memory and ~30 ms of every command that opens the index. The
stand-ins give Whoosh what it uses (functools.cached_property does the same for its one plain
method) and load the real module on any other attribute, so other code importing either still
gets the real thing, as a module or a name.

`zero_copy_buffers` (called by app.search.index once Whoosh is imported) stops a copy of the index
in memory: Whoosh maps a segment file and reads each part through a BufferFile, which wraps the
mapped bytes in io.BytesIO, a copy; the term table is most of the file (8 MB of the bundled
catalog's 8.5 MB index; every reader opened makes its own). Only headers are read through it.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any


def _stand_in(name: str, attrs: dict[str, Any], forward: tuple[str, ...] = ()) -> types.ModuleType:
    """A module `name` with `attrs`, functions `forward` that call the real module's, and any other
    attribute taken from the real module (imported then, in place of the stand-in)."""
    mod = types.ModuleType(name, f"stand-in for {name} until it is used (app.search.lean_imports)")

    def real() -> types.ModuleType:
        if sys.modules.get(name) is mod:
            del sys.modules[name]
        return importlib.import_module(name)  # (also sets the parent package's attribute to it)

    def __getattr__(attr: str) -> Any:  # noqa: N807 - a module's __getattr__ (PEP 562)
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(real(), attr)

    def forwarder(attr: str) -> Callable[..., Any]:
        return lambda *args, **kwargs: getattr(real(), attr)(*args, **kwargs)

    mod.__dict__.update(attrs, __getattr__=__getattr__)
    mod.__dict__.update({attr: forwarder(attr) for attr in forward})
    return mod


def install() -> None:
    """Put the stand-ins in sys.modules unless Whoosh (or the real module) is already imported."""
    if "whoosh" in sys.modules:
        return
    if "cached_property" not in sys.modules:
        from functools import cached_property

        sys.modules["cached_property"] = _stand_in("cached_property", {"cached_property": cached_property})
    # English stemming and word variations (big regular expressions compiled on import): the app's
    # analyzer is its own (app.search.analysis) and it makes no Variations query
    for name, attr in (("whoosh.lang.morph_en", "variations"), ("whoosh.lang.porter", "stem"),
                       ("whoosh.lang.dmetaphone", "double_metaphone")):
        sys.modules.setdefault(name, _stand_in(name, {}, forward=(attr,)))
    if "urllib.request" not in sys.modules:
        import urllib

        stand_in = _stand_in("urllib.request", {}, forward=("urlretrieve",))
        sys.modules["urllib.request"] = stand_in
        urllib.request = stand_in  # type: ignore[attr-defined]


PEEK_BYTES = 256


class _ViewFile:
    """A read-only file over a memoryview, without copying it (what BufferFile needs of io.BytesIO:
    read, readline, readinto and peek for pickle, seek, tell)."""

    __slots__ = ("_buf", "_pos", "closed")

    def __init__(self, buf: Any) -> None:
        self._buf = memoryview(buf).cast("B") if not isinstance(buf, bytes) else memoryview(buf)
        self._pos = 0
        self.closed = False

    def read(self, n: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._buf) if n is None or n < 0 else min(start + n, len(self._buf))
        self._pos = max(start, end)
        return self._buf[start:end].tobytes()

    def peek(self, n: int = 0) -> bytes:
        """Bytes from the position on, not consumed: pickle.load prefetches through it (then reads
        what it used) instead of calling read for every opcode. A small window: postings block
        headers are a few dozen bytes, and pickle asks for 128 KiB."""
        return self._buf[self._pos:self._pos + min(max(n, 1), PEEK_BYTES)].tobytes()

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        end = len(self._buf) if size is None or size < 0 else min(self._pos + size, len(self._buf))
        rest = self._buf[self._pos:end].tobytes()
        cut = rest.find(b"\n")
        return self.read(len(rest) if cut < 0 else cut + 1)

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def seek(self, pos: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._buf))[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def write(self, _data: bytes) -> int:
        raise OSError("read-only index buffer")

    def close(self) -> None:
        self.closed = True
        self._buf = memoryview(b"")


def zero_copy_buffers() -> None:
    """Whoosh's BufferFile reads through _ViewFile instead of a BytesIO copy of its buffer."""
    from whoosh.filedb.structfile import BufferFile

    if getattr(BufferFile, "_zero_copy", False):
        return

    def __init__(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:  # noqa: N807
        self._buf = buf
        self._name = name
        self.file = _ViewFile(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    BufferFile.__init__ = __init__
    BufferFile._zero_copy = True
