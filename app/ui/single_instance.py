"""One running GUI per user data folder: a second start brings the open window to the front.

Two GUIs on one plans.db would each show a stale copy of the other's edits, and on Windows a
running GUI holds catalog.db open. The first GUI holds an OS lock on `gui.lock` in the user data
folder (released by the OS even if the process is killed); a second start cannot take it, writes
a request into `gui.raise`, and waits a moment for the first GUI to answer that it raised its
window. Plain files and a QTimer (QtCore only): no QtNetwork in the bundle for this.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path
from typing import IO

from PySide6.QtCore import QObject, QTimer, Signal

POLL_MS = 400


def _try_lock(fh: IO[bytes]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class SingleInstance(QObject):
    """`acquire()` → True for the first GUI (which then emits `raise_requested` when another start
    asks); False for a second one, which calls `request_raise()`."""

    raise_requested = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock_path = folder / "gui.lock"
        self.request_path = folder / "gui.raise"
        self._fh: IO[bytes] | None = None
        self._seen = ""
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def acquire(self) -> bool:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.lock_path, "a+b")  # noqa: SIM115 - held for the life of the GUI
        if not _try_lock(fh):
            fh.close()
            return False
        self._fh = fh
        self._seen = self._read()
        self._timer.start()
        return True

    def release(self) -> None:
        self._timer.stop()
        if self._fh is not None:
            self._fh.close()  # closing releases the lock
            self._fh = None

    def _read(self) -> str:
        try:
            return self.request_path.read_text(encoding="utf-8")
        except OSError:
            return ""

    def _poll(self) -> None:
        text = self._read()
        if text == self._seen:
            return
        self._seen = text
        if text.startswith("raise "):
            self.raise_requested.emit()
            self._write("ack " + text.split(" ", 1)[1])

    def _write(self, text: str) -> None:
        tmp = self.request_path.with_name(f"{self.request_path.name}.{os.getpid()}.tmp")
        for _ in range(20):  # Windows: the other side may be reading the file this very moment
            try:
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, self.request_path)
                break
            except OSError:
                time.sleep(0.05)
        tmp.unlink(missing_ok=True)
        self._seen = self._read()

    def request_raise(self, wait_s: float = 3.0) -> bool:
        """Ask the running GUI to raise its window; True if it answered within `wait_s`."""
        token = uuid.uuid4().hex
        self._write(f"raise {token}")
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self._read() == f"ack {token}":
                return True
            time.sleep(0.05)
        return False
