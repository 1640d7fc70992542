"""The UI package's shape: no import cycles (type-only imports included), small modules and functions,
windows and panes built by composition, not mixins."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

UI = ROOT / "app" / "ui"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def _module(path: Path) -> str:
    return "app.ui." + path.stem if path.stem != "__init__" else "app.ui"


def _ui_imports(path: Path, modules: set[str]) -> set[str]:
    """Every app.ui module `path` imports: at module level, inside functions, under TYPE_CHECKING."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in out if m in modules and m != _module(path)}


def test_no_import_cycles_in_the_ui() -> None:
    files = sorted(UI.glob("*.py"))
    modules = {_module(p) for p in files}
    graph = {_module(p): _ui_imports(p, modules) for p in files}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [mod])
    assert not cycles, cycles


def test_ui_modules_and_functions_are_small() -> None:
    too_long: list[str] = []
    for path in sorted(UI.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{path.name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.name}:{node.lineno} {node.name}: {n} lines")
    assert not too_long, too_long


def test_main_window_is_composed_not_mixed_in() -> None:
    from app.ui.main_window import MainWindow
    from app.ui.plan_view import PlanView

    assert [b.__name__ for b in MainWindow.__bases__] == ["QMainWindow"]
    assert [b.__name__ for b in PlanView.__bases__] == ["QWidget"]
    for name in ("main_search", "main_plan", "main_actions"):
        assert not (UI / f"{name}.py").exists(), name
