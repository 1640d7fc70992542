"""Search-as-you-type off the GUI thread.

Keystrokes restart a short debounce timer; when it fires the query runs on a private
one-thread QThreadPool (the search engine is used from one thread at a time). Every request
gets a generation number and only the answer of the newest generation is delivered, so a slow,
stale search can never overwrite a newer result.

The engine may arrive after the window is shown (it is opened after the first paint): until
set_engine() is called, a search request only remembers its text, and the latest one runs then.

A typed (debounced) search's result arrives in two steps: `resultReady` with its first
SCREEN_ROWS hits (the table's rows, more than a window shows), then, once those are shown,
`resultCompleted` with every hit, the facets and the notes (engine.complete); other searches
come whole (both signals at once). The first SCREEN_SNIPPETS hits come highlighted; the
others are highlighted by a second task after that, and `highlighted` follows. The later steps
are skipped when a newer search is asked for, or a newer keystroke waits for the debounce.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

if TYPE_CHECKING:
    from app.search.engine import SearchEngine

log = logging.getLogger(__name__)

DEBOUNCE_MS = 150
RESULT_LIMIT = 1000
SCREEN_SNIPPETS = 40  # hits highlighted before a result is shown (a tall screen of rows); the rest follow (`highlighted`)
SCREEN_ROWS = 100  # hits made before the rows are shown; the others, the facets and the notes follow (`resultCompleted`)
SHOWN_WAIT_S = 0.5  # the search thread waits this long at most for the rows to be shown before it completes the result
# Both threads run Python under one interpreter lock: a search holding it makes every Python call of
# the GUI thread (a cell's data(), a delegate's paint) wait up to this long (Python's default: 5 ms).
GIL_SWITCH_S = 0.001


class _Relay(QObject):
    """Lives in the GUI thread; worker threads emit on it (queued to the GUI thread)."""

    done = Signal(int, object, str, float, object)  # generation, SearchResult, error, ms, the Event set once shown
    completed = Signal(int, object)  # generation, SearchResult (engine.complete)
    highlighted = Signal(int, object)  # generation, SearchResult


class _SearchTask(QRunnable):
    def __init__(self, engine: SearchEngine, text: str, generation: int, relay: _Relay, limit: int,
                 synonyms: bool = True, current: Callable[[], int] | None = None, rows: int | None = None) -> None:
        super().__init__()
        self.engine, self.text, self.generation, self.relay, self.limit = engine, text, generation, relay, limit
        self.synonyms, self.rows = synonyms, rows
        self.current = current or (lambda: generation)
        self.setAutoDelete(True)

    def run(self) -> None:
        started = time.perf_counter()
        try:
            result = self.engine.search(self.text, limit=self.limit, with_facets=True, synonyms=self.synonyms,
                                        snippets=SCREEN_SNIPPETS, rows=self.rows)
            error = ""
        except Exception as exc:  # noqa: BLE001 - reported in the status bar, never crashes the UI
            result, error = None, f"{type(exc).__name__}: {exc}"
        shown = threading.Event()
        self.relay.done.emit(self.generation, result, error, (time.perf_counter() - started) * 1000.0, shown)
        if getattr(result, "rest", None) is None:
            return
        # the rest after the rows are shown: both threads share one interpreter lock, and the rows come first;
        # a newer search or keystroke ends the wait (this thread is the one the next search needs)
        deadline = time.perf_counter() + SHOWN_WAIT_S
        while not shown.wait(0.005) and self.current() == self.generation and time.perf_counter() < deadline:
            pass
        if self.current() == self.generation:  # else a newer search is waiting: it would be thrown away
            try:
                self.engine.complete(result)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - engine.complete never raises; the rows stay shown
                log.exception("completing a search failed")
                return
            self.relay.completed.emit(self.generation, result)


class _HighlightTask(QRunnable):
    """The rest of a result's snippets (engine.highlight_pending), stopped when a newer search starts."""

    def __init__(self, engine: SearchEngine, result: Any, generation: int, current: Callable[[], int], relay: _Relay) -> None:
        super().__init__()
        self.engine, self.result, self.generation, self.current, self.relay = engine, result, generation, current, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            done = self.engine.highlight_pending(self.result, stop=lambda: self.current() != self.generation)
        except Exception:  # noqa: BLE001 - the rows keep their plain text; never crashes the UI
            log.exception("highlighting the remaining hits failed")
            return
        if done:
            self.relay.highlighted.emit(self.generation, self.result)


