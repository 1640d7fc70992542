"""Console streams that never fail on Japanese text.

Under a Windows code page such as cp1252 (a pipe, a CI log, a redirected console), printing
Japanese raises UnicodeEncodeError. The CLI switches stdout and stderr to UTF-8 at start and
replaces what still cannot be written, so output never raises.
"""

from __future__ import annotations

import sys


def utf8_console() -> None:
    """Reconfigure sys.stdout and sys.stderr to UTF-8 with errors="replace" (where possible)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # absent on replaced streams (tests, GUI builds)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (OSError, ValueError):  # a detached or closed stream: leave it
                pass
