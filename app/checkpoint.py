"""Crash-simulation hook for the kill -9 tests: SIGKILL ourselves at a named write step.

A no-op unless MACHI_NAVI_KILL_AT names the step; the tests use it to prove that a crash at any
point of a write leaves the previous file (catalog.db, plans.db, a report) intact.
"""

from __future__ import annotations

import os
import signal

KILL_ENV = "MACHI_NAVI_KILL_AT"


def checkpoint(step: str) -> None:
    if os.environ.get(KILL_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)