class SearchController(QObject):
    """Debounced, generation-checked asynchronous search. Signals carry the engine's SearchResult."""

    resultReady = Signal(object)  # SearchResult: its first SCREEN_ROWS hits (all of them when complete)
    resultCompleted = Signal(object)  # the same SearchResult, complete: every hit, facets, notes
    highlighted = Signal(object)  # the SearchResult shown, now with every hit's snippet
    searchFailed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, engine: SearchEngine | None, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS,
                 limit: int = RESULT_LIMIT) -> None:
        super().__init__(parent)
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_S))
        self.engine = engine
        self.limit = limit
        self.synonyms = True  # expand words through officer vocabulary (engine.search(synonyms=…))
        self.generation = 0
        self.last_ms = 0.0
        self.last_text: str | None = None
        self._pending = ""
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.completed.connect(lambda gen, result: self._complete(result) if gen == self.generation else None)
        self._relay.highlighted.connect(lambda gen, result: self.highlighted.emit(result) if gen == self.generation else None)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._fire)
        self.synchronous = False  # screenshots and tests of pure rendering search on the GUI thread
        self._queued: str | None = None  # the latest query asked for before there was an engine
        self._completed: object = None  # the last result completed (resultCompleted)
        self._typing = False  # a keystroke is waiting for the debounce

    def set_engine(self, engine: SearchEngine | None) -> None:
        """Use `engine` from now on; runs the latest query requested while there was none."""
        self.engine = engine
        queued, self._queued = self._queued, None
        if engine is not None and queued is not None:
            self.run_now(queued)

    # -- requests
    def request(self, text: str) -> None:
        """Search `text` after the debounce interval (restarted by each call)."""
        self._pending = text
        self._typing = True  # the result shown is for an older text: its later steps are skipped
        if self.synchronous:
            self.run_now(text)
        else:
            self._timer.start()

    def run_now(self, text: str, rows: int | None = None) -> int:
        """Search `text` immediately (no debounce); returns the generation number. `rows`: show the
        first this many rows before the rest (typing: SCREEN_ROWS; else the result comes whole)."""
        self._timer.stop()
        self._typing = False
        self.generation += 1
        gen = self.generation
        self.last_text = text
        if self.engine is None:  # not open yet: set_engine() runs the latest text
            self._queued = text
            return gen
        if self.synchronous:
            started = time.perf_counter()
            try:
                result = self.engine.search(text, limit=self.limit, with_facets=True, synonyms=self.synonyms)
                self._deliver(gen, result, "", (time.perf_counter() - started) * 1000.0)
            except Exception as exc:  # noqa: BLE001
                self._deliver(gen, None, f"{type(exc).__name__}: {exc}", 0.0)
            return gen
        self._pool.clear()  # drop queued (not yet started) stale searches
        self.busyChanged.emit(True)
        self._pool.start(_SearchTask(self.engine, text, gen, self._relay, self.limit, self.synonyms, self._current, rows))
        return gen

    def _current(self) -> int:
        """The generation whose later steps (rest, highlighting) are still wanted; -1 while a newer
        keystroke waits for the debounce (asked from the search thread)."""
        return -1 if self._typing else self.generation

    def flush(self) -> None:
        """Run a pending debounced search now."""
        if self._timer.isActive():
            self._fire()

    def wait_idle(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)

    def _fire(self) -> None:
        self.run_now(self._pending, SCREEN_ROWS)  # typed: the first rows first

    # -- answers
    def _on_done(self, generation: int, result: object, error: str, ms: float, shown: threading.Event | None = None) -> None:
        try:
            if generation != self.generation:
                return  # stale: a newer search was started after this one
            self.busyChanged.emit(False)
            self._deliver(generation, result, error, ms)
        finally:
            if shown is not None:  # the search thread may complete the result once the rows are painted
                QTimer.singleShot(0, self, shown.set)  # (posted after the views' repaint requests)

    def _deliver(self, generation: int, result: object, error: str, ms: float) -> None:
        self.last_ms = ms
        if error or result is None:
            self.searchFailed.emit(error or "no result")
            return
        self.resultReady.emit(result)  # shown (direct connection) before the rest is made
        if getattr(result, "rest", None) is None:  # complete already (synchronous search, or no rows left out)
            self._complete(result)

    def _complete(self, result: object) -> None:
        if result is self._completed:
            return  # once (the search thread completes it itself if the rows were not shown in time)
        self._completed = result
        self.resultCompleted.emit(result)  # shown before the rest is highlighted
        if getattr(result, "pending", None) is not None and self.engine is not None:
            self._pool.start(_HighlightTask(self.engine, result, self.generation, self._current, self._relay))

    def shutdown(self) -> None:
        self._timer.stop()
        self._pool.clear()
        self._pool.waitForDone(3000)
