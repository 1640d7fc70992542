"""One step engine for the guided tour and scripted demos: an ordered list of steps, each entered when shown.

A step does what it needs to show itself (switch a tab, run a search, open the figure) in `enter()`; the
engine only keeps the position, so going back re-enters the earlier step and the window shows it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Signal


class Step(Protocol):
    def enter(self) -> None: ...


class StepEngine(QObject):
    """Position in a list of steps; `changed(index)` after a step was entered, `finished` past the last."""

    changed = Signal(int)
    finished = Signal()

    def __init__(self, steps: Sequence[Step], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.steps = list(steps)
        self.index = -1

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def current(self) -> Step | None:
        return self.steps[self.index] if 0 <= self.index < len(self.steps) else None

    def go(self, index: int) -> bool:
        """Enter step `index` (False, and nothing happens, outside the list)."""
        if not 0 <= index < len(self.steps):
            return False
        self.index = index
        self.steps[index].enter()
        self.changed.emit(index)
        return True

    def next(self) -> None:
        """The next step, or `finished` after the last."""
        if self.index + 1 >= len(self.steps):
            self.finished.emit()
        else:
            self.go(self.index + 1)

    def back(self) -> None:
        self.go(self.index - 1)

    def is_last(self) -> bool:
        return self.index + 1 >= len(self.steps)
