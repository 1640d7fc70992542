"""Entry script of the frozen app (both executables: `MachiNavi` GUI and `machi-navi` console)."""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless unless a library spawns worker processes
    # A windowed (console=False) Windows executable has no stdout/stderr: give print() somewhere to go.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

    from app.commands.main import main

    sys.exit(main())
