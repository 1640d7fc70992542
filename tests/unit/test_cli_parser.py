"""The CLI parser registers the sub-command modules only up to the one a command needs."""

from __future__ import annotations

import argparse

from app.commands.main import _command, build_parser


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_each_command_parses_the_same_with_only_its_module_registered() -> None:
    full = _choices(build_parser())
    assert {"build", "import", "search", "plan", "pack"} <= set(full)
    for name, sub in full.items():
        partial = _choices(build_parser(command=name))
        assert name in partial
        assert partial[name].format_help() == sub.format_help()
    assert "pack" not in _choices(build_parser(command="build"))  # the build imports one module
    args = build_parser(command="build").parse_args(["build", "--force"])
    assert args.force and args.func.__name__ == "cmd_build"


def test_unknown_commands_and_top_level_help_get_every_command() -> None:
    full = set(_choices(build_parser()))
    assert set(_choices(build_parser(command="bogus"))) == full
    assert _command(["-h", "build"]) is None and _command(["--lang", "en", "build", "--force"]) == "build"
    assert _command(["--version"]) == "" and _command(["--lang", "en"]) == ""  # no command named: the GUI start
