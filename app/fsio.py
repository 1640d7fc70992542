"""Atomic file writes: a temp file in the target's folder, fsync, os.replace, cleanup on error.

Every writer of a file the user or the app relies on (catalog.db, the index stamp, exports, local
entries, templates, SOURCES.md) goes through here, so a crash or a full disk leaves either the old
file or the complete new one, never a half-written one.

Windows: FlushFileBuffers (behind os.fsync) needs write access, so a handle opened read-only
("rb") fails with PermissionError; files are fsynced through a handle opened "r+b" (or the
handle that wrote them). Directories cannot be opened for fsync on Windows, so the folder sync
after the rename is POSIX only.
"""

from __future__ import annotations

import glob
import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_seq = itertools.count()

Progress = Callable[[int, int], None]
"""(done, total) steps of a long write, called from whatever thread does the work."""
CancelCheck = Callable[[], bool]
"""True once the user asked to stop; long writers check it between steps."""


class Cancelled(Exception):
    """The user stopped a write before it finished; raised inside `atomic_path`, it leaves the
    target as it was (no partial file, the temp file removed)."""


def check_cancelled(cancelled: CancelCheck | None) -> None:
    """Raise Cancelled when `cancelled` says so (None: never)."""
    if cancelled is not None and cancelled():
        raise Cancelled()


def fsync_handle(fh: BinaryIO) -> None:
    """Flush Python's buffer and the OS cache of an open, writable file to disk."""
    fh.flush()
    os.fsync(fh.fileno())


def fsync_file(path: Path | str) -> None:
    """fsync a closed file (e.g. one a library wrote). Opened for writing: Windows refuses read-only handles."""
    with open(path, "r+b") as fh:
        os.fsync(fh.fileno())


def fsync_dir(folder: Path | str) -> None:
    """Make a rename in `folder` durable (POSIX; a no-op on Windows, where NTFS journals the rename)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems (e.g. certain network mounts) refuse a directory fsync
        pass
    finally:
        os.close(fd)


def temp_path(target: Path, suffix: str | None = None) -> Path:
    """A fresh temp name beside `target`: `.NAME.<pid>.<n>.tmp[SUFFIX]` (SUFFIX defaults to the target's)."""
    suffix = target.suffix if suffix is None else suffix
    return target.with_name(f".{target.name}.{os.getpid()}.{next(_seq)}.tmp{suffix}")


@contextmanager
def atomic_path(target: Path | str, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temp path beside `target`; when the block ends normally, the file written there is
    fsynced and moved over `target`. On an exception (or if nothing was written) `target` is left
    untouched and the temp file removed.

    `suffix` ends the temp name (default: the target's suffix, for writers that look at it).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp*"):  # left by a writer that was killed
        if not stale.name.startswith(f".{target.name}.{os.getpid()}."):
            try:
                stale.unlink()
            except OSError:
                pass
    tmp = temp_path(target, suffix)
    try:
        yield tmp
        if not tmp.is_file():
            raise FileNotFoundError(f"nothing was written for {target}")
        fsync_file(tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write `data` to `path` atomically; returns the path."""
    path = Path(path)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fsync_handle(fh)
    return path


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` atomically, without newline translation (the same bytes on every platform)."""
    return atomic_write_bytes(path, text.encode(encoding))


def is_complete(path: Path | str) -> bool:
    """Did a writer produce a whole file? Some report no I/O error (Qt's PDF writer on a full disk
    leaves a short file): a PDF must start with %PDF- and end with %%EOF, an XLSX must be a zip,
    anything else must not be empty."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(5)
            fh.seek(max(0, size - 1024))
            tail = fh.read()
    except OSError:
        return False
    if size == 0:
        return False
    if path.suffix.lower() == ".pdf":
        return head == b"%PDF-" and b"%%EOF" in tail
    if path.suffix.lower() == ".xlsx":
        import zipfile  # here: the GUI imports this module on its start path

        return zipfile.is_zipfile(path)
    return True
