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
    """Make sure catalog.db (and with `with_index` the search index) is current; returns its path.
    What the build did that the user should know (a damaged catalog rebuilt, a local entry put in
    quarantine) is said on stderr."""
    from app.build import ensure_built

    res = ensure_built(with_index=with_index)
    for notice in res.notices():
        err(notice)
    return res.db_path


_opened: list[Any] = []  # databases opened for the running command, closed by run() when it ends


def keep_open(resource: T) -> T:
    """Register something with a close() method to be closed when the command ends."""
    _opened.append(resource)
    return resource


def run(fn: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """The one error model of every command (app.errors): a UserError, a plan or value error, a disk
    or database error is a message naming the file and what to do, exit code 2; anything else is
    logged with its traceback in the data folder and named in one line, exit code 3. Never a traceback."""
    import sqlite3

    from app.errors import UserError, from_os_error, from_sqlite_error, report_unexpected

    try:
        return int(fn(args) or 0)
    except KeyboardInterrupt:
        return 130
    except UserError as exc:
        err(f"error: {exc}")
        return exc.exit_code
    except ValueError as exc:  # PlanError too (a ValueError; app.plan is not imported by every command)
        err(f"error: {exc}")
        return 2
    except OSError as exc:  # e.g. an export or template path that cannot be written, a full disk
        err(f"error: {from_os_error(exc)}")
        return 2
    except sqlite3.Error as exc:
        err(f"error: {from_sqlite_error(exc, exc.__class__.__name__)}")
        return 2
    except Exception as exc:  # noqa: BLE001 - the last resort: a log file, never a traceback on screen
        err(report_unexpected(exc))
        return 3
    finally:
        while _opened:
            _opened.pop().close()
