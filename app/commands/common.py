"""Small helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def out(text: str) -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def built(with_index: bool = False) -> Path:
    """Make sure catalog.db (and with `with_index` the search index) is current; returns its path."""
    from app.build import ensure_built

    return ensure_built(with_index=with_index).db_path


_opened: list[Any] = []  # databases opened for the running command, closed by run() when it ends


def keep_open(resource: T) -> T:
    """Register something with a close() method to be closed when the command ends."""
    _opened.append(resource)
    return resource


def run(fn: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """Run a command: expected failures become a message and exit code 2, not a traceback."""
    from app.plan.plans import PlanError
    from app.userdb import NewerSchemaError

    try:
        return int(fn(args) or 0)
    except (PlanError, ValueError, NewerSchemaError) as exc:
        err(f"error: {exc}")
        return 2
    except OSError as exc:  # e.g. an export or template path that cannot be written
        err(f"error: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}")
        return 2
    finally:
        while _opened:
            _opened.pop().close()
