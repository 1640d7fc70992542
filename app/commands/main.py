"""Command line: the same domain functions as the GUI, headless.

`machi-navi` / `python -m app` with no sub-command starts the GUI. Each module of this package
listed in COMMAND_MODULES adds its sub-commands through a `register(subparsers)` function.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app import __version__
from app.console import utf8_console

COMMAND_MODULES = ("app.commands.catalog", "app.commands.search", "app.commands.plan", "app.commands.shot", "app.commands.diff", "app.commands.town",
                   "app.commands.serve", "app.commands.pack")


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    if getattr(args, "quit_after_paint", False) or getattr(args, "quit_after_results", False):  # bench/startup.py
        from app.startup_probe import install

        install(until_results=getattr(args, "quit_after_results", False))
    elif getattr(args, "probe_results", False):  # tests/e2e/test_xcb.py: results on screen, quit on stdin
        from app.startup_probe import install_results_probe

        install_results_probe()

    return run_gui(lang=getattr(args, "lang", None))


def _command(argv: list[str]) -> str | None:
    """The sub-command argv names (its first positional argument), "" when it names none; None when
    a help option comes first (the whole CLI is described then)."""
    args = iter(argv)
    for arg in args:
        if arg in ("-h", "--help"):
            return None
        if arg == "--lang":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return ""


def build_parser(commands: bool = True, command: str | None = None) -> argparse.ArgumentParser:
    """The CLI; `commands=False` leaves out the sub-commands registered by COMMAND_MODULES, and with
    `command` their registration stops at the module that registers it (importing and registering
    all of them cost ~12 ms of every command; an unknown name still gets them all)."""
    parser = argparse.ArgumentParser(prog="machi-navi", description="まちナビ — smart-city catalog and SCRA browser (offline)")
    parser.add_argument("--version", action="version", version=f"machi-navi {__version__}")
    parser.add_argument("--lang", choices=["ja", "en"], help="UI language (default: saved setting, else Japanese)")
    parser.add_argument("--quit-after-paint", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quit-after-results", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--probe-results", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("gui", help="start the desktop app (the default)")
    p.set_defaults(func=cmd_gui)
    for mod_name in COMMAND_MODULES if commands else ():
        importlib.import_module(mod_name).register(sub)
        if command is not None and command in sub.choices:
            break
    return parser


def main(argv: list[str] | None = None) -> int:
    utf8_console()  # Windows pipes and consoles may use cp1252/cp932: never fail on Japanese output
    argv = sys.argv[1:] if argv is None else argv
    command = _command(argv)  # a plain GUI start (`MachiNavi`, `--lang en`, `gui`) imports no sub-command module
    args = build_parser(commands=command not in ("", "gui"), command=command or None).parse_args(argv)
    from app.commands.common import run

    return run(args.func, args)  # the one error model (app.errors), for the GUI start too
